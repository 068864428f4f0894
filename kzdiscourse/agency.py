"""Grammatical roles of actor mentions: who acts on whom (the agency rules of the actors
measure, :mod:`kzdiscourse.measures.actors`).

The ``case`` method
-------------------
Without a dependency parser, each mention's grammatical role is approximated from the
pymorphy3 case of its head noun (the ``tag`` column) and its neighbours. The rules, in order:

1. ``modifier`` — a relational adjective (*казахстанский*), or a name joined to another by
   a dash without spaces (*ЕС–Россия*, a compound attribute).
2. ``oblique`` (patient) — a preposition before the name (adjectives and determiners in
   between are skipped): *с ЕС*, *для Казахстана*, *в отношениях с Россией*.
3. a conjunct (*Москвой и Пекином*) takes the relation and verb of the conjunct before it.
4. indeclinable names (*ЕС*, *США*, *КНР*, *Баку*), whose case pymorphy3 cannot know:
   ``possessor`` after a noun (*посол ЕС*), ``subject`` before a finite verb (an adverb may
   stand between: *ЕС традиционно декларирует*), otherwise ``unknown``.
5. by case: nominative → ``subject`` (agent); instrumental → ``agent_instrumental`` (the
   agent of a passive or a nominalisation: *воспринимается Москвой*, *введение Европейским
   Союзом санкций*); genitive after a noun → ``possessor``; accusative, dative or other
   genitive → ``object`` (patient).

``role`` groups these: agent = subject + agent_instrumental; patient = object + oblique;
other = possessor + modifier + unknown. The *verb* of an agent is the first finite verb to
its right in the sentence (else the nearest verb to its left); of an instrumental agent
or a patient, the nearest verb form to its left (else to its right). Known errors of the
approximation: nominative predicates and appositions count as subjects, passive subjects as
agents, and clause boundaries are not parsed. Every agency table says ``method = "case"``.

The ``syntax`` method (the default)
-----------------------------------
The relation comes from a UD dependency parse of our own tokens (:mod:`kzdiscourse.syntax`:
slovnet's news syntax model with navec embeddings, both shipped in the ``natasha`` wheel, a
dependency of kzdiscourse; nothing is downloaded): ``nsubj`` → subject, ``nsubj:pass`` →
``passive_subject`` (patient), ``obl:agent`` or a bare instrumental ``obl``/``nmod`` →
agent_instrumental, ``obj``/``iobj`` → object, ``obl`` or ``nmod`` with a preposition →
oblique, bare ``nmod`` → possessor, ``amod`` → modifier; conjuncts and appositions take
their head's relation; the verb is the nearest verbal ancestor. The dash rule (1) applies
to both methods.

Choosing the method
-------------------
``method="syntax"`` is the default everywhere (the measure of :func:`kzdiscourse.compare`
and every ``actor_*`` function); ``method="case"`` is chosen explicitly. Nothing switches
method by what happens to be installed: when the parser cannot be loaded, ``syntax``
raises :class:`~kzdiscourse.errors.MissingDependencyError` (or
:class:`~kzdiscourse.errors.ResourceError` for a damaged model file) naming
``method="case"`` as the alternative. Every agency table says which method made it
(``method`` column), the table descriptions and the figure name it with
:func:`method_label`, and :func:`kzdiscourse.compare` records it in the manifest
(``parameters.measure_parameters.actors.agency_method``). ``method="auto"`` (which used
the parse when it was installed and the case rules otherwise) is deprecated: it warns and
means ``"syntax"``. On the two seed texts the methods agree on 88% of the 141 mentions:
the parse gets passive subjects and «В то же время ЕС выработал» right, the case rules get
some nominative subjects the parser attaches as objects or obliques right.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus, Dictionary
>>> from kzdiscourse.agency import mention_roles
>>> parsed = Corpus.from_dataframe(pd.DataFrame(
...     {"doc_id": ["a"], "text": ["Казахстан подписал соглашение с ЕС."]})).parse()
>>> d = Dictionary.from_resource("actors_ru")
>>> ev = mention_roles(d.match(parsed, scope="dictionary"), parsed, d, by="doc_id", method="case")
>>> ev[["category", "relation", "role", "verb"]].values.tolist()
[['kazakhstan', 'subject', 'agent', 'подписать'], ['eu', 'oblique', 'patient', 'подписать']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzdiscourse.dictionary import Dictionary
from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed

__all__ = [
    "DEFAULT_METHOD",
    "EVIDENCE_COLUMNS",
    "METHODS",
    "METHOD_LABELS",
    "RELATIONS",
    "check_method",
    "mention_roles",
    "method_label",
    "resolve_method",
]

#: Relation → role.
RELATIONS = {
    "subject": "agent",
    "agent_instrumental": "agent",
    "passive_subject": "patient",
    "object": "patient",
    "oblique": "patient",
    "possessor": "other",
    "modifier": "other",
    "unknown": "other",
}

#: Agency methods (``"auto"`` is a deprecated alias of ``"syntax"``).
METHODS = ("syntax", "case")
#: The method of the actors measure and of every ``actor_*`` function unless chosen.
DEFAULT_METHOD = "syntax"
#: How tables, captions and figures name each method (one wording everywhere).
METHOD_LABELS = {
    "syntax": "dependency parse (method syntax)",
    "case": "case rules (method case)",
}

#: Columns of :func:`mention_roles` (the ``actor_evidence`` table).
EVIDENCE_COLUMNS = [
    "doc_id",
    "group",
    "sent_id",
    "tok_start",
    "tok_end",
    "category",
    "text",
    "kind",
    "case",
    "preposition",
    "relation",
    "role",
    "verb",
    "method",
]

_INHERIT = {"conj", "appos", "flat", "flat:name", "flat:foreign", "fixed"}
_NOMINAL = ("NOUN", "PROPN")
_SKIP_BACK = ("ADJ", "DET", "NUM")
_DASHES = {"–", "—", "-"}
_CLAUSE_STOP = {";", ":"}
_CONJ = {"и", "или", ","}
_RELATIVE = {"который", "чей"}
_QUOTE_MARKS = set('«»"“”„')


class _Tokens:
    def __init__(self, tokens: pd.DataFrame) -> None:
        t = tokens.reset_index(drop=True)
        self.doc = t["doc_id"].to_numpy()
        self.sent = t["sent_id"].to_numpy()
        self.lemma = t["lemma"].astype(str).to_numpy()
        self.text = t["text"].astype(str).to_numpy()
        self.pos = t["pos"].astype(str).to_numpy()
        self.tag = t["tag"].astype(str).to_numpy()
        self.start = t["start"].to_numpy()
        self.end = t["end"].to_numpy()
        self.index = pd.MultiIndex.from_frame(t[["doc_id", "tok_id"]])

    def same(self, i: int, j: int) -> bool:
        return (
            0 <= j < len(self.doc) and self.doc[i] == self.doc[j] and self.sent[i] == self.sent[j]
        )

    def grams(self, i: int) -> set[str]:
        return set(self.tag[i].replace(" ", ",").split(","))

    def form(self, i: int) -> str:
        return self.tag[i].split(",")[0].split(" ")[0]

    def is_finite(self, i: int) -> bool:
        return self.form(i) == "VERB" or (self.form(i) == "PRTS")

    def is_verbal(self, i: int) -> bool:
        return self.form(i) in ("VERB", "INFN", "PRTF", "PRTS", "GRND")


def _case(g: set[str]) -> str:
    for c in ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"):
        if c in g:
            return c
    return ""


def _find_verb(tk: _Tokens, first: int, last: int, prefer: str) -> str:
    def scan(start: int, step: int, test) -> int | None:
        j = start
        anchor = first if step < 0 else last
        while tk.same(anchor, j):
            if tk.text[j] in _CLAUSE_STOP:
                return None
            if test(j):
                return j
            j += step
        return None

    if prefer == "right_finite":
        j = scan(last + 1, 1, tk.is_finite)
        if j is None:
            j = scan(first - 1, -1, tk.is_verbal)
        if j is None:
            j = scan(last + 1, 1, tk.is_verbal)
    else:
        j = scan(first - 1, -1, tk.is_verbal)
        if j is None:
            j = scan(last + 1, 1, tk.is_verbal)
    return "" if j is None else str(tk.lemma[j])


def _dash_compound(tk: _Tokens, first: int, last: int) -> bool:
    """A name joined to a neighbour by a dash without spaces («ЕС–Россия»)."""
    before, after = first - 1, last + 1
    return bool(
        (
            tk.same(first, before)
            and tk.text[before] in _DASHES
            and tk.end[before] == tk.start[first]
        )
        or (tk.same(last, after) and tk.text[after] in _DASHES and tk.start[after] == tk.end[last])
    )


def _relation(tk: _Tokens, first: int, last: int, head: int, kind: str) -> tuple[str, str]:
    """(relation, preposition) of one mention."""
    if kind == "adjective" or tk.pos[head] == "ADJ":
        return "modifier", ""
    before = first - 1
    if _dash_compound(tk, first, last):
        return "modifier", ""
    j = before
    steps = 0
    while (
        tk.same(first, j)
        and (
            (tk.pos[j] in _SKIP_BACK and tk.lemma[j] not in _RELATIVE) or tk.text[j] in _QUOTE_MARKS
        )
        and steps < 4
    ):
        j -= 1
        steps += 1
    prev = j if tk.same(first, j) else None
    g = tk.grams(head)
    if prev is not None and tk.pos[prev] == "ADP" and "nomn" not in g:
        return "oblique", str(tk.lemma[prev])
    prev_is_noun = prev is not None and tk.pos[prev] in _NOMINAL
    if "Fixd" in g or "Abbr" in g:
        if prev_is_noun:
            return "possessor", ""
        k = last + 1
        while tk.same(last, k) and tk.pos[k] in ("ADV", "PUNCT") and tk.text[k] not in _CLAUSE_STOP:
            if tk.pos[k] == "PUNCT" and tk.text[k] != ",":
                break
            k += 1
        if tk.same(last, k) and tk.is_finite(k):
            return "subject", ""
        return "unknown", ""
    case = _case(g)
    if case == "nomn":
        # inanimate nominative = accusative: after a transitive verb form it is the object
        # («рассматривает Казахстан как…», «превращают Казахстан в…»)
        if (
            "inan" in g
            and prev is not None
            and tk.is_verbal(prev)
            and tk.form(prev) != "PRTS"
            and "tran" in tk.grams(prev)
        ):
            return "object", ""
        return "subject", ""
    if case == "ablt":
        return "agent_instrumental", ""
    if case in ("gent", "gen2") and prev_is_noun:
        return "possessor", ""
    if case in ("gent", "gen2", "accs", "acc2", "datv"):
        return "object", ""
    if case:
        return "oblique", ""
    return "unknown", ""


def mention_roles(
    matches: pd.DataFrame, parsed: Parsed, dictionary: Dictionary, *, by: str, method: str
) -> pd.DataFrame:
    """Every actor mention with its grammatical relation, role and governing verb.

    Parameters
    ----------
    matches : pandas.DataFrame
        The actor dictionary's matches (:meth:`Dictionary.match`, ``scope="dictionary"``).
    parsed : Parsed
    dictionary : Dictionary
        The dictionary matched (its entries' ``kind`` and ``head`` fields are used).
    by : str
        Grouping column.
    method : {"syntax", "case"}
        See "Choosing the method" above.

    Returns
    -------
    pandas.DataFrame
        :data:`EVIDENCE_COLUMNS`, in corpus order.
    """
    method = resolve_method(method)
    m = matches
    d = dictionary
    groups = parsed.groups(by)
    cols = EVIDENCE_COLUMNS
    if m.empty:
        return pd.DataFrame(columns=cols)
    entries = d.entries.set_index(["category", "entry"])
    keys = pd.MultiIndex.from_frame(m[["category", "entry"]])
    kinds = (
        entries["kind"].reindex(keys).fillna("name").astype(str).to_numpy()
        if "kind" in entries.columns
        else np.full(len(m), "name")
    )
    heads = (
        entries["head"].reindex(keys).to_numpy() if "head" in entries.columns else [np.nan] * len(m)
    )
    tk = _Tokens(parsed.tokens)
    dep = _Dependencies(tk, parsed.tokens, m) if method == "syntax" else None
    first_rows = tk.index.get_indexer(pd.MultiIndex.from_frame(m[["doc_id", "tok_start"]]))
    last_rows = tk.index.get_indexer(pd.MultiIndex.from_frame(m[["doc_id", "tok_end"]]))
    rows = []
    prev_mention: dict[tuple[str, int], tuple[int, str, str, str]] = {}
    for k, (first, last) in enumerate(zip(first_rows, last_rows, strict=True)):
        first, last = int(first), int(last)
        words = [i for i in range(first, last + 1) if tk.pos[i] not in ("PUNCT", "SYM")]
        head_idx = heads[k]
        if isinstance(head_idx, (int, float, np.integer, np.floating)) and not pd.isna(head_idx):
            head = words[min(int(head_idx), len(words) - 1)]
        else:
            head = next((i for i in words if tk.pos[i] in _NOMINAL), words[0])
        key = (str(tk.doc[first]), int(tk.sent[first]))
        if dep is not None:
            relation, prep, verb, head = dep.relation(first, last, head, kinds[k])
            prev_mention[key] = (last, relation, prep, verb)
            rows.append(_row(m, k, groups, kinds[k], tk, head, relation, prep, verb, method))
            continue
        relation, prep = _relation(tk, first, last, head, kinds[k])
        verb = ""
        # a conjunct inherits the relation of the conjunct before it («Москвой и Пекином»)
        j = first - 1
        if (
            relation not in ("modifier",)
            and tk.same(first, j)
            and tk.lemma[j] in _CONJ
            and key in prev_mention
            and prev_mention[key][0] == j - 1
            and prev_mention[key][1] != "modifier"
        ):
            relation, prep, verb = prev_mention[key][1], prev_mention[key][2], prev_mention[key][3]
        elif relation in ("subject",):
            verb = _find_verb(tk, first, last, "right_finite")
        elif relation in ("agent_instrumental", "object", "oblique"):
            verb = _find_verb(tk, first, last, "left")
        prev_mention[key] = (last, relation, prep, verb)
        rows.append(_row(m, k, groups, kinds[k], tk, head, relation, prep, verb, method))
    return pd.DataFrame.from_records(rows, columns=cols)


def check_method(method: str) -> None:
    """Raise :class:`~kzdiscourse.errors.InputError` for a method that is not one of
    :data:`METHODS` (or the deprecated ``"auto"``)."""
    if method != "auto" and method not in METHODS:
        raise InputError(
            f"unknown agency method {method!r}",
            hint='use method="syntax" (dependency parse, the default) or method="case" '
            "(case rules, no parser)",
        )


def resolve_method(method: str) -> str:
    """The method to run: ``method`` itself, checked; the deprecated ``"auto"`` warns and
    means ``"syntax"``.

    Examples
    --------
    >>> resolve_method("case")
    'case'
    """
    check_method(method)
    if method == "auto":
        from kzdiscourse._deprecation import warn_deprecated

        warn_deprecated(
            'agency method="auto"',
            "0.1.0",
            replacement='method="syntax" (the default) or method="case"',
            stacklevel=3,
        )
        return "syntax"
    return method


def method_label(method: str) -> str:
    """How tables, captions and figures name an agency method.

    Examples
    --------
    >>> method_label("case")
    'case rules (method case)'
    """
    return METHOD_LABELS.get(method, f"method {method}")


def _row(m, k, groups, kind, tk, head, relation, prep, verb, method) -> dict:
    return {
        "doc_id": m["doc_id"].iloc[k],
        "group": groups[m["doc_id"].iloc[k]],
        "sent_id": int(m["sent_id"].iloc[k]),
        "tok_start": int(m["tok_start"].iloc[k]),
        "tok_end": int(m["tok_end"].iloc[k]),
        "category": m["category"].iloc[k],
        "text": m["text"].iloc[k],
        "kind": kind,
        "case": _case(tk.grams(head)),
        "preposition": prep,
        "relation": relation,
        "role": RELATIONS[relation],
        "verb": verb,
        "method": method,
    }


class _Dependencies:
    """Relations of mentions from slovnet dependency parses (the ``syntax`` method)."""

    def __init__(self, tk: _Tokens, tokens: pd.DataFrame, matches: pd.DataFrame) -> None:
        from kzdiscourse.syntax import parse_dependencies

        self.tk = tk
        wanted = matches[["doc_id", "sent_id"]].drop_duplicates()
        sub = tokens.merge(wanted, on=["doc_id", "sent_id"], how="inner", sort=False)
        deps = parse_dependencies(sub)
        self.head = np.full(len(tk.doc), -1, dtype=np.int64)
        self.rel = np.full(len(tk.doc), "", dtype=object)
        rows = tk.index.get_indexer(pd.MultiIndex.from_frame(deps[["doc_id", "tok_id"]]))
        heads = tk.index.get_indexer(
            pd.MultiIndex.from_arrays([deps["doc_id"].to_numpy(), deps["head_tok_id"].to_numpy()])
        )
        self.head[rows] = np.where(deps["head_tok_id"].to_numpy() >= 0, heads, -1)
        self.rel[rows] = deps["rel"].to_numpy()
        self.children: dict[int, list[int]] = {}
        for r, h in zip(rows, self.head[rows], strict=True):
            if h >= 0:
                self.children.setdefault(int(h), []).append(int(r))

    def relation(
        self, first: int, last: int, fallback_head: int, kind: str
    ) -> tuple[str, str, str, int]:
        tk = self.tk
        inside = range(first, last + 1)
        head = next(
            (i for i in inside if tk.pos[i] not in ("PUNCT", "SYM") and self.head[i] not in inside),
            fallback_head,
        )
        if kind == "adjective" or tk.pos[head] == "ADJ" or self.rel[head] == "amod":
            return "modifier", "", "", head
        if _dash_compound(tk, first, last):
            return "modifier", "", "", head
        cur, steps = head, 0
        while self.rel[cur] in _INHERIT and self.head[cur] >= 0 and steps < 6:
            cur, steps = int(self.head[cur]), steps + 1
        rel = str(self.rel[cur])
        cases = [c for c in self.children.get(cur, []) if self.rel[c] == "case"]
        prep = str(tk.lemma[cases[0]]) if cases else ""
        instrumental = _case(tk.grams(cur)) == "ablt"
        if rel == "nsubj":
            relation = "subject"
        elif rel == "nsubj:pass":
            relation = "passive_subject"
        elif rel == "obl:agent" or (rel in ("obl", "nmod") and not cases and instrumental):
            relation = "agent_instrumental"
        elif rel in ("obj", "iobj"):
            relation = "object"
        elif rel == "obl" or (rel == "nmod" and cases):
            relation = "oblique"
        elif rel == "nmod":
            relation = "possessor"
        else:
            relation = "unknown"
        verb = ""
        if RELATIONS[relation] in ("agent", "patient"):
            j, steps = int(self.head[cur]), 0
            while j >= 0 and steps < 12:
                if tk.is_verbal(j):
                    verb = str(tk.lemma[j])
                    break
                j, steps = int(self.head[j]), steps + 1
        return relation, prep, verb, head
