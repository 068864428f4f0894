"""The figure functions: each takes one Report table, exactly as compare() makes it.

Every function returns the matplotlib Axes it drew on, accepts ``ax=`` to draw into an
existing Axes (otherwise it opens a new pyplot figure), colours groups with
:func:`~kzdiscourse.plots.group_colors` (or a ``colors`` mapping for the whole report) and
raises :class:`~kzdiscourse.errors.ColumnError` when handed a table without the columns it
needs. Intervals are the ones stored in the table; nothing is re-estimated here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from kzdiscourse._deprecation import warn_deprecated
from kzdiscourse.errors import InputError
from kzdiscourse.plots.agency import actor_agency
from kzdiscourse.plots.keyness import keyness_comparison, keyness_terms
from kzdiscourse.plots.style import (
    dodge,
    legend_outside,
    new_axes,
    plot_style,
    require_columns,
    resolve_colors,
    table_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "actor_agency",
    "category_rates",
    "frame_rates",
    "keyness_comparison",
    "keyness_terms",
    "metadiscourse_rates",
    "stance_shares",
    "topic_prevalence",
]

_ESTIMATES = {
    "classify_and_count": "classify-and-count",
    "mean_probability": "mean probability",
    "adjusted_classify_and_count": "adjusted classify-and-count",
}
_RATE_MEASURES = {
    "per_1000": ("per 1,000 word tokens", "ci_low", "ci_high"),
    "sentence_share": (
        "share of sentences",
        "sentence_share_ci_low",
        "sentence_share_ci_high",
    ),
}
#: Column names of rates tables before 0.1.0 → now.
_LEGACY_RATE_COLUMNS = {
    "frame": "category",
    "actor": "category",
    "hits": "n",
    "per_1000_ci_low": "ci_low",
    "per_1000_ci_high": "ci_high",
}


def _groups(table: pd.DataFrame) -> pd.Series:
    return table["group"].astype(str)


def _interval(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths below and above each value (missing bounds draw no bar)."""
    below = np.nan_to_num(values - low, nan=0.0).clip(min=0)
    above = np.nan_to_num(high - values, nan=0.0).clip(min=0)
    return np.vstack([below, above])


def _dots(
    ax: Axes,
    table: pd.DataFrame,
    category: str,
    value: str,
    low: str,
    high: str,
    order: Sequence[Any],
    label: Callable[[Any], str],
    colors: Mapping[str, Any],
) -> None:
    """Dot-and-interval plot: categories down the y axis (first on top), one dot per group."""
    n = len(order)
    position = {c: n - 1 - i for i, c in enumerate(order)}
    groups = _groups(table)
    for group, offset in zip(colors, dodge(len(colors), width=0.6), strict=True):
        rows = table[(groups == group) & table[category].isin(order)]
        y = np.array([position[c] for c in rows[category]], dtype=float) - offset
        x = rows[value].to_numpy(dtype=float)
        ax.errorbar(
            x,
            y,
            xerr=_interval(x, rows[low].to_numpy(dtype=float), rows[high].to_numpy(dtype=float)),
            fmt="o",
            color=colors[group],
            markersize=5,
            elinewidth=1.4,
            capsize=2.5,
            label=group,
        )
    ax.set_yticks(range(n), [label(c) for c in reversed(order)])
    ax.set_ylim(-0.6, n - 0.4)
    for boundary in np.arange(0.5, n - 1, 1.0):
        ax.axhline(boundary, color="0.92", linewidth=0.8, zorder=0)
    ax.grid(axis="y", visible=False)
    # a small margin left of 0, so dots at zero are drawn whole instead of cut by the spine
    top = np.nanmax(np.append(table[[value, high]].to_numpy(dtype=float).ravel(), 0.0))
    ax.set_xlim(-0.02 * (top or 1.0), None)


def _current_columns(table: pd.DataFrame, function: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        return table  # require_columns says what it needs
    old = [c for c in _LEGACY_RATE_COLUMNS if c in table.columns]
    if not old or _LEGACY_RATE_COLUMNS[old[0]] in table.columns:
        return table
    warn_deprecated(
        f"{function}() on a table with columns {old}",
        "0.1.0",
        replacement="the rates tables of kzdiscourse.compare() (category, n, ci_low, ci_high)",
        stacklevel=3,
    )
    return table.rename(columns={c: _LEGACY_RATE_COLUMNS[c] for c in old})


def category_rates(
    table: pd.DataFrame,
    *,
    measure: str = "per_1000",
    what: str = "Categories",
    table_name: str = "rates",
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Rates per group and category with 95% intervals (dot plot, most frequent on top).

    Draws any ``…_rates`` table of a dictionary measure (frames, metadiscourse, actors or
    a user's :class:`~kzdiscourse.measures.DictionaryMeasure`).

    Parameters
    ----------
    table : pandas.DataFrame
        A rates table: ``group, category, per_1000, ci_low, ci_high`` (and
        ``sentence_share`` with its interval for ``measure="sentence_share"``).
    measure : {"per_1000", "sentence_share"}, default "per_1000"
        Hits per 1,000 word tokens, or share of sentences with at least one hit.
    what : str, default "Categories"
        What the dots are, for the title (``"Frames"`` → "Frames by group").
    table_name : str, default "rates"
        The table's name, for error messages.
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        One dot with a horizontal interval per group and category.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A", "B"], "category": ["gas"] * 2,
    ...     "per_1000": [3.0, 5.0], "ci_low": [1.0, 2.0], "ci_high": [5.0, 8.0]})
    >>> [t.get_text() for t in category_rates(table, ax=Figure().subplots()).get_yticklabels()]
    ['gas']
    """
    return _rates(table, table_name, "category_rates", measure, what, ax, colors, legend_title)


def _rates(
    table: pd.DataFrame,
    table_name: str,
    function: str,
    measure: str,
    what: str,
    ax: Axes | None,
    colors: Mapping[str, Any] | None,
    legend_title: str | None,
) -> Axes:
    if measure not in _RATE_MEASURES:
        raise InputError(
            f"{function}(): unknown measure {measure!r}",
            hint=f"use one of: {', '.join(_RATE_MEASURES)}",
        )
    table = _current_columns(table, function)
    axis_label, low, high = _RATE_MEASURES[measure]
    category = "category"
    columns = [measure, low, high]
    require_columns(table, ["group", category, *columns], table_name, function)
    palette = resolve_colors(table["group"], colors, function)
    # most frequent first (mean over groups); ties keep the table's order
    mean = table.groupby(category, sort=False)[measure].mean()
    order = list(mean.sort_values(ascending=False, kind="stable").index)
    with plot_style():
        ax = new_axes(ax, (7.0, 1.2 + 0.32 * len(order) * max(1, len(palette) / 2)))
        _dots(
            ax,
            table,
            category,
            *columns,
            order,
            table_label,
            palette,
        )
        if measure == "sentence_share":
            ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        block = _block(table)
        ax.set_xlabel(f"{axis_label} ({block})")
        ax.set_ylabel("")
        ax.set_title(f"{what} by {legend_title or 'group'}")
        legend_outside(ax, legend_title)
    return ax


def _block(table: pd.DataFrame) -> str:
    if "block" in table.columns and table["block"].nunique() == 1:
        return f"95% bootstrap interval over {table['block'].iloc[0]}s"
    return "95% interval"


def stance_shares(
    table: pd.DataFrame,
    *,
    estimate: str = "classify_and_count",
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Stance shares by group with 95% intervals: one bar per group and stance label.

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["stance_rates"]``.
    estimate : str, default "classify_and_count"
        Which estimate to show (the table's ``estimate`` column): ``classify_and_count``
        (share of sentences labelled so), ``mean_probability`` or
        ``adjusted_classify_and_count`` (corrected with the scorer's confusion matrix).
        The y-axis label names it.
    ax : matplotlib.axes.Axes, optional
        Draw here; by default a new figure.
    colors : mapping of str to colour, optional
        Group → colour for the whole report; by default :func:`group_colors` of the table.
    legend_title : str or None, default "group"
        Legend title, e.g. the ``by`` column.

    Returns
    -------
    matplotlib.axes.Axes
        With ``groups × labels`` bars, groups in sorted order.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A", "A", "B", "B"],
    ...     "category": ["pro_eu", "none"] * 2,
    ...     "estimate": "classify_and_count", "value": [0.2, 0.8, 0.5, 0.5],
    ...     "ci_low": [0.1, 0.7, 0.3, 0.3], "ci_high": [0.3, 0.9, 0.7, 0.7]})
    >>> ax = stance_shares(table, ax=Figure().subplots())
    >>> len(ax.patches)
    4
    """
    function = "stance_shares"
    if isinstance(table, pd.DataFrame) and "label" in table and "category" not in table:
        warn_deprecated(
            "stance_shares() on a table with a 'label' column",
            "0.1.0",
            replacement="report['stance_rates'] (column 'category')",
        )
        table = table.rename(columns={"label": "category"})
    require_columns(
        table,
        ["group", "category", "estimate", "value", "ci_low", "ci_high"],
        "stance_rates",
        function,
    )
    available = list(dict.fromkeys(table["estimate"].astype(str)))
    if estimate not in available:
        raise InputError(
            f"{function}(): no rows with estimate {estimate!r}",
            hint=f"use one of: {', '.join(available)}",
        )
    rows = table[table["estimate"].astype(str) == estimate]
    palette = resolve_colors(table["group"], colors, function)
    labels = list(dict.fromkeys(rows["category"].astype(str)))
    x_of = {label: i for i, label in enumerate(labels)}
    width = 0.8 / len(palette)
    groups = _groups(rows)
    with plot_style():
        ax = new_axes(ax, (max(5.5, 1.3 * len(labels) + 0.35 * len(labels) * len(palette)), 3.8))
        for group, offset in zip(palette, dodge(len(palette)), strict=True):
            part = rows[groups == group]
            x = np.array([x_of[label] for label in part["category"].astype(str)]) + offset
            values = part["value"].to_numpy(dtype=float)
            ax.bar(
                x,
                values,
                width=width * 0.95,
                color=palette[group],
                label=group,
                yerr=_interval(
                    values, part["ci_low"].to_numpy(dtype=float), part["ci_high"].to_numpy(float)
                ),
                error_kw={"ecolor": "0.2", "elinewidth": 1.1, "capsize": 2.5},
            )
        ax.set_xticks(range(len(labels)), labels)  # the codebook's labels, as in the tables
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("stance label (codebook)")
        ax.set_ylabel(f"share of sentences\n({_ESTIMATES.get(estimate, estimate)})")
        ax.set_title(f"Stance by {legend_title or 'group'} ({_block(table)})")
        legend_outside(ax, legend_title)
    return ax


def frame_rates(
    table: pd.DataFrame,
    *,
    measure: str = "per_1000",
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Frame rates per group with 95% intervals (dot plot, most frequent frame on top).

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["frame_rates"]``.
    measure : {"per_1000", "sentence_share"}, default "per_1000"
        Hits per 1,000 word tokens, or share of sentences with at least one hit.
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        One dot with a horizontal interval per group and frame.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A", "B"], "category": ["economic"] * 2,
    ...     "per_1000": [3.0, 5.0], "ci_low": [1.0, 2.0], "ci_high": [5.0, 8.0]})
    >>> [t.get_text() for t in frame_rates(table, ax=Figure().subplots()).get_yticklabels()]
    ['economic']
    """
    return _rates(table, "frame_rates", "frame_rates", measure, "Frames", ax, colors, legend_title)


def metadiscourse_rates(
    table: pd.DataFrame,
    *,
    measure: str = "per_1000",
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Metadiscourse markers per group with 95% intervals (dot plot per category).

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["metadiscourse_rates"]``.
    measure : {"per_1000", "sentence_share"}, default "per_1000"
        Markers per 1,000 word tokens, or share of sentences with a marker.
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A", "B"], "category": ["hedges"] * 2,
    ...     "per_1000": [3.0, 5.0], "ci_low": [1.0, 2.0], "ci_high": [5.0, 8.0]})
    >>> len(metadiscourse_rates(table, ax=Figure().subplots()).lines) > 0
    True
    """
    return _rates(
        table,
        "metadiscourse_rates",
        "metadiscourse_rates",
        measure,
        "Metadiscourse markers",
        ax,
        colors,
        legend_title,
    )


def topic_prevalence(
    table: pd.DataFrame,
    *,
    terms: pd.DataFrame | None = None,
    n_terms: int = 3,
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Topic prevalence by group with 95% intervals; topics named as in the tables.

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["topic_prevalence"]``.
    terms : pandas.DataFrame, optional
        ``report["topic_terms"]``, used only when ``table`` has no ``label`` column: each
        topic is then labelled by its ``n_terms`` most relevant listed terms. With a
        ``label`` column (as :func:`kzdiscourse.compare` makes it) the label is the
        table's, so figure, table and summary name a topic the same way
        (:func:`kzdiscourse.topics.model.topic_name`).
    n_terms : int, default 3
        Terms per topic label when labelling from ``terms``.
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        Tick labels ``T<topic> (term / term / term)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"topic": [0, 0], "label": ["нефть / газ"] * 2,
    ...     "group": ["A", "B"], "prevalence": [0.4, 0.6], "ci_low": [0.2, 0.4],
    ...     "ci_high": [0.6, 0.8]})
    >>> ax = topic_prevalence(table, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['T0 (нефть / газ)']
    """
    from kzdiscourse.topics.model import topic_name

    function = "topic_prevalence"
    require_columns(
        table, ["topic", "group", "prevalence", "ci_low", "ci_high"], "topic_prevalence", function
    )
    if "label" in table.columns:
        names = dict(zip(table["topic"], table["label"].astype(str), strict=False))
    elif terms is not None:
        require_columns(terms, ["topic", "rank", "term"], "topic_terms", function)
        key = "relevance_rank" if "relevance_rank" in terms.columns else "rank"
        top = terms.sort_values(["topic", key, "rank"], kind="stable").groupby("topic", sort=True)
        names = {t: " / ".join(rows["term"].astype(str).head(n_terms)) for t, rows in top}
    else:
        names = {}
    order = sorted(table["topic"].unique())
    palette = resolve_colors(table["group"], colors, function)

    def label(topic: Any) -> str:
        return textwrap.fill(topic_name(topic, names.get(topic)), 34)

    with plot_style():
        ax = new_axes(ax, (7.5, 1.3 + 0.5 * len(order) * max(1, len(palette) / 2)))
        _dots(ax, table, "topic", "prevalence", "ci_low", "ci_high", order, label, palette)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of the group's vocabulary tokens\n(95% bootstrap interval over units)")
        ax.set_ylabel("")
        ax.set_title(f"Topic prevalence by {legend_title or 'group'}")
        legend_outside(ax, legend_title)
    return ax
