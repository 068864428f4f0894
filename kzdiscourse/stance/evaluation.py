"""Agreement between stance codings: scorer against gold, and coder against coder.

:func:`evaluate` compares predicted labels with gold labels and returns an
:class:`Evaluation` of tidy tables (per-label precision, recall and F1; the confusion
matrix; accuracy, macro-F1, Cohen's kappa and Krippendorff's alpha).
:func:`krippendorff_alpha` is an own implementation of Krippendorff's alpha for two or
more coders with missing values (nominal or interval level), following the coincidence-
matrix computation in Krippendorff, *Content Analysis* (2004) and Hayes & Krippendorff
(2007).

Examples
--------
>>> from kzdiscourse.stance import evaluate, krippendorff_alpha
>>> gold = ["pro_eu", "balance", "none", "none"]
>>> pred = ["pro_eu", "none", "none", "none"]
>>> result = evaluate(pred, gold)
>>> round(result.accuracy, 2)
0.75
>>> round(krippendorff_alpha([[1, 1, 2], [1, 1, 2]]), 2)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from kzdiscourse.errors import ColumnError, InputError
from kzdiscourse.stance.labels import STANCE_LABELS

__all__ = ["Evaluation", "evaluate", "krippendorff_alpha"]

_KEY_COLUMNS = ("doc_id", "sent_id", "item_id")


@dataclass(frozen=True)
class Evaluation:
    """Result of :func:`evaluate`: tidy tables plus the headline numbers.

    Attributes
    ----------
    per_label : pandas.DataFrame
        One row per label (codebook order): ``label``, ``support`` (gold count),
        ``n_predicted``, ``precision``, ``recall``, ``f1``. Precision is 0 when a label is
        never predicted, recall is 0 when it never occurs in the gold (and F1 is 0 when
        both are 0), as in scikit-learn's ``zero_division=0``.
    confusion : pandas.DataFrame
        Long format, every (gold, predicted) pair including zeros: ``gold``,
        ``predicted``, ``n``.
    summary : pandas.DataFrame
        ``measure``, ``value`` rows: ``n``, ``accuracy``, ``accuracy_with_secondary`` (only
        when the gold table has a ``secondary`` column: a prediction also counts as right if
        it equals the gold's secondary label), ``macro_f1``, ``cohen_kappa``,
        ``krippendorff_alpha`` (nominal, predicted and gold treated as two coders).
    labels : tuple of str
        The label set, in table order.
    """

    per_label: pd.DataFrame
    confusion: pd.DataFrame
    summary: pd.DataFrame
    labels: tuple[str, ...]

    def _measure(self, name: str) -> float:
        return float(self.summary.loc[self.summary["measure"] == name, "value"].iloc[0])

    @property
    def n(self) -> int:
        """Number of compared items."""
        return int(self._measure("n"))

    @property
    def accuracy(self) -> float:
        """Share of items whose predicted label equals the gold label."""
        return self._measure("accuracy")

    @property
    def macro_f1(self) -> float:
        """Unweighted mean F1 over the labels that occur in the gold or the predictions."""
        return self._measure("macro_f1")

    @property
    def kappa(self) -> float:
        """Cohen's kappa between predicted and gold labels."""
        return self._measure("cohen_kappa")

    @property
    def alpha(self) -> float:
        """Krippendorff's alpha (nominal) between predicted and gold labels."""
        return self._measure("krippendorff_alpha")

    def confusion_matrix(self) -> pd.DataFrame:
        """The confusion matrix in wide form: gold labels as rows, predicted as columns.

        Examples
        --------
        >>> ev = evaluate(["none", "balance"], ["none", "none"], labels=["balance", "none"])
        >>> ev.confusion_matrix().loc["none"].tolist()
        [1, 1]
        """
        wide = self.confusion.pivot(index="gold", columns="predicted", values="n")
        wide = wide.reindex(index=list(self.labels), columns=list(self.labels))
        wide.index.name, wide.columns.name = "gold", "predicted"
        return wide.astype(int)


def evaluate(
    predicted: Any,
    gold: Any,
    *,
    labels: Sequence[str] | None = None,
) -> Evaluation:
    """Compare predicted stance labels with gold labels.

    Parameters
    ----------
    predicted, gold : sequence, pandas.Series or pandas.DataFrame
        Two plain sequences are compared position by position (equal length required).
        Two Series are aligned on their index; two DataFrames are joined on the key columns
        they share among ``doc_id``, ``sent_id`` and ``item_id`` and compared on their
        ``label`` columns. With Series or DataFrames every gold item needs a prediction;
        predictions for items outside the gold are ignored.
    labels : sequence of str, optional
        The label set, in table order. Defaults to the codebook's four labels
        (``pro_eu``, ``balance``, ``instrumental``, ``none``).

    Returns
    -------
    Evaluation

    Raises
    ------
    InputError
        Different lengths, missing predictions, duplicate keys, missing values or labels
        outside ``labels``.
    ColumnError
        A DataFrame without a ``label`` column or without a shared key column.

    Examples
    --------
    >>> gold = ["pro_eu", "pro_eu", "balance", "instrumental", "none", "none"]
    >>> pred = ["pro_eu", "balance", "balance", "instrumental", "none", "pro_eu"]
    >>> ev = evaluate(pred, gold)
    >>> ev.per_label["precision"].tolist()
    [0.5, 0.5, 1.0, 1.0]
    >>> ev.per_label["recall"].tolist()
    [0.5, 1.0, 1.0, 0.5]
    >>> round(ev.macro_f1, 4)  # (1/2 + 2/3 + 1 + 2/3) / 4 = 17/24
    0.7083
    """
    label_set = tuple(STANCE_LABELS if labels is None else labels)
    if len(set(label_set)) != len(label_set) or not label_set:
        raise InputError(f"labels must be distinct and non-empty, got {list(label_set)}")
    pred_values, gold_values, secondary = _align(predicted, gold)
    for name, values in (("predicted", pred_values), ("gold", gold_values)):
        _check_labels(name, values, label_set)

    index = {lab: i for i, lab in enumerate(label_set)}
    k = len(label_set)
    matrix = np.zeros((k, k), dtype=np.int64)
    for g, p in zip(gold_values, pred_values, strict=True):
        matrix[index[g], index[p]] += 1
    n = int(matrix.sum())
    if n == 0:
        raise InputError("nothing to evaluate: no gold items")

    support = matrix.sum(axis=1)
    n_predicted = matrix.sum(axis=0)
    hits = np.diag(matrix)
    precision = np.divide(hits, n_predicted, out=np.zeros(k), where=n_predicted > 0)
    recall = np.divide(hits, support, out=np.zeros(k), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros(k), where=denom > 0)
    present = (support + n_predicted) > 0
    macro_f1 = float(f1[present].mean())

    accuracy = float(hits.sum() / n)
    measures = ["n", "accuracy"]
    values = [float(n), accuracy]
    if secondary is not None:
        lenient = sum(
            p == g or (not _missing(s) and p == s)
            for p, g, s in zip(pred_values, gold_values, secondary, strict=True)
        )
        measures.append("accuracy_with_secondary")
        values.append(lenient / n)
    expected = float((support * n_predicted).sum() / n**2)
    kappa = (accuracy - expected) / (1 - expected) if expected < 1 else float("nan")
    alpha = krippendorff_alpha([list(gold_values), list(pred_values)], level="nominal")

    per_label = pd.DataFrame(
        {
            "label": list(label_set),
            "support": support.astype(int),
            "n_predicted": n_predicted.astype(int),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    )
    confusion = pd.DataFrame(
        [
            {"gold": g, "predicted": p, "n": int(matrix[index[g], index[p]])}
            for g in label_set
            for p in label_set
        ]
    )
    summary = pd.DataFrame(
        {
            "measure": [*measures, "macro_f1", "cohen_kappa", "krippendorff_alpha"],
            "value": [*values, macro_f1, float(kappa), alpha],
        }
    )
    return Evaluation(per_label, confusion, summary, label_set)


def krippendorff_alpha(
    codings: Any,
    level: Literal["nominal", "interval"] = "nominal",
) -> float:
    """Krippendorff's alpha for two or more coders, allowing missing values.

    Parameters
    ----------
    codings : pandas.DataFrame or 2-D array-like
        A DataFrame has one column per coder and one row per unit. Any other 2-D input
        (list of lists, NumPy array) has one row per coder and one column per unit
        (Krippendorff's reliability data matrix). Missing codes are ``None``, ``NaN`` or
        ``pd.NA``; units with fewer than two codes are not pairable and are ignored.
    level : {"nominal", "interval"}
        Metric of the codes: ``nominal`` (any hashable labels; a disagreement counts 1) or
        ``interval`` (numbers; squared difference).

    Returns
    -------
    float
        ``1 - D_o / D_e``; 1 is perfect agreement, 0 agreement at chance level. ``nan``
        when there is no variation at all among the pairable values (alpha is undefined).

    Raises
    ------
    InputError
        Fewer than two coders, an unknown level, non-numeric codes at interval level, or
        fewer than two pairable values.

    Notes
    -----
    Computed from the coincidence matrix ``o[c, k] = sum_u n_uc * n_uk / (m_u - 1)``
    (``n_uc * (n_uc - 1)`` on the diagonal), with ``n_c`` its row sums and ``n`` the number
    of pairable values: ``alpha = 1 - (n - 1) * sum(o * d) / sum(n_c * n_k * d)``, where
    ``d`` is the squared distance of the chosen metric.

    Examples
    --------
    Two coders, ten units, eight agreements (worked by hand in ``tests/test_stance_eval.py``):

    >>> a = list("aaaaaabbbb")
    >>> b = list("aaaaabbbba")
    >>> round(krippendorff_alpha([a, b]), 4)
    0.6042
    """
    if level not in ("nominal", "interval"):
        raise InputError(f"unknown level {level!r}", hint="use 'nominal' or 'interval'")
    rows = _coder_rows(codings)
    if len(rows) < 2:
        raise InputError(f"Krippendorff's alpha needs at least two coders, got {len(rows)}")
    n_units = len(rows[0])
    if any(len(r) != n_units for r in rows):
        raise InputError("every coder must code the same units (rows of equal length)")

    values = sorted(
        {v for r in rows for v in r if not _missing(v)}, key=lambda v: (str(type(v)), v)
    )
    if level == "interval":
        try:
            numeric = np.array([float(v) for v in values])
        except (TypeError, ValueError) as err:
            raise InputError("interval level needs numeric codes") from err
    position = {v: i for i, v in enumerate(values)}

    counts = np.zeros((n_units, len(values)))
    for r in rows:
        for u, v in enumerate(r):
            if not _missing(v):
                counts[u, position[v]] += 1
    m = counts.sum(axis=1)
    pairable = counts[m >= 2]
    m = m[m >= 2]
    if m.sum() < 2:
        raise InputError("Krippendorff's alpha needs at least one unit coded twice")

    coincidence = np.zeros((len(values), len(values)))
    for n_u, m_u in zip(pairable, m, strict=True):
        coincidence += (np.outer(n_u, n_u) - np.diag(n_u)) / (m_u - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()

    if level == "nominal":
        delta = 1.0 - np.eye(len(values))
    else:
        delta = np.subtract.outer(numeric, numeric) ** 2
    expected = float((np.outer(n_c, n_c) * delta).sum())
    if expected == 0:
        return float("nan")
    observed = float((coincidence * delta).sum())
    return float(1.0 - (n - 1) * observed / expected)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _coder_rows(codings: Any) -> list[list[Any]]:
    if isinstance(codings, pd.DataFrame):
        return [codings[c].tolist() for c in codings.columns]
    if isinstance(codings, np.ndarray):
        if codings.ndim != 2:
            raise InputError(f"codings must be 2-D (coders × units), got {codings.ndim}-D")
        return [list(r) for r in codings]
    if isinstance(codings, str) or not isinstance(codings, Sequence):
        raise InputError("codings must be a DataFrame or a 2-D sequence (coders × units)")
    rows = []
    for r in codings:
        if isinstance(r, str) or not hasattr(r, "__iter__"):
            raise InputError("codings must be 2-D: one sequence of codes per coder")
        rows.append(list(r))
    return rows


def _check_labels(name: str, values: list[Any], labels: tuple[str, ...]) -> None:
    missing = [i for i, v in enumerate(values) if _missing(v)]
    if missing:
        raise InputError(f"{name} labels contain {len(missing)} missing value(s)")
    unknown = sorted({str(v) for v in values} - set(labels))
    if unknown:
        raise InputError(
            f"{name} labels outside the label set: {unknown}",
            hint=f"use only {list(labels)} or pass labels=",
        )


def _align(predicted: Any, gold: Any) -> tuple[list[Any], list[Any], list[Any] | None]:
    if isinstance(predicted, pd.DataFrame) and isinstance(gold, pd.DataFrame):
        return _align_frames(predicted, gold)
    if isinstance(predicted, pd.Series) and isinstance(gold, pd.Series):
        if predicted.index.has_duplicates or gold.index.has_duplicates:
            raise InputError("predicted and gold Series must have unique index values")
        lacking = gold.index.difference(predicted.index)
        if len(lacking):
            raise InputError(f"{len(lacking)} gold item(s) have no prediction, e.g. {lacking[0]!r}")
        return predicted.loc[gold.index].tolist(), gold.tolist(), None
    if isinstance(predicted, pd.DataFrame | pd.Series) or isinstance(
        gold, pd.DataFrame | pd.Series
    ):
        raise InputError(
            "predicted and gold must be of the same kind (two DataFrames, two Series or "
            "two sequences)"
        )
    pred, ref = list(predicted), list(gold)
    if len(pred) != len(ref):
        raise InputError(f"{len(pred)} predicted labels but {len(ref)} gold labels")
    return pred, ref, None


def _align_frames(
    predicted: pd.DataFrame, gold: pd.DataFrame
) -> tuple[list[Any], list[Any], list[Any] | None]:
    for name, frame in (("predicted", predicted), ("gold", gold)):
        if "label" not in frame.columns:
            raise ColumnError(f"{name} table has no 'label' column")
    keys = [c for c in _KEY_COLUMNS if c in predicted.columns and c in gold.columns]
    if not keys:
        raise ColumnError(
            "predicted and gold tables share no key column",
            hint=f"give both tables one of {list(_KEY_COLUMNS)}",
        )
    for name, frame in (("predicted", predicted), ("gold", gold)):
        if frame.duplicated(keys).any():
            raise InputError(f"{name} table has duplicate rows for keys {keys}")
    merged = gold[[*keys, "label"]].merge(
        predicted[[*keys, "label"]],
        on=keys,
        how="left",
        suffixes=("_gold", "_pred"),
        indicator=True,
    )
    lacking = merged[merged["_merge"] == "left_only"]
    if len(lacking):
        example = lacking[keys].iloc[0].to_dict()
        raise InputError(
            f"{len(lacking)} gold item(s) have no prediction, e.g. {example}",
            doc_ids=lacking["doc_id"].unique()[:10] if "doc_id" in keys else None,
        )
    # a left merge on unique keys keeps the gold rows in order, so gold's own secondary
    # column lines up with the merged rows
    secondary = gold["secondary"].tolist() if "secondary" in gold.columns else None
    return merged["label_pred"].tolist(), merged["label_gold"].tolist(), secondary
