"""Numbers and tables as readers see them: the rounding rule of Markdown, LaTeX and HTML.

Every float is first put in the canonical form of :mod:`kzdiscourse.canonical` (8
significant digits, counts exact), the same on every machine, then rounded for readers:
integers as they are; p-values (columns named ``p``, ``p_value`` or starting with
``p_``/``q_``) to three significant digits, in scientific notation below 0.001; every other
float to three decimals; missing values blank. :mod:`kzdiscourse.report` re-exports these.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from kzdiscourse.canonical import canonical_float

__all__ = ["format_number", "is_numeric", "table_to_markdown"]

_P_COLUMN = re.compile(r"^(?:p|p_value|pvalue|p_.+|q_.+)$")


def format_number(value: Any, column: str = "") -> str:
    """Format one cell by the documented rounding rule (see the module docstring).

    Examples
    --------
    >>> format_number(0.123456), format_number(0.0000123, "p_value"), format_number(7)
    ('0.123', '1.23e-05', '7')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        value = canonical_float(value)  # round the machine-independent value, not the raw one
        if _P_COLUMN.match(column):
            return f"{value:.2e}" if 0 < abs(value) < 1e-3 else f"{value:.3g}"
        return f"{value:.3f}"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return format_number(value.item(), column)
    return str(value)


def _cell(value: Any, column: str) -> str:
    return format_number(value, column).replace("\n", " ").replace("|", "\\|")


def is_numeric(series: pd.Series) -> bool:
    """Whether a column is right-aligned as a number (booleans are not)."""
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_to_markdown(
    table: pd.DataFrame, max_rows: int | None = None, *, align: str = "auto"
) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned, rounded by the rule).

    ``align="label"`` left-aligns the first column and right-aligns the others (the key
    tables of ``report.md``, whose cells are worded numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_to_markdown(pd.DataFrame({"a": ["x"], "b": [0.12345]})))
    | a | b |
    |:--|--:|
    | x | 0.123 |
    """
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    if align == "label":
        marks = [":--"] + ["--:"] * (len(table.columns) - 1)
    else:
        marks = ["--:" if is_numeric(table[c]) else ":--" for c in table.columns]
    lines = [header, "|" + "|".join(marks) + "|"]
    shown = table if max_rows is None else table.head(max_rows)
    columns = [str(c) for c in table.columns]
    for row in shown.itertuples(index=False):
        lines.append(
            "| " + " | ".join(_cell(v, c) for v, c in zip(row, columns, strict=True)) + " |"
        )
    return "\n".join(lines)
