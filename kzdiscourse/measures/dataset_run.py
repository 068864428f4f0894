"""Run measures on a :class:`~kzdiscourse.store.ParsedDataset`: map each part, then reduce.

:func:`kzdiscourse.compare` calls :func:`dataset_tables` for a dataset. Each part is read
once (:meth:`ParsedDataset.parsed_part`) and every measure maps it
(:mod:`kzdiscourse.measures.partials`) — here, one part at a time, or with
``engine="dask"`` on the workers of a ``dask.distributed`` cluster, each worker reading
its parts from the dataset folder (no table is sent from this process; the folder must be
readable at the same path on the workers). The partials come back in part order and each
measure reduces them here, so the tables are those of the corpus in memory.

Examples
--------
>>> import tempfile
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.registry import REGISTRY
>>> from kzdiscourse.store import write_dataset
>>> ds = write_dataset(load_seeds().clean(), tempfile.mkdtemp(), chunksize=1)
>>> tables = dict(dataset_tables(ds, [REGISTRY.get("summary")], by="outlet", seed=0))
>>> tables["summary"]["corpus_summary"]["level"].value_counts()["document"]
np.int64(2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd

from kzdiscourse.cluster import check_engine, dask_submit
from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import check_output
from kzdiscourse.measures.partials import maps_parts
from kzdiscourse.store import ParsedDataset
from kzdiscourse.word_index import shared_word_indexes

__all__ = ["check_maps_parts", "dataset_tables", "map_dataset", "map_stored_part"]


def check_maps_parts(measures: Sequence[Any]) -> None:
    """Every measure has a per-part map and a reduce, or an error naming those without."""
    missing = [m.name for m in measures if not maps_parts(m)]
    if missing:
        raise InputError(
            f"measure(s) {missing} cannot run on a ParsedDataset part by part: they have no "
            "map_part/reduce steps",
            hint="give the measure map_part= and reduce= (FunctionMeasure.from_function; see "
            "docs/measures.md, 'Measures at scale'), leave it out of measures=, or, if the "
            "corpus fits in memory, pass dataset.to_parsed()",
        )


def map_stored_part(path: str, part: int, measures: Sequence[Any], by: str) -> list[Any]:
    """Every measure's partial of part ``part`` of the dataset at ``path`` (what a Dask
    worker runs: it reads the part itself)."""
    parsed = ParsedDataset(path).parsed_part(part)
    # the dictionaries of every measure share one index of this part's words
    with shared_word_indexes():
        return [m.map_part(parsed, by=by) for m in measures]


def map_dataset(
    dataset: ParsedDataset,
    measures: Sequence[Any],
    *,
    by: str,
    engine: str = "local",
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> list[list[Any]]:
    """The partials of every part, ``[part][measure]``, in part order.

    Parameters
    ----------
    dataset : ParsedDataset
    measures : sequence of measures
        Each with ``map_part`` (see :func:`check_maps_parts`).
    by : str
    engine : {"local", "dask"}
        ``"dask"`` maps the parts on the cluster's workers (:func:`map_stored_part`).
    client : distributed.Client, optional
        The cluster (see :func:`kzdiscourse.cluster.dask_submit`).
    progress : callable, optional
        Called with 1 as each part is mapped.
    """
    path = str(dataset.path.resolve())
    out: list[list[Any]] = []
    if check_engine(engine, client) == "dask":
        with dask_submit(client) as (submit, _workers):
            futures = [
                submit(map_stored_part, path, k, list(measures), by) for k in range(dataset.n_parts)
            ]
            for future in futures:  # in part order, whatever order they finish in
                out.append(future.result())
                if progress is not None:
                    progress(1)
        return out
    for k in range(dataset.n_parts):
        out.append(map_stored_part(path, k, measures, by))
        if progress is not None:
            progress(1)
    return out


def dataset_tables(
    dataset: ParsedDataset,
    measures: Sequence[Any],
    *,
    by: str,
    seed: int,
    engine: str = "local",
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[str, dict[str, pd.DataFrame]]]:
    """``(measure name, tables)`` of every measure, in order: the parts mapped (here or on
    the cluster), then each measure's reduce over its partials in part order."""
    check_maps_parts(measures)
    if dataset.n_parts == 0:
        raise InputError("the dataset has no parts", source=str(dataset.path))
    partials = map_dataset(
        dataset, measures, by=by, engine=engine, client=client, progress=progress
    )
    for i, measure in enumerate(measures):
        reduced = measure.reduce([part[i] for part in partials], by=by, seed=seed)
        yield measure.name, check_output(measure, reduced)
