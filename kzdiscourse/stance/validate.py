"""Measure a stance scorer on your own corpus: a coding sheet, then validation against it.

1. :func:`coding_sheet` draws sentences of a parsed corpus for hand coding — stratified by
   the scorer's predicted label and group (so rare stances are coded often enough to be
   judged), the least certain ones, or a simple random sample — and writes a sheet with the
   sentence, its neighbours, the document title and an empty ``label`` column. The
   predicted labels are never in the sheet: the coder must not see them.
2. :func:`validate` compares the scorer with the coded sheet: per-label precision, recall
   and F1, macro-F1 and Cohen's κ with bootstrap intervals, the confusion matrix, how far
   the scorer's label shares are from the coders' (estimated for the whole corpus), and a
   plain-language verdict generated from those numbers.

Stratified sheets over-represent rare predicted labels. :func:`validate` undoes that by
weighting every coded sentence with ``N_l / n_l`` (sentences of the corpus / of the sheet
with its predicted label ``l``; post-stratification), so the numbers describe the corpus,
and resamples within those strata for the intervals. A sheet of the least certain
sentences describes the hard cases only; :func:`validate` says so in the verdict.

Examples
--------
>>> from kzdiscourse import load_seeds, stance
>>> parsed = load_seeds().clean().parse()
>>> sheet = stance.coding_sheet(parsed, n=40, seed=0)
>>> "label" in sheet and not sheet["label"].any() and "p_none" not in sheet
True
>>> gold = stance.load_seed_gold()[["doc_id", "sent_id", "label"]]
>>> coded = sheet.drop(columns="label").merge(gold, on=["doc_id", "sent_id"])
>>> result = stance.validate(parsed, coded, n_boot=200)
>>> result.n, 0 <= result.macro_f1 <= 1
(40, True)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse import stats
from kzdiscourse.errors import InputError, MissingDependencyError
from kzdiscourse.parsed import Parsed
from kzdiscourse.stance.coded import coded_rows, coded_table, read_coded
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.scorers import get_scorer

__all__ = [
    "LABEL_DEFINITIONS",
    "SHEET_COLUMNS",
    "STRATEGIES",
    "Validation",
    "coded_rows",
    "coded_table",
    "coding_sheet",
    "read_coded",
    "validate",
]

log = logging.getLogger(__name__)

#: Sampling strategies of :func:`coding_sheet`.
STRATEGIES = ("stratified", "uncertain", "random")

#: Columns of the coding sheet.
SHEET_COLUMNS = [
    "item_id",
    "doc_id",
    "sent_id",
    "title",
    "previous",
    "sentence",
    "next",
    "label",
    "secondary",
    "note",
    "sample",
]

#: One-line definitions of the codebook labels (docs/stance_codebook.md), for the sheet.
LABEL_DEFINITIONS: dict[str, str] = {
    "pro_eu": "Kazakhstan–EU/West relations as real partnership, convergence or integration "
    "(common rules or values, alignment with EU norms, the EU as a partner in stability).",
    "balance": "Kazakhstan steering between centres of power: multi-vector policy, autonomy, "
    "keeping Russia or China on board while engaging the EU, siding with no bloc.",
    "instrumental": "The relationship as a deal: interest-driven, transactional or unequal; "
    "pragmatism without shared values, one side using the other as a tool.",
    "none": "No orientation: facts, figures, events, people, site furniture (rules 3, 6, 8).",
}


# ------------------------------------------------------------------------------ the sheet


def coding_sheet(
    parsed: Parsed,
    n: int = 200,
    strategy: str = "stratified",
    seed: int = 0,
    path: str | Path | None = None,
    *,
    method: Any = None,
    by: str = "doc_id",
) -> pd.DataFrame:
    """Sentences to code by hand, with context and an empty ``label`` column.

    Parameters
    ----------
    parsed : Parsed
    n : int, default 200
        Sentences in the sheet (all of them if the corpus has fewer).
    strategy : {"stratified", "uncertain", "random"}, default "stratified"
        ``stratified``: the same number per predicted label where the corpus has them,
        spread over the groups of ``by`` in proportion to their size; ``uncertain``: the
        ``n`` smallest margins; ``random``: a simple random sample.
    seed : int, default 0
    path : str or Path, optional
        Write the sheet as CSV (UTF-8) and the label definitions next to it
        (``<stem>_labels.csv``); with ``openpyxl`` installed also ``<stem>.xlsx`` with both
        as sheets. A path ending in ``.xlsx`` writes only the workbook.
    method : scorer, optional
        The scorer whose predictions drive the sampling (default: the default scorer).
    by : str, default "doc_id"
        The grouping for stratification (any metadata column).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SHEET_COLUMNS`, rows in random order (so the strata do not show).
    """

    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}", hint=f"use one of {STRATEGIES}")
    if not isinstance(parsed, Parsed):
        raise InputError("coding_sheet needs a Parsed corpus", hint="corpus.clean().parse()")
    if n < 1:
        raise InputError(f"n must be at least 1, got {n}")
    scores = get_scorer(method).score_sentences(parsed).reset_index(drop=True)
    groups = parsed.groups(by)
    scores["group"] = scores["doc_id"].map(groups).to_numpy()
    rng = stats.generator(seed)
    chosen = _sample(scores, min(n, len(scores)), strategy, rng)
    sents = parsed.sentences.reset_index(drop=True)
    doc = sents["doc_id"].to_numpy()
    text = sents["text"].astype(str).to_numpy()
    same_prev = np.r_[False, doc[1:] == doc[:-1]]
    same_next = np.r_[doc[:-1] == doc[1:], False]
    prev = np.where(same_prev, np.r_[[""], text[:-1]], "")
    nxt = np.where(same_next, np.r_[text[1:], [""]], "")
    titles = _titles(parsed)
    order = rng.permutation(len(chosen))
    rows = chosen[order]
    width = max(3, len(str(len(rows))))
    sheet = pd.DataFrame(
        {
            "item_id": [f"item_{i + 1:0{width}d}" for i in range(len(rows))],
            "doc_id": doc[rows],
            "sent_id": sents["sent_id"].to_numpy()[rows],
            "title": [titles.get(d, "") for d in doc[rows]],
            "previous": prev[rows],
            "sentence": text[rows],
            "next": nxt[rows],
            "label": "",
            "secondary": "",
            "note": "",
            "sample": strategy,
        }
    )[SHEET_COLUMNS]
    if path is not None:
        _write_sheet(sheet, Path(path))
    return sheet


def _sample(scores: pd.DataFrame, n: int, strategy: str, rng: np.random.Generator) -> np.ndarray:
    noise = rng.random(len(scores))  # random tie-breaks and within-stratum order
    if strategy == "random":
        return np.sort(np.argsort(noise, kind="stable")[:n])
    if strategy == "uncertain":
        order = np.lexsort((noise, scores["margin"].to_numpy(float)))
        return np.sort(order[:n])
    labels = scores["label"].to_numpy()
    counts = {lab: int((labels == lab).sum()) for lab in STANCE_LABELS}
    quota = _equal_allocation(counts, n)
    picked: list[np.ndarray] = []
    for lab, q in quota.items():
        if q == 0:
            continue
        in_lab = np.flatnonzero(labels == lab)
        grp = scores["group"].to_numpy()[in_lab]
        names, sizes = np.unique(grp, return_counts=True)
        share = dict(zip(names, _largest_remainder(sizes, q), strict=True))
        for g in names:
            members = in_lab[grp == g]
            take = members[np.argsort(noise[members], kind="stable")[: share[g]]]
            picked.append(take)
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, int)


def _equal_allocation(counts: dict[str, int], n: int) -> dict[str, int]:
    """Equal quotas per label, capped at what the corpus has, the rest shared by the others
    (water-filling: the smallest labels first, then one more each in label order)."""
    quota = {lab: 0 for lab in counts}
    order = sorted((lab for lab in counts if counts[lab] > 0), key=lambda lab: counts[lab])
    left, remaining = n, len(order)
    for lab in order:
        quota[lab] = min(counts[lab], left // remaining)
        left -= quota[lab]
        remaining -= 1
    for lab in counts:
        if left > 0 and quota[lab] < counts[lab]:
            quota[lab] += 1
            left -= 1
    return quota


def _largest_remainder(sizes: np.ndarray, total: int) -> np.ndarray:
    exact = sizes * total / sizes.sum()
    base = np.floor(exact).astype(int)
    rest = total - base.sum()
    order = np.lexsort((np.arange(len(sizes)), -(exact - base)))
    base[order[:rest]] += 1
    return np.minimum(base, sizes)


def _titles(parsed: Parsed) -> dict[str, str]:
    docs = parsed.documents
    if "title" in docs.columns:
        return dict(zip(docs["doc_id"], docs["title"].fillna("").astype(str), strict=True))
    first = parsed.sentences.loc[parsed.sentences["role"] == "title"]
    return dict(zip(first["doc_id"], first["text"].astype(str), strict=False))


def _labels_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"label": list(LABEL_DEFINITIONS), "definition": list(LABEL_DEFINITIONS.values())}
    )


def _write_sheet(sheet: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        has_xlsx = False
    else:
        has_xlsx = True
    if path.suffix.lower() == ".xlsx" and not has_xlsx:
        raise MissingDependencyError(
            "writing an .xlsx coding sheet needs openpyxl",
            source=str(path),
            hint="pip install openpyxl, or give a .csv path",
        )
    if path.suffix.lower() != ".xlsx":
        sheet.to_csv(path, index=False)
        _labels_frame().to_csv(path.with_name(f"{path.stem}_labels.csv"), index=False)
    if has_xlsx:
        xlsx = path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")
        with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
            sheet.to_excel(writer, sheet_name="sentences", index=False)
            _labels_frame().to_excel(writer, sheet_name="labels", index=False)


# ------------------------------------------------------------------------------ validation


@dataclass(frozen=True)
class Validation:
    """Result of :func:`validate`.

    Attributes
    ----------
    n : int
        Coded sentences used.
    metrics : pandas.DataFrame
        ``measure, label, value, ci_low, ci_high``: precision, recall and F1 per label,
        ``macro_f1``, ``accuracy`` and ``kappa`` (label empty), weighted to the corpus.
    confusion : pandas.DataFrame
        Coded labels in rows, predicted in columns (raw counts of the sheet).
    shares : pandas.DataFrame
        Per label: ``predicted`` (share of the corpus the scorer gives it), ``coded``
        (estimated share of the corpus by the coders), ``gap`` = predicted − coded with
        ``ci_low, ci_high``, ``n_coded``.
    verdict : list of str
        Plain-language reading of the numbers.
    weighted : bool
        Whether the sheet was post-stratified to the corpus (False for an ``uncertain``
        sheet).
    method : str
    """

    n: int
    metrics: pd.DataFrame
    confusion: pd.DataFrame
    shares: pd.DataFrame
    verdict: list[str]
    weighted: bool
    method: str
    details: dict[str, Any] = field(default_factory=dict)

    def _value(self, measure: str) -> float:
        m = self.metrics
        return float(m.loc[(m["measure"] == measure) & (m["label"] == ""), "value"].iloc[0])

    @property
    def macro_f1(self) -> float:
        return self._value("macro_f1")

    @property
    def kappa(self) -> float:
        return self._value("kappa")

    def __str__(self) -> str:
        return "\n".join(self.verdict)


def _metrics(matrix: np.ndarray) -> dict[str, float]:
    """Per-label P/R/F1, macro-F1 (labels present), accuracy and κ of a weighted confusion
    matrix (gold rows, predicted columns)."""
    total = matrix.sum()
    support, predicted, hits = matrix.sum(axis=1), matrix.sum(axis=0), np.diag(matrix)
    precision = np.divide(hits, predicted, out=np.zeros(len(hits)), where=predicted > 0)
    recall = np.divide(hits, support, out=np.zeros(len(hits)), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros(len(hits)), where=denom > 0)
    present = (support + predicted) > 0
    acc = hits.sum() / total if total else 0.0
    expected = float((support * predicted).sum() / total**2) if total else 0.0
    kappa = (acc - expected) / (1 - expected) if expected < 1 else 1.0
    out = {"macro_f1": float(f1[present].mean()), "accuracy": float(acc), "kappa": float(kappa)}
    for j, lab in enumerate(STANCE_LABELS):
        out[f"precision:{lab}"] = float(precision[j])
        out[f"recall:{lab}"] = float(recall[j])
        out[f"f1:{lab}"] = float(f1[j])
        out[f"coded_share:{lab}"] = float(support[j] / total) if total else 0.0
    return out


def validate(
    parsed: Parsed,
    coded: Any,
    method: Any = None,
    seed: int = 0,
    *,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> Validation:
    """The scorer against your coded sentences: metrics with intervals and a verdict.

    Parameters
    ----------
    parsed : Parsed
        The corpus the coding sheet was drawn from.
    coded : pandas.DataFrame or path
        The filled sheet (``doc_id, sent_id, label``; ``sample`` if present). Rows with an
        empty label are left out (logged).
    method : scorer, optional
        The scorer to validate (default: the default scorer).
    seed : int, default 0
    n_boot : int, default 2000
        Bootstrap replicates (coded sentences resampled within predicted-label strata).

    Returns
    -------
    Validation
    """

    if not isinstance(parsed, Parsed):
        raise InputError("validate needs the Parsed corpus the sheet was drawn from")
    source = str(coded) if not isinstance(coded, pd.DataFrame) else "<coded DataFrame>"
    frame, rows = coded_rows(coded, parsed, source)
    scorer = get_scorer(method)
    scores = scorer.score_sentences(parsed).reset_index(drop=True)
    k = len(STANCE_LABELS)
    code = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    pred_all = scores["label"].map(code).to_numpy()
    pred = pred_all[rows]
    gold = frame["label"].map(code).to_numpy()
    uncertain = "sample" in frame.columns and (frame["sample"].astype(str) == "uncertain").any()
    corpus_n = np.bincount(pred_all, minlength=k).astype(float)
    sheet_n = np.bincount(pred, minlength=k).astype(float)
    stratum_w = np.divide(corpus_n, sheet_n, out=np.zeros(k), where=sheet_n > 0)
    # a predicted label the sheet never drew cannot be weighted: its corpus mass is lost
    weighted = not uncertain
    w = stratum_w[pred] if weighted else np.ones(len(pred))

    def matrix_of(idx: np.ndarray) -> np.ndarray:
        m = np.zeros(k * k)
        np.add.at(m, gold[idx] * k + pred[idx], w[idx])
        return m.reshape(k, k)

    point = _metrics(matrix_of(np.arange(len(pred))))
    rng = stats.generator(seed)
    strata = [np.flatnonzero(pred == j) for j in range(k) if (pred == j).any()]
    reps = []
    for _ in range(n_boot):
        idx = np.concatenate([s[rng.integers(0, len(s), len(s))] for s in strata])
        reps.append(_metrics(matrix_of(idx)))
    rep = pd.DataFrame(reps)
    lo, hi = rep.quantile(0.025), rep.quantile(0.975)
    rows_out = []
    for key, value in point.items():
        measure, _, label = key.partition(":")
        if measure == "coded_share":
            continue
        rows_out.append({"measure": measure, "label": label, "value": value,
                         "ci_low": float(lo[key]), "ci_high": float(hi[key])})  # fmt: skip
    metrics = pd.DataFrame(rows_out, columns=["measure", "label", "value", "ci_low", "ci_high"])
    predicted_share = corpus_n / corpus_n.sum()
    share_rows = []
    for j, lab in enumerate(STANCE_LABELS):
        gap = predicted_share[j] - rep[f"coded_share:{lab}"].to_numpy()
        share_rows.append(
            {"label": lab, "predicted": float(predicted_share[j]),
             "coded": point[f"coded_share:{lab}"],
             "gap": float(predicted_share[j] - point[f"coded_share:{lab}"]),
             "ci_low": float(np.quantile(gap, 0.025)), "ci_high": float(np.quantile(gap, 0.975)),
             "n_coded": int((gold == j).sum())}
        )  # fmt: skip
    shares = pd.DataFrame(share_rows)
    confusion = pd.DataFrame(
        np.bincount(gold * k + pred, minlength=k * k).reshape(k, k),
        index=pd.Index(STANCE_LABELS, name="coded"),
        columns=pd.Index(STANCE_LABELS, name="predicted"),
    )
    verdict = _verdict(metrics, shares, len(pred), weighted, scorer.method)
    return Validation(len(pred), metrics, confusion, shares, verdict, weighted, scorer.method)


def _verdict(
    metrics: pd.DataFrame, shares: pd.DataFrame, n: int, weighted: bool, method: str
) -> list[str]:
    def get(measure: str, label: str = "") -> pd.Series:
        m = metrics
        return m.loc[(m["measure"] == measure) & (m["label"] == label)].iloc[0]

    f1 = get("macro_f1")
    kappa = get("kappa")
    lines = [
        f"Scorer '{method}' on {n} coded sentences: macro-F1 {f1.value:.2f} "
        f"(95% CI {f1.ci_low:.2f}–{f1.ci_high:.2f}), Cohen's κ {kappa.value:.2f} "
        f"({kappa.ci_low:.2f}–{kappa.ci_high:.2f})."
    ]
    if not weighted:
        lines.append(
            "The sheet holds the least certain sentences: these numbers describe the hard "
            "cases, not the corpus; code a stratified or random sheet to judge shares."
        )
    biased = False
    for r in shares.itertuples(index=False):
        if r.label not in ORIENTATION_LABELS:
            continue
        rec, prec = get("recall", r.label).value, get("precision", r.label).value
        if r.n_coded < 10:
            lines.append(
                f"{r.label}: only {r.n_coded} coded sentence(s) — too few to judge; "
                "code more sentences of this stance."
            )
            continue
        width = max(abs(r.ci_low), abs(r.ci_high))
        if r.ci_low <= 0 <= r.ci_high:
            f1_label = get("f1", r.label).value
            within = f"±{np.ceil(width * 100) / 100:.2f}"
            numbers = f"scorer {r.predicted:.0%}, coders {r.coded:.0%}; F1 {f1_label:.2f}"
            if width <= 0.05:
                lines.append(f"Shares of {r.label} can be trusted within {within} ({numbers}).")
            else:
                lines.append(
                    f"Shares of {r.label} show no clear bias, but could be off by up to "
                    f"{within} ({numbers}); code more sentences to narrow this."
                )
        elif r.gap < 0:
            biased = True
            lines.append(
                f"{r.label} is under-detected: the scorer gives it to {r.predicted:.0%} of "
                f"sentences, the coders' estimate is {r.coded:.0%} (gap {r.ci_low:+.2f} to "
                f"{r.ci_high:+.2f}); recall {rec:.2f}."
            )
        else:
            biased = True
            lines.append(
                f"{r.label} is over-detected: the scorer gives it to {r.predicted:.0%} of "
                f"sentences, the coders' estimate is {r.coded:.0%} (gap {r.ci_low:+.2f} to "
                f"{r.ci_high:+.2f}); precision {prec:.2f}."
            )
    if biased:
        lines.append(
            "Report shares corrected with your coded sentences: "
            "stance.profile(parsed, method=..., correction=coded)."
        )
    return lines
