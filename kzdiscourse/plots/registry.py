"""Figures of a Report: which exist, what they need, how to draw and save them.

Each measure declares its figures (:class:`~kzdiscourse.measures.FigureSpec`: the Report
tables it needs, a title, a caption, how to draw it) next to its tables, in its own module;
this module reads them from the measure registry (:data:`FIGURES`) or from a Report's own
measures (``specs=``), so a user's measure brings its figures with it. Figures are drawn on
detached :class:`matplotlib.figure.Figure` objects (never pyplot) and written with fixed
metadata, so the SVG bytes are the same on every save in the same environment.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import FigureSpec
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
Specs = Mapping[str, FigureSpec]


class _RegisteredFigures(Mapping[str, FigureSpec]):
    """Figure name → spec of every registered measure, in Report order (read live)."""

    def _specs(self) -> dict[str, FigureSpec]:
        from kzdiscourse.measures.registry import REGISTRY

        return REGISTRY.figures()

    def __getitem__(self, name: str) -> FigureSpec:
        return self._specs()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs())

    def __len__(self) -> int:
        return len(self._specs())

    def __repr__(self) -> str:
        return f"FIGURES({list(self)})"


#: The figures of the registered measures, in Report order.
FIGURES: Mapping[str, FigureSpec] = _RegisteredFigures()


def caption(name: str, tables: Tables, specs: Specs | None = None) -> str:
    """The caption of figure ``name`` for these tables."""
    return _spec(name, specs).caption_for(tables)


def available_figures(tables: Tables, specs: Specs | None = None) -> list[str]:
    """Names of the figures ``tables`` can draw, in Report order.

    A figure is available when all its tables are present and hold something to draw
    (e.g. no topic figure when the corpus was too small for a topic model).
    """
    specs = FIGURES if specs is None else specs
    return [name for name, spec in specs.items() if spec.can_draw(tables)]


def report_colors(tables: Tables) -> dict[str, str]:
    """One colour per group across all of a report's tables (see ``group_colors``)."""
    labels: set[str] = set()
    for table in tables.values():
        if "group" in table.columns:
            labels.update(str(g) for g in table["group"].dropna().unique())
    return group_colors(labels)


def _spec(name: str, specs: Specs | None) -> FigureSpec:
    specs = FIGURES if specs is None else specs
    if name not in specs:
        raise InputError(f"no figure named {name!r}", hint=f"available: {', '.join(specs)}")
    return specs[name]


def draw(
    name: str,
    tables: Tables,
    *,
    by: str | None = None,
    ax: Any = None,
    specs: Specs | None = None,
) -> Any:
    """Draw figure ``name`` from a report's tables; returns the Axes."""
    spec = _spec(name, specs)
    missing = [t for t in spec.tables if t not in tables]
    if missing:
        raise InputError(
            f"figure {name!r} needs table(s) {missing}, which this report does not have",
            hint="run compare() with the measures that make them",
        )
    return spec.draw(tables, ax=ax, colors=report_colors(tables), legend_title=by)


def figure_bytes(
    name: str,
    tables: Tables,
    fmt: str,
    *,
    by: str | None = None,
    dpi: int = PNG_DPI,
    specs: Specs | None = None,
) -> bytes:
    """Figure ``name`` as PNG or SVG bytes (drawn off pyplot; fixed metadata, so stable)."""
    metadata: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None}}[fmt]
    with detached_figures():
        ax = draw(name, tables, by=by, specs=specs)
    buffer = io.BytesIO()
    with plot_style():  # svg.hashsalt must be set while writing
        ax.figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, bbox_inches="tight")
    return buffer.getvalue()
