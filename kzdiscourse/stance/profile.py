"""Sentence scores and group-level stance profiles with intervals and corrected shares.

* :func:`score` — one row per sentence with the default scorer (the lexicon; see the
  README for why) or another one (``method="classifier"`` or any fitted scorer).
* :func:`evidence` — the cues (lexicon) or top-weighted features (classifier) per sentence.
* :func:`profile` — per group: the share of sentences in each label with a block bootstrap
  95% interval (paragraphs as blocks), the mean label probabilities, the adjusted
  classify-and-count shares (Forman 2006; Hopkins & King 2010) with an interval that also
  resamples the gold data behind the confusion matrix, the dominant stance, and a
  between-group difference table (permutation test, Holm-adjusted, Cohen's h).

Examples
--------
>>> from kzdiscourse import load_seeds, stance
>>> parsed = load_seeds().clean().parse()
>>> prof = stance.profile(parsed, by="outlet", seed=0, n_boot=200, n_perm=200)
>>> prof.dominant.query("estimate == 'classify_and_count'")[["group", "label"]].values.tolist()
[['ANKASAM', 'balance'], ['Dzen', 'instrumental']]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse import stats
from kzdiscourse._deprecation import deprecated, keyword_only, moved
from kzdiscourse.canonical import ranking
from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed
from kzdiscourse.portable import simplex_lstsq
from kzdiscourse.stance.correction import confusion_rates, correction_data
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.scorers import get_scorer

__all__ = [
    "DIFFERENCE_COLUMNS",
    "ESTIMATES",
    "PROFILE_COLUMNS",
    "StanceProfile",
    "adjusted_shares",
    "evidence",
    "get_scorer",
    "profile",
    "score",
]

#: The estimates a profile holds, in table order.
ESTIMATES = ("classify_and_count", "mean_probability", "adjusted_classify_and_count")

#: Columns of :attr:`StanceProfile.shares`.
PROFILE_COLUMNS = [
    "group",
    "label",
    "estimate",
    "value",
    "ci_low",
    "ci_high",
    "n_sentences",
    "n_blocks",
    "block",
    "dominant",
    "method",
    "confusion_from",
]

#: Columns of :attr:`StanceProfile.differences`.
DIFFERENCE_COLUMNS = [
    "label",
    "group_a",
    "group_b",
    "share_a",
    "share_b",
    "difference",
    "cohens_h",
    "p_value",
    "p_holm",
    "n_a",
    "n_b",
    "unit",
    "method",
]

_DOMINANT_COLUMNS = [
    "group",
    "estimate",
    "label",
    "value",
    "ci_low",
    "ci_high",
    "runner_up",
    "runner_up_value",
    "method",
]


def score(
    parsed: Parsed, method: Any = None, *, engine: str = "local", client: Any = None
) -> pd.DataFrame:
    """Stance of every sentence of a parsed corpus.

    Parameters
    ----------
    parsed : Parsed
    method : None, "lexicon", "classifier", "model" or a scorer object
        ``None`` uses the default scorer, the lexicon (:class:`LexiconStance`).
    engine : {"local", "dask"}, default "local"
        ``"dask"`` scores runs of documents on a ``dask.distributed`` cluster
        (:func:`kzdiscourse.cluster.map_documents`); sentences are scored independently,
        so the table is the same.
    client : distributed.Client, optional
        The cluster for ``engine="dask"``.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, par_id, sent_id, label, p_pro_eu, p_balance, p_instrumental, p_none,
        margin, method``, one row per sentence in corpus order.

    Examples
    --------
    >>> from kzdiscourse import load_seeds, stance
    >>> table = stance.score(load_seeds().clean().parse())
    >>> table.columns.tolist()[:4], len(table)
    (['doc_id', 'par_id', 'sent_id', 'label'], 88)
    """
    from kzdiscourse.cluster import map_documents

    _check_parsed(parsed)
    scorer = get_scorer(method)
    return map_documents(parsed, scorer.score_sentences, engine=engine, client=client)


def evidence(parsed: Parsed, method: Any = None) -> pd.DataFrame:
    """The evidence table of the chosen scorer (see :meth:`LexiconStance.evidence` and
    :meth:`StanceClassifier.evidence`), with the sentence text and the scorer's method."""
    _check_parsed(parsed)
    scorer = get_scorer(method)
    return _with_text(parsed, scorer.evidence(parsed), scorer.method)


def _with_text(parsed: Parsed, ev: pd.DataFrame, method: str) -> pd.DataFrame:
    ev = ev.copy()
    text = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    ev["sentence"] = text.reindex(pd.MultiIndex.from_frame(ev[["doc_id", "sent_id"]])).to_numpy()
    ev["method"] = method
    return ev.reset_index(drop=True)


# ------------------------------------------------------------------------------ correction


def adjusted_shares(observed: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Adjusted classify-and-count: the shares ``p`` (``p >= 0``, summing to 1) that best
    solve ``observed = rates @ p`` in least squares (Forman 2006; Hopkins & King 2010).

    Solved exactly on the simplex by :func:`kzdiscourse.portable.simplex_lstsq` (no BLAS:
    the same bits on every machine); one problem, or a batch of them.

    Parameters
    ----------
    observed : array of shape (k,) or (n, k)
        Shares of the predicted labels.
    rates : array of shape (k, k) or (n, k, k)
        ``rates[i, j] = P(predicted i | true j)``, estimated on gold data.

    Examples
    --------
    A scorer that calls 20% of true ``a`` items ``b`` and is otherwise right: observing
    0.4 / 0.6 means the true shares are 0.5 / 0.5.

    >>> rates = np.array([[0.8, 0.0], [0.2, 1.0]])
    >>> adjusted_shares(np.array([0.4, 0.6]), rates).round(3).tolist()
    [0.5, 0.5]
    """
    return simplex_lstsq(rates, observed)


def _replicates(blocks: list[np.ndarray], fn: Any, n_boot: int, rng: np.random.Generator) -> list:
    """Replicate values of ``fn`` under :func:`stats.bootstrap_statistic`'s resampling."""
    seen: list[Any] = []

    def capture(pooled: np.ndarray) -> float:
        seen.append(fn(pooled))
        return 0.0

    stats.bootstrap_statistic(blocks, capture, n_boot=n_boot, seed=rng)
    return seen[1:]  # the first call is the point estimate on the original data


# ------------------------------------------------------------------------------ profile


@dataclass(frozen=True)
class StanceProfile:
    """Result of :func:`profile`.

    Attributes
    ----------
    shares : pandas.DataFrame
        Columns :data:`PROFILE_COLUMNS`: one row per group, label and ``estimate``
        (``classify_and_count`` = share of sentences the scorer gives the label;
        ``mean_probability`` = mean of the label's probability; ``adjusted_classify_and_count``
        = the share corrected for the scorer's confusion matrix). ``ci_low``/``ci_high``
        are 95% percentile bootstrap bounds over ``block`` (paragraphs), ``nan`` for a
        group with a single block; ``dominant`` marks the largest of ``pro_eu``,
        ``balance``, ``instrumental`` per group and estimate; ``confusion_from`` says which
        gold data the adjusted rows' confusion matrix was estimated on (empty elsewhere).
    dominant : pandas.DataFrame
        One row per group and estimate: the dominant label with its value and interval, the
        runner-up and its value.
    differences : pandas.DataFrame
        Columns :data:`DIFFERENCE_COLUMNS`: per label, group A vs group B (two groups) or
        each group vs the rest (more groups): classify-and-count shares, their difference,
        Cohen's h, a two-sided permutation p-value over sentences and Holm-adjusted p-values
        across the four labels.
    sentences : pandas.DataFrame
        The per-sentence scores, with ``group`` and the sentence ``text``.
    evidence : pandas.DataFrame
        The scorer's evidence table.
    correction : dict
        What the confusion matrix was estimated on, and on how many gold items.
    """

    shares: pd.DataFrame
    dominant: pd.DataFrame
    differences: pd.DataFrame
    sentences: pd.DataFrame
    evidence: pd.DataFrame
    correction: dict[str, Any]


@keyword_only(since="0.1.0", positional=2)
def profile(
    parsed: Parsed,
    by: str = "outlet",
    *,
    seed: int = 0,
    method: Any = None,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
    n_perm: int = 5000,
    correction: pd.DataFrame | None = None,
    correction_gold: pd.DataFrame | None = None,
) -> StanceProfile:
    """Stance profile per group: shares with intervals, dominant stance, differences.

    Parameters
    ----------
    parsed : Parsed
    by : str, default "outlet"
        Any metadata column, or ``"doc_id"`` for one group per document.
    seed : int, default 0
        The one seed: every bootstrap, permutation and CV split derives from it.
    method : None, "lexicon", "classifier", "model" or a scorer object
        The sentence scorer (default: the lexicon).
    n_boot : int, default 2000
        Bootstrap replicates (paragraphs resampled within each group).
    n_perm : int, default 5000
        Permutations per label for the difference test.
    correction : pandas.DataFrame or path, optional
        Hand-coded sentences for the confusion matrix of the adjusted classify-and-count
        shares — best a filled :func:`~kzdiscourse.stance.coding_sheet` of *this* corpus
        (``doc_id, sent_id, label``; a stratified sheet is post-stratified to the corpus),
        or any coded sentences as ``text, label``. By default a :class:`StanceModel` uses
        its grouped cross-validation, the lexicon the bundled independent test set, and a
        classifier 5-fold cross-validation on the seed gold. The adjusted shares'
        intervals resample these coded sentences together with the corpus's paragraphs,
        so they include the scorer's uncertainty.
    correction_gold : pandas.DataFrame, optional
        Deprecated alias of ``correction`` (since 0.1.0).

    Returns
    -------
    StanceProfile
    """
    _check_parsed(parsed)
    if correction_gold is not None:
        from kzdiscourse._deprecation import warn_deprecated

        warn_deprecated("profile(correction_gold=...)", "0.1.0", replacement="correction=")
        correction = correction_gold if correction is None else correction
    if correction is not None and not isinstance(correction, pd.DataFrame):
        from kzdiscourse.stance.coded import read_coded

        correction = read_coded(correction)
    scorer = get_scorer(method)
    groups = parsed.groups(by)
    if hasattr(scorer, "score_with_evidence"):
        sentences, raw_ev = scorer.score_with_evidence(parsed)
    else:
        sentences, raw_ev = scorer.score_sentences(parsed), scorer.evidence(parsed)
    sentences.insert(0, "group", sentences["doc_id"].map(groups).to_numpy())
    text = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    sentences["text"] = text.reindex(
        pd.MultiIndex.from_frame(sentences[["doc_id", "sent_id"]])
    ).to_numpy()
    ev = _with_text(parsed, raw_ev, scorer.method)
    ev.insert(1, "group", ev["doc_id"].map(groups).to_numpy())
    rng = stats.generator(seed)
    code = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    true, pred, source, stratum_w = correction_data(scorer, seed, correction, sentences, parsed)
    gold_blocks = [np.array([t * len(STANCE_LABELS) + p]) for t, p in zip(true, pred, strict=True)]
    k = len(STANCE_LABELS)
    rates = confusion_rates(true, pred, stratum_w)
    rate_reps = _replicates(
        gold_blocks, lambda x: confusion_rates(x // k, x % k, stratum_w), n_boot, rng
    )

    rows: list[dict[str, Any]] = []
    order = sorted(pd.unique(groups.to_numpy()).tolist())
    for g in order:
        sel = sentences.loc[sentences["group"] == g]
        block_key = pd.MultiIndex.from_frame(sel[["doc_id", "par_id"]])
        block_id = pd.factorize(block_key)[0]
        n_blocks = int(block_id.max()) + 1 if len(block_id) else 0
        per_block = np.bincount(block_id, minlength=n_blocks).astype(float)
        labels = sel["label"].map(code).to_numpy()
        base = {"group": g, "n_sentences": len(sel), "n_blocks": n_blocks, "block": "paragraph"}
        for lab in STANCE_LABELS:
            hits = np.bincount(
                block_id, weights=(labels == code[lab]).astype(float), minlength=n_blocks
            )
            est, lo, hi = stats.bootstrap_ratio(hits, per_block, n_boot=n_boot, seed=rng)
            rows.append(
                {
                    **base,
                    "label": lab,
                    "estimate": ESTIMATES[0],
                    "value": est,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
        for lab in STANCE_LABELS:
            mass = np.bincount(
                block_id, weights=sel[f"p_{lab}"].to_numpy(float), minlength=n_blocks
            )
            est, lo, hi = stats.bootstrap_ratio(mass, per_block, n_boot=n_boot, seed=rng)
            rows.append(
                {
                    **base,
                    "label": lab,
                    "estimate": ESTIMATES[1],
                    "value": est,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
        blocks = [labels[block_id == b] for b in range(n_blocks)]

        def observed(x: np.ndarray) -> np.ndarray:
            return np.bincount(x, minlength=k) / max(len(x), 1)

        point = adjusted_shares(observed(labels), rates)
        obs_reps = _replicates(blocks, observed, n_boot, rng)
        if obs_reps:
            n = min(len(obs_reps), len(rate_reps))
            adj = adjusted_shares(np.stack(obs_reps[:n]), np.stack(rate_reps[:n]))
            lo_hi = np.quantile(adj, [0.025, 0.975], axis=0)
        else:
            lo_hi = np.full((2, k), np.nan)
        for j, lab in enumerate(STANCE_LABELS):
            rows.append(
                {**base, "label": lab, "estimate": ESTIMATES[2], "value": float(point[j]),
                 "ci_low": float(lo_hi[0, j]), "ci_high": float(lo_hi[1, j])}
            )  # fmt: skip
    shares = pd.DataFrame(rows)
    shares["method"] = scorer.method
    shares["confusion_from"] = np.where(
        shares["estimate"] == ESTIMATES[2], f"{source} ({len(true)} sentences)", ""
    )
    shares["dominant"] = False
    dom_rows = []
    for (g, est), part in shares.groupby(["group", "estimate"], sort=False):
        oriented = part.loc[part["label"].isin(ORIENTATION_LABELS)]
        ranked = oriented.iloc[ranking(oriented["value"])]  # as written; ties: label order
        top, second = ranked.iloc[0], ranked.iloc[1]
        shares.loc[top.name, "dominant"] = True
        dom_rows.append(
            {"group": g, "estimate": est, "label": top["label"], "value": top["value"],
             "ci_low": top["ci_low"], "ci_high": top["ci_high"], "runner_up": second["label"],
             "runner_up_value": second["value"], "method": scorer.method}
        )  # fmt: skip
    est_rank = {e: i for i, e in enumerate(ESTIMATES)}
    lab_rank = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    shares = (
        shares.assign(_e=shares["estimate"].map(est_rank), _l=shares["label"].map(lab_rank))
        .sort_values(["group", "_e", "_l"], kind="stable")
        .drop(columns=["_e", "_l"])[PROFILE_COLUMNS]
        .reset_index(drop=True)
    )
    dominant = pd.DataFrame(dom_rows, columns=_DOMINANT_COLUMNS)
    dominant = (
        dominant.assign(_e=dominant["estimate"].map(est_rank))
        .sort_values(["group", "_e"], kind="stable")
        .drop(columns="_e")
        .reset_index(drop=True)
    )
    differences = _differences(sentences, order, n_perm, rng, scorer.method)
    correction = {"confusion_from": source, "gold_items": len(true), "method": scorer.method}
    return StanceProfile(shares, dominant, differences, sentences, ev, correction)


def _differences(
    sentences: pd.DataFrame, order: list[str], n_perm: int, rng: np.random.Generator, method: str
) -> pd.DataFrame:
    if len(order) < 2:
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    pairs = [(order[0], order[1])] if len(order) == 2 else [(g, "rest") for g in order]
    rows = []
    for a, b in pairs:
        in_a = (sentences["group"] == a).to_numpy()
        in_b = ~in_a if b == "rest" else (sentences["group"] == b).to_numpy()
        part = []
        for lab in STANCE_LABELS:
            is_lab = (sentences["label"] == lab).to_numpy().astype(float)
            values = np.concatenate([is_lab[in_a], is_lab[in_b]])
            grp = np.concatenate([np.zeros(in_a.sum(), int), np.ones(in_b.sum(), int)])
            diff, p = stats.permutation_test(
                values, grp, statistic=_mean_difference, n_perm=n_perm, seed=rng
            )
            sa, sb = float(is_lab[in_a].mean()), float(is_lab[in_b].mean())
            part.append(
                {"label": lab, "group_a": a, "group_b": b, "share_a": sa, "share_b": sb,
                 "difference": diff, "cohens_h": stats.cohens_h(sa, sb), "p_value": p,
                 "n_a": int(in_a.sum()), "n_b": int(in_b.sum())}
            )  # fmt: skip
        holm = stats.adjust_pvalues([r["p_value"] for r in part], "holm")
        for r, ph in zip(part, holm, strict=True):
            r["p_holm"] = float(ph)
        rows.extend(part)
    out = pd.DataFrame(rows)
    out["unit"] = "sentence"
    out["method"] = method
    return out[DIFFERENCE_COLUMNS]


def _mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(a.sum() / a.size - b.sum() / b.size)


def _check_parsed(parsed: Any) -> None:
    if not isinstance(parsed, Parsed):
        raise InputError(
            f"expected a Parsed corpus, got {type(parsed).__name__}",
            hint="parse the corpus first: corpus.clean().parse(); for free sentences use "
            "LexiconStance().score(texts)",
        )


# ------------------------------------------------------------------------------ compare()
# The stance tables of compare() are made by kzdiscourse.measures.stance.


@deprecated(since="0.1.0", replacement="kzdiscourse.measures.stance.stance_tables")
def stance_report_tables(
    parsed: Parsed, by: str = "outlet", seed: int = 0
) -> dict[str, pd.DataFrame]:
    """The stance tables under their old names (``stance_profile``, ``stance_differences``,
    ``stance_sentences``, ``stance_evidence``) and columns."""
    prof = profile(parsed, by=by, seed=seed)
    return {
        "stance_profile": prof.shares,
        "stance_differences": prof.differences,
        "stance_sentences": prof.sentences,
        "stance_evidence": prof.evidence,
    }


# describe_stance moved to the stance measure (which also reads the old table names)
__getattr__ = moved(
    __name__, {"describe_stance": "kzdiscourse.measures.stance:describe_stance"}, "0.1.0"
)
