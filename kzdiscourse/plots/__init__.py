"""Figures for kzdiscourse tables (seaborn look, matplotlib object API).

Each function takes one table exactly as :func:`kzdiscourse.compare` returns it and returns
the matplotlib Axes it drew on. Importing ``kzdiscourse`` does not import this module or
matplotlib; ``import kzdiscourse.plots`` does. No function changes matplotlib's global state:
the style (seaborn whitegrid, DejaVu Sans for Cyrillic) is applied with ``rc_context`` inside
each call. Groups get the same colour in every figure (:func:`group_colors`).

Examples
--------
>>> import kzdiscourse as kzd
>>> from kzdiscourse import plots
>>> report = kzd.compare(kzd.load_seeds(), measures=["stance"])
>>> from matplotlib.figure import Figure
>>> ax = plots.stance_shares(report["stance_rates"], ax=Figure().subplots())
>>> len(ax.patches)  # 2 groups x 4 stance labels
8
"""

from kzdiscourse.plots.agency import actor_agency
from kzdiscourse.plots.charts import (
    category_rates,
    frame_rates,
    metadiscourse_rates,
    stance_shares,
    topic_prevalence,
)
from kzdiscourse.plots.keyness import keyness_terms
from kzdiscourse.plots.registry import FIGURES, FigureSpec
from kzdiscourse.plots.style import REFERENCE_COLOR, group_colors, plot_style

__all__ = [
    "FIGURES",
    "REFERENCE_COLOR",
    "FigureSpec",
    "actor_agency",
    "category_rates",
    "frame_rates",
    "group_colors",
    "keyness_terms",
    "metadiscourse_rates",
    "plot_style",
    "stance_shares",
    "topic_prevalence",
]
