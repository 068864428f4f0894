"""Figures of a Report: which exist, what they need, how to draw and save them.

Each :class:`FigureSpec` names the Report tables it needs; a Report shows every figure
whose tables it holds, so a new measure plugs in its figures by adding an entry to
:data:`FIGURES`. Figures are drawn on detached :class:`matplotlib.figure.Figure` objects
(never pyplot) and written with fixed metadata, so the SVG bytes are the same on every
save in the same environment.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.plots import charts
from kzdiscourse.plots.style import detached_figures, group_colors, plot_style

__all__ = [
    "FIGURES",
    "FigureSpec",
    "available_figures",
    "caption",
    "draw",
    "figure_bytes",
    "report_colors",
]

#: Resolution of saved PNG files (dots per inch).
PNG_DPI = 150

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class FigureSpec:
    """A figure a Report can show.

    Attributes
    ----------
    title : str
        Short heading for ``report.md``.
    caption : str or callable
        One or two sentences for ``report.md`` and the manifest, or
        ``caption(tables) -> str`` when it depends on the data (see :func:`caption`).
    tables : tuple of str
        The Report tables it is drawn from (all must be present).
    draw : callable
        ``draw(tables, ax=..., colors=..., legend_title=...) -> Axes``.
    headline : bool
        Shown as a thumbnail in the notebook overview.
    drawable : callable, optional
        ``drawable(tables) -> bool``: whether the tables hold anything to draw; by default,
        whether every table has rows.
    """

    title: str
    caption: str | Callable[[Tables], str]
    tables: tuple[str, ...]
    draw: Callable[..., Any]
    headline: bool = False
    drawable: Callable[[Tables], bool] | None = None


def _stance(tables: Tables, **kw: Any) -> Any:
    return charts.stance_shares(tables["stance_profile"], **kw)


def _frames(tables: Tables, **kw: Any) -> Any:
    return charts.frame_rates(tables["frames"], **kw)


def _function_words() -> tuple[frozenset[str], str]:
    from kzdiscourse.resources import load_resource

    resource = load_resource("stopwords_ru")
    return frozenset(str(w) for w in resource.data["words"]), str(resource.version)


def _keyness(tables: Tables, **kw: Any) -> Any:
    words, _ = _function_words()
    return charts.keyness_terms(tables["keyness"], exclude=words, **kw)


def _keyness_caption(tables: Tables) -> str:
    group, other = charts.keyness_comparison(tables["keyness"])
    _, version = _function_words()
    return (
        f"The 10 lemmas most over-used in {group} and the 10 most over-used in {other} "
        f"({group} against {other}), by log-odds z with an informative prior (Monroe et al.). "
        f"Function words (stopwords_ru {version}) are left out of the figure, not the "
        "keyness table, which also holds the other comparisons."
    )


def _topics(tables: Tables, **kw: Any) -> Any:
    return charts.topic_prevalence(tables["topic_prevalence"], terms=tables["topic_terms"], **kw)


#: Actors shown in the report's agency figure need this many mentions in some group …
AGENCY_MIN_MENTIONS = 3


def _agency_min(tables: Tables) -> int:
    # … unless no actor has that many: then every mentioned actor is shown
    most = int(tables["actor_agency"]["mentions"].max())
    return AGENCY_MIN_MENTIONS if most >= AGENCY_MIN_MENTIONS else 1


def _agency(tables: Tables, **kw: Any) -> Any:
    return charts.actor_agency(tables["actor_agency"], min_mentions=_agency_min(tables), **kw)


def _agency_caption(tables: Tables) -> str:
    return (
        "Share of each actor's mentions as grammatical agent (right) and patient (left), by "
        f"group; actors with at least {_agency_min(tables)} mention(s) in some group; "
        "n = mentions."
    )


def _agency_drawable(tables: Tables) -> bool:
    table = tables["actor_agency"]
    return not table.empty and bool((table["mentions"] > 0).any())


def _metadiscourse(tables: Tables, **kw: Any) -> Any:
    return charts.metadiscourse_rates(tables["metadiscourse"], **kw)


#: The figures, in Report order.
FIGURES: dict[str, FigureSpec] = {
    "stance_shares": FigureSpec(
        "Stance by group",
        "Share of sentences per stance label and group (classify-and-count, lexicon scorer), "
        "with 95% bootstrap intervals over paragraphs.",
        ("stance_profile",),
        _stance,
        headline=True,
    ),
    "frame_rates": FigureSpec(
        "Frames by group",
        "Frame hits per 1,000 word tokens by group, most frequent frame on top, with 95% "
        "bootstrap intervals over sentences.",
        ("frames",),
        _frames,
        headline=True,
    ),
    "metadiscourse_rates": FigureSpec(
        "Metadiscourse by group",
        "Metadiscourse markers per 1,000 word tokens by group and category, with 95% "
        "bootstrap intervals over sentences.",
        ("metadiscourse",),
        _metadiscourse,
    ),
    "actor_agency": FigureSpec(
        "Actor agency by group",
        _agency_caption,
        ("actor_agency",),
        _agency,
        drawable=_agency_drawable,
    ),
    "keyness_terms": FigureSpec(
        "Key terms",
        _keyness_caption,
        ("keyness",),
        _keyness,
        headline=True,
    ),
    "topic_prevalence": FigureSpec(
        "Topic prevalence by group",
        "Share of each group's vocabulary tokens assigned to each LDA topic (labelled by its "
        "three most relevant terms), with 95% bootstrap intervals over units.",
        ("topic_prevalence", "topic_terms"),
        _topics,
    ),
}


def caption(name: str, tables: Tables) -> str:
    """The caption of figure ``name`` for these tables."""
    text = FIGURES[name].caption
    return text if isinstance(text, str) else text(tables)


def available_figures(tables: Tables) -> list[str]:
    """Names of the figures ``tables`` can draw, in :data:`FIGURES` order.

    A figure is available when all its tables are present and hold something to draw
    (e.g. no topic figure when the corpus was too small for a topic model).
    """
    names = []
    for name, spec in FIGURES.items():
        if not all(t in tables for t in spec.tables):
            continue
        if spec.drawable is not None:
            ok = spec.drawable(tables)
        else:
            ok = all(not tables[t].empty for t in spec.tables)
        if ok:
            names.append(name)
    return names


def report_colors(tables: Tables) -> dict[str, str]:
    """One colour per group across all of a report's tables (see ``group_colors``)."""
    labels: set[str] = set()
    for table in tables.values():
        if "group" in table.columns:
            labels.update(str(g) for g in table["group"].dropna().unique())
    return group_colors(labels)


def draw(name: str, tables: Tables, *, by: str | None = None, ax: Any = None) -> Any:
    """Draw figure ``name`` from a report's tables; returns the Axes."""
    if name not in FIGURES:
        raise InputError(f"no figure named {name!r}", hint=f"available: {', '.join(FIGURES)}")
    spec = FIGURES[name]
    missing = [t for t in spec.tables if t not in tables]
    if missing:
        raise InputError(
            f"figure {name!r} needs table(s) {missing}, which this report does not have",
            hint="run compare() with the measures that make them",
        )
    return spec.draw(tables, ax=ax, colors=report_colors(tables), legend_title=by)


def figure_bytes(
    name: str, tables: Tables, fmt: str, *, by: str | None = None, dpi: int = PNG_DPI
) -> bytes:
    """Figure ``name`` as PNG or SVG bytes (drawn off pyplot; fixed metadata, so stable)."""
    metadata: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None}}[fmt]
    with detached_figures():
        ax = draw(name, tables, by=by)
    buffer = io.BytesIO()
    with plot_style():  # svg.hashsalt must be set while writing
        ax.figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, bbox_inches="tight")
    return buffer.getvalue()
