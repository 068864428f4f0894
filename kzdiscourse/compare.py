"""compare(): run the measures on a corpus and collect their tables in a Report.

Each measure is a function ``f(parsed, by=..., seed=...) -> dict[str, DataFrame]``
registered in :data:`MEASURES` with a one-line description of every table it returns;
later measures (stance, framing, topics, …) plug in by adding an entry.

Examples
--------
>>> import kzdiscourse as kzd
>>> report = kzd.compare(kzd.load_seeds(), by="outlet", seed=0, measures=["summary"])
>>> list(report.tables)
['corpus_summary']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kzdiscourse.corpus import Corpus
from kzdiscourse.errors import InputError
from kzdiscourse.manifest import environment, inputs
from kzdiscourse.parsed import Parsed, document_groups
from kzdiscourse.report import Report

__all__ = ["MEASURES", "Measure", "compare"]


@dataclass(frozen=True)
class Measure:
    """A registered measure: the function and the tables it returns, with descriptions."""

    run: Callable[..., dict[str, pd.DataFrame]]
    tables: tuple[tuple[str, str], ...]


def _summary(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.summary import corpus_summary

    return {"corpus_summary": corpus_summary(parsed, by=by)}


def _coverage(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.summary import coverage

    return {"coverage": coverage(parsed, by=by)}


def _topics(parsed: Parsed, by: str, seed: int) -> dict[str, pd.DataFrame]:
    from kzdiscourse.topics.measure import run

    return run(parsed, by=by, seed=seed)


def _topic_tables() -> tuple[tuple[str, str], ...]:
    from kzdiscourse.topics.measure import TABLES

    return TABLES


#: The measures compare() knows, in the order their tables appear in the Report.
MEASURES: dict[str, Measure] = {
    "summary": Measure(
        _summary,
        (
            (
                "corpus_summary",
                "Size per document, per group and overall: paragraphs, sentences, word tokens, "
                "types, lemmas, references and citations.",
            ),
        ),
    ),
    "coverage": Measure(
        _coverage,
        (
            (
                "coverage",
                "Characters kept and removed by cleaning, per document and reason; each "
                "document's rows add up to its length as loaded.",
            ),
        ),
    ),
    "topics": Measure(_topics, _topic_tables()),
}


def compare(
    data: Corpus | Parsed,
    by: str = "outlet",
    seed: int = 0,
    measures: Iterable[str] | None = None,
    profile: str = "auto",
    n_jobs: int = 1,
) -> Report:
    """Compare groups of documents with every available measure.

    Parameters
    ----------
    data : Corpus or Parsed
        A raw corpus (cleaned with ``profile`` and parsed here), a cleaned corpus (parsed
        here), or a parsed corpus.
    by : str, default "outlet"
        Metadata column defining the groups (``"doc_id"`` compares documents).
    seed : int, default 0
        The one seed every random step (bootstrap, topic models, CV splits) derives from.
    measures : iterable of str, optional
        Subset of :data:`MEASURES` to run; all by default.
    profile : str, default "auto"
        Cleaning profile, used only when ``data`` is a raw corpus.
    n_jobs : int, default 1
        Worker processes for parsing.

    Returns
    -------
    Report
    """
    if isinstance(data, (Corpus, Parsed)):
        # fail early, before any parsing, on an unknown or incomplete grouping column
        document_groups(data.documents, by)
    if isinstance(data, Corpus):
        corpus = data if data.is_cleaned else data.clean(profile=profile)
        parsed = corpus.parse(n_jobs=n_jobs)
    elif isinstance(data, Parsed):
        parsed = data
    else:
        raise InputError(
            f"compare() takes a Corpus or a Parsed, got {type(data).__name__}",
            hint="load texts with kzdiscourse.Corpus.from_folder(...) or load_seeds()",
        )
    names = list(MEASURES) if measures is None else list(measures)
    unknown = [m for m in names if m not in MEASURES]
    if unknown:
        raise InputError(f"unknown measure(s) {unknown}", hint=f"available: {', '.join(MEASURES)}")
    tables: dict[str, pd.DataFrame] = {}
    descriptions: dict[str, str] = {}
    for name in [m for m in MEASURES if m in names]:
        measure = MEASURES[name]
        produced = measure.run(parsed, by=by, seed=seed)
        for table_name, description in measure.tables:
            tables[table_name] = produced[table_name]
            descriptions[table_name] = description
    manifest: dict[str, Any] = environment()
    manifest["parameters"] = {
        "by": by,
        "seed": int(seed),
        "measures": [m for m in MEASURES if m in names],
        "profile": profile,
        "n_jobs": int(n_jobs),
    }
    manifest["inputs"] = inputs(parsed.sources, parsed.cleaning)
    return Report(tables=tables, descriptions=descriptions, manifest=manifest)
