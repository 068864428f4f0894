"""compare(): run the measures on a corpus and collect their tables in a Report.

The measures come from the registry (:mod:`kzdiscourse.measures`): each is an object with
its tables (and their descriptions), ``run``, ``describe`` and its figures, so this module
knows nothing about any one of them. A user's measure plugs in with
``compare(measures=[..., my_measure])`` or :func:`kzdiscourse.measures.register`.

On a :class:`~kzdiscourse.store.ParsedDataset` the measures map the dataset part by part
and reduce (:mod:`kzdiscourse.measures.dataset_run`), on the workers of a Dask cluster with
``engine="dask"``; the tables are those of the same corpus in memory.

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
from kzdiscourse.measures.dataset_run import check_maps_parts, dataset_tables
from kzdiscourse.measures.registry import REGISTRY
from kzdiscourse.params import check_compare
from kzdiscourse.parsed import Parsed, document_groups
from kzdiscourse.report import Report
from kzdiscourse.store import ParsedDataset
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
        has_text = len(documents) and "text" in documents
        chars = int(documents["text"].str.len().sum()) if has_text else 0
        progress = len(documents) >= PROGRESS_MIN_DOCUMENTS or chars >= PROGRESS_MIN_CHARS
    if not progress:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=steps, unit="step", desc="kzdiscourse")


@keyword_only(since="0.1.0", positional=2)
def compare(
    data: Corpus | Parsed | ParsedDataset,
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
    data : Corpus, Parsed or ParsedDataset
        A raw corpus (cleaned with ``profile`` and parsed here), a cleaned corpus (parsed
        here), a parsed corpus, or a parsed corpus on disk
        (:func:`kzdiscourse.store.write_dataset`), which the measures read one part at a
        time (map) and combine (reduce), so it need not fit in memory: the tables are
        identical to those of the same corpus in memory. Every measure must then have
        ``map_part``/``reduce`` (all built-in ones do; see ``docs/measures.md``).
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
        Where parsing runs (see :meth:`kzdiscourse.Corpus.parse`), and for a
        ``ParsedDataset`` where the measures map its parts (each worker reads its parts
        from the dataset folder, which it must see at the same path); tables are identical.
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
        documents = data.documents
    elif isinstance(data, ParsedDataset):
        documents = data.metadata_table()
        document_groups(documents, by)
    else:
        raise InputError(
            f"compare() takes a Corpus, a Parsed or a ParsedDataset, got {type(data).__name__}",
            hint="load texts with kzdiscourse.Corpus.from_folder(...) or load_seeds()",
        )
    chosen = REGISTRY.resolve(measures)
    if isinstance(data, ParsedDataset):
        check_maps_parts(chosen)
    steps = [m.name for m in chosen]
    if isinstance(data, Corpus):
        steps = ([] if data.is_cleaned else ["clean"]) + ["parse", *steps]
    elif isinstance(data, ParsedDataset):
        steps = [*(["map"] * data.n_parts), *steps]
    bar = _progress_bar(documents, progress, len(steps))
    parsed: Parsed | ParsedDataset
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
    groups = document_groups(documents, by)
    tables: dict[str, pd.DataFrame] = {}
    descriptions: dict[str, str] = {}
    key_tables: list[Any] = []
    table_measures: dict[str, str] = {}
    summary = [f"Compared {len(groups)} documents in {groups.nunique()} groups by {by!r}."]
    by_name = {m.name: m for m in chosen}
    for name, produced in _measure_tables(parsed, chosen, by, seed, engine, client, bar):
        measure = by_name[name]
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
        # what the measures read: a corpus parsed here, a Parsed, or a dataset of parts
        "input": _input_kind(data),
    }
    # settings a measure chose for this run (e.g. the agency method), as it reports them
    chosen_parameters = {
        m.name: dict(m.parameters) for m in chosen if getattr(m, "parameters", None)
    }
    if chosen_parameters:
        manifest["parameters"]["measure_parameters"] = chosen_parameters
    if isinstance(parsed, ParsedDataset):
        cleaning = parsed.read_table("cleaning") if "cleaning" in parsed.tables else None
        manifest["inputs"] = inputs(parsed.read_table("sources"), cleaning)
        lemmatization = parsed.metadata["fingerprint"].get("lemmas")
    else:
        manifest["inputs"] = inputs(parsed.sources, parsed.cleaning)
        lemmatization = parsed.lemmatization
    skipped = getattr(data, "skipped", None)  # files a folder load left out, with reasons
    if skipped is not None and len(skipped):
        manifest["skipped"] = skipped.astype(str).to_dict(orient="records")
    # how lemmas and tags were chosen (in context or not, and the model)
    manifest["lemmatization"] = (
        lemmatization
        if lemmatization is not None
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


def _input_kind(data: Any) -> dict[str, Any]:
    if isinstance(data, ParsedDataset):
        return {"kind": "dataset", "parts": data.n_parts}
    return {"kind": "corpus" if isinstance(data, Corpus) else "parsed", "parts": 1}


def _measure_tables(
    parsed: Parsed | ParsedDataset,
    chosen: list[Any],
    by: str,
    seed: int,
    engine: str,
    client: Any,
    bar: Any,
) -> Any:
    """``(measure name, tables)`` in order: run in this process on a Parsed, mapped part by
    part (here or on the cluster) and reduced on a ParsedDataset."""
    if isinstance(parsed, ParsedDataset):
        bar.set_description("kzdiscourse: map parts")
        yield from dataset_tables(
            parsed, chosen, by=by, seed=seed, engine=engine, client=client, progress=bar.update
        )
        return
    # every dictionary the measures match shares one index of the corpus's words
    with shared_word_indexes():
        for measure in chosen:
            bar.set_description(f"kzdiscourse: {measure.name}")
            # measures of a corpus in memory run here (engine="dask" parses on the cluster)
            produced = measure.run(parsed, by=by, seed=seed, engine="local")
            yield measure.name, check_output(measure, produced)


def __getattr__(name: str) -> Any:
    if name == "MEASURES":
        from kzdiscourse._deprecation import warn_deprecated

        warn_deprecated(
            "kzdiscourse.compare.MEASURES", "0.1.0", replacement="kzdiscourse.measures.registered()"
        )
        return {m.name: m for m in REGISTRY.measures()}
    raise AttributeError(f"module 'kzdiscourse.compare' has no attribute {name!r}")
