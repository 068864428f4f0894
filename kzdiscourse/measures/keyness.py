"""Keyness: which lemmas (or lemma bigrams) set one group of texts apart.

:func:`keyness_tests` compares every group with the rest of the corpus (two groups and
k > 2 groups go through the same code) or with a reference frequency list, such as general
Russian from the ``wordfreq`` package (:func:`kzdiscourse.reference.general_russian`), so a
single text can be profiled on its own. :func:`kzdiscourse.kwic.kwic` shows any term in
context. The Report's ``keyness_tests`` table holds both comparisons (:data:`MEASURE`).

Statistics per term (``a`` = count in the target group of ``n`` tokens, ``b`` = count in
the reference of ``n_ref`` tokens; in the table these are ``n``, ``total``, ``n_ref`` and
``total_ref``):

- ``g2``: log-likelihood G² in Rayson & Garside's form, as :func:`kzdiscourse.stats.g2_test`
  (``2 Σ O ln(O/E)`` over the two cells of the term), p-value from χ²(1).
- ``chi2``: Pearson's χ² of the 2×2 table (term vs other tokens × target vs reference),
  without Yates' correction.
- ``log_ratio``: Hardie's Log Ratio, ``log2`` of the ratio of relative frequencies, a zero
  count replaced by half a count at the mean size of the two sides, so its sign is always
  ``direction`` (:func:`kzdiscourse.stats.log_ratio`); against proportions, half a count.
- ``percent_diff``: %DIFF (Gabrielatos & Marchi), ``inf`` when the reference lacks the term.
- ``log_odds``, ``log_odds_se``, ``z``: the weighted log-odds ratio with an informative
  Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16–22)::

      δ = ln[(a + α_w) / (n + α0 − a − α_w)] − ln[(b + α_w) / (n_ref + α0 − b − α_w)]
      Var(δ) ≈ 1/(a + α_w) + 1/(b + α_w),   z = δ / √Var(δ)

  with ``α_w = α0 · π_w``. **α0 convention**: ``π_w`` is the term's relative frequency in
  the pooled corpus (all groups together), or in the reference given as ``prior``; ``α0``
  is ``prior_size``, by default the number of tokens of the pooled corpus, so that
  ``α_w`` equals the term's pooled count (the convention of tidylo and of most "fightin'
  words" code). The prior and ``α0`` are written in every row (``prior``, ``alpha0``).

Against a reference of **proportions** (wordfreq publishes no corpus size) the reference is
taken as known: G² becomes ``2[a ln(a/(nπ)) − (a − nπ)]``, χ² ``(a − nπ)²/(nπ(1 − π))``,
and the reference side of δ becomes ``ln(π/(1 − π))`` with no variance, all of them the
limits of the two-sample formulas as the reference grows without bound. The prior is then
the reference itself.

Rows: against the rest, a group lists every term it uses and every term it does not use but
would be expected to use at least once (expected count ``n · (n + n_ref) / N`` ≥ 1: its
absence is evidence of under-use); a term it would not even be expected to meet once is
not listed, so that a group's rows grow with its own vocabulary, not the corpus's (with a
thousand groups, a row for every group and every term of the corpus would be a thousand
copies of the vocabulary). Against a reference list, a group lists its own terms and the
list's terms it would be expected to use ``min_freq`` times.

Filters flag, they do not drop: ``tested`` says whether the term reached ``min_freq``
(pooled count, or the larger of the observed and expected count against a list of
proportions); only tested terms form the family whose p-values are corrected
(``p_bonferroni``, ``p_bh``: Bonferroni and Benjamini–Hochberg within one group-vs-reference
comparison, family size in ``family_size``), listed or not. ``low_dispersion`` flags terms
used in fewer
than ``min_paragraphs`` paragraphs on the side that over-uses them (with the default 2: a
lemma used in one paragraph only); ``dp`` and ``dp_ref`` are Gries' deviation of
proportions over paragraphs (0 = spread like the text, near 1 = all in one place).

Small N: every test here treats tokens as independent draws. With a handful of documents
per group (the seeds are one document against one) a small p-value says the two *texts*
differ, not the outlets or genres they stand for; ``small_n`` is set and ``note`` says so
whenever a side has fewer than :data:`SMALL_N` documents.

Columns
-------
``group`` target group; ``reference`` ``"rest"`` (the other groups pooled) or the reference
list's name; ``unit`` ``lemma`` or ``bigram``; ``term``; ``n``/``n_ref`` the term's counts
(blank for a list of proportions); ``total``/``total_ref`` counted units on each side (word
tokens, or bigrams); ``per_1000``/``per_1000_ref`` rates; ``paragraphs``/``paragraphs_ref``
paragraphs using the term; ``dp``/``dp_ref`` Gries' DP; ``direction`` +1 when the target
uses the term relatively more, −1 less; ``g2``, ``p_value``, ``p_bonferroni``, ``p_bh``,
``family_size``; ``chi2``; ``log_ratio``; ``percent_diff``; ``log_odds``, ``log_odds_se``,
``z``; ``prior`` and ``alpha0``; flags ``tested``, ``low_dispersion`` (blank where the
reference side has no paragraphs), ``in_reference``; ``docs``/``docs_ref`` documents per
side; ``small_n`` and ``note``.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.keyness import keyness_tests
>>> parsed = load_seeds().clean().parse()
>>> table = keyness_tests(parsed, by="outlet", target="Dzen")
>>> top = table[table["tested"]].iloc[0]
>>> top["group"], top["reference"], bool(top["z"] > 0), bool(top["small_n"])
('Dzen', 'rest', True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.canonical import canonical
from kzdiscourse.counts import TermMatrix, term_table
from kzdiscourse.errors import InputError
from kzdiscourse.keyness_statistics import one_sample, two_sample, two_sample_g2
from kzdiscourse.measures.base import FigureSpec, FunctionMeasure, TableSpec
from kzdiscourse.measures.keyness_summary import (
    describe_keyness,
    draw_keyness,
    key_table,
    keyness_caption,
)
from kzdiscourse.measures.partials import JoinedReduce, SlimMap
from kzdiscourse.parsed import Parsed
from kzdiscourse.reference import GeneralRussian, Reference, general_russian
from kzdiscourse.stats import adjust_pvalues

__all__ = ["KEYNESS_COLUMNS", "MEASURE", "SMALL_N", "describe_keyness", "keyness_tests"]

#: Fewer documents than this on either side of a comparison sets ``small_n``.
SMALL_N = 5

KEYNESS_COLUMNS = [
    "group",
    "reference",
    "unit",
    "term",
    "n",
    "n_ref",
    "total",
    "total_ref",
    "per_1000",
    "per_1000_ref",
    "paragraphs",
    "paragraphs_ref",
    "dp",
    "dp_ref",
    "direction",
    "g2",
    "p_value",
    "p_bonferroni",
    "p_bh",
    "family_size",
    "chi2",
    "log_ratio",
    "percent_diff",
    "log_odds",
    "log_odds_se",
    "z",
    "prior",
    "alpha0",
    "tested",
    "low_dispersion",
    "in_reference",
    "docs",
    "docs_ref",
    "small_n",
    "note",
]


# ------------------------------------------------------------------------------ counting


def _dispersion(
    occ: pd.DataFrame, par_size: pd.Series, members: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    """Paragraph count and Gries' DP of every term over the paragraphs in ``members``.

    ``occ`` has ``term, par, count`` (count of the term in paragraph ``par``);
    ``par_size`` the number of counted tokens per paragraph. DP = ½ Σ |v_i − s_i| with
    ``s_i`` the paragraph's share of the tokens and ``v_i`` its share of the term.
    """
    sub = occ.loc[occ["par"].isin(members)]
    total = float(par_size.loc[members].sum())
    if sub.empty or total == 0:
        empty = pd.Series(dtype=float)
        return empty.astype("int64"), empty
    s = sub["par"].map(par_size).to_numpy(dtype=float) / total
    f = sub.groupby("term")["count"].transform("sum").to_numpy(dtype=float)
    v = sub["count"].to_numpy(dtype=float) / f
    part = pd.Series(np.abs(v - s) - s, index=sub.index)
    dp = 0.5 * (1.0 + part.groupby(sub["term"]).sum())
    paragraphs = sub.groupby("term").size()
    return paragraphs, dp.clip(lower=0.0)


def _small_n_note(docs: int, docs_ref: int | None) -> str:
    ref = "a reference list" if docs_ref is None else f"{docs_ref} document(s)"
    return (
        f"{docs} document(s) vs {ref}: tests treat tokens as independent, so p-values and z "
        "describe these texts, not the groups they stand for; read the effect sizes "
        "(log_ratio, log_odds) and check dispersion"
    )


# ------------------------------------------------------------------------------ compare


def _resolve_reference(reference: Reference | str | None) -> Reference | None:
    if reference is None or isinstance(reference, Reference):
        return reference
    if isinstance(reference, str) and reference in ("general_russian", "wordfreq"):
        return general_russian()
    raise InputError(
        f"unknown reference {reference!r}",
        hint="pass None (compare groups), 'general_russian', or a kzdiscourse.reference."
        "Reference built with Reference.from_counts / from_proportions",
    )


def _family_p_values(own: np.ndarray, n: float, pooled: np.ndarray, n_ref: float) -> np.ndarray:
    """G² p-values of the correction family against the rest (``two_sample_g2``). A term
    the group does not use has the p-value of every other unused term with its pooled
    count, so each distinct pooled count is computed once (the same numbers: the statistic
    is a function of the two counts, term by term)."""
    used = own > 0
    p = np.empty(own.size)
    p[used] = two_sample_g2(own[used], n, pooled[used] - own[used], n_ref)
    if not used.all():
        distinct, at = np.unique(pooled[~used], return_inverse=True)
        p[~used] = two_sample_g2(np.zeros(distinct.size), n, distinct, n_ref)[at]
    return p


def _against_rest(
    matrix: TermMatrix,
    k: int,
    own: np.ndarray,
    n: float,
    pi_prior: np.ndarray,
    alpha0: float,
    min_freq: int,
    docs_ref: int,
) -> dict[str, Any]:
    """Columns of one group against the other groups pooled.

    Listed: every term the group uses, and every term it does not use but would be
    expected to use at least once (its absence is evidence of under-use); a term the group
    is not expected to meet even once is left out (otherwise every group would list the
    whole vocabulary). The correction family is every tested term, listed or not.
    """
    rest = matrix.pooled - own
    n_ref = float(matrix.n_group.sum()) - n
    tested_all = matrix.pooled >= min_freq
    family = np.flatnonzero(tested_all)
    family_p = _family_p_values(own[family], n, matrix.pooled[family], n_ref)
    expected = n * matrix.pooled / float(matrix.n_group.sum())
    rows = np.flatnonzero((own > 0) | (expected >= 1.0))
    a, b = own[rows], rest[rows]
    paragraphs_ref, dp_ref = matrix.rest_dispersion(k, rows)
    return {
        "_code": rows,
        "_stats": two_sample(a, n, b, n_ref, alpha0 * pi_prior[rows], alpha0),
        "_family": (family, family_p, rows),
        "term": matrix.vocab[rows],
        "n": a,
        "n_ref": b,
        "total_ref": np.full(rows.size, n_ref),
        "per_1000_ref": 1000.0 * b / n_ref if n_ref > 0 else np.full(rows.size, np.nan),
        "paragraphs_ref": paragraphs_ref.astype(float),
        "dp_ref": dp_ref,
        "in_reference": b > 0,
        "docs_ref": np.full(rows.size, float(docs_ref)),
        "tested": tested_all[rows],
        "reference": "rest",
        "_docs_ref": docs_ref,
    }


class _ReferenceLookup:
    """The reference looked up once for every term any group can list: the corpus
    vocabulary and the reference's frequent terms (``all_terms``, sorted as ``sorted``
    sorts strings), with each one's code in the term matrix (-1 if the corpus lacks it)."""

    def __init__(self, matrix: TermMatrix, ref: Reference, extra: list[str]) -> None:
        self.all_terms = np.array(sorted(set(matrix.vocab.tolist()) | set(extra)), dtype=object)
        self.vocab_code = np.searchsorted(self.all_terms, matrix.vocab).astype(np.int64)
        self.matrix_code = np.full(self.all_terms.size, -1, dtype=np.int64)
        self.matrix_code[self.vocab_code] = np.arange(matrix.vocab.size)
        self.pi = ref.proportions(self.all_terms)
        self.counts = ref.counts(self.all_terms) if ref.is_counts else None

    def codes(self, terms: list[str]) -> np.ndarray:
        return np.searchsorted(self.all_terms, np.array(terms, dtype=object)).astype(np.int64)


def _against_reference(
    lookup: _ReferenceLookup,
    own: np.ndarray,
    n: float,
    ref: Reference,
    extra_codes: np.ndarray,
    floor: float,
    alpha0: float,
    min_freq: int,
) -> dict[str, Any]:
    """Columns of one group against a reference list: its own terms and the reference's
    terms it would be expected to use at least ``min_freq`` times."""
    used = own > 0
    rows = np.union1d(lookup.vocab_code[used], extra_codes)  # sorted: the terms' order
    vocab = lookup.all_terms[rows]
    codes = lookup.matrix_code[rows]
    known = codes >= 0
    a = np.where(known, own[np.maximum(codes, 0)], 0.0)
    pi = lookup.pi[rows]
    floored = np.where(pi > 0, pi, floor)
    nan = np.full(vocab.size, np.nan)
    if lookup.counts is not None:
        b = lookup.counts[rows]
        n_ref = np.full(vocab.size, float(ref.total))  # type: ignore[arg-type]
        stats = two_sample(a, n, b, n_ref[0] if vocab.size else 0.0, alpha0 * floored, alpha0)
        tested = (a + b) >= min_freq
    else:
        stats = one_sample(a, n, pi, floored, alpha0 * floored, alpha0)
        b, n_ref = nan, nan
        tested = np.maximum(a, n * pi) >= min_freq
    family = np.flatnonzero(tested)
    return {
        "_code": codes,
        "_stats": stats,
        "_family": (family, stats["p_value"][family], np.arange(vocab.size)),
        "term": vocab,
        "n": a,
        "n_ref": b,
        "total_ref": n_ref,
        "per_1000_ref": 1000.0 * pi,
        "paragraphs_ref": nan,
        "dp_ref": nan,
        "in_reference": pi > 0,
        "docs_ref": nan,
        "tested": tested,
        "reference": ref.name,
        "_docs_ref": None,
    }


def keyness_tests(
    parsed: Parsed,
    by: str = "outlet",
    target: str | Sequence[str] | None = None,
    *,
    unit: str = "lemma",
    reference: Reference | str | None = None,
    prior: Reference | str = "pooled",
    prior_size: float | None = None,
    min_freq: int = 3,
    min_paragraphs: int = 2,
    drop_stopwords: bool = False,
) -> pd.DataFrame:
    """Keyness of every term of each target group against the rest or a reference.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    by : str, default "outlet"
        Metadata column defining the groups (``"doc_id"`` compares documents).
    target : str or sequence of str, optional
        Group(s) to describe; every group by default (each against the rest).
    unit : {"lemma", "bigram"}
        Count lemmas or adjacent lemma pairs within a sentence.
    reference : None, "general_russian" or Reference
        ``None`` compares each target with the other groups pooled ("rest");
        ``"general_russian"`` with wordfreq's Russian list (alphabetic tokens only,
        lemmas only); a :class:`~kzdiscourse.reference.Reference` with a user's table.
    prior : "pooled" or Reference, default "pooled"
        Where the log-odds prior ``π_w`` comes from when comparing groups; against a
        reference the prior is that reference.
    prior_size : float, optional
        ``α0``; the pooled corpus' token count by default (see the module docstring).
    min_freq : int, default 3
        Terms below it are kept but not tested (``tested`` is False).
    min_paragraphs : int, default 2
        Terms used in fewer paragraphs on their over-using side get ``low_dispersion``.
    drop_stopwords : bool, default False
        Leave out stop words (``is_stop``); by default they are counted, because
        pronouns and particles are often what sets a genre apart.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`KEYNESS_COLUMNS`, one row per (target group, term); sorted by
        group, reference, ``z`` descending (over-used terms first), then term.

    Raises
    ------
    InputError
        Unknown unit or target, fewer than two groups without a reference, or bigrams
        against general Russian.
    """
    if unit != "lemma" and (
        isinstance(reference, GeneralRussian) or reference in ("general_russian", "wordfreq")
    ):
        raise InputError(
            "general Russian (wordfreq) lists single words, so it supports unit='lemma' only"
        )
    ref = _resolve_reference(reference)
    groups = parsed.groups(by)
    labels = sorted(set(groups.tolist()))
    if target is None:
        targets = labels
    else:
        targets = [target] if isinstance(target, str) else list(target)
        unknown = [t for t in targets if t not in labels]
        if unknown:
            raise InputError(
                f"unknown target group(s) {unknown} for by={by!r}", hint=f"groups: {labels}"
            )
    if ref is None and len(labels) < 2:
        raise InputError(
            f"only one group ({labels}) for by={by!r}: nothing to compare with",
            hint="group by another column, or pass reference='general_russian'",
        )
    prior_ref = _resolve_reference(prior) if prior != "pooled" else None

    terms = term_table(
        parsed,
        unit,
        alpha_only=bool(ref is not None and ref.alpha_only),
        drop_stopwords=drop_stopwords,
    )
    if terms.empty:  # no word tokens at all (e.g. texts of numbers only): nothing is key
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    matrix = TermMatrix(terms, groups)
    vocab, big_n = matrix.vocab, float(matrix.n_group.sum())
    docs_per_group = groups.value_counts().to_dict()
    alpha0 = float(prior_size) if prior_size is not None else big_n
    if alpha0 <= 0:
        raise InputError("prior_size (alpha0) must be positive")
    if prior_ref is None:
        pi_prior, prior_label = matrix.pooled / big_n, "pooled corpus"
    else:
        pi_prior = prior_ref.proportions(vocab)
        pi_prior = np.where(pi_prior > 0, pi_prior, prior_ref.floor())
        prior_label = prior_ref.name
    column = {label: k for k, label in enumerate(matrix.labels)}
    floor = ref.floor() if ref is not None else 0.0
    if ref is not None:  # the reference's terms each group would expect min_freq times
        sizes = {g: float(matrix.n_group[column[g]]) for g in targets if g in column}
        thresholds = sorted({min_freq / n for n in sizes.values() if n > 0})
        extra_of = {t: ref.frequent(t) for t in thresholds}
        lookup = _ReferenceLookup(matrix, ref, [w for terms in extra_of.values() for w in terms])
        extra_codes = {t: lookup.codes(terms) for t, terms in extra_of.items()}
    parts: list[dict[str, Any]] = []
    for g in targets:
        k = column.get(g)
        n = float(matrix.n_group[k]) if k is not None else 0.0
        docs = int(docs_per_group.get(g, 0))
        if k is None or n == 0:
            continue
        own = matrix.counts[:, k].toarray().ravel()
        if ref is None:
            part = _against_rest(matrix, k, own, n, pi_prior, alpha0, min_freq, len(groups) - docs)
            part["prior"] = prior_label
        else:
            extra = extra_codes[min_freq / n]
            part = _against_reference(lookup, own, n, ref, extra, floor, alpha0, min_freq)
            part["prior"] = ref.name
        size = part["term"].size
        stats = part.pop("_stats")
        part.update(stats)
        part["group"], part["unit"], part["total"] = g, unit, np.full(size, n)
        part["per_1000"] = 1000.0 * part["n"] / n
        paragraphs, part["dp"] = matrix.dispersion(k, part.pop("_code"))
        part["paragraphs"] = paragraphs.astype(float)
        part["alpha0"] = alpha0
        over = stats["direction"] > 0
        low = np.where(
            over, part["paragraphs"] < min_paragraphs, part["paragraphs_ref"] < min_paragraphs
        ).astype(float)
        if ref is not None:
            low[~over] = np.nan
        part["low_dispersion"] = low
        # the correction family: every tested term of the comparison, listed or not
        family_codes, family_values, listed_keys = part.pop("_family")
        p_bonf, p_bh = np.full(size, np.nan), np.full(size, np.nan)
        if family_codes.size:
            at = np.searchsorted(family_codes, listed_keys)
            listed = part["tested"] & (at < family_codes.size)
            p_bonf[listed] = adjust_pvalues(family_values, "bonferroni")[at[listed]]
            p_bh[listed] = adjust_pvalues(family_values, "bh")[at[listed]]
        part["p_bonferroni"], part["p_bh"] = p_bonf, p_bh
        part["family_size"] = int(family_codes.size)
        part["docs"] = docs
        docs_ref = part.pop("_docs_ref")
        small = docs < SMALL_N or (docs_ref is not None and docs_ref < SMALL_N)
        part["small_n"] = small
        part["note"] = _small_n_note(docs, docs_ref) if small else ""
        part["_size"] = size
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    return _assemble(parts)


def _assemble(parts: list[dict[str, Any]]) -> pd.DataFrame:
    """One table from the groups' columns (scalars repeated), with its dtypes and order."""
    sizes = [p["_size"] for p in parts]

    def column(name: str) -> np.ndarray:
        values = [p[name] for p in parts]
        if not any(np.ndim(v) for v in values):  # one value per group: repeat it once
            per_group = np.empty(len(values), dtype=object)
            per_group[:] = values
            return np.repeat(per_group, sizes)
        pieces = [
            np.asarray(p[name]) if np.ndim(p[name]) else np.full(size, p[name], dtype=object)
            for p, size in zip(parts, sizes, strict=True)
        ]
        return np.concatenate(pieces) if pieces else np.empty(0)

    # text columns stay object arrays (pandas would otherwise infer its string dtype for
    # a million cells and the table would convert them back)
    text = ("group", "reference", "unit", "prior", "note", "term")
    table = pd.DataFrame(
        {
            name: pd.Series(column(name), dtype=object, copy=False)
            if name in text
            else column(name)
            for name in KEYNESS_COLUMNS
        }
    )
    for name in ("paragraphs", "paragraphs_ref", "docs_ref"):
        table[name] = pd.array(table[name].astype(float), dtype="Float64").astype("Int64")
    low = pd.array(table["low_dispersion"].astype(float), dtype="Float64")
    table["low_dispersion"] = low.astype("boolean")
    for name in ("family_size", "docs"):
        table[name] = table[name].astype(np.int64)
    for name in ("tested", "in_reference", "small_n"):
        table[name] = table[name].astype(bool)
    for name in ("alpha0", "total"):
        table[name] = table[name].astype(float)
    if len({p["group"] for p in parts}) < len(parts):  # a group listed twice: interleave
        table = table.sort_values("term", kind="mergesort")
    # else each group's rows are one part, already in term order (the sorted vocabulary's
    # codes ascending), so the stable sort below breaks ties by term as a term sort would
    # z as written (canonical), so a last-bit difference cannot swap two terms
    table = table.assign(_z=canonical(table["z"])).sort_values(
        ["group", "reference", "_z"], ascending=[True, True, False], kind="mergesort"
    )
    return table.drop(columns="_z").reset_index(drop=True)


def _run(parsed: Parsed, *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    tables = []
    if parsed.groups(by).nunique() > 1:
        tables.append(keyness_tests(parsed, by=by))
    tables.append(keyness_tests(parsed, by=by, reference="general_russian"))
    return {"keyness_tests": pd.concat(tables, ignore_index=True)}


#: The keyness measure of :func:`kzdiscourse.compare`: each group against the rest (with
#: two or more groups) and against general Russian, in one ``keyness_tests`` table.
MEASURE = FunctionMeasure(
    "keyness",
    (
        TableSpec(
            "keyness_tests",
            "Lemmas that set each group apart, against the other groups ('rest') and "
            "against general Russian (wordfreq): counts (n, n_ref of total, total_ref), G2 "
            "with Bonferroni and BH p-values, chi2, Log Ratio, %DIFF, Monroe et al. log-odds "
            "z (prior and alpha0 in each row), dispersion and small-N flags.",
        ),
    ),
    _run,
    describe_keyness,
    (
        FigureSpec(
            "keyness_terms",
            "Key terms",
            keyness_caption,
            ("keyness_tests",),
            draw_keyness,
            headline=True,
        ),
    ),
    mapper=SlimMap(
        {
            "tokens": (
                "doc_id",
                "par_id",
                "sent_id",
                "tok_id",
                "lemma",
                "pos",
                "is_alpha",
                "is_stop",
            ),
        },
        drop_pos=("PUNCT", "SYM"),
    ),
    reducer=JoinedReduce(_run),
    keytable=key_table,
)
