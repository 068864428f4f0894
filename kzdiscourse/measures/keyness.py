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

Filters flag, they do not drop: ``tested`` says whether the term reached ``min_freq``
(pooled count, or the larger of the observed and expected count against a list of
proportions); only tested terms form the family whose p-values are corrected
(``p_bonferroni``, ``p_bh``: Bonferroni and Benjamini–Hochberg within one group-vs-reference
comparison, family size in ``family_size``). ``low_dispersion`` flags terms used in fewer
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

import numpy as np
import pandas as pd

from kzdiscourse.canonical import canonical
from kzdiscourse.counts import term_table
from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import FigureSpec, FunctionMeasure, TableSpec
from kzdiscourse.measures.keyness_summary import (
    describe_keyness,
    draw_keyness,
    key_table,
    keyness_caption,
)
from kzdiscourse.parsed import Parsed
from kzdiscourse.portable import log, log2
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


# ------------------------------------------------------------------------------ statistics


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype=float)
    pos = x > 0
    out[pos] = x[pos] * log(y[pos])
    return out


def _statistics(
    g2: np.ndarray,
    chi2: np.ndarray,
    log_ratio: np.ndarray,
    percent_diff: np.ndarray,
    log_odds: np.ndarray,
    log_odds_var: np.ndarray,
    excess: np.ndarray,
) -> dict[str, np.ndarray]:
    """The output columns shared by the two-sample and one-sample comparisons."""
    from scipy.special import chdtrc

    se = np.sqrt(log_odds_var)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = log_odds / se
    return {
        "g2": g2,
        "p_value": chdtrc(1, g2),
        "chi2": chi2,
        "log_ratio": log_ratio,
        "percent_diff": percent_diff,
        "log_odds": log_odds,
        "log_odds_se": se,
        "z": z,
        "direction": np.sign(excess).astype("int64"),
    }


# Degenerate cells (an empty side, a term that is the whole text) give nan or inf, which is
# the documented result; numpy's warnings about them are silenced here and only here.
@np.errstate(divide="ignore", invalid="ignore")
def _two_sample(a, n, b, n_ref, alpha, alpha0) -> dict[str, np.ndarray]:
    tot = a + b
    big_n = n + n_ref
    e_a = n * tot / big_n
    e_b = n_ref * tot / big_n
    g2 = np.maximum(2.0 * (_xlogy(a, a / e_a) + _xlogy(b, b / e_b)), 0.0)
    c = n - a
    d = n_ref - b
    den = tot * (c + d) * n * n_ref
    chi2 = np.where(den > 0, big_n * (a * d - b * c) ** 2 / den, 0.0)
    fa, fb = a / n, b / n_ref
    # a zero count: half a count at the mean size of the two sides (stats.log_ratio), so
    # the sign of log_ratio is always the direction
    floor = 1.0 / (n + n_ref)
    log_ratio = log2(np.where(a > 0, fa, floor) / np.where(b > 0, fb, floor))
    log_ratio = np.where((a > 0) | (b > 0), log_ratio, np.nan)
    pdiff = np.where(fb > 0, 100.0 * (fa - fb) / np.where(fb > 0, fb, 1.0), np.inf)
    pdiff = np.where((fb == 0) & (fa == 0), 0.0, pdiff)
    l1 = log((a + alpha) / (n + alpha0 - a - alpha))
    l2 = log((b + alpha) / (n_ref + alpha0 - b - alpha))
    var = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    return _statistics(g2, chi2, log_ratio, pdiff, l1 - l2, var, fa - fb)


@np.errstate(divide="ignore", invalid="ignore")
def _one_sample(a, n, pi, pi_floored, alpha, alpha0) -> dict[str, np.ndarray]:
    """Against known proportions ``pi`` (``pi_floored`` has no zeros)."""
    expected = n * pi_floored
    g2 = np.maximum(2.0 * (_xlogy(a, a / expected) - (a - expected)), 0.0)
    chi2 = (a - expected) ** 2 / (expected * (1.0 - pi_floored))
    fa = a / n
    a_ = np.where(a > 0, a, 0.5)
    log_ratio = log2((a_ / n) / pi_floored)
    pdiff = np.where(pi > 0, 100.0 * (fa - pi) / np.where(pi > 0, pi, 1.0), np.inf)
    pdiff = np.where((pi == 0) & (fa == 0), 0.0, pdiff)
    l1 = log((a + alpha) / (n + alpha0 - a - alpha))
    l2 = log(pi_floored / (1.0 - pi_floored))
    var = 1.0 / (a + alpha)
    return _statistics(g2, chi2, log_ratio, pdiff, l1 - l2, var, fa - pi)


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
    doc_group = groups.to_dict()
    terms["group"] = terms["doc_id"].map(doc_group)
    terms["par"] = terms["doc_id"].astype(str) + "\x1f" + terms["par_id"].astype(str)
    occ = terms.groupby(["term", "par"], sort=True).size().rename("count").reset_index()
    par_size = terms.groupby("par").size()
    par_group = terms.drop_duplicates("par").set_index("par")["group"]
    counts = terms.groupby(["term", "group"]).size().unstack(fill_value=0).sort_index()
    for label in labels:
        if label not in counts.columns:
            counts[label] = 0
    n_group = {g: int(counts[g].sum()) for g in labels}
    big_n = int(counts.to_numpy().sum())
    docs_per_group = groups.value_counts().to_dict()
    if big_n == 0:  # no word tokens at all (e.g. texts of numbers only): nothing is key
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    alpha0 = float(prior_size) if prior_size is not None else float(big_n)
    if alpha0 <= 0:
        raise InputError("prior_size (alpha0) must be positive")

    frames = []
    for g in targets:
        own_pars = par_group.index[par_group == g].to_numpy()
        n = float(n_group[g])
        docs = int(docs_per_group.get(g, 0))
        if n == 0:
            continue
        par_t, dp_t = _dispersion(occ, par_size, own_pars)
        if ref is None:
            rest = [x for x in labels if x != g]
            vocab = counts.index.to_numpy()
            a = counts[g].to_numpy(dtype=float)
            b = counts[rest].sum(axis=1).to_numpy(dtype=float)
            n_ref = float(sum(n_group[x] for x in rest))
            if prior_ref is None:
                pi_prior = counts.sum(axis=1).to_numpy(dtype=float) / big_n
                prior_label = "pooled corpus"
            else:
                pi_prior = prior_ref.proportions(vocab)
                pi_prior = np.where(pi_prior > 0, pi_prior, prior_ref.floor())
                prior_label = prior_ref.name
            stats = _two_sample(a, n, b, n_ref, alpha0 * pi_prior, alpha0)
            rest_pars = par_group.index[par_group != g].to_numpy()
            par_r, dp_r = _dispersion(occ, par_size, rest_pars)
            tested = (a + b) >= min_freq
            frame = pd.DataFrame({"term": vocab, "n": a, "n_ref": b})
            frame["total_ref"] = n_ref
            frame["per_1000_ref"] = 1000.0 * b / n_ref if n_ref > 0 else np.nan
            frame["paragraphs_ref"] = frame["term"].map(par_r).fillna(0).astype("Int64")
            frame["dp_ref"] = frame["term"].map(dp_r)
            frame["in_reference"] = b > 0
            frame["docs_ref"] = pd.array([len(groups) - docs] * len(frame), dtype="Int64")
            label_ref = "rest"
            docs_ref: int | None = len(groups) - docs
        else:
            own = counts.index[counts[g] > 0].tolist()
            extra = ref.frequent(min_freq / n)
            vocab = np.array(sorted(set(own) | set(extra)), dtype=object)
            a = counts[g].reindex(vocab).fillna(0).to_numpy(dtype=float)
            pi = ref.proportions(vocab)
            floored = np.where(pi > 0, pi, ref.floor())
            frame = pd.DataFrame({"term": vocab, "n": a})
            if ref.is_counts:
                b = ref.counts(vocab)
                n_ref = float(ref.total)  # type: ignore[arg-type]
                stats = _two_sample(a, n, b, n_ref, alpha0 * floored, alpha0)
                frame["n_ref"] = b
                frame["total_ref"] = n_ref
                tested = (a + b) >= min_freq
            else:
                stats = _one_sample(a, n, pi, floored, alpha0 * floored, alpha0)
                frame["n_ref"] = np.nan
                frame["total_ref"] = np.nan
                tested = np.maximum(a, n * pi) >= min_freq
            frame["per_1000_ref"] = 1000.0 * pi
            frame["paragraphs_ref"] = pd.array([pd.NA] * len(frame), dtype="Int64")
            frame["dp_ref"] = np.nan
            frame["in_reference"] = pi > 0
            frame["docs_ref"] = pd.array([pd.NA] * len(frame), dtype="Int64")
            prior_label = ref.name
            label_ref = ref.name
            docs_ref = None
        frame.insert(0, "unit", unit)
        frame.insert(0, "reference", label_ref)
        frame.insert(0, "group", g)
        frame["total"] = n
        frame["per_1000"] = 1000.0 * frame["n"] / n
        frame["paragraphs"] = frame["term"].map(par_t).fillna(0).astype("Int64")
        frame["dp"] = frame["term"].map(dp_t)
        for key, values in stats.items():
            frame[key] = values
        frame["prior"] = prior_label
        frame["alpha0"] = alpha0
        frame["tested"] = tested
        over = frame["direction"] > 0
        low_t = frame["paragraphs"].astype("float") < min_paragraphs
        low_r = frame["paragraphs_ref"].astype("float") < min_paragraphs
        low = pd.array(np.where(over, low_t, low_r), dtype="boolean")
        if ref is not None:
            low[~over.to_numpy()] = pd.NA
        frame["low_dispersion"] = low
        family = frame["tested"].to_numpy()
        p_bonf = np.full(len(frame), np.nan)
        p_bh = np.full(len(frame), np.nan)
        if family.any():
            p_bonf[family] = adjust_pvalues(frame.loc[family, "p_value"], "bonferroni")
            p_bh[family] = adjust_pvalues(frame.loc[family, "p_value"], "bh")
        frame["p_bonferroni"] = p_bonf
        frame["p_bh"] = p_bh
        frame["family_size"] = int(family.sum())
        frame["docs"] = docs
        small = docs < SMALL_N or (docs_ref is not None and docs_ref < SMALL_N)
        frame["small_n"] = small
        frame["note"] = _small_n_note(docs, docs_ref) if small else ""
        frames.append(frame)

    if not frames:
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    table = pd.concat(frames, ignore_index=True)[KEYNESS_COLUMNS]
    table["term"] = table["term"].astype(object)
    table = table.sort_values("term", kind="mergesort")
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
    keytable=key_table,
)
