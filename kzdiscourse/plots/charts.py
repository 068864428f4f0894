"""The figure functions: each takes one Report table, exactly as compare() makes it.

Every function returns the matplotlib Axes it drew on, accepts ``ax=`` to draw into an
existing Axes (otherwise it opens a new pyplot figure), colours groups with
:func:`~kzdiscourse.plots.group_colors` (or a ``colors`` mapping for the whole report) and
raises :class:`~kzdiscourse.errors.ColumnError` when handed a table without the columns it
needs. Intervals are the ones stored in the table; nothing is re-estimated here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from kzdiscourse.errors import InputError
from kzdiscourse.plots.style import (
    REFERENCE_COLOR,
    dodge,
    legend_outside,
    new_axes,
    plot_style,
    pretty,
    require_columns,
    resolve_colors,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "actor_agency",
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
    "per_1000": "per 1,000 word tokens",
    "sentence_share": "share of sentences",
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


def _rates(
    table: pd.DataFrame,
    category: str,
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
    columns = [measure, f"{measure}_ci_low", f"{measure}_ci_high"]
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
            pretty,
            palette,
        )
        if measure == "sentence_share":
            ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        block = _block(table)
        ax.set_xlabel(f"{_RATE_MEASURES[measure]} ({block})")
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
        ``report["stance_profile"]``.
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
    >>> table = pd.DataFrame({"group": ["A", "A", "B", "B"], "label": ["pro_eu", "none"] * 2,
    ...     "estimate": "classify_and_count", "value": [0.2, 0.8, 0.5, 0.5],
    ...     "ci_low": [0.1, 0.7, 0.3, 0.3], "ci_high": [0.3, 0.9, 0.7, 0.7]})
    >>> ax = stance_shares(table, ax=Figure().subplots())
    >>> len(ax.patches)
    4
    """
    function = "stance_shares"
    require_columns(
        table,
        ["group", "label", "estimate", "value", "ci_low", "ci_high"],
        "stance_profile",
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
    labels = list(dict.fromkeys(rows["label"].astype(str)))
    x_of = {label: i for i, label in enumerate(labels)}
    width = 0.8 / len(palette)
    groups = _groups(rows)
    with plot_style():
        ax = new_axes(ax, (max(5.5, 1.3 * len(labels) + 0.35 * len(labels) * len(palette)), 3.8))
        for group, offset in zip(palette, dodge(len(palette)), strict=True):
            part = rows[groups == group]
            x = np.array([x_of[label] for label in part["label"].astype(str)]) + offset
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
        ``report["frames"]``.
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
    >>> table = pd.DataFrame({"group": ["A", "B"], "frame": ["economic"] * 2,
    ...     "per_1000": [3.0, 5.0], "per_1000_ci_low": [1.0, 2.0], "per_1000_ci_high": [5.0, 8.0]})
    >>> [t.get_text() for t in frame_rates(table, ax=Figure().subplots()).get_yticklabels()]
    ['economic']
    """
    return _rates(
        table, "frame", "frames", "frame_rates", measure, "Frames", ax, colors, legend_title
    )


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
        ``report["metadiscourse"]``.
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
    ...     "per_1000": [3.0, 5.0], "per_1000_ci_low": [1.0, 2.0], "per_1000_ci_high": [5.0, 8.0]})
    >>> len(metadiscourse_rates(table, ax=Figure().subplots()).lines) > 0
    True
    """
    return _rates(
        table,
        "category",
        "metadiscourse",
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
    """Topic prevalence by group with 95% intervals; topics labelled by their top terms.

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["topic_prevalence"]``.
    terms : pandas.DataFrame, optional
        ``report["topic_terms"]``: if given, each topic is labelled by its ``n_terms`` most
        relevant terms (lowest ``relevance_rank`` among the listed terms, else lowest
        ``rank``); otherwise by the table's ``label`` column.
    n_terms : int, default 3
        Terms per topic label when ``terms`` is given.
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        Tick labels ``T<topic>: term / term / term``.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"topic": [0, 0], "group": ["A", "B"], "prevalence": [0.4, 0.6],
    ...     "ci_low": [0.2, 0.4], "ci_high": [0.6, 0.8]})
    >>> terms = pd.DataFrame({"topic": [0, 0], "rank": [2, 1], "term": ["газ", "нефть"]})
    >>> ax = topic_prevalence(table, terms=terms, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['T0: нефть / газ']
    """
    function = "topic_prevalence"
    require_columns(
        table, ["topic", "group", "prevalence", "ci_low", "ci_high"], "topic_prevalence", function
    )
    if terms is not None:
        require_columns(terms, ["topic", "rank", "term"], "topic_terms", function)
        key = "relevance_rank" if "relevance_rank" in terms.columns else "rank"
        top = terms.sort_values(["topic", key, "rank"], kind="stable").groupby("topic", sort=True)
        names = {t: " / ".join(rows["term"].astype(str).head(n_terms)) for t, rows in top}
    elif "label" in table.columns:
        names = dict(zip(table["topic"], table["label"].astype(str), strict=True))
    else:
        names = {}
    order = sorted(table["topic"].unique())
    palette = resolve_colors(table["group"], colors, function)

    def label(topic: Any) -> str:
        name = names.get(topic)
        return f"T{topic}: " + textwrap.fill(name, 30) if name else f"T{topic}"

    with plot_style():
        ax = new_axes(ax, (7.5, 1.3 + 0.5 * len(order) * max(1, len(palette) / 2)))
        _dots(ax, table, "topic", "prevalence", "ci_low", "ci_high", order, label, palette)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of the group's vocabulary tokens\n(95% bootstrap interval over units)")
        ax.set_ylabel("")
        ax.set_title(f"Topic prevalence by {legend_title or 'group'}")
        legend_outside(ax, legend_title)
    return ax


def keyness_terms(
    table: pd.DataFrame,
    *,
    group: str | None = None,
    reference: str | None = None,
    n: int = 10,
    exclude: Iterable[str] | None = None,
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Keyness bar chart: the top ``n`` terms on each side of one comparison, by log-odds z.

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["keyness"]``.
    group : str, optional
        The group whose comparison is shown; by default the first in sorted order.
    reference : str, optional
        The table's ``reference`` value to show (a unique prefix is enough, e.g.
        ``"general"``). By default ``"rest"`` (the group against all other groups) when the
        table has it, otherwise its general-Russian comparison.
    n : int, default 10
        Terms per side: the ``n`` highest z (over-used in ``group``) and the ``n`` lowest
        (over-used on the other side).
    exclude : iterable of str, optional
        Terms not to show, e.g. function words; they stay in the table.
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per term; the tick labels are the terms.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A"] * 3 + ["B"] * 3, "reference": "rest",
    ...     "term": ["газ", "нефть", "мир"] * 2, "z": [2.0, 0.5, -1.5, -2.0, -0.5, 1.5]})
    >>> ax = keyness_terms(table, n=1, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['мир', 'газ']
    """
    function = "keyness_terms"
    if n < 1:
        raise InputError(f"{function}(): n must be at least 1, got {n}")
    group, other, ref = _comparison(table, group, reference, function)
    palette = resolve_colors(table["group"], colors, function)
    other_color = palette.get(other, REFERENCE_COLOR)
    rows = table[table["reference"].astype(str) == ref]
    rows = rows[(_groups(rows) == group) & np.isfinite(rows["z"].astype(float))]
    rows = rows.assign(term=rows["term"].astype(str), z=rows["z"].astype(float))
    if exclude is not None:
        rows = rows[~rows["term"].isin(set(exclude))]
    high = rows[rows["z"] > 0].sort_values(["z", "term"], ascending=[False, True]).head(n)
    low = rows[rows["z"] < 0].sort_values(["z", "term"], ascending=[True, True]).head(n)
    shown = pd.concat([high, low.iloc[::-1]])  # top to bottom: strongest of group first
    bar_colors = [palette[group] if z > 0 else other_color for z in shown["z"]]
    y = np.arange(len(shown))[::-1]
    with plot_style():
        ax = new_axes(ax, (6.5, 1.2 + 0.26 * max(len(shown), 1)))
        ax.barh(y, shown["z"], color=bar_colors, height=0.75)
        ax.set_yticks(range(len(shown)), list(shown["term"])[::-1])  # bottom-up, as y
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.grid(axis="y", visible=False)
        prior = rows["prior"].dropna().unique() if "prior" in rows.columns else []
        prior_note = f", prior: {prior[0]}" if len(prior) == 1 else ""
        ax.set_xlabel(f"log-odds z (Monroe et al.{prior_note})")
        ax.set_ylabel("")
        ax.set_title(f"Key terms: {group} vs {other}")
        handles = [Patch(color=palette[group]), Patch(color=other_color)]
        legend_outside(ax, "more frequent in", handles, [group, other])
    return ax


def keyness_comparison(
    table: pd.DataFrame, group: str | None = None, reference: str | None = None
) -> tuple[str, str]:
    """The two sides :func:`keyness_terms` shows for these arguments: ``(group, other)``.

    ``other`` is the second group when ``reference`` is "rest" and there are two groups,
    "the other groups" with more, else the reference corpus (e.g. general Russian).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"group": ["B", "A"], "reference": "rest", "term": "мир", "z": 1.0})
    >>> keyness_comparison(table)
    ('A', 'B')
    """
    group, other, _ = _comparison(table, group, reference, "keyness_comparison")
    return group, other


def _comparison(
    table: pd.DataFrame, group: str | None, reference: str | None, function: str
) -> tuple[str, str, str]:
    require_columns(table, ["group", "reference", "term", "z"], "keyness", function)
    references = list(dict.fromkeys(table["reference"].astype(str)))
    ref = _pick_reference(references, reference, function)
    in_comparison = sorted(set(_groups(table[table["reference"].astype(str) == ref])))
    group = in_comparison[0] if group is None else str(group)
    if group not in in_comparison:
        raise InputError(
            f"{function}(): no group {group!r} in the {ref!r} comparison",
            hint=f"use one of: {', '.join(in_comparison)}",
        )
    if ref == "rest" and len(in_comparison) == 2:
        other = next(g for g in in_comparison if g != group)
    elif ref == "rest":
        other = "the other groups"
    else:
        other = ref
    return group, other, ref


def _pick_reference(references: list[str], wanted: str | None, function: str) -> str:
    if wanted is None:
        if "rest" in references:
            return "rest"
        general = [r for r in references if r.startswith("general")]
        return (general or references)[0]
    if wanted in references:
        return wanted
    matches = [r for r in references if r.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    raise InputError(
        f"{function}(): reference {wanted!r} is not in the table",
        hint=f"use one of: {', '.join(references)}",
    )


def actor_agency(
    table: pd.DataFrame,
    *,
    method: str | None = None,
    min_mentions: int = 3,
    ax: Axes | None = None,
    colors: Mapping[str, Any] | None = None,
    legend_title: str | None = "group",
) -> Axes:
    """Actor agency by group: share of each actor's mentions as agent (right) and patient (left).

    Mentions that are neither (possessor, modifier, oblique, unknown) make up the rest of
    each bar's 100%; the number of mentions is printed next to the agent bar.

    Parameters
    ----------
    table : pandas.DataFrame
        ``report["actor_agency"]``.
    method : str, optional
        Which ``method`` rows to show when the table holds several; required then.
    min_mentions : int, default 3
        Show actors with at least this many mentions in some group (shares of one or two
        mentions are noise).
    ax, colors, legend_title
        As in :func:`stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars (agent, patient) per actor and group.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A", "B"], "actor": ["eu", "eu"],
    ...     "mentions": [10, 4], "agent": [5, 1], "patient": [2, 2]})
    >>> len(actor_agency(table, ax=Figure().subplots()).patches)
    4
    """
    function = "actor_agency"
    require_columns(
        table, ["group", "actor", "mentions", "agent", "patient"], "actor_agency", function
    )
    rows = table
    if "method" in table.columns:
        methods = list(dict.fromkeys(table["method"].astype(str)))
        if method is None and len(methods) > 1:
            raise InputError(
                f"{function}(): the table mixes methods {methods}",
                hint="choose one with method=...",
            )
        if method is not None:
            if method not in methods:
                raise InputError(
                    f"{function}(): no rows with method {method!r}",
                    hint=f"use one of: {', '.join(methods)}",
                )
            rows = table[table["method"].astype(str) == method]
        method = methods[0] if method is None else method
    palette = resolve_colors(table["group"], colors, function)
    most = rows.groupby("actor", sort=False)["mentions"].max()
    totals = rows.groupby("actor", sort=False)["mentions"].sum()
    keep = totals[most >= min_mentions].sort_values(ascending=False, kind="stable")
    order = list(keep.index)
    if not order:
        raise InputError(
            f"{function}(): no actor has {min_mentions} or more mentions in any group",
            hint="lower min_mentions",
        )
    position = {a: len(order) - 1 - i for i, a in enumerate(order)}
    height = 0.8 / len(palette)
    groups = _groups(rows)
    with plot_style():
        ax = new_axes(ax, (7.0, 1.4 + 0.3 * len(order) * max(1.5, len(palette) / 1.5)))
        for group, offset in zip(palette, dodge(len(palette)), strict=True):
            part = rows[(groups == group) & rows["actor"].isin(order)]
            y = np.array([position[a] for a in part["actor"]], dtype=float) - offset
            mentions = part["mentions"].to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                agent = np.where(mentions > 0, part["agent"] / mentions, 0.0)
                patient = np.where(mentions > 0, part["patient"] / mentions, 0.0)
            color = palette[group]
            ax.barh(y, agent, height=height * 0.95, color=color, label=group)
            ax.barh(
                y,
                -patient,
                height=height * 0.95,
                color=color,
                alpha=0.45,
                hatch="///",
                edgecolor=color,
                linewidth=0,
            )
            for yy, xx, m in zip(y, agent, mentions, strict=True):
                ax.text(xx + 0.015, yy, f"n={int(m)}", va="center", fontsize="x-small", color="0.3")
        ax.set_yticks(range(len(order)), [pretty(a) for a in reversed(order)])
        ax.set_ylim(-0.6, len(order) - 0.4)
        ax.set_xlim(-1.0, 1.2)  # room right of 100% for the "n=" labels
        ax.set_xticks(np.linspace(-1.0, 1.0, 9))
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0%}"))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("share of the actor's mentions:  ← as patient   |   as agent →")
        ax.set_ylabel("")
        how = f", {method} method" if method else ""
        ax.set_title(f"Actor agency by {legend_title or 'group'}{how}")
        handles = [Patch(color=palette[g]) for g in palette]
        labels = list(palette)
        handles += [Patch(facecolor="0.5"), Patch(facecolor="0.8", hatch="///", edgecolor="0.5")]
        labels += ["agent", "patient"]
        legend_outside(ax, legend_title, handles, labels)
    return ax
