"""Interactional metadiscourse (Hyland 2005) for Russian: hedges, boosters, attitude markers,
evidentials, engagement and self-mention, as rates per 1,000 tokens with intervals.

Markers come from the bundled ``metadiscourse_ru`` dictionary. Ambiguous words are checked
in context by explicit rules, each described in the YAML file (``rules``) and applied here
*before* overlaps are resolved (so a word a rule rejects can still count for another
category):

* ``ochevidno`` — «очевидно» is a hedge as a comma-bounded parenthetical not followed by
  «что» (*Он, очевидно, прав* = видимо), otherwise a booster (*очевидно, что…*, *это
  очевидно*, the full adjective *очевидный*).
* ``concessive`` — «конечно», «разумеется», «безусловно», «действительно», «естественно»
  followed later in the same sentence by a contrast marker (но, однако, зато, тем не менее,
  вместе с тем, впрочем) go to the ``concessive`` category instead of ``boosters``.
* ``epistemic_modal`` — «мочь» is a hedge only in the 3rd person or past/conditional, not
  after «не», and with an infinitive, «быть» or «бы» within the next three words (or as a
  comma-bounded parenthetical «может,»).
* ``first_person`` — полагать / считать / думать / предполагать / допускать hedge only in
  the 1st person.
* ``reporting`` — заявить, сообщить, отметить … are evidentials only as 3rd-person or past
  finite forms.
* ``factive`` — свидетельствовать, показать, демонстрировать, подтверждать, доказывать are
  boosters only when «что» follows within four words.
* ``reader_directive`` — отметить, заметить, обратить внимание, подписаться … are
  engagement only in the imperative, 2nd person or 1st person plural.

Two markers are added by code, not by the word list: every footnote citation that cleaning
removed from the body (``parsed.citations``) is one ``evidentials`` hit in the sentence it
follows (entry ``<footnote>``; the marker is not a token, so it adds to hits, not to
tokens), and every sentence ending in «?» without quotation marks is one ``engagement`` hit
(entry ``<question>``, a rhetorical question addressed to the reader).

The measure (:data:`MEASURE`) is a :class:`~kzdiscourse.measures.DictionaryMeasure` with
these rules; its tables are ``metadiscourse_rates``, ``metadiscourse_tests`` and
``metadiscourse_evidence`` (one row per marker), each with a function of the same name.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.measures.metadiscourse import metadiscourse_matches
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": [
...     "Он, очевидно, прав. Очевидно, что это так. Конечно, это важно, но мало."]})
>>> m = metadiscourse_matches(Corpus.from_dataframe(docs).parse())
>>> for row in m[["sent_id", "category", "text"]].values.tolist():
...     print(row)
[0, 'hedges', 'очевидно']
[1, 'boosters', 'Очевидно']
[2, 'concessive', 'Конечно']
[2, 'attitude_markers', 'важно']
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from kzdiscourse import stats
from kzdiscourse.dictionary import Dictionary, normalize_pattern
from kzdiscourse.measures.dictionary_measure import DictionaryMeasure, rates_figure
from kzdiscourse.parsed import Parsed

__all__ = [
    "CATEGORIES",
    "EVIDENCE_COLUMNS",
    "MEASURE",
    "MetadiscourseMeasure",
    "evidence_table",
    "metadiscourse_dictionary",
    "metadiscourse_evidence",
    "metadiscourse_matches",
    "metadiscourse_rates",
    "metadiscourse_tests",
]

#: Output categories, in table order.
CATEGORIES = [
    "hedges",
    "boosters",
    "concessive",
    "attitude_markers",
    "evidentials",
    "engagement",
    "self_mention",
]

#: Columns of :func:`metadiscourse_evidence`.
EVIDENCE_COLUMNS = [
    "doc_id",
    "group",
    "par_id",
    "sent_id",
    "category",
    "entry",
    "rule",
    "text",
    "start",
    "end",
    "sentence",
]

_PAREN_BEFORE = {",", "—", "–", "-", "(", ":", ";"}
_PAREN_AFTER = {",", "—", "–", "-", ")", ".", "!", "?", ";", ":"}
_QUOTES = set('«»"“”„')


def metadiscourse_dictionary() -> Dictionary:
    """The bundled metadiscourse dictionary (``metadiscourse_ru``)."""
    return Dictionary.from_resource("metadiscourse_ru")


class _Context:
    """Neighbouring tokens of a match, by row of the full tokens table (punctuation kept)."""

    def __init__(self, tokens: pd.DataFrame) -> None:
        self.tokens = tokens.reset_index(drop=True)
        self.doc = self.tokens["doc_id"].to_numpy()
        self.sent = self.tokens["sent_id"].to_numpy()
        self.lemma = self.tokens["lemma"].astype(str).to_numpy()
        self.tag = self.tokens["tag"].astype(str).to_numpy()
        self.punct = self.tokens["pos"].isin(["PUNCT", "SYM"]).to_numpy()
        self.text = self.tokens["text"].astype(str).to_numpy()
        self.index = pd.MultiIndex.from_frame(self.tokens[["doc_id", "tok_id"]])

    def rows(self, doc_ids: pd.Series, tok_ids: pd.Series) -> np.ndarray:
        keys = pd.MultiIndex.from_arrays([doc_ids.to_numpy(), tok_ids.to_numpy()])
        return self.index.get_indexer(keys)

    def same(self, i: int, j: int) -> bool:
        return (
            0 <= j < len(self.doc) and self.doc[i] == self.doc[j] and self.sent[i] == self.sent[j]
        )

    def next_words(self, last: int, k: int) -> list[int]:
        out, j = [], last + 1
        while len(out) < k and self.same(last, j):
            if not self.punct[j]:
                out.append(j)
            j += 1
        return out

    def later_lemmas(self, last: int) -> list[str]:
        out, j = [], last + 1
        while self.same(last, j):
            if not self.punct[j]:
                out.append(self.lemma[j])
            j += 1
        return out

    def prev_word(self, first: int) -> int | None:
        j = first - 1
        while self.same(first, j):
            if not self.punct[j]:
                return j
            j -= 1
        return None

    def parenthetical(self, first: int, last: int) -> bool:
        before_ok = not self.same(first, first - 1) or self.text[first - 1] in _PAREN_BEFORE
        after_ok = self.same(last, last + 1) and self.text[last + 1] in _PAREN_AFTER
        return bool(before_ok and after_ok)


def _contains_sequence(lemmas: list[str], markers: list[list[str]]) -> bool:
    for marker in markers:
        n = len(marker)
        for i in range(len(lemmas) - n + 1):
            if lemmas[i : i + n] == marker:
                return True
    return False


def _grams(tag: str) -> set[str]:
    return set(tag.replace(" ", ",").split(","))


def _rules(config: dict) -> dict[str, Callable[[_Context, int, int, str], str | None]]:
    contrast = [normalize_pattern(m).split(" ") for m in config.get("contrast_markers", [])]
    negators = {normalize_pattern(m) for m in config.get("negators", [])}

    def ochevidno(ctx: _Context, first: int, last: int, category: str) -> str | None:
        if ctx.tag[first].startswith("ADJF"):
            return "boosters"
        nxt = ctx.next_words(last, 1)
        followed_by_chto = bool(nxt) and ctx.lemma[nxt[0]] == "что"
        if ctx.parenthetical(first, last) and not followed_by_chto:
            return "hedges"
        return "boosters"

    def concessive(ctx: _Context, first: int, last: int, category: str) -> str | None:
        return "concessive" if _contains_sequence(ctx.later_lemmas(last), contrast) else category

    def epistemic_modal(ctx: _Context, first: int, last: int, category: str) -> str | None:
        g = _grams(ctx.tag[first])
        if g & {"1per", "2per", "impr"}:
            return None
        prev = ctx.prev_word(first)
        if prev is not None and ctx.lemma[prev] in negators:
            return None
        if last > first:  # «может быть»
            return category
        for j in ctx.next_words(last, 3):
            if ctx.tag[j].startswith("INFN") or ctx.lemma[j] in ("быть", "бы"):
                return category
        return category if ctx.parenthetical(first, last) else None

    def first_person(ctx: _Context, first: int, last: int, category: str) -> str | None:
        return category if "1per" in _grams(ctx.tag[first]) else None

    def reporting(ctx: _Context, first: int, last: int, category: str) -> str | None:
        g = _grams(ctx.tag[first])
        if g & {"1per", "2per", "impr", "INFN", "PRTF", "PRTS", "GRND"}:
            return None
        return category if g & {"3per", "past"} else None

    def factive(ctx: _Context, first: int, last: int, category: str) -> str | None:
        return category if any(ctx.lemma[j] == "что" for j in ctx.next_words(last, 4)) else None

    def reader_directive(ctx: _Context, first: int, last: int, category: str) -> str | None:
        g = _grams(ctx.tag[first])
        if "impr" in g or "2per" in g or {"1per", "plur"} <= g:
            return category
        return None

    return {
        "ochevidno": ochevidno,
        "concessive": concessive,
        "epistemic_modal": epistemic_modal,
        "first_person": first_person,
        "reporting": reporting,
        "factive": factive,
        "reader_directive": reader_directive,
    }


def _footnotes(parsed: Parsed, words_ctx: _Context) -> pd.DataFrame:
    cites = parsed.citations
    rows = []
    if cites is None or cites.empty:
        return pd.DataFrame(rows)
    sents = parsed.sentences.sort_values(["doc_id", "sent_id"])
    for doc_id, group in cites.groupby("doc_id", sort=False):
        s = sents.loc[sents["doc_id"] == doc_id]
        if s.empty:
            continue
        starts = s["start"].to_numpy()
        for _, c in group.iterrows():
            # the sentence the marker follows: the last one starting before the offset
            k = max(int(np.searchsorted(starts, int(c["offset"]), side="left")) - 1, 0)
            sent = s.iloc[k]
            toks = parsed.tokens.loc[
                (parsed.tokens["doc_id"] == doc_id) & (parsed.tokens["sent_id"] == sent["sent_id"])
            ]
            before = toks.loc[toks["end"] <= int(c["offset"]), "tok_id"]
            tok = int(before.max()) if len(before) else int(toks["tok_id"].max())
            rows.append(
                {
                    "doc_id": doc_id,
                    "par_id": int(sent["par_id"]),
                    "sent_id": int(sent["sent_id"]),
                    "tok_start": tok,
                    "tok_end": tok,
                    "n_tokens": 0,
                    "start": int(c["offset"]),
                    "end": int(c["offset"]),
                    "category": "evidentials",
                    "entry": "<footnote>",
                    "lemmas": "",
                    "text": str(c["marker"]),
                    "rule": "footnote",
                }
            )
    return pd.DataFrame(rows)


def _questions(parsed: Parsed) -> pd.DataFrame:
    s = parsed.sentences
    text = s["text"].astype(str).str.rstrip()
    is_q = text.str.endswith("?") & ~text.map(lambda t: bool(_QUOTES & set(t)))
    rows = []
    last_tok = parsed.tokens.groupby(["doc_id", "sent_id"])["tok_id"].max()
    for _, r in s.loc[is_q].iterrows():
        tok = int(last_tok.get((r["doc_id"], r["sent_id"]), 0))
        rows.append(
            {
                "doc_id": r["doc_id"],
                "par_id": int(r["par_id"]),
                "sent_id": int(r["sent_id"]),
                "tok_start": tok,
                "tok_end": tok,
                "n_tokens": 0,
                "start": int(r["end"]) - 1,
                "end": int(r["end"]),
                "category": "engagement",
                "entry": "<question>",
                "lemmas": "?",
                "text": "?",
                "rule": "question",
            }
        )
    return pd.DataFrame(rows)


def metadiscourse_matches(parsed: Parsed, *, dictionary: Dictionary | None = None) -> pd.DataFrame:
    """Every metadiscourse marker, after context rules and overlap resolution.

    Parameters
    ----------
    parsed : Parsed
    dictionary : Dictionary, optional
        Default: the bundled ``metadiscourse_ru``. A user dictionary may use the same rule
        names in an entry's ``rule`` field; unknown rule names are ignored.

    Returns
    -------
    pandas.DataFrame
        The columns of :meth:`Dictionary.match` plus ``rule`` (the rule that decided the
        category, empty when none applied), in corpus order.
    """
    d = dictionary if dictionary is not None else metadiscourse_dictionary()
    from kzdiscourse.resources import load_resource

    # the rules and their word lists (contrast markers, negators) are the library's, also
    # when a user dictionary names them in its entries' `rule` field
    data = load_resource("metadiscourse_ru").data
    rules = _rules({k: data.get(k, []) for k in ("contrast_markers", "negators")})
    cand = d.match(parsed, resolve=False).reset_index(drop=True)
    rule_col = (
        d.entries.set_index(["category", "entry"])["rule"]
        if "rule" in d.entries.columns
        else pd.Series(dtype=object)
    )
    if len(cand) and len(rule_col):
        keys = pd.MultiIndex.from_frame(cand[["category", "entry"]])
        cand["rule"] = rule_col.reindex(keys).fillna("").astype(str).to_numpy()
    else:
        cand["rule"] = ""
    ctx = _Context(parsed.tokens)
    ruled = cand["rule"] != ""
    if ruled.any():
        first = ctx.rows(cand.loc[ruled, "doc_id"], cand.loc[ruled, "tok_start"])
        last = ctx.rows(cand.loc[ruled, "doc_id"], cand.loc[ruled, "tok_end"])
        new = []
        for i, j, rule, cat in zip(
            first, last, cand.loc[ruled, "rule"], cand.loc[ruled, "category"], strict=True
        ):
            fn = rules.get(rule)
            new.append(cat if fn is None else fn(ctx, int(i), int(j), cat))
        cand.loc[ruled, "category"] = new
        cand = cand.loc[cand["category"].notna()]
    kept = d.resolve(cand, scope="dictionary")
    extra = [t for t in (_footnotes(parsed, ctx), _questions(parsed)) if not t.empty]
    out = pd.concat([kept, *extra], ignore_index=True) if extra else kept
    doc_order = {doc: i for i, doc in enumerate(parsed.doc_ids)}
    out = out.assign(_doc=out["doc_id"].map(doc_order)).sort_values(
        ["_doc", "sent_id", "tok_start", "start"], kind="stable"
    )
    return out.drop(columns="_doc").reset_index(drop=True)


class MetadiscourseMeasure(DictionaryMeasure):
    """The metadiscourse measure: a :class:`DictionaryMeasure` whose matches pass the
    context rules (:func:`metadiscourse_matches`) and whose evidence lists every marker."""

    def categories(self) -> list[str]:
        """The output categories: :data:`CATEGORIES` for the bundled dictionary."""
        return CATEGORIES if self._source == "metadiscourse_ru" else super().categories()

    def matches(self, parsed: Parsed) -> pd.DataFrame:
        """Every marker after the context rules, plus footnotes and rhetorical questions."""
        return metadiscourse_matches(parsed, dictionary=self.dictionary)

    def evidence(self, matches: pd.DataFrame, parsed: Parsed, *, by: str) -> pd.DataFrame:
        """One row per marker (:data:`EVIDENCE_COLUMNS`)."""
        return evidence_table(matches, parsed, by)


#: The metadiscourse measure of :func:`kzdiscourse.compare`.
MEASURE = MetadiscourseMeasure(
    "metadiscourse",
    "metadiscourse_ru",
    describe=False,
    descriptions={
        "metadiscourse_rates": "Hyland's interactional markers (hedges, boosters, concessive "
        "boosters, attitude, evidentials incl. footnotes, engagement, self-mention): count n "
        "and per 1,000 word tokens, with 95% bootstrap intervals over sentences.",
        "metadiscourse_tests": "Per-category G² test between groups, p-value, "
        "Benjamini–Hochberg p, log ratio.",
        "metadiscourse_evidence": "Every metadiscourse marker with its category, entry, the "
        "context rule that decided it, and its sentence.",
    },
    figures=(
        rates_figure(
            "metadiscourse_rates", "metadiscourse_rates", title="Metadiscourse by group",
            what="Metadiscourse markers",
            caption="Metadiscourse markers per 1,000 word tokens by group and category, with "
            "95% bootstrap intervals over sentences.",
        ),
    ),
)  # fmt: skip


def _measure(dictionary: Dictionary | None, block: str, n_boot: int) -> MetadiscourseMeasure:
    if dictionary is None and block == MEASURE.block and n_boot == MEASURE.n_boot:
        return MEASURE
    return MetadiscourseMeasure(
        "metadiscourse",
        dictionary if dictionary is not None else "metadiscourse_ru",
        block=block,
        n_boot=n_boot,
        describe=False,
    )


def metadiscourse_rates(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Metadiscourse markers per group: count, rate per 1,000 tokens, share of sentences.

    Parameters
    ----------
    parsed : Parsed
    by : str, default "outlet"
    dictionary : Dictionary, optional
        Default: the bundled ``metadiscourse_ru`` with its context rules.
    block : {"sentence", "paragraph", "document"}, default "sentence"
        Bootstrap resampling unit.
    seed : int, default 0
    n_boot : int, default 2000

    Returns
    -------
    pandas.DataFrame
        ``group, category,`` then the columns of :func:`kzdiscourse.rates.rate_table`;
        categories ``hedges, boosters, concessive, attitude_markers, evidentials,
        engagement, self_mention``.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> parsed = load_seeds().clean().parse()
    >>> t = metadiscourse_rates(parsed, by="outlet", n_boot=100)
    >>> t.query("category == 'evidentials' and group == 'ANKASAM'")["n"].item() >= 9
    True
    """
    m = _measure(dictionary, block, n_boot)
    return m.rates(m.matches(parsed), parsed, by=by, seed=seed)


def metadiscourse_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """G² test of each metadiscourse category between groups (see
    :func:`kzdiscourse.rates.compare_groups`)."""
    m = _measure(dictionary, "sentence", 0)
    return m.tests(m.rates(m.matches(parsed), parsed, by=by, seed=0))


def evidence_table(matches: pd.DataFrame, parsed: Parsed, by: str) -> pd.DataFrame:
    """Matches with group and sentence text, in :data:`EVIDENCE_COLUMNS`."""
    groups = parsed.groups(by)
    sentences = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    out = matches.copy()
    out["group"] = out["doc_id"].map(groups)
    if out.empty:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    out["sentence"] = sentences.reindex(
        pd.MultiIndex.from_frame(out[["doc_id", "sent_id"]])
    ).to_numpy()
    out["rule"] = out["rule"].fillna("")
    return out.sort_values(["doc_id", "sent_id", "tok_start", "start"], kind="stable")[
        EVIDENCE_COLUMNS
    ].reset_index(drop=True)


def metadiscourse_evidence(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """Every marker with its category, entry, deciding rule and sentence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, group, par_id, sent_id, category, entry, rule, text, start, end,
        sentence``, sorted by ``doc_id``, ``sent_id``, token position.
    """
    return evidence_table(metadiscourse_matches(parsed, dictionary=dictionary), parsed, by)
