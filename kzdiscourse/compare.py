"""compare(): run the measures on a corpus and collect their tables in a Report.

The measures come from the registry (:mod:`kzdiscourse.measures`): each is an object with
its tables (and their descriptions), ``run``, ``describe`` and its figures, so this module
knows nothing about any one of them. A user's measure plugs in with
``compare(measures=[..., my_measure])`` or :func:`kzdiscourse.measures.register`.

Examples
--------
>>> import kzdiscourse as kzd
>>> report = kzd.compare(kzd.load_seeds(), by="outlet", seed=0, measures=["summary"])
>>> list(report.tables)
['corpus_summary']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from kzdiscourse._deprecation import keyword_only
from kzdiscourse.cluster import check_engine
from kzdiscourse.corpus import Corpus
from kzdiscourse.errors import InputError
from kzdiscourse.manifest import environment, inputs
from kzdiscourse.measures.base import check_output
from kzdiscourse.measures.registry import REGISTRY
from kzdiscourse.params import check_compare
from kzdiscourse.parsed import Parsed, document_groups
from kzdiscourse.report import Report
from kzdiscourse.word_index import shared_word_indexes

__all__ = ["PROGRESS_MIN_CHARS", "PROGRESS_MIN_DOCUMENTS", "compare"]

#: With ``progress=None``, compare() shows a progress bar from this many documents on …
PROGRESS_MIN_DOCUMENTS = 200
#: … or from this many characters of text on; below both it is silent.
PROGRESS_MIN_CHARS = 1_000_000


class _NoBar:
    def set_description(self, desc: str) -> None:
        pass

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(documents: pd.DataFrame, progress: bool | None, steps: int) -> Any:
    """A tqdm.auto bar over ``steps`` (tqdm imported only when a bar is shown)."""
    if progress is None:
        chars = int(documents["text"].str.len().sum()) if len(documents) else 0
        progress = len(documents) >= PROGRESS_MIN_DOCUMENTS or chars >= PROGRESS_MIN_CHARS
    if not progress:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=steps, unit="step", desc="kzdiscourse")


@keyword_only(since="0.1.0", positional=2)
def compare(
    data: Corpus | Parsed,
    by: str = "outlet",
    *,
    seed: int = 0,
    measures: Iterable[Any] | None = None,
    profile: str = "auto",
    n_jobs: int = 1,
    progress: bool | None = None,
    engine: str = "local",
    client: Any = None,
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
    measures : iterable of str or Measure, optional
        The measures to run: names of registered measures
        (:func:`kzdiscourse.measures.names`) and measure objects (a
        :class:`~kzdiscourse.measures.DictionaryMeasure` of your own, …). Registered ones
        run in registry order, others after them in the order given; every registered
        measure by default.
    profile : str, default "auto"
        Cleaning profile, used only when ``data`` is a raw corpus.
    n_jobs : int, default 1
        Worker processes for parsing.
    progress : bool or None, default None
        Show a progress bar (``tqdm.auto``, so it renders in Jupyter) over cleaning,
        parsing and the measures. ``None`` shows it for corpora large enough to wait for —
        at least :data:`PROGRESS_MIN_DOCUMENTS` (200) documents or
        :data:`PROGRESS_MIN_CHARS` (1,000,000) characters — and stays silent otherwise;
        ``True`` / ``False`` force it on or off.
    engine : {"local", "dask"}, default "local"
        Where parsing runs (see :meth:`kzdiscourse.Corpus.parse`); tables are identical.
    client : distributed.Client, optional
        The Dask cluster for ``engine="dask"``.

    Returns
    -------
    Report
    """
    check_compare(seed=seed, n_jobs=n_jobs, profile=profile, progress=progress, by=by)
    check_engine(engine, client)
    if isinstance(data, (Corpus, Parsed)):
        # fail early, before any parsing, on an unknown or incomplete grouping column
        document_groups(data.documents, by)
    else:
        raise InputError(
            f"compare() takes a Corpus or a Parsed, got {type(data).__name__}",
            hint="load texts with kzdiscourse.Corpus.from_folder(...) or load_seeds()",
        )
    chosen = REGISTRY.resolve(measures)
    steps = [m.name for m in chosen]
    if isinstance(data, Corpus):
        steps = ([] if data.is_cleaned else ["clean"]) + ["parse", *steps]
    bar = _progress_bar(data.documents, progress, len(steps))
    if isinstance(data, Corpus):
        corpus = data
        if not data.is_cleaned:
            bar.set_description("kzdiscourse: clean")
            corpus = data.clean(profile=profile)
            bar.update()
        bar.set_description("kzdiscourse: parse")
        parsed = corpus.parse(n_jobs=n_jobs, engine=engine, client=client)
        bar.update()
    else:
        parsed = data
    groups = parsed.groups(by)
    tables: dict[str, pd.DataFrame] = {}
    descriptions: dict[str, str] = {}
    key_tables: list[Any] = []
    table_measures: dict[str, str] = {}
    summary = [f"Compared {len(groups)} documents in {groups.nunique()} groups by {by!r}."]
    # every dictionary the measures match shares one index of the corpus's words
    with shared_word_indexes():
        for measure in chosen:
            bar.set_description(f"kzdiscourse: {measure.name}")
            # measures run in this process (engine="dask" parses on the cluster)
            produced = check_output(measure, measure.run(parsed, by=by, seed=seed, engine="local"))
            bar.update()
            tables.update(produced)
            descriptions.update({t.name: t.description for t in measure.tables})
            table_measures.update({t.name: measure.name for t in measure.tables})
            summary.extend(measure.describe(produced))
            key = measure.key_table(produced) if hasattr(measure, "key_table") else None
            if key is not None:
                key_tables.append(key)
    bar.set_description("kzdiscourse: done")
    bar.close()
    manifest: dict[str, Any] = environment()
    manifest["parameters"] = {
        "by": by,
        "seed": int(seed),
        "measures": [m.name for m in chosen],
        "profile": profile,
        "n_jobs": int(n_jobs),
        "engine": engine,
    }
    # settings a measure chose for this run (e.g. the agency method), as it reports them
    chosen_parameters = {
        m.name: dict(m.parameters) for m in chosen if getattr(m, "parameters", None)
    }
    if chosen_parameters:
        manifest["parameters"]["measure_parameters"] = chosen_parameters
    manifest["inputs"] = inputs(parsed.sources, parsed.cleaning)
    skipped = getattr(data, "skipped", None)  # files a folder load left out, with reasons
    if skipped is not None and len(skipped):
        manifest["skipped"] = skipped.astype(str).to_dict(orient="records")
    # how lemmas and tags were chosen (in context or not, and the model)
    manifest["lemmatization"] = (
        parsed.lemmatization
        if parsed.lemmatization is not None
        else {"disambiguation": "unknown (the Parsed given does not record it)"}
    )
    return Report(
        tables=tables,
        descriptions=descriptions,
        manifest=manifest,
        summary_lines=summary,
        figure_specs=REGISTRY.figures(chosen),
        key_tables=key_tables,
        table_measures=table_measures,
    )


def __getattr__(name: str) -> Any:
    if name == "MEASURES":
        from kzdiscourse._deprecation import warn_deprecated

        warn_deprecated(
            "kzdiscourse.compare.MEASURES", "0.1.0", replacement="kzdiscourse.measures.registered()"
        )
        return {m.name: m for m in REGISTRY.measures()}
    raise AttributeError(f"module 'kzdiscourse.compare' has no attribute {name!r}")
