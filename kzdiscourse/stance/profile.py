"""Sentence scores and group-level stance profiles with intervals and corrected shares.

* :func:`score` — one row per sentence with the default scorer (the model trained on the
  coded corpus, ``docs/stance_model.md``) or another one (``method="lexicon"``,
  ``"classifier"`` or any fitted scorer).
* :func:`evidence` — the top-weighted features (model, classifier) or cues (lexicon) per
  sentence.
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
from kzdiscourse.canonical import canonical
from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed
from kzdiscourse.portable import SimplexLeastSquares, simplex_lstsq
from kzdiscourse.stance.correction import confusion_rates, correction_data
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.resampling import (
    PROBLEMS_AT_ONCE,
    adjusted_replicates,
    block_replicates,
    confusion_replicates,
)
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
        ``None`` uses the default scorer, the shipped :class:`StanceModel`
        (``"model"``); ``"lexicon"`` the cue lexicon (:class:`LexiconStance`).
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
        The sentence scorer (default: the shipped model).
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
    k = len(STANCE_LABELS)
    rates = confusion_rates(true, pred, stratum_w)
    # the coded sample's resampling has its own stream: the corpus's paragraph bootstrap
    # (and so every classify-and-count interval) does not depend on the sample's size
    gold_rng = np.random.default_rng(rng.integers(2**63))
    rate_reps = confusion_replicates(true, pred, k, n_boot, gold_rng, stratum_w)

    order = sorted(pd.unique(groups.to_numpy()).tolist())
    labels_all = sentences["label"].map(code).to_numpy()
    probs_all = sentences[[f"p_{lab}" for lab in STANCE_LABELS]].to_numpy(float)
    blocks_all = pd.MultiIndex.from_frame(sentences[["doc_id", "par_id"]]).factorize()[0]
    rows_of = sentences.groupby("group", sort=False).indices
    points, sizes, replicates = [], [], []
    for g in order:
        at = rows_of.get(g, np.empty(0, np.int64))
        block_id = pd.factorize(blocks_all[at])[0]
        labels, probs = labels_all[at], probs_all[at]
        n = len(at)
        cc = np.bincount(labels, minlength=k) / max(n, 1)
        # the sum of per-paragraph sums, as the bootstrap's point estimate adds them
        mean = np.array([np.bincount(block_id, weights=probs[:, j]).sum() for j in range(k)])
        points.append((cc, mean / n if n else np.full(k, np.nan)))
        sizes.append((n, int(block_id.max()) + 1 if n else 0))
        replicates.append(block_replicates(labels, probs, block_id, k, n_boot, rng))
    corrected = _corrected(rate_reps, replicates)
    # every group's adjusted point estimate against the one confusion matrix, together
    if points:
        observed = np.stack([cc for cc, _ in points])
        adjusted = SimplexLeastSquares(rates[None]).solve(observed, np.zeros(len(points), int))
        points = [(*p, adj) for p, adj in zip(points, adjusted, strict=True)]
    columns: dict[str, list] = {c: [] for c in ("group", "label", "estimate", "value",
                                                 "ci_low", "ci_high", "n_sentences",
                                                 "n_blocks")}  # fmt: skip
    nan = np.full(k, np.nan)
    for g, point, (n, n_blocks), reps, adj in zip(
        order, points, sizes, replicates, corrected, strict=True
    ):
        samples = (None, None, None) if reps is None else (*reps, adj)
        for estimate, value, sample in zip(ESTIMATES, point, samples, strict=True):
            lo, hi = (nan, nan) if sample is None else stats.percentile_intervals(sample)
            columns["group"] += [g] * k
            columns["label"] += list(STANCE_LABELS)
            columns["estimate"] += [estimate] * k
            columns["value"] += np.asarray(value, dtype=float).tolist()
            columns["ci_low"] += lo.tolist()
            columns["ci_high"] += hi.tolist()
            columns["n_sentences"] += [n] * k
            columns["n_blocks"] += [n_blocks] * k
    shares = pd.DataFrame(columns)
    shares["block"] = "paragraph"
    shares["method"] = scorer.method
    shares["confusion_from"] = np.where(
        shares["estimate"] == ESTIMATES[2], f"{source} ({len(true)} sentences)", ""
    )
    shares["dominant"], dominant = _dominant(shares, scorer.method)
    est_rank = {e: i for i, e in enumerate(ESTIMATES)}
    lab_rank = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    shares = (
        shares.assign(_e=shares["estimate"].map(est_rank), _l=shares["label"].map(lab_rank))
        .sort_values(["group", "_e", "_l"], kind="stable")
        .drop(columns=["_e", "_l"])[PROFILE_COLUMNS]
        .reset_index(drop=True)
    )
    differences = _differences(sentences, order, n_perm, rng, scorer.method)
    correction = {"confusion_from": source, "gold_items": len(true), "method": scorer.method}
    return StanceProfile(shares, dominant, differences, sentences, ev, correction)


def _corrected(rate_reps: np.ndarray, replicates: list) -> list[np.ndarray | None]:
    """Adjusted classify-and-count replicates of every group, groups solved together
    (replicate ``r`` of every group is corrected with confusion replicate ``r``; each
    replicate's normal equations are eliminated once)."""
    out: list[np.ndarray | None] = [None] * len(replicates)
    todo = [i for i, r in enumerate(replicates) if r is not None]
    if not todo:
        return out
    solver = SimplexLeastSquares(rate_reps)
    n_boot = len(rate_reps)
    groups_at_once = max(1, PROBLEMS_AT_ONCE // max(n_boot, 1))
    for start in range(0, len(todo), groups_at_once):
        chunk = todo[start : start + groups_at_once]
        observed = np.vstack([replicates[i][0] for i in chunk])
        pick = np.tile(np.arange(n_boot), len(chunk))
        solved = adjusted_replicates(solver, observed, pick)
        for j, i in enumerate(chunk):
            out[i] = solved[j * n_boot : (j + 1) * n_boot]
    return out


def _dominant(shares: pd.DataFrame, method: str) -> tuple[np.ndarray, pd.DataFrame]:
    """The ``dominant`` flag of every row and the dominant table: per group and estimate,
    the largest orientation label (first in label order on a tie) and the runner-up."""
    oriented = shares.loc[shares["label"].isin(ORIENTATION_LABELS)]
    # values as written (canonical), so a last-bit difference cannot change the label;
    # the rows come in label order, so a tie goes to the first label
    ranked = (
        oriented.assign(_v=canonical(oriented["value"]))
        .sort_values(["group", "estimate", "_v"], ascending=[True, True, False], kind="stable")
        .drop(columns="_v")
    )
    ranked = ranked.assign(_rank=ranked.groupby(["group", "estimate"], sort=False).cumcount())
    top = ranked.loc[ranked["_rank"] == 0]
    second = ranked.loc[ranked["_rank"] == 1].set_index(["group", "estimate"])
    flag = np.zeros(len(shares), dtype=bool)
    flag[shares.index.get_indexer(top.index)] = True
    runner = second.reindex(pd.MultiIndex.from_frame(top[["group", "estimate"]]))
    dominant = pd.DataFrame(
        {"group": top["group"].to_numpy(), "estimate": top["estimate"].to_numpy(),
         "label": top["label"].to_numpy(), "value": top["value"].to_numpy(),
         "ci_low": top["ci_low"].to_numpy(), "ci_high": top["ci_high"].to_numpy(),
         "runner_up": runner["label"].to_numpy(), "runner_up_value": runner["value"].to_numpy(),
         "method": method},
        columns=_DOMINANT_COLUMNS,
    )  # fmt: skip
    est_rank = {e: i for i, e in enumerate(ESTIMATES)}
    dominant = (
        dominant.assign(_e=dominant["estimate"].map(est_rank))
        .sort_values(["group", "_e"], kind="stable")
        .drop(columns="_e")
        .reset_index(drop=True)
    )
    return flag, dominant


def _differences(
    sentences: pd.DataFrame, order: list[str], n_perm: int, rng: np.random.Generator, method: str
) -> pd.DataFrame:
    """Per label, group A vs B (two groups) or each vs the rest: shares, difference,
    Cohen's h, a permutation p-value over sentences (one hypergeometric draw per
    permutation, :func:`kzdiscourse.stats.permutation_test_binary`) and Holm p per pair."""
    if len(order) < 2:
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    counts = (
        pd.crosstab(sentences["group"], sentences["label"])
        .reindex(index=order, columns=list(STANCE_LABELS), fill_value=0)
        .to_numpy(dtype=np.int64)
    )
    sizes = counts.sum(axis=1)
    if len(order) == 2:
        names_a, names_b = order[:1], order[1:]
        s_a, n_a, s_b, n_b = counts[:1], sizes[:1], counts[1:], sizes[1:]
    else:
        names_a, names_b = order, ["rest"] * len(order)
        s_a, n_a = counts, sizes
        s_b, n_b = counts.sum(axis=0) - counts, sizes.sum() - sizes
    k = len(STANCE_LABELS)
    n_a = np.repeat(n_a[:, None], k, axis=1)
    n_b = np.repeat(np.broadcast_to(n_b, (len(names_a),))[:, None], k, axis=1)
    diff, p = stats.permutation_test_binary(
        s_a.ravel(), n_a.ravel(), s_b.ravel(), n_b.ravel(), n_perm=n_perm, seed=rng
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share_a, share_b = (s_a / n_a).ravel(), (s_b / n_b).ravel()
    holm = np.concatenate([stats.adjust_pvalues(row, "holm") for row in p.reshape(len(names_a), k)])
    out = pd.DataFrame(
        {
            "label": np.tile(list(STANCE_LABELS), len(names_a)),
            "group_a": np.repeat(names_a, k),
            "group_b": np.repeat(names_b, k),
            "share_a": share_a,
            "share_b": share_b,
            "difference": diff,
            "cohens_h": [stats.cohens_h(a, b) for a, b in zip(share_a, share_b, strict=True)],
            "p_value": p,
            "p_holm": holm,
            "n_a": n_a.ravel(),
            "n_b": n_b.ravel(),
        }
    )
    out["unit"] = "sentence"
    out["method"] = method
    return out[DIFFERENCE_COLUMNS]


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
