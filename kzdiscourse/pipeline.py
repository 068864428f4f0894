"""The parse pipeline: segment → tokenise → analyse → tables, for one chunk of documents.

Parsing has three steps, kept apart so that each can be tested on its own:

1. :func:`segment_documents` — paragraphs (:mod:`kzdiscourse.layout`, or the layout from
   cleaning) → sentences → tokens for a list of documents, as plain integer arrays and the
   distinct word forms of the chunk (:class:`Segmented`);
2. the morphological analysis of the chunk's distinct lower-cased word forms
   (:meth:`kzdiscourse.nlp.Lemmatizer.type_table`, each form analysed once per cache),
   then, unless ``disambiguate=False``, the choice among a form's readings in each token's
   context (:meth:`kzdiscourse.nlp.Lemmatizer.in_context`, :mod:`kzdiscourse.disambiguation`);
3. :func:`assemble` — the arrays and the type-level analyses become the ``paragraphs``,
   ``sentences`` and ``tokens`` DataFrames of the chunk (string work per type, mapped to
   tokens by array indexing).

Every engine runs these steps on every chunk (:func:`kzdiscourse.engine.parse_chunk`): this
process, a worker pool, a Dask cluster, and the parse cache for the documents it has not
seen. The pipeline reads plain tables (:func:`work_items` turns a documents table and an
optional paragraph layout into its input) and knows nothing about where it runs.

Examples
--------
>>> seg = segment_documents([("d", "ЕС ввёл санкции. Астана ответила.", None, None)])
>>> seg.sent_start.tolist(), seg.tok_sent.tolist()
([0, 17], [0, 0, 0, 0, 1, 1, 1])
>>> [seg.forms[c] for c in seg.form_code[:4]]
['ЕС', 'ввёл', 'санкции', '.']
>>> paragraphs, sentences, tokens = assemble([("d", "ЕС ввёл санкции.", None, None)],
...                                          segment_documents([("d", "ЕС ввёл санкции.",
...                                                              None, None)]))
>>> tokens["lemma"].tolist()
['ес', 'ввести', 'санкция', '.']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse import nlp
from kzdiscourse.disambiguation import lemmatization_info
from kzdiscourse.gc_pause import cyclic_gc_paused
from kzdiscourse.layout import infer_roles, segment_paragraphs, sentenize, tokenize_sentences
from kzdiscourse.nlp import Lemmatizer, TypeRow, default_lemmatizer
from kzdiscourse.scripts import fold_lookalikes
from kzdiscourse.substrings import factorize_spans

__all__ = [
    "PAR_COLS",
    "SENT_COLS",
    "TOK_COLS",
    "Segmented",
    "WorkItem",
    "analyze_forms",
    "assemble",
    "concat_tables",
    "empty_tables",
    "object_array",
    "paragraph_spans",
    "pipeline_fingerprint",
    "segment_documents",
    "work_items",
]

#: A document to parse: ``(doc_id, text, paragraphs, title)``; ``paragraphs`` is a list of
#: ``(start, end, role)`` spans, or ``None`` to infer them from the text (and ``title``).
WorkItem = tuple[str, str, "list[tuple[int, int, str]] | None", "str | None"]

#: Columns of the ``paragraphs``, ``sentences`` and (before the lemmatiser's) ``tokens`` tables.
PAR_COLS = ["doc_id", "par_id", "role", "start", "end", "text"]
SENT_COLS = ["doc_id", "par_id", "sent_id", "role", "start", "end", "text"]
TOK_COLS = ["doc_id", "par_id", "sent_id", "tok_id", "start", "end", "text"]
_INT_COLS = ("par_id", "sent_id", "tok_id", "start", "end")


# ---------------------------------------------------------------------------- input


def paragraph_spans(text: str, title: str | None) -> list[tuple[int, int, str]]:
    """``(start, end, role)`` of each paragraph of a text not laid out by cleaning."""
    spans = segment_paragraphs(text)
    roles = infer_roles([text[s:e] for s, e in spans], title=title)
    return [(s, e, r) for (s, e), r in zip(spans, roles, strict=True)]


def work_items(documents: Any, paragraphs: pd.DataFrame | None = None) -> Iterator[WorkItem]:
    """``(doc_id, text, paragraphs, title)`` for every document, in table order.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``text`` and optionally ``title`` (a :class:`~kzdiscourse.Corpus` is
        accepted too: its ``documents`` and ``paragraphs`` tables are used).
    paragraphs : pandas.DataFrame, optional
        The layout from cleaning: ``doc_id``, ``start``, ``end``, ``role`` per paragraph.
        Without it, ``paragraphs`` is ``None`` in every item and the layout is inferred
        from the text where the chunk is segmented (in the worker, when there are workers).

    Examples
    --------
    >>> frame = pd.DataFrame({"doc_id": ["a"], "text": ["Текст."], "title": [None]})
    >>> list(work_items(frame))
    [('a', 'Текст.', None, None)]
    """
    if not isinstance(documents, pd.DataFrame):  # a Corpus, or anything with its tables
        documents, paragraphs = documents.documents, documents.paragraphs
    docs = documents
    titles = docs["title"].tolist() if "title" in docs.columns else [None] * len(docs)
    layout: dict[str, list[tuple[int, int, str]]] = {}
    if paragraphs is not None:
        pars = paragraphs
        for doc_id, s, e, role in zip(
            pars["doc_id"], pars["start"], pars["end"], pars["role"], strict=True
        ):
            layout.setdefault(doc_id, []).append((int(s), int(e), role))
    for doc_id, text, title in zip(docs["doc_id"], docs["text"], titles, strict=True):
        title = title if isinstance(title, str) else None
        if paragraphs is not None:
            yield doc_id, text, layout.get(doc_id, []), title
        else:
            yield doc_id, text, None, title


# ---------------------------------------------------------------------------- segment


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
        paragraphs = spans if spans is not None else paragraph_spans(text, title)
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
    tok_s, tok_e, tok_sent = tokenize_sentences(folded, sent_s, sent_e)

    s_doc = _i64(sent_doc)
    n_sent = len(s_doc)
    kept = np.bincount(tok_sent, minlength=n_sent)[:n_sent] > 0
    s_doc = s_doc[kept]
    renumber = np.cumsum(kept) - 1
    t_sent = renumber[tok_sent]
    t_doc = s_doc[t_sent]
    doc_offset = _i64(offsets)
    # one code per distinct token string; a folded token is its own form, (as written,
    # folded): the lemmatiser analyses the folded form, the token keeps the form as written
    form_code, keys = factorize_spans(big, tok_s, tok_e, folded=folded)
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


# ---------------------------------------------------------------------------- analyse


def analyze_forms(forms: Sequence[str]) -> list[tuple[str, TypeRow]]:
    """Morphological analysis of distinct lower-cased word forms (pure; for workers).

    Returns ``(form, row)`` pairs for :meth:`~kzdiscourse.nlp.Lemmatizer.add`; a fresh
    lemmatiser is used, so the result never depends on what a worker analysed before.

    Examples
    --------
    >>> [row[0] for _form, row in analyze_forms(["санкции", "ввёл"])]
    ['санкция', 'ввести']
    """
    return list(zip(forms, Lemmatizer().rows(forms), strict=True))


# ---------------------------------------------------------------------------- tables


def object_array(values: Sequence[Any]) -> np.ndarray:
    """A 1-d object array of ``values`` (numpy would make a list of tuples 2-d)."""
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


@cyclic_gc_paused()
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
    (:meth:`~kzdiscourse.nlp.Lemmatizer.in_context`, sentence by sentence). With
    ``token_strings=False`` the tokens frame lacks its ``doc_id`` and ``text`` columns
    (:class:`ChunkResult` adds them where the frames are used: Python string columns are
    the costliest part of a frame to send between processes). Python's cyclic garbage
    collector is paused meanwhile (:func:`kzdiscourse.gc_pause.cyclic_gc_paused`): the
    chunk's objects are freed by reference counting.
    """
    lem = lemmatizer if lemmatizer is not None else default_lemmatizer()
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
        columns["text"] = object_array(seg.forms)[seg.form_code]
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
        return empty_tables()
    return (
        pd.concat(pars, ignore_index=True),
        pd.concat(sents, ignore_index=True),
        pd.concat(toks, ignore_index=True),
    )


def empty_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables of no documents: the columns and dtypes every parse has."""
    return assemble([], segment_documents([]), Lemmatizer())


def pipeline_fingerprint(disambiguate: bool = True) -> dict[str, Any]:
    """What the parse output depends on besides the text: versions and resource hashes.

    :data:`kzdiscourse.nlp.PIPELINE_VERSION`, the analyser's versions and dictionary
    revision, the SHA-256 of the resources that change lemmas and flags, and how readings
    are chosen (``lemmas``: :func:`kzdiscourse.disambiguation.lemmatization_info`, with
    the model's digests when ``disambiguate``). The parse cache keys documents with it; a
    parsed dataset records it.
    """
    from kzdiscourse._version import __version__
    from kzdiscourse.resources import load_resource

    info = nlp.analyzer_info()
    return {
        "pipeline_version": str(nlp.PIPELINE_VERSION),
        "kzdiscourse": __version__,
        "pymorphy3": info.get("pymorphy3"),
        "pymorphy3_dicts_ru": info.get("pymorphy3_dicts_ru"),
        "razdel": info.get("razdel"),
        "dictionary_revision": info.get("dictionary_revision"),
        "resources": {
            name: load_resource(name).sha256 for name in ("lemma_overrides", "stopwords_ru")
        },
        "lemmas": lemmatization_info(disambiguate),
    }
