"""The actor agency figure: each actor's mentions as agent and as patient, by group.

Takes ``report["actor_agency"]`` (or :func:`kzdiscourse.measures.actors.actor_agency`) and
returns the Axes it drew on, like every function of :mod:`kzdiscourse.plots`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from kzdiscourse._deprecation import warn_deprecated
from kzdiscourse.agency import method_label
from kzdiscourse.errors import InputError
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

__all__ = ["actor_agency"]


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

    The bars are the table's ``agent_share`` and ``patient_share`` (of the actor's
    mentions; computed from the counts for a table without them); mentions that are
    neither (possessor, modifier, unknown) make up the rest of each bar's 100%. The number
    of mentions is printed next to the agent bar, and the title names the method as the
    table descriptions do (:func:`kzdiscourse.agency.method_label`).

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
        As in :func:`kzdiscourse.plots.stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars (agent, patient) per actor and group.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> table = pd.DataFrame({"group": ["A", "B"], "category": ["eu", "eu"],
    ...     "mentions": [10, 4], "agent": [5, 1], "patient": [2, 2]})
    >>> len(actor_agency(table, ax=Figure().subplots()).patches)
    4
    """
    function = "actor_agency"
    if isinstance(table, pd.DataFrame) and "actor" in table and "category" not in table:
        warn_deprecated(
            "actor_agency() on a table with an 'actor' column",
            "0.1.0",
            replacement="the 'category' column of report['actor_agency']",
        )
        table = table.rename(columns={"actor": "category"})
    require_columns(
        table, ["group", "category", "mentions", "agent", "patient"], "actor_agency", function
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
    most = rows.groupby("category", sort=False)["mentions"].max()
    totals = rows.groupby("category", sort=False)["mentions"].sum()
    keep = totals[most >= min_mentions].sort_values(ascending=False, kind="stable")
    order = list(keep.index)
    if not order:
        raise InputError(
            f"{function}(): no actor has {min_mentions} or more mentions in any group",
            hint="lower min_mentions",
        )
    position = {a: len(order) - 1 - i for i, a in enumerate(order)}
    height = 0.8 / len(palette)
    groups = rows["group"].astype(str)
    with plot_style():
        ax = new_axes(ax, (7.0, 1.4 + 0.3 * len(order) * max(1.5, len(palette) / 1.5)))
        for group, offset in zip(palette, dodge(len(palette)), strict=True):
            part = rows[(groups == group) & rows["category"].isin(order)]
            y = np.array([position[a] for a in part["category"]], dtype=float) - offset
            mentions = part["mentions"].to_numpy(dtype=float)
            agent, patient = _shares(part, mentions)
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
        ax.set_yticks(range(len(order)), [table_label(a) for a in reversed(order)])
        ax.set_ylim(-0.6, len(order) - 0.4)
        ax.set_xlim(-1.0, 1.2)  # room right of 100% for the "n=" labels
        ax.set_xticks(np.linspace(-1.0, 1.0, 9))
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0%}"))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("share of the actor's mentions:  ← as patient   |   as agent →")
        ax.set_ylabel("")
        how = f": {method_label(method)}" if method else ""
        ax.set_title(f"Actor agency by {legend_title or 'group'}{how}")
        handles = [Patch(color=palette[g]) for g in palette]
        labels = list(palette)
        handles += [Patch(facecolor="0.5"), Patch(facecolor="0.8", hatch="///", edgecolor="0.5")]
        labels += ["agent", "patient"]
        legend_outside(ax, legend_title, handles, labels)
    return ax


def _shares(part: pd.DataFrame, mentions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The table's agent and patient shares of mentions (0 where there are none)."""
    if {"agent_share", "patient_share"} <= set(part.columns):
        agent = part["agent_share"].to_numpy(dtype=float)
        patient = part["patient_share"].to_numpy(dtype=float)
    else:  # a table without the share columns: the same quantities from the counts
        with np.errstate(invalid="ignore", divide="ignore"):
            agent = part["agent"].to_numpy(dtype=float) / mentions
            patient = part["patient"].to_numpy(dtype=float) / mentions
    return np.nan_to_num(agent, nan=0.0), np.nan_to_num(patient, nan=0.0)
