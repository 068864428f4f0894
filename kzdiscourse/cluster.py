"""Where parsing runs: this process, a local worker pool, or a Dask cluster.

``Corpus.parse(engine="dask", client=...)`` sends the chunks of documents to a
``dask.distributed`` cluster. The work sent is :func:`kzdiscourse.engine.parse_chunk`, the
same function the calling process runs with ``n_jobs=1`` and a ``loky`` pool runs with
``n_jobs > 1``, so every engine gives identical tables. Dask is an optional extra
(``pip install "kzdiscourse[dask]"``); it is imported only when ``engine="dask"`` is asked
for, never by ``import kzdiscourse``.

Examples
--------
>>> from kzdiscourse.cluster import ENGINES, check_engine
>>> ENGINES
('local', 'dask')
>>> check_engine("local", None)
'local'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kzdiscourse.errors import InputError, MissingDependencyError

if TYPE_CHECKING:
    import pandas as pd

    from kzdiscourse.engine import WorkItem
    from kzdiscourse.parsed import Parsed

__all__ = ["ENGINES", "check_engine", "dask_submit", "map_documents", "parse_items"]

#: The engines :meth:`kzdiscourse.Corpus.parse` accepts.
ENGINES = ("local", "dask")

_INSTALL = 'pip install "kzdiscourse[dask]" (dask and dask.distributed)'


def check_engine(engine: str, client: Any) -> str:
    """Validate ``engine`` and ``client`` (a client only makes sense with ``"dask"``)."""
    if engine not in ENGINES:
        raise InputError(
            f"unknown engine {engine!r}",
            hint=f"use one of {', '.join(map(repr, ENGINES))}",
        )
    if client is not None and engine != "dask":
        raise InputError(
            "client= is only used with engine='dask'",
            hint="pass engine='dask' to run on that cluster, or drop client=",
        )
    return engine


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise MissingDependencyError(
            "engine='dask' needs dask.distributed, which is not installed",
            hint=_INSTALL,
        ) from err
    return distributed


@contextmanager
def dask_submit(client: Any = None) -> Iterator[tuple[Callable[..., Any], int]]:
    """``(submit, workers)`` for a Dask cluster, for :func:`kzdiscourse.engine.iter_parse`.

    Parameters
    ----------
    client : distributed.Client, optional
        The cluster to use. Without one, the client of the current context
        (``distributed.get_client()``) is used, or else a ``LocalCluster`` with one worker
        process per core is started for this call and closed after it.

    Yields
    ------
    submit : callable
        ``submit(fn, *args)`` → a Dask future (``pure=False``: every chunk is a new task).
    workers : int
        Threads on the cluster, which sets how many chunks are in flight.

    Raises
    ------
    MissingDependencyError
        If dask.distributed is not installed.
    """
    distributed = _distributed()
    own = None
    if client is None:
        try:
            client = distributed.get_client()
        except ValueError:  # no client in this context: a local cluster for this call
            cluster = distributed.LocalCluster(processes=True, dashboard_address=None)
            own = client = distributed.Client(cluster)
    elif not isinstance(client, distributed.Client):
        raise InputError(
            f"client= must be a distributed.Client, got {type(client).__name__}",
            hint='connect with distributed.Client("tcp://scheduler:8786")',
        )
    try:

        def submit(fn: Callable[..., Any], *args: Any) -> Any:
            return client.submit(fn, *args, pure=False)

        threads = sum(client.nthreads().values())
        yield submit, max(1, threads)
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            cluster.close()


def parse_items(
    items: Iterable[WorkItem],
    n_jobs: int = 1,
    engine: str = "local",
    client: Any = None,
    disambiguate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(paragraphs, sentences, tokens)`` of work items, on the engine asked for.

    The one place that picks the engine, for :func:`kzdiscourse.cache.parse_tables` and
    the parse cache's misses alike; ``disambiguate`` as for
    :func:`kzdiscourse.engine.iter_parse`.
    """
    from kzdiscourse.engine import concat_tables, iter_parse

    if check_engine(engine, client) == "dask":
        with dask_submit(client) as (submit, workers):
            return concat_tables(
                iter_parse(items, submit=submit, workers=workers, disambiguate=disambiguate)
            )
    return concat_tables(iter_parse(items, n_jobs=n_jobs, disambiguate=disambiguate))


def map_documents(
    parsed: Parsed,
    fn: Callable[[Parsed], pd.DataFrame],
    *,
    engine: str = "local",
    client: Any = None,
    chunk_chars: int | None = None,
) -> pd.DataFrame:
    """Apply a per-document table function to a parsed corpus, here or on a Dask cluster.

    ``fn(parsed) -> DataFrame`` must treat documents independently (each output row
    belongs to one document, as in sentence stance scoring). With ``engine="local"`` it is
    called once on the whole corpus. With ``engine="dask"`` the corpus is cut into contiguous
    runs of documents of about ``chunk_chars`` characters (:func:`kzdiscourse.engine.chunked`),
    ``fn`` runs on each run's :meth:`~kzdiscourse.Parsed.subset` on the cluster, and the
    results are joined in corpus order: the same function, the same rows.

    Parameters
    ----------
    parsed : Parsed
    fn : callable
        Sent to the workers with cloudpickle, so a bound method of a fitted scorer works.
    engine : {"local", "dask"}, default "local"
    client : distributed.Client, optional
        As for :meth:`kzdiscourse.Corpus.parse`.
    chunk_chars : int, optional
        Characters per task (default :data:`kzdiscourse.engine.CHUNK_CHARS`).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> parsed = load_seeds().clean().parse()
    >>> map_documents(parsed, lambda p: p.sentences[["doc_id", "sent_id"]]).shape
    (88, 2)
    """
    import pandas as pd

    from kzdiscourse.engine import CHUNK_CHARS, chunked

    if check_engine(engine, client) == "local":
        return fn(parsed)
    docs = parsed.documents
    items = [(d, t, None, None) for d, t in zip(docs["doc_id"], docs["text"], strict=True)]
    runs = [[item[0] for item in run] for run in chunked(items, chunk_chars or CHUNK_CHARS)]
    with dask_submit(client) as (submit, _workers):
        futures = [submit(fn, parsed.subset(run)) for run in runs]
        parts = [future.result() for future in futures]
    if not parts:
        return fn(parsed)
    return pd.concat(parts, ignore_index=True)
