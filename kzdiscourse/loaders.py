"""Reading texts into the documents table: folders of text files, CSV, JSON Lines, Parquet.

The ``read_*`` functions turn a file into a frame (an id column, a text column, metadata);
:func:`kzdiscourse.validation.document_tables` then checks it and makes the two tables a
:class:`~kzdiscourse.Corpus` is made of. Plain-text files (a folder, or files named on the
command line) come back as :class:`Loaded`: those two tables, with each file's path and
the SHA-256 of its bytes as its source. ``Corpus.from_*``, the streaming readers
(:mod:`kzdiscourse.streaming`) and the command line all read through this module, so bytes
are decoded in one place (:func:`decode`) and a folder is matched to its metadata in one
place (:class:`FolderPlan`).

Examples
--------
>>> from kzdiscourse.seeds import seeds_path
>>> loaded = load_folder(seeds_path())
>>> loaded.documents["doc_id"].tolist()
['ankasam_2025_08', 'dzen_2025_12']
>>> loaded.sources["source"].str.endswith(".txt").all()
np.True_
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from kzdiscourse.errors import (
    ColumnError,
    DuplicateIdError,
    EncodingError,
    InputError,
    InputPathError,
    MetadataMismatchError,
)
from kzdiscourse.validation import (
    MIN_CYRILLIC_SHARE,
    cyrillic_share,
    document_tables,
    is_unicode,
    validate_ids,
)

__all__ = [
    "FolderPlan",
    "Loaded",
    "decode",
    "existing_file",
    "load_folder",
    "load_text_files",
    "read_csv",
    "read_jsonl",
    "read_metadata_csv",
    "read_parquet",
]

log = logging.getLogger(__name__)


class Loaded(NamedTuple):
    """The tables a loader returns (see :attr:`kzdiscourse.Corpus.documents` and
    :attr:`~kzdiscourse.Corpus.sources`)."""

    documents: pd.DataFrame
    sources: pd.DataFrame


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes, source: str, encoding: str | None) -> str:
    """Decode file bytes, or raise an EncodingError that says what the file looks like.

    Besides encodings, this refuses what is not plain text at all: binary data and HTML
    pages (their markup would otherwise end up among the words). Every loader reads its
    bytes through here.

    Parameters
    ----------
    data : bytes
        The file's contents.
    source : str
        The file, named in errors.
    encoding : str or None
        The encoding to use; ``None`` for UTF-8 (a byte-order mark is accepted), with an
        error saying what a file that is not UTF-8 looks like (UTF-16, cp1251, binary).

    Returns
    -------
    str

    Raises
    ------
    EncodingError, InputError

    Examples
    --------
    >>> decode("Текст".encode("utf-8"), "a.txt", None)
    'Текст'
    >>> decode("Текст".encode("cp1251"), "a.txt", None)
    Traceback (most recent call last):
    ...
    kzdiscourse.errors.EncodingError: the file is not UTF-8; it looks like Windows-1251 (cp1251) Cyrillic [source: a.txt]
    What to do: convert it to UTF-8 (e.g. `iconv -f CP1251 -t UTF-8`) or pass encoding='cp1251'
    """  # noqa: E501
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise EncodingError(
                f"cannot decode the file as {encoding}: {exc}",
                source=source,
                hint="check the encoding= argument, or convert the file to UTF-8",
            ) from exc
        return _plain_text(text, source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EncodingError(
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8",
            source=source,
            hint="convert it to UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`) or pass encoding='utf-16'",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data or _control_share(data) > 0.05:
        raise EncodingError(
            "the file is binary data (NUL or control bytes), or text in a 16-bit encoding",
            source=source,
            hint="check that this is a text file; convert UTF-16 files to UTF-8 "
            "or pass encoding='utf-16'",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            guess = data.decode("cp1251")
        except UnicodeDecodeError:
            guess = ""
        if guess and cyrillic_share(guess) >= 0.8:
            raise EncodingError(
                "the file is not UTF-8; it looks like Windows-1251 (cp1251) Cyrillic",
                source=source,
                hint="convert it to UTF-8 (e.g. `iconv -f CP1251 -t UTF-8`) "
                "or pass encoding='cp1251'",
            ) from exc
        raise EncodingError(
            f"the file is not valid UTF-8 (bad byte at position {exc.start})",
            source=source,
            hint="convert it to UTF-8, or pass the right encoding= if you know it",
        ) from exc
    return _plain_text(text, source)


#: Control bytes that never occur in plain text (tab, line feed, form feed, CR excluded).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13)) + b"\x7f"


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def _plain_text(text: str, source: str) -> str:
    """Refuse decoded text that is not plain text (NUL characters, an HTML page)."""
    if "\x00" in text:
        raise EncodingError(
            "the file contains NUL characters: it is binary or in a 16-bit encoding",
            source=source,
            hint="check that this is a text file and the encoding= argument",
        )
    if _HTML_START.match(text[:4096]):
        raise InputError(
            "the file is an HTML page, not plain text",
            source=source,
            hint="extract the article text first (e.g. with trafilatura or BeautifulSoup) "
            "and load that",
        )
    return text


# ---------------------------------------------------------------------------- files


def existing_file(path: str | Path) -> Path:
    """``path`` as a Path, or an InputPathError if it is missing or a folder."""
    p = Path(path)
    if not p.exists():
        raise InputPathError("no such file", source=str(p), hint="check the path")
    if p.is_dir():
        raise InputPathError(
            "expected a file, got a folder", source=str(p), hint="use Corpus.from_folder"
        )
    return p


def read_csv(path: Path, encoding: str | None, **read_csv_kwargs: Any) -> pd.DataFrame:
    """Read a CSV as strings; empty cells become None; errors name the file."""
    text = decode(path.read_bytes(), str(path), encoding)
    # index_col=False: a row with more fields than the header is an error, not a silent
    # shift of every column into an index
    read_csv_kwargs.setdefault("index_col", False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, **read_csv_kwargs
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, pd.errors.ParserWarning) as exc:
        raise InputError(
            f"cannot parse the CSV: {exc}",
            source=str(path),
            hint="check the delimiter (pass sep=), that no row has more fields than the "
            "header, and the quoting of texts with commas or newlines",
        ) from exc
    return frame.replace({"": None})


def read_metadata_csv(path: Path) -> pd.DataFrame:
    """A folder's metadata table: a ``doc_id`` column of valid ids, each file listed once."""
    meta = read_csv(path, None)
    if "doc_id" not in meta.columns:
        raise ColumnError(
            "the metadata has no doc_id column",
            source=str(path),
            hint=f"columns found: {', '.join(meta.columns)}; add a doc_id column",
        )
    ids = validate_ids(meta["doc_id"], str(path))
    meta["doc_id"] = ids
    if "file" in meta.columns:
        files = meta["file"].dropna()
        dup = files[files.duplicated()].unique().tolist()
        if dup:
            raise InputError(
                f"the same file is listed twice in the metadata: {dup[:10]}",
                source=str(path),
                hint="list each file once",
            )
    return meta


def load_text_files(
    files: Sequence[Path],
    doc_ids: Sequence[str],
    *,
    encoding: str | None = None,
    metadata: pd.DataFrame | None = None,
    source: str | None = None,
    min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
) -> Loaded:
    """Plain-text files as documents (one file, one document), each file its own source.

    Parameters
    ----------
    files : sequence of pathlib.Path
        The files, in corpus order.
    doc_ids : sequence of str
        The id of each file's document.
    encoding : str, optional
        See :func:`decode`.
    metadata : pandas.DataFrame, optional
        A ``doc_id`` column and metadata columns, joined to the texts by ``doc_id``.
    source : str, optional
        The input as a whole (a folder), named in errors that concern no single file.
    min_cyrillic_share : float or None, default 0.5
        See :func:`kzdiscourse.validation.document_tables`.

    Returns
    -------
    Loaded
        ``sources`` holds each file's path and the SHA-256 of its bytes.
    """
    records = []
    hashes = []
    paths = []
    for p, doc_id in zip(files, doc_ids, strict=True):
        data = p.read_bytes()
        records.append({"doc_id": doc_id, "text": decode(data, str(p), encoding)})
        hashes.append(hashlib.sha256(data).hexdigest())
        paths.append(str(p))
    frame = pd.DataFrame.from_records(records, columns=["doc_id", "text"])
    if metadata is not None:
        frame = frame.merge(metadata, on="doc_id", how="left", validate="one_to_one")
    whole = source if source is not None else ", ".join(paths)
    try:
        documents, sources = document_tables(
            frame, source=whole, min_cyrillic_share=min_cyrillic_share
        )
    except InputError as exc:
        if exc.doc_ids and exc.source == whole:
            # name the files of the documents concerned, not the folder
            by_id = dict(zip(frame["doc_id"], paths, strict=True))
            exc.set_source(", ".join(by_id.get(d, "?") for d in exc.doc_ids[:5]))
        raise
    sources["source"] = paths
    sources["sha256"] = hashes
    return Loaded(documents, sources)


# ---------------------------------------------------------------------------- folders


@dataclass
class FolderPlan:
    """Which files of a folder are read, under which ids, with which metadata row.

    Everything here is decided from the file names and the metadata table alone, so a
    streaming reader can check the whole folder before reading the first text.

    Attributes
    ----------
    folder : pathlib.Path
    files : list of pathlib.Path
        The text files, sorted.
    file_ids : dict
        File → ``doc_id``.
    meta : pandas.DataFrame or None
        The metadata table (without its ``file`` column).

    Examples
    --------
    >>> from kzdiscourse.seeds import seeds_path
    >>> plan = FolderPlan.make(seeds_path(), "*.txt", "metadata.csv", strict=True)
    >>> [plan.file_ids[p] for p in plan.files]
    ['ankasam_2025_08', 'dzen_2025_12']
    """

    folder: Path
    files: list[Path]
    file_ids: dict[Path, str]
    meta: pd.DataFrame | None

    @classmethod
    def make(
        cls, path: str | Path, pattern: str, metadata: str | Path | None, strict: bool
    ) -> FolderPlan:
        """Check a folder and its metadata; see :meth:`kzdiscourse.Corpus.from_folder`."""
        folder = Path(path)
        if not folder.exists():
            raise InputPathError("no such folder", source=str(folder), hint="check the path")
        if not folder.is_dir():
            raise InputPathError(
                "expected a folder of text files",
                source=str(folder),
                hint="use Corpus.from_csv / from_jsonl / from_parquet for a single file",
            )
        files = sorted(p for p in folder.glob(pattern) if p.is_file() and p.name != str(metadata))
        if not files:
            raise InputPathError(
                f"no files matching {pattern!r} in the folder",
                source=str(folder),
                hint="check the folder and the pattern= argument",
            )
        meta_path: Path | None = None
        if metadata is not None:
            meta_path = Path(metadata)
            if not meta_path.is_absolute():
                meta_path = folder / meta_path
            if not meta_path.exists():
                if str(metadata) != "metadata.csv":
                    raise InputPathError(
                        "metadata file not found", source=str(meta_path), hint="check the path"
                    )
                meta_path = None
        meta = read_metadata_csv(meta_path) if meta_path is not None else None

        rel = {p: p.relative_to(folder).as_posix() for p in files}
        file_ids: dict[Path, str | None] = {p: p.stem for p in files}
        if meta is not None:
            if "file" in meta.columns:
                id_of = dict(zip(meta["file"], meta["doc_id"], strict=True))
                file_ids = {p: id_of.get(rel[p]) for p in files}
            else:
                known = set(meta["doc_id"])
                file_ids = {p: (p.stem if p.stem in known else None) for p in files}
            unmatched = [rel[p] for p in files if file_ids[p] is None]
            with_text = {d for d in file_ids.values() if d is not None}
            orphans = [d for d in meta["doc_id"] if d not in with_text]
            if (unmatched or orphans) and strict:
                problems = []
                if unmatched:
                    problems.append(
                        f"{len(unmatched)} text file(s) without a metadata row: {unmatched[:10]}"
                    )
                if orphans:
                    problems.append(f"{len(orphans)} metadata row(s) without a text file")
                raise MetadataMismatchError(
                    "; ".join(problems),
                    doc_ids=orphans or None,
                    source=str(meta_path),
                    hint="add a row per text file (doc_id, plus a file column if ids differ "
                    "from file names), remove rows whose texts are gone, or pass strict=False "
                    "to keep texts without metadata",
                )
            for name in unmatched:
                log.warning("%s: no metadata row for %s; kept with empty metadata", meta_path, name)
            for d in orphans:
                log.warning("%s: metadata row %r has no text file", meta_path, d)
        ids = {p: (d if d is not None else p.stem) for p, d in file_ids.items()}
        counts: dict[str, int] = {}
        for d in ids.values():
            counts[d] = counts.get(d, 0) + 1
        dup = [d for d, n in counts.items() if n > 1]
        if dup:
            raise DuplicateIdError(
                "several files map to the same doc_id",
                doc_ids=dup,
                source=str(folder),
                hint="give each file its own doc_id in metadata.csv",
            )
        if meta is not None:
            meta = meta.drop(columns=[c for c in ("file",) if c in meta.columns])
        return cls(folder=folder, files=files, file_ids=ids, meta=meta)

    def load(
        self,
        files: Sequence[Path],
        encoding: str | None = None,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Loaded:
        """Read ``files`` (all of :attr:`files`, or a part) with their metadata."""
        return load_text_files(
            files,
            [self.file_ids[p] for p in files],
            encoding=encoding,
            metadata=self.meta,
            source=str(self.folder),
            min_cyrillic_share=min_cyrillic_share,
        )


# ---------------------------------------------------------------------------- files to frames


def load_folder(
    path: str | Path,
    *,
    pattern: str = "*.txt",
    metadata: str | Path | None = "metadata.csv",
    encoding: str | None = None,
    strict: bool = True,
    min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
) -> Loaded:
    """See :meth:`kzdiscourse.Corpus.from_folder`."""
    plan = FolderPlan.make(path, pattern, metadata, strict)
    return plan.load(plan.files, encoding, min_cyrillic_share)


def read_jsonl(path: Path, encoding: str | None) -> pd.DataFrame:
    """A JSON Lines file as a frame, one row per object; errors name the line.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "docs.jsonl"
    >>> _ = path.write_text('{"doc_id": "a", "text": "Текст."}\\n\\n[1]\\n', encoding="utf-8")
    >>> read_jsonl(path, None)
    Traceback (most recent call last):
    ...
    kzdiscourse.errors.InputError: line 3 is a JSON list, not an object [source: ...]
    What to do: each line must look like {"doc_id": ..., "text": ...}
    """
    text = decode(path.read_bytes(), str(path), encoding)
    records = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"line {lineno} is not valid JSON: {exc.msg}",
                source=str(path),
                hint="each line must be one JSON object",
            ) from exc
        if not isinstance(obj, dict):
            raise InputError(
                f"line {lineno} is a JSON {type(obj).__name__}, not an object",
                source=str(path),
                hint='each line must look like {"doc_id": ..., "text": ...}',
            )
        records.append(obj)
    if not records:
        raise InputError("the file has no records", source=str(path), hint="check the file")
    bad = [
        n
        for n, obj in enumerate(records, start=1)
        if not is_unicode(json.dumps(obj, ensure_ascii=False))
    ]
    if bad:
        raise EncodingError(
            f"record(s) {bad[:10]} (counting from 1) hold unpaired surrogate escapes "
            "(\\ud800-\\udfff), which are not valid Unicode",
            source=str(path),
            hint="repair the JSON (the text was probably cut in the middle of a character)",
        )
    return pd.DataFrame.from_records(records)


def read_parquet(path: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A Parquet file or dataset folder as a frame (optionally only some columns)."""
    p = Path(path)
    if not p.exists():
        raise InputPathError("no such file or folder", source=str(p), hint="check the path")
    try:
        return pd.read_parquet(p, columns=None if columns is None else list(columns))
    except Exception as exc:  # pyarrow raises several unrelated types
        raise InputError(
            f"cannot read the Parquet data: {exc}",
            source=str(p),
            hint="check that this is a Parquet file written by pandas/pyarrow",
        ) from exc
