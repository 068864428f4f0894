"""Shared look of every kzdiscourse figure: group colours, fonts, input checks, axes.

Nothing here changes matplotlib's global state: styles are applied with
:func:`matplotlib.rc_context` inside each plotting call, and figures are created only
when the caller passes no ``ax``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import matplotlib as mpl
import pandas as pd

from kzdiscourse.errors import ColumnError, InputError

__all__ = ["REFERENCE_COLOR", "group_colors", "plot_style"]

#: seaborn's "colorblind" palette (after Okabe & Ito) without its grey, which is kept for
#: "rest" / reference bars so it never doubles as a group colour.
_QUALITATIVE = (
    "#0173b2",
    "#de8f05",
    "#029e73",
    "#d55e00",
    "#cc78bc",
    "#ca9161",
    "#fbafe4",
    "#ece133",
    "#56b4e9",
)
#: Colour of the comparison side that is not a single group ("rest", general Russian).
REFERENCE_COLOR = "#949494"
#: Fixed salt for the ids in SVG output, so two saves of the same figure are byte-identical.
SVG_HASHSALT = "kzdiscourse"


def group_colors(groups: Iterable[Any]) -> dict[str, str]:
    """Map group labels to colours: the same labels always get the same colours.

    Labels are turned into strings, missing ones dropped, duplicates removed and sorted;
    the i-th sorted label gets the i-th colour of a colour-blind-safe palette (seaborn's
    "colorblind" without grey). More than nine groups get evenly spaced colours from
    matplotlib's ``cividis`` map, which is also readable with colour-vision deficiencies.
    Every kzdiscourse figure colours its groups with this function, so a group has the
    same colour in every figure of a report.

    Parameters
    ----------
    groups : iterable
        Group labels, in any order and with repeats (e.g. a table's ``group`` column).

    Returns
    -------
    dict of str to str
        Label → hex colour, in sorted label order.

    Examples
    --------
    >>> group_colors(["Dzen", "ANKASAM", "Dzen"])
    {'ANKASAM': '#0173b2', 'Dzen': '#de8f05'}
    """
    labels = sorted({str(g) for g in groups if not _missing(g)})
    if len(labels) <= len(_QUALITATIVE):
        return dict(zip(labels, _QUALITATIVE, strict=False))
    cmap = mpl.colormaps["cividis"]
    step = 1 / (len(labels) - 1)
    return {label: mpl.colors.to_hex(cmap(i * step)) for i, label in enumerate(labels)}


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


@contextmanager
def plot_style() -> Iterator[None]:
    """Temporarily apply the kzdiscourse look (seaborn whitegrid, DejaVu Sans for Cyrillic).

    The settings are restored on exit; matplotlib's global rcParams are never changed.
    """
    import seaborn as sns

    rc: dict[str, Any] = {}
    rc.update(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper", font_scale=1.1))
    rc.update(
        {
            # DejaVu Sans ships with matplotlib and covers Cyrillic
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "svg.hashsalt": SVG_HASHSALT,
            "svg.fonttype": "path",
            "axes.titlesize": "medium",
            "axes.titleweight": "bold",
        }
    )
    interactive = mpl.is_interactive()
    try:
        with mpl.rc_context(rc):
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        # Keep a switch of interactive mode made by the backend while drawing: Jupyter's
        # inline backend switches it on when it creates its first figure, and if rc_context
        # undid that, only the first figure of a session would be shown.
        mpl.interactive(interactive)


def require_columns(
    table: Any, columns: Sequence[str], table_name: str, function: str
) -> pd.DataFrame:
    """Check that ``table`` is a non-empty DataFrame with ``columns``; return it."""
    if not isinstance(table, pd.DataFrame):
        raise InputError(
            f"{function}() takes a DataFrame, got {type(table).__name__}",
            hint=f"pass report[{table_name!r}] from kzdiscourse.compare()",
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ColumnError(
            f"{function}() needs the {table_name!r} table; this one lacks column(s) "
            f"{missing} (it has: {', '.join(map(str, table.columns))})",
            hint=f"pass report[{table_name!r}] from kzdiscourse.compare()",
        )
    if table.empty:
        raise InputError(
            f"{function}() got an empty {table_name!r} table: nothing to plot",
            hint="check the corpus and the grouping column the report was made with",
        )
    return table


def resolve_colors(
    groups: Iterable[Any], colors: Mapping[str, Any] | None, function: str
) -> dict[str, Any]:
    """The colours to use: ``colors`` if given (must cover every group), else group_colors."""
    labels = sorted({str(g) for g in groups if not _missing(g)})
    if colors is None:
        return group_colors(labels)
    missing = [g for g in labels if g not in colors]
    if missing:
        raise InputError(
            f"{function}(): colors has no entry for group(s) {missing}",
            hint="build it with kzdiscourse.plots.group_colors(all group labels)",
        )
    return {g: colors[g] for g in labels}


_DETACHED: ContextVar[bool] = ContextVar("kzdiscourse_detached_figures", default=False)


@contextmanager
def detached_figures() -> Iterator[None]:
    """Inside this block, figures are plain :class:`matplotlib.figure.Figure` objects.

    pyplot never sees them (no figure manager, nothing to close, no backend needed), which
    is what :meth:`Report.save` uses; outside it a new figure comes from pyplot, so it shows
    up in Jupyter.
    """
    token = _DETACHED.set(True)
    try:
        yield
    finally:
        _DETACHED.reset(token)


def new_axes(ax: Any, figsize: tuple[float, float]) -> Any:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    if _DETACHED.get():
        from matplotlib.figure import Figure

        return Figure(figsize=figsize, layout="constrained").subplots()
    import matplotlib.pyplot as plt

    _, created = plt.subplots(figsize=figsize, layout="constrained")
    return created


def dodge(k: int, width: float = 0.8) -> list[float]:
    """Offsets of ``k`` side-by-side marks inside a band of ``width`` centred on 0."""
    step = width / k
    return [(i - (k - 1) / 2) * step for i in range(k)]


def legend_outside(ax: Any, title: str | None, handles: Any = None, labels: Any = None) -> None:
    """A legend to the right of the axes, so it never covers data."""
    kwargs: dict[str, Any] = {
        "title": title,
        "loc": "upper left",
        "bbox_to_anchor": (1.01, 1.0),
        "frameon": False,
        "borderaxespad": 0.0,
    }
    if handles is not None:
        ax.legend(handles, labels, **kwargs)
    else:
        ax.legend(**kwargs)


def table_label(label: Any) -> str:
    """A category as a figure shows it: exactly as the tables and the summary write it
    (``energy_green_transition``), so a reader finds the figure's label in the table."""
    return str(label)
