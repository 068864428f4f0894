"""The keyness figure: the most over-used terms on each side of one comparison.

Takes ``report["keyness_tests"]`` (or the same columns from
:func:`kzdiscourse.measures.keyness.keyness_tests`) and returns the Axes it drew on, like
every function of :mod:`kzdiscourse.plots`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from kzdiscourse.canonical import canonical
from kzdiscourse.errors import InputError
from kzdiscourse.plots.style import (
    REFERENCE_COLOR,
    legend_outside,
    new_axes,
    plot_style,
    require_columns,
    resolve_colors,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["keyness_comparison", "keyness_terms", "significance_note"]


def _groups(table: pd.DataFrame) -> pd.Series:
    return table["group"].astype(str)


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
        ``report["keyness_tests"]``.
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
        Terms not to show, e.g. function words; they stay in the table. The Report's
        figure excludes those of
        :func:`kzdiscourse.measures.keyness_summary.is_left_out`.
    ax, colors, legend_title
        As in :func:`kzdiscourse.plots.stance_shares`.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per term; the tick labels are the terms. Terms are ordered by
        ``z`` as written (canonical), ties alphabetically, on both sides; when no tested
        term of the comparison reaches Bonferroni p < 0.05 the title says so.

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
    note = significance_note(rows)
    if exclude is not None:
        rows = rows[~rows["term"].isin(set(exclude))]
    # z as written (canonical), so terms tied in the table are tied here: ties by term
    rows = rows.assign(_z=canonical(rows["z"]))
    high = rows[rows["_z"] > 0].sort_values(["_z", "term"], ascending=[False, True]).head(n)
    low = rows[rows["_z"] < 0].sort_values(["_z", "term"], ascending=[True, True]).head(n)
    low = low.sort_values(["_z", "term"], ascending=[False, True], kind="stable")
    # top to bottom: the group's strongest first, then the other side's, strongest last
    shown = pd.concat([high, low])
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
        title = f"Key terms: {group} vs {other}"
        ax.set_title(f"{title}\n({note})" if note else title)
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
    require_columns(table, ["group", "reference", "term", "z"], "keyness_tests", function)
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


def significance_note(rows: pd.DataFrame, alpha: float = 0.05) -> str:
    """``""`` when a tested term of the comparison reaches Bonferroni p < ``alpha``; else a
    sentence saying that none does, with the largest |z|."""
    if "p_bonferroni" not in rows.columns:
        return ""
    tested = rows[rows["tested"].astype(bool)] if "tested" in rows.columns else rows
    if bool((tested["p_bonferroni"] < alpha).any()):
        return ""
    z = np.abs(tested["z"].astype(float).to_numpy())
    z = z[np.isfinite(z)]
    largest = f" (all |z| ≤ {z.max():.1f})" if z.size else ""
    return f"no term reaches Bonferroni p < {alpha:g}{largest}"
