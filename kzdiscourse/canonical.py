"""The canonical form of floats in written tables, and rankings that use it.

Every float kzdiscourse writes to CSV (and, before their reader-facing rounding, to Markdown
and LaTeX) is first made canonical:

- rounded to :data:`SIGNIFICANT_DIGITS` = 8 significant digits (the double nearest to that
  decimal, so Python prints it in at most 8 digits: ``0.22261188``, ``12.5``, ``1e-05``),
  but never to less than units: from 10**7 up to 2**53 a float is rounded to an integer, so
  an integer-valued float (a count: ``freq``, ``n``) is kept exactly, and the rule stays
  monotone (a larger value never gets a smaller text); from 2**53 on, where every float is
  an integer, 8 significant digits again;
- ``-0.0`` written as ``0.0``; ``nan`` stays missing (an empty cell), ``±inf`` stays.

Why 8. The last digits of a float depend on the order of its arithmetic, and that order
depends on the CPU: numpy's SIMD paths and OpenBLAS's kernels differ from machine to
machine. Forcing other paths on the seed Report (``benchmarks/cross_cpu_check.py``) moved
95 of its 37,938 float cells by up to 5.3e-13 relative before the computations were made
robust (:mod:`kzdiscourse.portable`), and the rare last-bit differences left in the C
library's ``exp``/``log`` move a value by about 1e-16. Eight significant digits stay 10⁴ to
10⁸ times coarser than that, so a moved value gives different text only when it lies within
its drift of a rounding boundary: a chance of about ``drift / 10⁻⁸`` per moved cell, below
10⁻⁷ for last-bit drift. And 8 digits are more than any reported statistic carries: a
bootstrap interval's Monte Carlo error is around 10⁻³, tables are read to 3 decimals.
Parquet keeps the full precision.

A value close to a rounding boundary must not flip an order either: rankings (topic terms,
the dominant stance, keyness order) sort on canonical values with a deterministic
tie-break (:func:`ranking`), so two values equal to 8 digits tie, and the tie-break decides.

Examples
--------
>>> from kzdiscourse.canonical import canonical, canonical_float
>>> canonical_float(0.22261187967223123), canonical_float(0.22261187967220758)
(0.22261188, 0.22261188)
>>> canonical([1234567.891, 1e-17, -0.0, 3.0, 123456789.4, 2.0**40, 2.0**60]).tolist()
[1234567.9, 1e-17, 0.0, 3.0, 123456789.0, 1099511627776.0, 1.1529215e+18]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "RELATIVE_TOLERANCE",
    "SIGNIFICANT_DIGITS",
    "canonical",
    "canonical_float",
    "canonical_table",
    "ranking",
]

#: Significant digits of every written float (see the module docstring for the choice).
SIGNIFICANT_DIGITS = 8
#: How far a full-precision value (Parquet, ``report[name]``) may be from its written form,
#: relative to the value: one unit in the last written digit (rounding moves it by at most
#: half of one).
RELATIVE_TOLERANCE = 10.0 ** (1 - SIGNIFICANT_DIGITS)
_EXACT_INTEGERS = 2.0**53
_UNITS_FROM = 10 ** (SIGNIFICANT_DIGITS - 1)  # from here on 8 digits do not reach the units
_FORMAT = f".{SIGNIFICANT_DIGITS - 1}e"


def canonical_float(value: float) -> float:
    """One float in canonical form (see the module docstring).

    Examples
    --------
    >>> canonical_float(1 / 3), canonical_float(2 / 3 * 1e-300), canonical_float(-0.0)
    (0.33333333, 6.6666667e-301, 0.0)
    """
    value = float(value)
    if not math.isfinite(value):
        return value
    if value == 0.0:
        return 0.0
    rounded = float(format(value, _FORMAT))  # Python's own correctly rounded conversion
    if abs(rounded) >= _UNITS_FROM and abs(value) < _EXACT_INTEGERS:
        return float(round(value))  # to units (half to even): counts stay exact
    return rounded


def canonical(values: Any) -> np.ndarray:
    """Every element of an array-like in canonical form, as a float array.

    Examples
    --------
    >>> canonical([0.1 + 0.2, float("nan")]).tolist()
    [0.3, nan]
    """
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return arr.copy()
    distinct, inverse = np.unique(arr, return_inverse=True)
    out = np.fromiter(map(canonical_float, distinct.tolist()), dtype=float, count=distinct.size)
    return out[inverse].reshape(arr.shape)


def _is_float_column(series: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(series.dtype)


def canonical_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every float in canonical form (other cells untouched).

    Float columns (numpy or nullable ``Float64``) keep their dtype and missing values;
    floats inside object columns are converted one by one.

    Examples
    --------
    >>> t = pd.DataFrame({"term": ["газ"], "share": [0.1 + 0.2], "n": [3]})
    >>> canonical_table(t).to_csv(index=False, lineterminator="\\n")
    'term,share,n\\nгаз,0.3,3\\n'
    """
    out = table.copy()
    for i in range(table.shape[1]):
        series = table.iloc[:, i]
        if _is_float_column(series):
            values = canonical(series.to_numpy(dtype=float, na_value=np.nan))
            if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):
                new = pd.array(values, dtype=series.dtype)
                new[series.isna().to_numpy()] = pd.NA
                out.isetitem(i, pd.Series(new, index=series.index))
            else:
                out.isetitem(i, pd.Series(values, index=series.index, dtype=series.dtype))
        elif series.dtype == object:
            out.isetitem(
                i,
                series.map(
                    lambda v: (
                        canonical_float(v)
                        if isinstance(v, (float, np.floating)) and not isinstance(v, bool)
                        else v
                    )
                ),
            )
    return out


def ranking(
    scores: Sequence[float] | np.ndarray,
    *tiebreak: Sequence[Any] | np.ndarray,
    descending: bool = True,
) -> np.ndarray:
    """Positions of ``scores`` in ranked order, on canonical values, ties by ``tiebreak``.

    Two scores equal to :data:`SIGNIFICANT_DIGITS` digits tie, whatever their last bits on
    this machine; ties go by the ``tiebreak`` keys in order (ascending), then by position.

    Examples
    --------
    >>> ranking([0.5, 0.7, 0.5 + 1e-15], ["b", "c", "a"]).tolist()   # 0.5 ties: "a" first
    [1, 2, 0]
    >>> ranking([3.0, 1.0, 2.0], descending=False).tolist()
    [1, 2, 0]
    """
    values = canonical(scores)
    keys = [np.arange(values.size)]
    for key in reversed(tiebreak):
        keys.append(pd.factorize(pd.Series(key, dtype=object), sort=True)[0])
    keys.append(-values if descending else values)
    return np.lexsort(keys)
