"""Measures split into a per-part map and an exact reduce.

A measure that scales has two steps besides ``run``:

* ``map_part(part, *, by)`` → a *partial*: what the measure needs of one part of the
  corpus (a :class:`~kzdiscourse.Parsed` of some whole documents), small and picklable —
  counts per document or sentence, scored sentences, evidence rows, or the few token
  columns a measure reads;
* ``reduce(partials, *, by, seed)`` → ``{table_name: DataFrame}``, from the partials of
  every part *in corpus order*. Everything random (bootstrap, permutation, a topic model's
  seed) happens here, once, over the whole corpus.

The in-memory ``run(parsed, by=..., seed=...)`` of such a measure is
``reduce([map_part(parsed, by=...)], ...)`` (:func:`run_whole`), so a corpus in one part
and the same corpus in many parts go through the same code, and the tables are identical
by construction: a reduce never depends on where the parts were cut. This is what lets
:func:`kzdiscourse.compare` run on a :class:`~kzdiscourse.store.ParsedDataset` one part
at a time and, with ``engine="dask"``, map the parts on the workers
(:mod:`kzdiscourse.measures.dataset_run`).

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.partials import maps_parts, run_whole
>>> from kzdiscourse.measures.summary import MEASURE
>>> from kzdiscourse.store import corpus_chunks
>>> corpus = load_seeds().clean()
>>> maps_parts(MEASURE)
True
>>> whole = run_whole(MEASURE, corpus.parse(), by="outlet", seed=0)["corpus_summary"]
>>> parts = [MEASURE.map_part(c.parse(), by="outlet") for c in corpus_chunks(corpus, 1)]
>>> whole.equals(MEASURE.reduce(parts, by="outlet", seed=0)["corpus_summary"])
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kzdiscourse.parsed import Parsed

__all__ = [
    "PARSED_TABLES",
    "JoinedReduce",
    "SlimMap",
    "concat_parsed",
    "concat_rows",
    "maps_parts",
    "run_whole",
    "slim",
]

#: The tables of a :class:`~kzdiscourse.Parsed` that hold rows of documents.
PARSED_TABLES = (
    "documents",
    "paragraphs",
    "sentences",
    "tokens",
    "sources",
    "removed",
    "references",
    "citations",
    "cleaning",
)


def maps_parts(measure: Any) -> bool:
    """Whether ``measure`` has a per-part map and a reduce (see the module docstring).

    An object says so with a ``maps_parts`` attribute (a
    :class:`~kzdiscourse.measures.base.FunctionMeasure` given ``map_part`` and
    ``reduce``); otherwise having both methods is enough.
    """
    declared = getattr(measure, "maps_parts", None)
    if declared is not None:
        return bool(declared)
    return callable(getattr(measure, "map_part", None)) and callable(
        getattr(measure, "reduce", None)
    )


def run_whole(measure: Any, parsed: Parsed, *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    """The tables of a measure that maps parts, on a corpus in memory: one part."""
    return measure.reduce([measure.map_part(parsed, by=by)], by=by, seed=seed)


def concat_rows(frames: Iterable[pd.DataFrame | None]) -> pd.DataFrame:
    """Rows of the parts' tables one after another, in order, with a fresh index.

    Empty parts are left out (a part with no citations, say, has no dtypes worth keeping:
    joining it would turn an integer column into ``object``), unless every part is empty.

    Examples
    --------
    >>> a = pd.DataFrame({"n": [1]})
    >>> concat_rows([a, pd.DataFrame(columns=["n"]), a])["n"].dtype
    dtype('int64')
    """
    given = [f for f in frames if f is not None]
    if not given:
        return pd.DataFrame()
    filled = [f for f in given if len(f)] or given[:1]
    if len(filled) == 1:
        return filled[0].reset_index(drop=True)
    return pd.concat(filled, ignore_index=True)


def slim(
    parsed: Parsed,
    columns: Mapping[str, Sequence[str] | None],
    *,
    token_rows: Any = None,
) -> Parsed:
    """A :class:`~kzdiscourse.Parsed` with only the tables and columns a measure reads.

    Parameters
    ----------
    parsed : Parsed
    columns : mapping
        Table name → the columns to keep (``None`` keeps all); tables not named are
        emptied (no rows, no columns) — ``documents`` always keeps ``doc_id`` and the
        metadata columns, so :meth:`~kzdiscourse.Parsed.groups` works.
    token_rows : boolean array, optional
        Keep only these rows of ``tokens`` (e.g. word tokens).

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> small = slim(load_seeds().clean().parse(), {"tokens": ["doc_id", "lemma"]})
    >>> small.tokens.columns.tolist(), small.sentences.shape, "text" in small.documents
    (['doc_id', 'lemma'], (0, 0), False)
    """
    frames: dict[str, Any] = {}
    for table in PARSED_TABLES:
        frame = getattr(parsed, table)
        if table == "documents":
            keep = columns.get(table) or [c for c in frame.columns if c != "text"]
            frames[table] = frame[list(keep)]
            continue
        if frame is None:
            frames[table] = None
            continue
        if table not in columns:
            frames[table] = pd.DataFrame()
            continue
        if table == "tokens" and token_rows is not None:
            frame = frame.loc[token_rows]
        wanted = columns[table]
        frames[table] = (frame if wanted is None else frame[list(wanted)]).reset_index(drop=True)
    return Parsed(**frames, lemmatization=parsed.lemmatization)


def concat_parsed(parts: Sequence[Parsed]) -> Parsed:
    """The parts as one :class:`~kzdiscourse.Parsed`, table by table in part order.

    The parts of one corpus, each whole documents, in corpus order: the result equals the
    corpus's tables (restricted as the parts were, e.g. by :func:`slim`).
    """
    if len(parts) == 1:
        return parts[0]
    frames: dict[str, Any] = {}
    for table in PARSED_TABLES:
        given = [getattr(p, table) for p in parts]
        frames[table] = None if all(f is None for f in given) else concat_rows(given)
    return Parsed(**frames, lemmatization=parts[0].lemmatization if parts else None)


@dataclass(frozen=True)
class SlimMap:
    """A map step that keeps the columns (and token rows) a measure reads of each part.

    For measures whose reduce needs the text unit by unit (a topic model's document-term
    rows, the lexical profile's sentences): the partial is a :func:`slim`
    :class:`~kzdiscourse.Parsed`, so the reduce's memory grows with the kept columns of
    the corpus, not with every table of it.

    Attributes
    ----------
    columns : mapping
        Table → columns to keep (see :func:`slim`).
    keep_pos : tuple of str, optional
        Keep only tokens of these universal POS tags …
    drop_pos : tuple of str
        … or drop tokens of these (e.g. punctuation).
    drop_stopwords : bool
        Drop tokens flagged ``is_stop``.
    """

    columns: Mapping[str, Sequence[str] | None]
    keep_pos: tuple[str, ...] | None = None
    drop_pos: tuple[str, ...] = ()
    drop_stopwords: bool = False

    def __call__(self, part: Parsed, *, by: str) -> Parsed:
        """The slim part (``by`` is checked here, where the part's metadata is)."""
        part.groups(by)
        tokens = part.tokens
        rows = None
        if self.keep_pos is not None or self.drop_pos or self.drop_stopwords:
            pos = tokens["pos"]
            keep = (
                pos.isin(list(self.keep_pos))
                if self.keep_pos is not None
                else ~pos.isin(list(self.drop_pos))
            )
            if self.drop_stopwords:
                keep &= ~tokens["is_stop"].astype(bool)
            rows = keep.to_numpy(dtype=bool)
        return slim(part, self.columns, token_rows=rows)


@dataclass(frozen=True)
class JoinedReduce:
    """A reduce that joins slim parts (:class:`SlimMap`) and runs ``function`` on them.

    ``function(parsed, *, by, seed) -> {table: DataFrame}`` is the measure's in-memory
    function; it sees the corpus's tables restricted to what the map kept.
    """

    function: Callable[..., dict[str, pd.DataFrame]] = field(repr=False)

    def __call__(self, partials: Sequence[Parsed], *, by: str, seed: int) -> dict:
        """The tables of the joined parts."""
        return self.function(concat_parsed(list(partials)), by=by, seed=seed)
