"""Parse to disk: the tables of a parsed corpus as a partitioned Parquet dataset.

:func:`write_dataset` parses a corpus — eager, or a stream of chunks from
:meth:`Corpus.iter_parquet <kzdiscourse.Corpus.iter_parquet>` /
:meth:`Corpus.iter_folder <kzdiscourse.Corpus.iter_folder>` — one chunk at a time and
writes each chunk's tables as one part file per table, so memory holds one chunk, never
the corpus. :class:`ParsedDataset` opens the result: iterate chunks as
:class:`~kzdiscourse.Parsed`, read selected columns, or :meth:`~ParsedDataset.to_parsed`
for data that fits in memory. Count-based measures that work on it chunk by chunk are in
:mod:`kzdiscourse.counts`.

Layout::

    DIR/
      kzdiscourse_dataset.json     format, versions, parameters, input hashes, parts
      documents/part-00000.parquet
      sources/part-00000.parquet
      paragraphs/part-00000.parquet
      sentences/part-00000.parquet
      tokens/part-00000.parquet
      removed/ references/ citations/ cleaning/   (cleaning only for cleaned corpora)

Part ``k`` of every table holds the same documents (chunk ``k``, in input order); names
are deterministic, and the same input gives byte-identical files. The metadata file is
written last: a folder without it is an unfinished write and does not open.

Examples
--------
>>> import tempfile
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.store import ParsedDataset, write_dataset
>>> out = tempfile.mkdtemp()
>>> ds = write_dataset(load_seeds().clean(), out, chunksize=1)
>>> ds.n_parts, len(ds)
(2, 2)
>>> [len(p.documents) for p in ds.iter_parsed()]
[1, 1]
>>> ParsedDataset(out).to_parsed().tokens.equals(load_seeds().clean().parse().tokens)
True
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kzdiscourse.cache import ParseCache, parse_tables
from kzdiscourse.errors import DuplicateIdError, InputError, InputPathError
from kzdiscourse.parquet_io import dtypes_of, read_frame, restore, write_frame  # noqa: F401
from kzdiscourse.parsed import DocumentTables, Parsed, document_groups
from kzdiscourse.pipeline import pipeline_fingerprint

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus

__all__ = ["FORMAT", "META_FILE", "TABLES", "ParsedDataset", "corpus_chunks", "write_dataset"]

#: Name of the metadata file at the top of a dataset folder.
META_FILE = "kzdiscourse_dataset.json"
#: Format name and version written into the metadata file.
FORMAT = {"name": "kzdiscourse-parsed-dataset", "version": 1}
#: The tables of a :class:`~kzdiscourse.Parsed`, in the order they are written.
TABLES = (
    "documents",
    "sources",
    "paragraphs",
    "sentences",
    "tokens",
    "removed",
    "references",
    "citations",
    "cleaning",
)


# ---------------------------------------------------------------------------- writing


def corpus_chunks(corpus: Corpus, chunksize: int) -> Iterator[Corpus]:
    """Consecutive parts of ``chunksize`` documents of a corpus (with their cleaning tables).

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> [c.doc_ids for c in corpus_chunks(load_seeds(), 1)]
    [['ankasam_2025_08'], ['dzen_2025_12']]
    """
    from dataclasses import replace

    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise InputError(f"chunksize must be a positive integer, got {chunksize!r}")
    n = len(corpus)
    if n <= chunksize:
        yield corpus
        return

    def part(df: pd.DataFrame | None, keep: set[str]) -> pd.DataFrame | None:
        if df is None:
            return None
        return df.loc[df["doc_id"].isin(keep)].reset_index(drop=True)

    for k in range(0, n, chunksize):
        documents = corpus.documents.iloc[k : k + chunksize].reset_index(drop=True)
        keep = set(documents["doc_id"])
        yield replace(
            corpus,
            documents=documents,
            sources=corpus.sources.iloc[k : k + chunksize].reset_index(drop=True),
            removed=part(corpus.removed, keep),
            references=part(corpus.references, keep),
            citations=part(corpus.citations, keep),
            paragraphs=part(corpus.paragraphs, keep),
            cleaning=part(corpus.cleaning, keep),
        )


def _inputs_hash(sources: pd.DataFrame) -> str:
    h = hashlib.sha256()
    for doc_id, sha in zip(sources["doc_id"].tolist(), sources["sha256"].tolist(), strict=True):
        h.update(f"{doc_id}\x1f{sha}\n".encode())
    return h.hexdigest()


def _prepare_target(path: Path, overwrite: bool) -> None:
    if path.exists():
        if not path.is_dir():
            raise InputPathError("exists and is not a folder", source=str(path))
        if any(path.iterdir()):
            ours = (path / META_FILE).exists() or (path / "documents").is_dir()
            if not overwrite or not ours:
                raise InputPathError(
                    "the folder is not empty",
                    source=str(path),
                    hint="pass overwrite=True to replace a dataset written by kzdiscourse, "
                    "or choose an empty folder",
                )
            shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)


def write_dataset(
    corpus: Corpus | Iterable[Corpus],
    path: str | Path,
    *,
    chunksize: int = 1000,
    n_jobs: int = 1,
    cache: ParseCache | str | Path | None = None,
    overwrite: bool = False,
    disambiguate: bool = True,
) -> ParsedDataset:
    """Parse a corpus chunk by chunk and write its tables to a Parquet dataset folder.

    Parameters
    ----------
    corpus : Corpus or iterable of Corpus
        A corpus (split into chunks of ``chunksize`` documents), or a stream of chunks,
        e.g. ``(c.clean() for c in Corpus.iter_parquet(path))``. All chunks must be
        cleaned, or none; ids must be unique across chunks.
    path : str or pathlib.Path
        The dataset folder (created; must be empty unless ``overwrite``).
    chunksize : int, default 1000
        Documents per part when ``corpus`` is one Corpus.
    n_jobs : int, default 1
        Worker processes for parsing each chunk (see :meth:`Corpus.parse`).
    cache : ParseCache, path or None
        Reuse parses stored there (see :mod:`kzdiscourse.cache`).
    overwrite : bool, default False
        Replace an existing kzdiscourse dataset at ``path``.
    disambiguate : bool, default True
        Choose among a form's readings in context (see :meth:`Corpus.parse`); recorded
        in the dataset's ``fingerprint`` and in every :class:`Parsed` read from it.

    Returns
    -------
    ParsedDataset

    Raises
    ------
    InputPathError
        ``path`` is not empty (and not an overwritable dataset).
    DuplicateIdError
        An id repeats across chunks.
    InputError
        Cleaned and raw chunks are mixed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from kzdiscourse import Corpus, load_seeds
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> source = load_seeds().to_parquet(tmp / "raw.parquet")
    >>> stream = (c.clean() for c in Corpus.iter_parquet(source, chunksize=1))
    >>> ds = write_dataset(stream, tmp / "parsed")
    >>> ds.n_parts, ds.metadata["parameters"]["cleaned"]
    (2, True)
    """
    out = Path(path)
    _prepare_target(out, overwrite)
    if isinstance(corpus, DocumentTables):
        chunks: Iterable[Any] = corpus_chunks(corpus, chunksize)
    else:
        chunks = iter(corpus)
    if cache is not None and not isinstance(cache, ParseCache):
        cache = ParseCache(cache)
    seen: set[str] = set()
    parts: list[dict[str, Any]] = []
    cleaned: bool | None = None
    dtypes: dict[str, dict[str, str]] = {}
    for k, chunk in enumerate(chunks):
        if not isinstance(chunk, DocumentTables):
            raise InputError(
                f"chunk {k} is a {type(chunk).__name__}, not a Corpus",
                hint="pass a Corpus or an iterable of Corpus chunks",
            )
        again = [d for d in chunk.doc_ids if d in seen]
        if again:
            raise DuplicateIdError(
                f"doc_id values repeat across chunks (chunk {k})",
                doc_ids=again,
                hint="make the ids unique across the whole corpus",
            )
        seen.update(chunk.doc_ids)
        if cleaned is None:
            cleaned = chunk.is_cleaned
        elif cleaned != chunk.is_cleaned:
            raise InputError(
                f"chunk {k} is {'cleaned' if chunk.is_cleaned else 'raw'} but earlier chunks "
                f"are {'cleaned' if cleaned else 'raw'}",
                hint="clean every chunk, or none",
            )
        tables = parse_tables(
            chunk.documents,
            chunk.paragraphs,
            n_jobs=n_jobs,
            cache=cache,
            disambiguate=disambiguate,
        )
        parsed = Parsed.from_parse(chunk, tables)
        name = f"part-{k:05d}"
        part_dtypes = {}
        for table in TABLES:
            frame = getattr(parsed, table)
            if frame is None:
                continue
            (out / table).mkdir(exist_ok=True)
            write_frame(frame, out / table / f"{name}.parquet")
            part_dtypes[table] = dtypes_of(frame)
        dtypes = dtypes or part_dtypes
        parts.append(
            {
                "name": name,
                "documents": len(parsed.documents),
                "tokens": len(parsed.tokens),
                "input_sha256": _inputs_hash(parsed.sources),
                "dtypes": part_dtypes,
            }
        )
    total = hashlib.sha256("".join(p["input_sha256"] for p in parts).encode()).hexdigest()
    meta = {
        "format": FORMAT,
        "fingerprint": pipeline_fingerprint(disambiguate),
        "parameters": {
            "cleaned": bool(cleaned),
            "chunksize": chunksize,
            "disambiguate": bool(disambiguate),
        },
        "documents": sum(p["documents"] for p in parts),
        "tokens": sum(p["tokens"] for p in parts),
        "input_sha256": total,
        "tables": [t for t in TABLES if (out / t).is_dir()],
        "parts": parts,
    }
    tmp = out / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, out / META_FILE)
    return ParsedDataset(out)


# ---------------------------------------------------------------------------- reading


class ParsedDataset:
    """A parsed corpus stored by :func:`write_dataset`, read a part at a time.

    Parameters
    ----------
    path : str or pathlib.Path
        The dataset folder.

    Attributes
    ----------
    path : pathlib.Path
    metadata : dict
        The contents of ``kzdiscourse_dataset.json`` (versions, parameters, input hashes,
        and per part the number of documents and tokens).

    Raises
    ------
    InputPathError
        The folder or its metadata file is missing (an unfinished write).
    InputError
        The metadata is not that of a kzdiscourse dataset of a known format version.

    Examples
    --------
    >>> import tempfile
    >>> from kzdiscourse import load_seeds
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_dataset(load_seeds().clean(), folder)
    >>> ds = ParsedDataset(folder)
    >>> ds.read_table("tokens", ["doc_id", "lemma"]).shape[1]
    2
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        meta_path = self.path / META_FILE
        if not meta_path.exists():
            raise InputPathError(
                f"not a kzdiscourse parsed dataset (no {META_FILE})",
                source=str(self.path),
                hint="write one with kzdiscourse.store.write_dataset; a folder without the "
                "metadata file is an unfinished write",
            )
        try:
            self.metadata: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"unreadable metadata: {exc}", source=str(meta_path)) from exc
        fmt = self.metadata.get("format", {})
        if fmt.get("name") != FORMAT["name"] or fmt.get("version") != FORMAT["version"]:
            raise InputError(
                f"unknown dataset format {fmt!r}",
                source=str(meta_path),
                hint=f"this kzdiscourse reads {FORMAT}",
            )

    def __len__(self) -> int:
        return int(self.metadata["documents"])

    def __repr__(self) -> str:
        return (
            f"ParsedDataset({str(self.path)!r}: {len(self)} documents, "
            f"{self.metadata['tokens']} tokens, {self.n_parts} parts)"
        )

    @property
    def n_parts(self) -> int:
        """Number of parts (chunks)."""
        return len(self.metadata["parts"])

    @property
    def tables(self) -> list[str]:
        """Names of the stored tables."""
        return list(self.metadata["tables"])

    def _check_table(self, table: str) -> None:
        if table not in self.tables:
            raise InputError(f"no table {table!r} in the dataset", hint=f"tables: {self.tables}")

    def read_part(
        self, table: str, part: int, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """One part of one table, optionally only some columns.

        Parameters
        ----------
        table : str
            One of :attr:`tables`.
        part : int
            Part number, from 0.
        columns : sequence of str, optional
            Columns to read (all by default).
        """
        self._check_table(table)
        info = self.metadata["parts"][part]
        return read_frame(
            self.path / table / f"{info['name']}.parquet", info["dtypes"][table], columns
        )

    def iter_table(
        self, table: str, columns: Sequence[str] | None = None
    ) -> Iterator[pd.DataFrame]:
        """The parts of one table in order, one DataFrame at a time.

        Examples
        --------
        >>> import tempfile
        >>> from kzdiscourse import load_seeds
        >>> ds = write_dataset(load_seeds().clean(), tempfile.mkdtemp(), chunksize=1)
        >>> [frame.columns.tolist() for frame in ds.iter_table("tokens", ["doc_id", "lemma"])]
        [['doc_id', 'lemma'], ['doc_id', 'lemma']]
        """
        for k in range(self.n_parts):
            yield self.read_part(table, k, columns)

    def read_table(self, table: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """A whole table (all parts), optionally only some columns."""
        frames = list(self.iter_table(table, columns))
        if not frames:
            return pd.DataFrame()
        # empty parts (e.g. a chunk without citations) carry no dtypes worth keeping
        filled = [f for f in frames if len(f)] or frames[:1]
        return pd.concat(filled, ignore_index=True)

    def metadata_table(self) -> pd.DataFrame:
        """The documents table without the texts (``doc_id`` and metadata columns)."""
        import pyarrow.parquet as pq

        if self.n_parts == 0:
            return pd.DataFrame({"doc_id": pd.Series(dtype=object)})
        first = self.path / "documents" / f"{self.metadata['parts'][0]['name']}.parquet"
        names = [c for c in pq.read_schema(first).names if c != "text"]
        return self.read_table("documents", names)

    def groups(self, by: str) -> pd.Series:
        """Group label of every document (see :meth:`kzdiscourse.Parsed.groups`)."""
        return document_groups(self.metadata_table(), by)

    def parsed_part(self, part: int, columns: dict[str, Sequence[str]] | None = None) -> Parsed:
        """One part as a :class:`~kzdiscourse.Parsed` (``columns``: table → columns to read)."""
        columns = columns or {}
        frames: dict[str, Any] = {}
        for table in TABLES:
            if table in self.tables:
                frames[table] = self.read_part(table, part, columns.get(table))
            else:
                frames[table] = None
        return Parsed(**frames, lemmatization=self.metadata["fingerprint"].get("lemmas"))

    def iter_parsed(self, columns: dict[str, Sequence[str]] | None = None) -> Iterator[Parsed]:
        """Each part as a :class:`~kzdiscourse.Parsed`, in order.

        Parameters
        ----------
        columns : dict, optional
            Table name → the columns to read of it (all columns of the other tables).
        """
        for k in range(self.n_parts):
            yield self.parsed_part(k, columns)

    def to_parsed(self) -> Parsed:
        """Everything in memory as one :class:`~kzdiscourse.Parsed` (for data that fits).

        Equal, table by table, to parsing the same corpus in memory.
        """
        frames: dict[str, Any] = {}
        for table in TABLES:
            if table in self.tables:
                frames[table] = self.read_table(table)
            else:
                frames[table] = None
        return Parsed(**frames, lemmatization=self.metadata["fingerprint"].get("lemmas"))
