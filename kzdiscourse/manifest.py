"""Provenance records: what produced a set of tables.

Examples
--------
>>> from kzdiscourse.manifest import environment
>>> env = environment()
>>> sorted(env)  # doctest: +NORMALIZE_WHITESPACE
['dependencies', 'kzdiscourse', 'morphology', 'pipeline_version', 'platform', 'python',
 'resources', 'stance_model']
"""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from kzdiscourse._version import __version__

__all__ = ["DEPENDENCIES", "environment", "inputs"]

#: Packages whose versions are recorded in every manifest.
DEPENDENCIES = (
    "pymorphy3",
    "pymorphy3-dicts-ru",
    "dawg2",
    "razdel",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "gensim",
    "seaborn",
    "matplotlib",
    "pyarrow",
    "pyyaml",
    "joblib",
    "wordfreq",
)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def environment() -> dict[str, Any]:
    """kzdiscourse, Python, platform and dependency versions, the bundled resources and the
    shipped stance model (the default stance scorer: its file hash and training data)."""
    from kzdiscourse.nlp import PIPELINE_VERSION, analyzer_info
    from kzdiscourse.resources import resource_table
    from kzdiscourse.stance.model_file import shipped_model_record

    return {
        "kzdiscourse": __version__,
        "pipeline_version": PIPELINE_VERSION,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "dependencies": {pkg: _version(pkg) for pkg in DEPENDENCIES},
        "morphology": analyzer_info(),
        "resources": resource_table(),
        "stance_model": shipped_model_record(),
    }


def inputs(sources: Any, cleaning: Any | None) -> list[dict[str, Any]]:
    """One record per input document: doc_id, source, SHA-256, length, cleaning profile."""
    profiles = {}
    if cleaning is not None:
        profiles = dict(zip(cleaning["doc_id"], cleaning["profile"], strict=True))
    return [
        {
            "doc_id": str(row.doc_id),
            "source": str(row.source),
            "sha256": str(row.sha256),
            "chars": int(row.chars),
            "cleaning_profile": profiles.get(row.doc_id, "not cleaned"),
        }
        for row in sources.itertuples(index=False)
    ]
