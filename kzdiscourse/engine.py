"""Where the parse pipeline runs: this process, a pool of worker processes, or elsewhere.

:func:`parse_chunk` runs the pipeline (:mod:`kzdiscourse.pipeline`: segment → tokenise →
analyse → tables) on one chunk of documents. It is the only per-chunk function: the
calling process runs it with ``n_jobs=1``, a ``loky`` worker pool runs it with
``n_jobs > 1``, and a Dask cluster runs it with ``engine="dask"``
(:mod:`kzdiscourse.cluster`); the calling process then only concatenates finished frames.
Documents are cut into contiguous chunks of about :data:`CHUNK_CHARS` characters
(:func:`chunked`), so memory per step is bounded and the output is identical for any
``n_jobs`` or engine. The engine reads work items (plain tuples of id, text, layout and
title) and returns plain tables; it never sees a Corpus.

The pipeline's steps are re-exported here (``segment_documents``, ``assemble``,
``work_items``, …) for code written against this module.

Examples
--------
>>> from kzdiscourse.engine import segment_documents
>>> seg = segment_documents([("d", "ЕС ввёл санкции. Астана ответила.", None, None)])
>>> seg.sent_start.tolist(), seg.tok_sent.tolist()
([0, 17], [0, 0, 0, 0, 1, 1, 1])
>>> [seg.forms[c] for c in seg.form_code[:4]]
['ЕС', 'ввёл', 'санкции', '.']
"""

from __future__ import annotations

import os
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.nlp import Lemmatizer, default_lemmatizer
from kzdiscourse.pipeline import (
    PAR_COLS,
    SENT_COLS,
    TOK_COLS,
    Segmented,
    WorkItem,
    analyze_forms,
    assemble,
    concat_tables,
    object_array,
    segment_documents,
    work_items,
)

__all__ = [
    "CHUNK_CHARS",
    "PAR_COLS",
    "POOL_IDLE_SECONDS",
    "SENT_COLS",
    "TOK_COLS",
    "ChunkResult",
    "Segmented",
    "WorkItem",
    "WorkerCaches",
    "analyze_forms",
    "assemble",
    "chunked",
    "concat_tables",
    "effective_jobs",
    "iter_parse",
    "parse_chunk",
    "segment_documents",
    "work_items",
]

#: Target size of a chunk of documents, in characters (a document is never split).
CHUNK_CHARS = 1_000_000

#: Seconds an idle worker process of the ``n_jobs`` pool waits for more work before it
#: exits (joblib's own default). loky's default of 10 s made every parse that followed more
#: than 10 s of other work start its workers, and load pymorphy3's dictionaries, again.
POOL_IDLE_SECONDS = 300


# ---------------------------------------------------------------------------- chunks


def chunked(
    items: Iterable[WorkItem], chunk_chars: int = CHUNK_CHARS, ramp: int = 0
) -> Iterator[list[WorkItem]]:
    """Contiguous chunks of documents of about ``chunk_chars`` characters each.

    With ``ramp=k`` the first chunks are smaller: ``k`` of 1/8 the size, ``k`` of 1/4 and
    ``k`` of 1/2. Workers then start on small chunks while their caches are cold, and pass
    on what they analysed sooner, so fewer word forms are analysed by two workers.
    """
    limits = [chunk_chars // 8] * ramp + [chunk_chars // 4] * ramp + [chunk_chars // 2] * ramp
    limits.reverse()
    limit = limits.pop() if limits else chunk_chars
    chunk: list[WorkItem] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item[1]) + 1
        if size >= limit:
            yield chunk
            chunk, size = [], 0
            limit = limits.pop() if limits else chunk_chars
    if chunk:
        yield chunk


def effective_jobs(n_jobs: int | None) -> int:
    """Number of worker processes for ``n_jobs`` (``-1``: all cores, ``None``/0: one)."""
    if n_jobs is None or n_jobs == 0:
        return 1
    cpus = os.cpu_count() or 1
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return max(1, int(n_jobs))


# ---------------------------------------------------------------------------- one chunk


def parse_chunk(
    chunk: Sequence[WorkItem],
    session: str | None = None,
    known: Sequence[Sequence[Any]] = (),
    lemmatizer: Lemmatizer | None = None,
    disambiguate: bool = True,
) -> ChunkResult:
    """Parse one chunk of documents: the one function every engine runs.

    Segments the chunk (:func:`segment_documents`), analyses its word forms not yet in the
    cache and builds its ``paragraphs``, ``sentences`` and ``tokens`` frames
    (:func:`assemble`). The calling process runs it with ``n_jobs=1``; worker processes
    (``loky``) and Dask workers run the very same function.

    Parameters
    ----------
    chunk : sequence of (doc_id, text, paragraphs, title)
        See :func:`work_items`.
    session : str, optional
        In a worker: the key of the parse call. Each worker process keeps one analysis
        cache per call, reused for every chunk of that call it parses, so the cache is
        cold at the start of a call whatever ran before (and a worker holds at most
        :data:`_WORKER_SESSIONS` caches, see :class:`WorkerCaches`).
    known : list of lists, optional
        Analyses made elsewhere (by other workers, for earlier chunks), as columns (see
        ``ChunkResult.analysed_columns``), added to the cache first so that this worker
        does not analyse those forms again.
    lemmatizer : Lemmatizer, optional
        The cache to use instead (the calling process's, with ``n_jobs=1``).
    disambiguate : bool, default True
        Choose among a form's readings in context (see :func:`assemble`).

    Returns
    -------
    ChunkResult
        The three frames and, in a worker (no ``lemmatizer``), the analyses this call
        made, ``(form, row)`` pairs sorted by form, for the caller to merge into its cache.

    Examples
    --------
    >>> out = parse_chunk([("d", "ЕС ввёл санкции.", None, None)], session="example")
    >>> out.tokens["lemma"].tolist(), [form for form, _ in out.analysed]
    (['ес', 'ввести', 'санкция', '.'], ['.', 'ввёл', 'ес', 'санкции'])
    """
    in_worker = lemmatizer is None
    lem = _sessions.get(session) if in_worker else lemmatizer
    lem.add(_pairs(known))
    seg = segment_documents(chunk)
    new = sorted(lem.missing(seg.lower_forms)) if in_worker else []
    paragraphs, sentences, tokens = assemble(
        chunk, seg, lem, token_strings=False, disambiguate=disambiguate
    )
    return ChunkResult(
        paragraphs=paragraphs,
        sentences=sentences,
        token_columns=tokens,
        doc_ids=[item[0] for item in chunk],
        tok_doc=seg.tok_doc,
        forms=seg.forms,
        form_code=seg.form_code,
        analysed_columns=_columns(new, lem.rows(new)),
    )


def _columns(forms: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> list[Sequence[Any]]:
    """Analyses as columns (form, lemma, pos, …): quicker to send than one tuple per form."""
    if not forms:
        return []
    return [list(forms), *zip(*rows, strict=True)]


def _pairs(columns: Sequence[Sequence[Any]]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    if not columns:
        return iter(())
    return zip(columns[0], zip(*columns[1:], strict=True), strict=True)


def _concat_columns(parts: Sequence[Sequence[Sequence[Any]]]) -> list[Sequence[Any]]:
    parts = [p for p in parts if p]
    if not parts:
        return []
    return [list(chain.from_iterable(p[k] for p in parts)) for k in range(len(parts[0]))]


@dataclass
class ChunkResult:
    """What :func:`parse_chunk` returns: a chunk's tables and the word forms it analysed.

    The tokens' ``doc_id`` and ``text`` columns travel as codes (``tok_doc`` into
    ``doc_ids``, ``form_code`` into ``forms``) and are put back by :attr:`frames`.
    """

    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    token_columns: pd.DataFrame
    doc_ids: list[str]
    tok_doc: np.ndarray
    forms: list[str]
    form_code: np.ndarray
    analysed_columns: list[list[Any]]

    @property
    def analysed(self) -> list[tuple[str, tuple[Any, ...]]]:
        """The ``(form, row)`` analyses made for this chunk, sorted by form."""
        return list(_pairs(self.analysed_columns))

    @property
    def tokens(self) -> pd.DataFrame:
        tokens = self.token_columns.copy(deep=False)
        for at, name, values in (
            (0, "doc_id", object_array(self.doc_ids)[self.tok_doc]),
            (TOK_COLS.index("text"), "text", object_array(self.forms)[self.form_code]),
        ):
            # an explicit object Series: a bare array of str would become pandas' "str" dtype
            tokens.insert(at, name, pd.Series(values, index=tokens.index, dtype=object))
        return tokens

    @property
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        return self.paragraphs, self.sentences, self.tokens


#: How many parse calls' caches a worker process keeps (older ones are dropped).
_WORKER_SESSIONS = 2


class WorkerCaches:
    """The analysis caches of a worker process: one :class:`~kzdiscourse.nlp.Lemmatizer`
    per parse call (``session``), the last ``limit`` calls kept.

    Examples
    --------
    >>> caches = WorkerCaches(limit=1)
    >>> first = caches.get("call-1")
    >>> caches.get("call-1") is first, "call-1" in caches
    (True, True)
    >>> _ = caches.get("call-2")
    >>> "call-1" in caches, len(caches)
    (False, 1)
    >>> caches.clear(); len(caches)
    0
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._by_session: OrderedDict[str, Lemmatizer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_session)

    def __contains__(self, session: object) -> bool:
        return session in self._by_session

    def get(self, session: str | None) -> Lemmatizer:
        """The cache of a parse call (the process's default lemmatiser for ``None``)."""
        if session is None:
            return default_lemmatizer()
        lem = self._by_session.get(session)
        if lem is None:
            lem = self._by_session[session] = Lemmatizer()
            while len(self._by_session) > self.limit:
                self._by_session.popitem(last=False)
        return lem

    def clear(self) -> None:
        """Drop every call's cache."""
        self._by_session.clear()


_sessions = WorkerCaches(_WORKER_SESSIONS)


# ---------------------------------------------------------------------------- driving


def iter_parse(
    items: Iterable[WorkItem],
    n_jobs: int = 1,
    chunk_chars: int = CHUNK_CHARS,
    lemmatizer: Lemmatizer | None = None,
    submit: Callable[..., Any] | None = None,
    workers: int | None = None,
    disambiguate: bool = True,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """Parse documents chunk by chunk, yielding ``(paragraphs, sentences, tokens)`` frames.

    Parameters
    ----------
    items : iterable of (doc_id, text, paragraph spans)
        See :func:`work_items`. Consumed lazily.
    n_jobs : int, default 1
        Worker processes (a reusable ``loky`` pool); ``-1`` uses every core.
    chunk_chars : int
        Chunk size in characters.
    lemmatizer : Lemmatizer, optional
        Where analyses of word forms are cached (the module's default one). With workers,
        each worker analyses with its own cache for this call and the analyses it made
        are merged into this one.
    submit : callable, optional
        ``submit(fn, *args) -> future`` (anything with ``.result()``) to run the work
        elsewhere, e.g. ``distributed.Client.submit``; overrides ``n_jobs``.
    workers : int, optional
        With ``submit``: how many workers it feeds (chunks in flight are ``workers + 1``);
        by default ``effective_jobs(n_jobs)``.
    disambiguate : bool, default True
        Choose among a form's readings in context (:mod:`kzdiscourse.disambiguation`);
        ``False`` gives each form its most probable analysis.

    Notes
    -----
    Every chunk goes through :func:`parse_chunk`, here or in a worker, and chunks come
    back in order, so the frames are identical for any ``n_jobs`` or engine. With
    workers, this process only sends chunks and receives finished frames; only a few
    chunks are in flight at a time, so memory stays bounded however long ``items`` is.
    A worker analyses each distinct form at most once per call; two workers may both
    analyse a form they both meet (the price of not shipping caches between processes).
    """
    lem = lemmatizer if lemmatizer is not None else default_lemmatizer()
    n_workers = effective_jobs(n_jobs)
    if submit is None and n_workers == 1:
        for chunk in chunked(items, chunk_chars):
            yield parse_chunk(chunk, lemmatizer=lem, disambiguate=disambiguate).frames
        return
    if submit is None:
        from joblib.externals.loky import get_reusable_executor

        submit = get_reusable_executor(max_workers=n_workers, timeout=POOL_IDLE_SECONDS).submit
    elif workers is not None:
        n_workers = max(1, int(workers))
    yield from _pipeline(
        chunked(items, chunk_chars, ramp=n_workers), submit, n_workers, lem, disambiguate
    )


def _pipeline(
    chunks: Iterator[list[WorkItem]],
    submit: Callable[..., Any],
    workers: int,
    lem: Lemmatizer,
    disambiguate: bool,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    session = uuid.uuid4().hex
    window: deque[Any] = deque()
    # analyses new to this process ride along with the next ``workers`` chunks sent out,
    # so each worker most likely learns what the others analysed (never needed for the
    # result, only to avoid analysing a form twice)
    outbox: deque[list[Any]] = deque()

    def top_up() -> None:
        while len(window) < workers + 1:
            chunk = next(chunks, None)
            if chunk is None:
                return
            known = _concat_columns([entry[0] for entry in outbox])
            for entry in outbox:
                entry[1] -= 1
            while outbox and outbox[0][1] == 0:
                outbox.popleft()
            window.append(submit(parse_chunk, chunk, session, known, None, disambiguate))

    top_up()
    while window:
        result: ChunkResult = window.popleft().result()
        lem.add(_pairs(result.analysed_columns))
        if result.analysed_columns:
            outbox.append([result.analysed_columns, workers])
        top_up()
        yield result.frames
