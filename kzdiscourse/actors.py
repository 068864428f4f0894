"""Actors: who is mentioned, together with whom, and who acts on whom.

Mentions come from the bundled ``actors_ru`` dictionary (variants → canonical actors:
kazakhstan, eu, russia, china, usa, central_asia, turkey, azerbaijan, uzbekistan), matched
by lemma so every inflected form and multi-word name counts once.

Agency — the ``case`` method
----------------------------
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

A dependency-parse method is not shipped: natasha 1.6 (whose wheel carries the slovnet
syntax model) does install and run on Python 3.11 here, but it was not wired in and tested
in time; see the README.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.actors import agency_evidence
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Казахстан подписал соглашение с ЕС."]})
>>> ev = agency_evidence(Corpus.from_dataframe(docs).parse(), by="doc_id")
>>> ev[["actor", "relation", "role", "verb"]].values.tolist()
[['kazakhstan', 'subject', 'agent', 'подписать'], ['eu', 'oblique', 'patient', 'подписать']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzdiscourse import stats
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed
from kzdiscourse.rates import compare_groups, rate_table, sentence_units

__all__ = [
    "AGENCY_COLUMNS",
    "RELATIONS",
    "actor_dictionary",
    "agency",
    "agency_evidence",
    "agency_verbs",
    "comentions",
    "mention_tests",
    "mentions",
]

#: Relation → role.
RELATIONS = {
    "subject": "agent",
    "agent_instrumental": "agent",
    "object": "patient",
    "oblique": "patient",
    "possessor": "other",
    "modifier": "other",
    "unknown": "other",
}

#: Columns of :func:`agency`.
AGENCY_COLUMNS = [
    "group",
    "actor",
    "method",
    "mentions",
    "agent",
    "patient",
    "other",
    "agent_share",
    *RELATIONS,
]

_METHODS = ("case",)
_NOMINAL = ("NOUN", "PROPN")
_SKIP_BACK = ("ADJ", "DET", "NUM")
_DASHES = {"–", "—", "-"}
_CLAUSE_STOP = {";", ":"}
_CONJ = {"и", "или", ","}
_RELATIVE = {"который", "чей"}
_QUOTE_MARKS = set('«»"“”„')


def actor_dictionary() -> Dictionary:
    """The bundled actor dictionary (``actors_ru``)."""
    return Dictionary.from_resource("actors_ru")


def _matches(parsed: Parsed, dictionary: Dictionary | None) -> tuple[Dictionary, pd.DataFrame]:
    d = dictionary if dictionary is not None else actor_dictionary()
    return d, d.match(parsed, scope="dictionary")


def mentions(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Actor mentions per group: hits, per 1,000 tokens, share of sentences, 95% CIs.

    Returns
    -------
    pandas.DataFrame
        ``group, actor,`` then the columns of :func:`kzdiscourse.rates.rate_table`.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> t = mentions(load_seeds().clean().parse(), by="outlet", n_boot=100)
    >>> t.query("actor == 'eu' and group == 'Dzen'")["hits"].item() > 10
    True
    """
    d, m = _matches(parsed, dictionary)
    return rate_table(
        m, parsed, by, list(d.categories), "actor", block=block, seed=seed, n_boot=n_boot
    )


def mention_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """G² test of each actor's mention frequency between groups (see
    :func:`kzdiscourse.rates.compare_groups`)."""
    d, m = _matches(parsed, dictionary)
    return compare_groups(rate_table(m, parsed, by, list(d.categories), "actor", n_boot=0), "actor")


def comentions(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """Sentences in which two actors are both mentioned, per group.

    Returns
    -------
    pandas.DataFrame
        ``group, actor_a, actor_b, sentences, sentences_a, sentences_b, both,
        share_of_sentences, jaccard``: one row per group and unordered pair of actors
        (``actor_a`` before ``actor_b`` in dictionary order), the diagonal included
        (``actor_a == actor_b``: sentences mentioning that actor). ``both`` counts
        sentences mentioning both, ``share_of_sentences`` divides by all sentences of the
        group, ``jaccard`` = both / sentences mentioning either. Zero pairs are kept, so
        pivoting gives the full matrix.
    """
    d, m = _matches(parsed, dictionary)
    actors = list(d.categories)
    units = sentence_units(parsed, by)
    present = m[["doc_id", "sent_id", "category"]].drop_duplicates()
    ind = (
        present.assign(v=1)
        .pivot_table(index=["doc_id", "sent_id"], columns="category", values="v", fill_value=0)
        .reindex(columns=actors, fill_value=0)
    )
    keys = pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]])
    mat = ind.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    rows = []
    for group in sorted(units["group"].unique()):
        sel = (units["group"] == group).to_numpy()
        g = mat[sel]
        both = g.T @ g
        n_sent = int(sel.sum())
        for i, a in enumerate(actors):
            for j in range(i, len(actors)):
                either = int(both[i, i] + both[j, j] - both[i, j])
                rows.append(
                    {
                        "group": group,
                        "actor_a": a,
                        "actor_b": actors[j],
                        "sentences": n_sent,
                        "sentences_a": int(both[i, i]),
                        "sentences_b": int(both[j, j]),
                        "both": int(both[i, j]),
                        "share_of_sentences": both[i, j] / n_sent if n_sent else float("nan"),
                        "jaccard": both[i, j] / either if either else float("nan"),
                    }
                )
    return pd.DataFrame.from_records(rows)


# ---------------------------------------------------------------------- agency (case method)
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


def _relation(tk: _Tokens, first: int, last: int, head: int, kind: str) -> tuple[str, str]:
    """(relation, preposition) of one mention."""
    if kind == "adjective" or tk.pos[head] == "ADJ":
        return "modifier", ""
    before, after = first - 1, last + 1
    if (
        tk.same(first, before) and tk.text[before] in _DASHES and tk.end[before] == tk.start[first]
    ) or (tk.same(last, after) and tk.text[after] in _DASHES and tk.start[after] == tk.end[last]):
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
        k = after
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


def agency_evidence(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = "case",
) -> pd.DataFrame:
    """Every actor mention with its grammatical relation, role and governing verb.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, group, sent_id, tok_start, tok_end, actor, text, kind, case,
        preposition, relation, role, verb, method``, in corpus order.
    """
    if method not in _METHODS:
        raise InputError(
            f"unknown agency method {method!r}",
            hint="only the case-based approximation ('case') is available",
        )
    d, m = _matches(parsed, dictionary)
    groups = parsed.groups(by)
    cols = [
        "doc_id",
        "group",
        "sent_id",
        "tok_start",
        "tok_end",
        "actor",
        "text",
        "kind",
        "case",
        "preposition",
        "relation",
        "role",
        "verb",
        "method",
    ]
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
        relation, prep = _relation(tk, first, last, head, kinds[k])
        key = (str(tk.doc[first]), int(tk.sent[first]))
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
        rows.append(
            {
                "doc_id": m["doc_id"].iloc[k],
                "group": groups[m["doc_id"].iloc[k]],
                "sent_id": int(m["sent_id"].iloc[k]),
                "tok_start": int(m["tok_start"].iloc[k]),
                "tok_end": int(m["tok_end"].iloc[k]),
                "actor": m["category"].iloc[k],
                "text": m["text"].iloc[k],
                "kind": kinds[k],
                "case": _case(tk.grams(head)),
                "preposition": prep,
                "relation": relation,
                "role": RELATIONS[relation],
                "verb": verb,
                "method": method,
            }
        )
    return pd.DataFrame.from_records(rows, columns=cols)


def agency(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = "case",
) -> pd.DataFrame:
    """How often each actor is an agent, a patient or neither, per group.

    Returns
    -------
    pandas.DataFrame
        :data:`AGENCY_COLUMNS`: one row per group and actor (actors never mentioned in a
        group included with zeros); ``agent_share`` = agent / (agent + patient), ``nan``
        when both are 0; one count column per relation; ``method`` names the method.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> t = agency(load_seeds().clean().parse(), by="outlet")
    >>> t.query("actor == 'kazakhstan' and group == 'Dzen'")["agent"].item() >= 3
    True
    """
    d = dictionary if dictionary is not None else actor_dictionary()
    ev = agency_evidence(parsed, by, dictionary=d, method=method)
    return _agency_from(ev, sorted(parsed.groups(by).unique()), d, method)


def _agency_from(ev: pd.DataFrame, groups: list[str], d: Dictionary, method: str) -> pd.DataFrame:
    rows = []
    for group in groups:
        g = ev.loc[ev["group"] == group]
        for actor in d.categories:
            a = g.loc[g["actor"] == actor]
            counts = a["relation"].value_counts()
            rel = {r: int(counts.get(r, 0)) for r in RELATIONS}
            roles = a["role"].value_counts()
            agent, patient = int(roles.get("agent", 0)), int(roles.get("patient", 0))
            rows.append(
                {
                    "group": group,
                    "actor": actor,
                    "method": method,
                    "mentions": len(a),
                    "agent": agent,
                    "patient": patient,
                    "other": int(roles.get("other", 0)),
                    "agent_share": agent / (agent + patient) if agent + patient else float("nan"),
                    **rel,
                }
            )
    return pd.DataFrame.from_records(rows, columns=AGENCY_COLUMNS)


def agency_verbs(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    method: str = "case",
) -> pd.DataFrame:
    """The verbs each actor governs as agent or patient, per group.

    Returns
    -------
    pandas.DataFrame
        ``group, actor, role, verb, count, method``; sorted by group, actor (dictionary
        order), role, descending count, verb.
    """
    d = dictionary if dictionary is not None else actor_dictionary()
    return _verbs_from(agency_evidence(parsed, by, dictionary=d, method=method), d, method)


def _verbs_from(ev: pd.DataFrame, d: Dictionary, method: str) -> pd.DataFrame:
    ev = ev.loc[(ev["verb"] != "") & ev["role"].isin(["agent", "patient"])]
    out = ev.groupby(["group", "actor", "role", "verb"]).size().rename("count").reset_index()
    out["method"] = method
    order = {a: i for i, a in enumerate(d.categories)}
    out["_a"] = out["actor"].map(order)
    out = out.sort_values(
        ["group", "_a", "role", "count", "verb"],
        ascending=[True, True, True, False, True],
        kind="stable",
    )
    return out.drop(columns="_a").reset_index(drop=True)


def actor_report_tables(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    """The actor tables of the Report."""
    d = actor_dictionary()
    rates = mentions(parsed, by, dictionary=d, seed=seed)
    ev = agency_evidence(parsed, by, dictionary=d)
    return {
        "actor_mentions": rates,
        "actor_tests": compare_groups(rates, "actor"),
        "actor_comentions": comentions(parsed, by, dictionary=d),
        "actor_agency": _agency_from(ev, sorted(parsed.groups(by).unique()), d, "case"),
        "actor_verbs": _verbs_from(ev, d, "case"),
        "actor_agency_evidence": ev,
    }
