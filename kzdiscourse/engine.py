"""The parsing engine: chunks of documents in, tidy tables out, on one core or several.

Parsing has three steps, kept apart so that each can be tested on its own:

1. :func:`segment_documents` — paragraphs → sentences (razdel) → tokens
   (:mod:`kzdiscourse.tokenizer`) for a list of documents, as plain integer arrays and the
   distinct word forms of the chunk (:class:`Segmented`).
2. :func:`analyze_forms` / :meth:`Lemmatizer.type_table` — the morphological analysis of
   distinct lower-cased word forms (pymorphy3), each analysed once per cache.
3. :func:`assemble` — the arrays and the type-level analyses become the ``paragraphs``,
   ``sentences`` and ``tokens`` DataFrames of one chunk (string work per type, mapped to
   tokens by array indexing).

:func:`parse_chunk` runs the three on one chunk. It is the only per-chunk function: the
calling process runs it with ``n_jobs=1``, a ``loky`` worker pool runs it with
``n_jobs > 1``, and a Dask cluster runs it with ``engine="dask"`` (:mod:`kzdiscourse.cluster`);
the calling process then only concatenates finished frames. Documents are cut into
contiguous chunks of about :data:`CHUNK_CHARS` characters, so memory per step is bounded
and the output is identical for any ``n_jobs`` or engine.

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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzdiscourse.layout import infer_roles, segment_paragraphs
from kzdiscourse.nlp import _DEFAULT, Lemmatizer, _tokenize_sentences, sentenize
from kzdiscourse.scripts import fold_lookalikes

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus

__all__ = [
    "CHUNK_CHARS",
    "POOL_IDLE_SECONDS",
    "ChunkResult",
    "Segmented",
    "analyze_forms",
    "assemble",
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

#: A document to parse: ``(doc_id, text, paragraphs, title)``; ``paragraphs`` is a list of
#: ``(start, end, role)`` spans, or ``None`` to infer them from the text (and ``title``).
WorkItem = tuple[str, str, "list[tuple[int, int, str]] | None", "str | None"]

PAR_COLS = ["doc_id", "par_id", "role", "start", "end", "text"]
SENT_COLS = ["doc_id", "par_id", "sent_id", "role", "start", "end", "text"]
TOK_COLS = ["doc_id", "par_id", "sent_id", "tok_id", "start", "end", "text"]
_INT_COLS = ("par_id", "sent_id", "tok_id", "start", "end")


@dataclass
class Segmented:
    """Paragraphs, sentences and tokens of a chunk of documents, as arrays.

    Document numbers (``*_doc``) index the chunk's list of documents; offsets are into
    each document's text. ``forms`` holds the chunk's distinct token strings (as written)
    and ``form_code`` gives each token's entry; ``lower_forms`` are the distinct
    lower-cased forms (what the lemmatiser analyses) and ``lower_of_form`` maps each form
    to its lower-cased entry.
    """

    par_doc: np.ndarray
    par_id: np.ndarray
    par_start: np.ndarray
    par_end: np.ndarray
    par_role: list[str]
    sent_doc: np.ndarray
    sent_par: np.ndarray
    sent_id: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    tok_doc: np.ndarray
    tok_sent: np.ndarray
    tok_id: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    forms: list[str]
    form_code: np.ndarray
    lower_forms: list[str]
    lower_of_form: np.ndarray

    @property
    def n_tokens(self) -> int:
        return len(self.tok_start)


def _i64(values: Sequence[int] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def _within_group_ids(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, … within each run of equal values of a sorted integer array."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    run_start = np.ones(n, dtype=bool)
    run_start[1:] = groups[1:] != groups[:-1]
    first = np.flatnonzero(run_start)
    return np.arange(n, dtype=np.int64) - np.repeat(first, np.diff(np.append(first, n)))


def segment_documents(docs: Sequence[WorkItem]) -> Segmented:
    """Sentences and tokens of a list of documents (the per-document work of parsing).

    Parameters
    ----------
    docs : sequence of (doc_id, text, paragraphs, title)
        Paragraphs are ``(start, end, role)`` offsets into ``text``; ``None`` infers them
        (:func:`kzdiscourse.layout.segment_paragraphs`, roles with the title's help).

    Returns
    -------
    Segmented
        Sentence ids count from 0 within each document, as do token ids; a sentence
        without tokens gets no id.
    """
    par_doc: list[int] = []
    par_id: list[int] = []
    par_start: list[int] = []
    par_end: list[int] = []
    par_role: list[str] = []
    sent_doc: list[int] = []
    sent_par: list[int] = []
    sent_s: list[int] = []
    sent_e: list[int] = []
    offsets: list[int] = []
    pos = 0
    for d, (_doc_id, text, spans, title) in enumerate(docs):
        offsets.append(pos)
        paragraphs = spans if spans is not None else _paragraph_spans(text, title)
        for k, (p_start, p_end, role) in enumerate(paragraphs):
            par_doc.append(d)
            par_id.append(k)
            par_start.append(p_start)
            par_end.append(p_end)
            par_role.append(role)
            base = pos + p_start
            for s_start, s_end in sentenize(text[p_start:p_end]):
                sent_doc.append(d)
                sent_par.append(k)
                sent_s.append(base + s_start)
                sent_e.append(base + s_end)
        pos += len(text) + 1
    # all texts of the chunk in one string: one vectorised tokenizer pass per chunk
    big = "\n".join(item[1] for item in docs)
    # look-alike letters folded first (same offsets): "Кaзахстан" is one token, "EC" → "ЕС"
    folded = fold_lookalikes(big).text
    tok_s, tok_e, tok_sent = _tokenize_sentences(folded, sent_s, sent_e)

    s_doc = _i64(sent_doc)
    n_sent = len(s_doc)
    kept = np.bincount(tok_sent, minlength=n_sent)[:n_sent] > 0
    s_doc = s_doc[kept]
    renumber = np.cumsum(kept) - 1
    t_sent = renumber[tok_sent]
    t_doc = s_doc[t_sent]
    doc_offset = _i64(offsets)
    written: list[Any] = [big[a:b] for a, b in zip(tok_s.tolist(), tok_e.tolist(), strict=True)]
    if folded is not big:
        # a folded token is its own form, (as written, folded): the lemmatiser analyses
        # the folded form, the token keeps the form as written
        for k, (a, b) in enumerate(zip(tok_s.tolist(), tok_e.tolist(), strict=True)):
            if folded[a:b] != written[k]:
                written[k] = (written[k], folded[a:b])
    form_code, keys = pd.factorize(pd.Series(written, dtype=object))
    forms = [k if isinstance(k, str) else k[0] for k in keys]
    lower_of_form, lower_forms = pd.factorize(
        pd.Series([(k if isinstance(k, str) else k[1]).lower() for k in keys], dtype=object)
    )
    return Segmented(
        par_doc=_i64(par_doc),
        par_id=_i64(par_id),
        par_start=_i64(par_start),
        par_end=_i64(par_end),
        par_role=par_role,
        sent_doc=s_doc,
        sent_par=_i64(sent_par)[kept],
        sent_id=_within_group_ids(s_doc),
        sent_start=_i64(sent_s)[kept] - doc_offset[s_doc],
        sent_end=_i64(sent_e)[kept] - doc_offset[s_doc],
        tok_doc=t_doc,
        tok_sent=t_sent,
        tok_id=_within_group_ids(t_doc),
        tok_start=tok_s - doc_offset[t_doc],
        tok_end=tok_e - doc_offset[t_doc],
        forms=[str(f) for f in forms],
        form_code=form_code.astype(np.int64),
        lower_forms=[str(f) for f in lower_forms],
        lower_of_form=lower_of_form.astype(np.int64),
    )


def analyze_forms(forms: Sequence[str]) -> list[tuple[str, tuple[Any, ...]]]:
    """Morphological analysis of distinct lower-cased word forms (pure; for workers).

    Returns ``(form, row)`` pairs for :meth:`Lemmatizer.add`; a fresh lemmatiser is used,
    so the result never depends on what a worker analysed before.
    """
    lem = Lemmatizer()
    return [(form, lem._type_row(form)) for form in forms]


def _objects(values: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _frame(columns: dict[str, Any], order: list[str]) -> pd.DataFrame:
    """A DataFrame with int64 ids and offsets and object (plain Python str) text columns."""
    return pd.DataFrame(
        {
            c: pd.Series(columns[c], dtype="int64" if c in _INT_COLS else object, copy=False)
            for c in order
        }
    )


def assemble(
    docs: Sequence[WorkItem],
    seg: Segmented,
    lemmatizer: Lemmatizer | None = None,
    token_strings: bool = True,
    disambiguate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ``paragraphs``, ``sentences`` and ``tokens`` DataFrames of one chunk.

    Word forms not yet in the lemmatiser's cache are analysed here; with
    ``disambiguate`` the readings of ambiguous tokens are then chosen in context
    (:meth:`Lemmatizer.in_context`, sentence by sentence). With
    ``token_strings=False`` the tokens frame lacks its ``doc_id`` and ``text`` columns
    (:class:`ChunkResult` adds them where the frames are used: Python string columns are
    the costliest part of a frame to send between processes).
    """
    lem = lemmatizer if lemmatizer is not None else _DEFAULT
    ids = np.empty(len(docs), dtype=object)
    ids[:] = [item[0] for item in docs]
    texts = [item[1] for item in docs]

    def slices(doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        out = np.empty(len(doc), dtype=object)
        out[:] = [
            texts[d][a:b]
            for d, a, b in zip(doc.tolist(), start.tolist(), end.tolist(), strict=True)
        ]
        return out

    paragraphs = _frame(
        {
            "doc_id": ids[seg.par_doc],
            "par_id": seg.par_id,
            "role": np.asarray(seg.par_role, dtype=object),
            "start": seg.par_start,
            "end": seg.par_end,
            "text": slices(seg.par_doc, seg.par_start, seg.par_end),
        },
        PAR_COLS,
    )
    role_of_par = {}
    for d, k, role in zip(seg.par_doc.tolist(), seg.par_id.tolist(), seg.par_role, strict=True):
        role_of_par[d, k] = role
    sent_role = np.empty(len(seg.sent_doc), dtype=object)
    sent_role[:] = [
        role_of_par[d, k] for d, k in zip(seg.sent_doc.tolist(), seg.sent_par.tolist(), strict=True)
    ]
    sentences = _frame(
        {
            "doc_id": ids[seg.sent_doc],
            "par_id": seg.sent_par,
            "sent_id": seg.sent_id,
            "role": sent_role,
            "start": seg.sent_start,
            "end": seg.sent_end,
            "text": slices(seg.sent_doc, seg.sent_start, seg.sent_end),
        },
        SENT_COLS,
    )
    columns = {
        "par_id": seg.sent_par[seg.tok_sent],
        "sent_id": seg.sent_id[seg.tok_sent],
        "tok_id": seg.tok_id,
        "start": seg.tok_start,
        "end": seg.tok_end,
    }
    if token_strings:
        columns["doc_id"] = ids[seg.tok_doc]
        columns["text"] = _objects(seg.forms)[seg.form_code]
    tokens = _frame(columns, [c for c in TOK_COLS if c in columns])
    # type-level features of the chunk's distinct forms, mapped to tokens by array indexing
    # (string columns are pandas' Arrow-backed "str" dtype, taken without Python objects)
    features = lem.type_table(seg.lower_forms, keep=disambiguate)
    code = seg.lower_of_form[seg.form_code]
    if disambiguate and len(code):
        features, code = lem.in_context(
            features, seg.lower_forms, code, seg.forms, seg.form_code, seg.tok_sent
        )
    for name in ("norm", "lemma", "pos", "tag"):
        tokens[name] = pd.array(features[name], dtype="str").take(code)
    tokens["is_alpha"] = features["is_alpha"][code]
    tokens["is_punct"] = (features["pos"] == "PUNCT")[code]
    tokens["is_num"] = (features["pos"] == "NUM")[code]
    tokens["is_stop"] = features["is_stop"][code]
    tokens["script"] = pd.array(features["script"], dtype="str").take(code)
    return paragraphs, sentences, tokens


# ---------------------------------------------------------------------------- driving


def _paragraph_spans(text: str, title: str | None) -> list[tuple[int, int, str]]:
    spans = segment_paragraphs(text)
    roles = infer_roles([text[s:e] for s, e in spans], title=title)
    return [(s, e, r) for (s, e), r in zip(spans, roles, strict=True)]


def work_items(corpus: Corpus) -> Iterator[WorkItem]:
    """``(doc_id, text, paragraphs, title)`` for every document, in corpus order.

    A cleaned corpus brings its paragraph layout and roles; otherwise ``paragraphs`` is
    ``None`` and they are inferred from the text where the chunk is segmented (in the
    worker, when there are workers).
    """
    docs = corpus.documents
    titles = docs["title"].tolist() if "title" in docs.columns else [None] * len(docs)
    layout: dict[str, list[tuple[int, int, str]]] = {}
    if corpus.paragraphs is not None:
        pars = corpus.paragraphs
        for doc_id, s, e, role in zip(
            pars["doc_id"], pars["start"], pars["end"], pars["role"], strict=True
        ):
            layout.setdefault(doc_id, []).append((int(s), int(e), role))
    for doc_id, text, title in zip(docs["doc_id"], docs["text"], titles, strict=True):
        title = title if isinstance(title, str) else None
        if corpus.paragraphs is not None:
            yield doc_id, text, layout.get(doc_id, []), title
        else:
            yield doc_id, text, None, title


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
        :data:`_WORKER_SESSIONS` caches).
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
    lem = _session_lemmatizer(session) if in_worker else lemmatizer
    lem.add(_pairs(known))
    seg = segment_documents(chunk)
    new = sorted(lem.missing(seg.lower_forms)) if in_worker else []
    paragraphs, sentences, tokens = assemble(
        chunk, seg, lem, token_strings=False, disambiguate=disambiguate
    )
    cache = lem._cache
    return ChunkResult(
        paragraphs=paragraphs,
        sentences=sentences,
        token_columns=tokens,
        doc_ids=[item[0] for item in chunk],
        tok_doc=seg.tok_doc,
        forms=seg.forms,
        form_code=seg.form_code,
        analysed_columns=_columns(new, map(cache.__getitem__, new)),
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
            (0, "doc_id", _objects(self.doc_ids)[self.tok_doc]),
            (TOK_COLS.index("text"), "text", _objects(self.forms)[self.form_code]),
        ):
            # an explicit object Series: a bare array of str would become pandas' "str" dtype
            tokens.insert(at, name, pd.Series(values, index=tokens.index, dtype=object))
        return tokens

    @property
    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        return self.paragraphs, self.sentences, self.tokens


#: How many parse calls' caches a worker process keeps (older ones are dropped).
_WORKER_SESSIONS = 2
_sessions: OrderedDict[str, Lemmatizer] = OrderedDict()


def _session_lemmatizer(session: str | None) -> Lemmatizer:
    if session is None:
        return _DEFAULT
    lem = _sessions.get(session)
    if lem is None:
        lem = _sessions[session] = Lemmatizer()
        while len(_sessions) > _WORKER_SESSIONS:
            _sessions.popitem(last=False)
    return lem


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
    lem = lemmatizer if lemmatizer is not None else _DEFAULT
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


def concat_tables(
    parts: Iterable[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Concatenate per-chunk frames (an empty corpus gives empty frames with the columns)."""
    pars, sents, toks = [], [], []
    for p, s, t in parts:
        pars.append(p)
        sents.append(s)
        toks.append(t)
    if not pars:
        return assemble([], segment_documents([]), Lemmatizer())
    return (
        pd.concat(pars, ignore_index=True),
        pd.concat(sents, ignore_index=True),
        pd.concat(toks, ignore_index=True),
    )
