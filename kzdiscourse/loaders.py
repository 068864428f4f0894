"""Reading texts into the documents table: folders of text files, CSV, JSON Lines, Parquet.

The ``read_*`` functions turn a file into a frame (an id column, a text column, metadata);
:func:`kzdiscourse.validation.document_tables` then checks it and makes the two tables a
:class:`~kzdiscourse.Corpus` is made of. Plain-text files (a folder, or files named on the
command line) come back as :class:`Loaded`: those two tables, with each file's path and
the SHA-256 of its bytes as its source. ``Corpus.from_*``, the streaming readers
(:mod:`kzdiscourse.streaming`), the folder reader (:mod:`kzdiscourse.folders`) and the
command line all read through this module, so bytes are decoded in one place
(:func:`decode`), with the help of :mod:`kzdiscourse.encodings`.

Examples
--------
>>> from kzdiscourse.seeds import seeds_path
>>> files = sorted(seeds_path().glob("*.txt"))
>>> loaded = load_text_files(files, ["a", "b"])
>>> loaded.documents["doc_id"].tolist()
['a', 'b']
>>> loaded.sources["source"].str.endswith(".txt").all()
np.True_
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import logging
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from kzdiscourse import encodings
from kzdiscourse.errors import (
    ColumnError,
    EncodingError,
    InputError,
    InputPathError,
)
from kzdiscourse.validation import (
    MIN_CYRILLIC_SHARE,
    document_tables,
    is_unicode,
    validate_ids,
)

__all__ = [
    "Loaded",
    "decode",
    "existing_file",
    "load_text_files",
    "read_csv",
    "read_jsonl",
    "read_metadata_csv",
    "read_parquet",
    "sniff_separator",
]

log = logging.getLogger(__name__)


class Loaded(NamedTuple):
    """The tables a loader returns (see :attr:`kzdiscourse.Corpus.documents` and
    :attr:`~kzdiscourse.Corpus.sources`)."""

    documents: pd.DataFrame
    sources: pd.DataFrame


# ---------------------------------------------------------------------------- decoding


def decode(data: bytes, source: str, encoding: str | None) -> str:
    """Decode file bytes, or raise an EncodingError that says what the file is and what to do.

    Besides encodings, this refuses what is not plain text at all: binary data and HTML
    pages (their markup would otherwise end up among the words). Every loader reads its
    bytes through here. An encoding is advised only when the text it gives reads as
    Russian, better than in any other (:mod:`kzdiscourse.encodings`); a text that reads as
    Russian only after undoing a wrong conversion (UTF-8 read as cp1251 and saved again) is
    refused as mojibake.

    Parameters
    ----------
    data : bytes
        The file's contents.
    source : str
        The file, named in errors.
    encoding : str or None
        ``None`` (or ``"utf-8"``): UTF-8, a byte-order mark accepted; a file that is not
        raises an error saying what it is (UTF-8 with a few bad bytes: where they are;
        UTF-16; the Cyrillic encoding it reads as Russian in; binary). ``"auto"``: UTF-8 or
        UTF-16 with a byte-order mark, else the one encoding the text reads as Russian in
        (an error if none or two read as well). Any other Python codec name: that
        encoding, refused when its text is mojibake and another encoding reads as Russian.

    Returns
    -------
    str

    Raises
    ------
    EncodingError, InputError

    Examples
    --------
    >>> text = "Казахстан расширяет сотрудничество с Европейским союзом."
    >>> decode(text.encode("utf-8"), "a.txt", None) == text
    True
    >>> decode(text.encode("koi8-r"), "a.txt", None)
    Traceback (most recent call last):
    ...
    kzdiscourse.errors.EncodingError: the file is not UTF-8; it reads as Russian in KOI8-R Cyrillic: «Казахстан расширяет сотрудничество с Европейским союзом.» [source: a.txt]
    What to do: convert it to UTF-8 (`iconv -f KOI8-R -t UTF-8 FILE > NEW_FILE`) or pass encoding='koi8-r'
    >>> decode(text.encode("koi8-r"), "a.txt", "auto") == text
    True
    """  # noqa: E501
    auto = encoding is not None and encoding.strip().lower() == "auto"
    if encoding is not None and not auto and encodings.canonical(encoding) != "utf-8":
        return _plain_text(_decode_as(data, source, encoding), source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        wide = data.decode("utf-16", errors="replace")
        if auto and (encodings.plausibility(wide).plausible or _mostly_ascii(wide)):
            return _plain_text(wide, source)
        raise EncodingError(
            "the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8",
            source=source,
            hint=_convert_hint("utf-16"),
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data or _control_share(data) > 0.05:
        return _plain_text(_binary_or_wide(data, source, auto), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _plain_text(_not_utf8(data, source, auto), source)
    _refuse_mojibake(text, source)
    return _plain_text(text, source)


def _mostly_ascii(text: str) -> bool:
    sample = text[:4096]
    return bool(sample) and sum(ch.isascii() for ch in sample) >= 0.95 * len(sample)


def _convert_hint(encoding: str) -> str:
    return (
        f"convert it to UTF-8 (`iconv -f {encodings.iconv_name(encoding)} -t UTF-8 FILE > "
        f"NEW_FILE`) or pass encoding='{encodings.canonical(encoding)}'"
    )


def _decode_as(data: bytes, source: str, encoding: str) -> str:
    """Decode with the encoding the user named; refuse mojibake when another reads as Russian."""
    try:
        text = data.decode(encoding)
    except LookupError as exc:
        raise EncodingError(
            f"unknown encoding {encoding!r}",
            source=source,
            hint="pass a Python codec name (e.g. 'utf-8', 'cp1251', 'koi8-r', 'utf-16'), "
            "or 'auto' to tell it from the text",
        ) from exc
    except UnicodeDecodeError as exc:
        guess = encodings.diagnose(data)
        where = encodings.byte_position(data, exc.start)
        found = (
            f"; it reads as Russian in {encodings.LABELS.get(guess.encoding, guess.encoding)}"
            if guess.encoding
            else ""
        )
        raise EncodingError(
            f"cannot decode the file as {encoding}: byte 0x{data[exc.start]:02x} at {where} "
            f"is not valid there{found}",
            source=source,
            hint=_convert_hint(guess.encoding)
            if guess.encoding
            else "check the encoding= argument, or convert the file to UTF-8",
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if encodings.plausibility(text, sample=2048).plausible:
        return text
    guess = encodings.diagnose(data)
    wrong = guess.encoding is not None and guess.encoding != encodings.canonical(encoding)
    if wrong and guess.text != text:
        raise EncodingError(
            f"decoded as {encoding} the file does not read as Russian "
            f"({encodings.preview(text)}); it reads as Russian in "
            f"{encodings.LABELS.get(guess.encoding, guess.encoding)}: "
            f"{encodings.preview(guess.text)}",
            source=source,
            hint=f"pass encoding='{guess.encoding}' (or 'auto')",
        )
    return text


def _binary_or_wide(data: bytes, source: str, auto: bool) -> str:
    """NUL or control bytes: UTF-16 without a byte-order mark, UTF-8 with NULs, or binary."""
    wide = encodings.diagnose(data, candidates=())
    if wide.encoding is not None:
        if auto:
            return wide.text
        raise EncodingError(
            f"the file is {encodings.LABELS[wide.encoding]}, not UTF-8",
            source=source,
            hint=_convert_hint(wide.encoding),
        )
    nul = data.count(b"\x00")
    if 0 < nul <= max(1, len(data) // 1000) and _control_share(data.replace(b"\x00", b"")) <= 0.05:
        try:
            text = data.replace(b"\x00", b"").decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if text and encodings.plausibility(text).plausible:
            where = encodings.byte_position(data, data.index(b"\x00"))
            raise EncodingError(
                f"the file is UTF-8 text with {nul} NUL byte(s), the first at {where}",
                source=source,
                hint="remove them (e.g. `tr -d '\\000' < FILE > NEW_FILE`) and check "
                "the text around them",
            )
    raise EncodingError(
        "the file is binary data (NUL or control bytes), not text",
        source=source,
        hint="check that this is a text file (a .docx or .pdf must be converted to text "
        "first); for UTF-16 or UTF-32 text pass encoding='utf-16' / 'utf-32'",
    )


def _not_utf8(data: bytes, source: str, auto: bool) -> str:
    """Bytes that are not valid UTF-8: a few stray bytes, another encoding, or neither."""
    bad = encodings.utf8_errors(data)
    assert bad is not None
    where = encodings.byte_position(data, bad.first)
    if bad.few:
        raise EncodingError(
            f"the file is UTF-8 but {bad.count} byte(s) are not valid UTF-8: the first, "
            f"0x{data[bad.first]:02x}, at {where}, after "
            f"{encodings.preview(bad.context, width=40)}",
            source=source,
            hint="repair those bytes in the file; `iconv -c -f UTF-8 -t UTF-8 FILE > "
            "NEW_FILE` drops them (look at what they were first)",
        )
    guess = encodings.diagnose(data, candidates=encodings.CANDIDATES[1:])
    if guess.encoding is not None:
        if auto:
            return guess.text
        raise EncodingError(
            f"the file is not UTF-8; it reads as Russian in "
            f"{encodings.LABELS[guess.encoding]}: {encodings.preview(guess.text)}",
            source=source,
            hint=_convert_hint(guess.encoding),
        )
    if guess.readings:
        listing = "; ".join(
            f"{name}: {encodings.preview(text, width=40)}" for name, text in guess.readings.items()
        )
        raise EncodingError(
            f"the file is not UTF-8; it reads about as well in {len(guess.readings)} "
            f"encodings: {listing}",
            source=source,
            hint="pass the encoding= whose text reads right (or convert the file to UTF-8 "
            "with iconv -f ENCODING -t UTF-8)",
        )
    short = encodings.readings(data)
    if short:
        listing = "; ".join(
            f"as {name} {encodings.preview(text, width=40)}" for name, text in short.items()
        )
        raise EncodingError(
            f"the file is not UTF-8 (byte 0x{data[bad.first]:02x} at {where}), and it has "
            f"too little text to tell its encoding: it reads {listing}",
            source=source,
            hint="pass the encoding= whose text reads right (or convert the file to UTF-8 "
            "with iconv -f ENCODING -t UTF-8)",
        )
    raise EncodingError(
        f"the file is not UTF-8 (byte 0x{data[bad.first]:02x} at {where}), and it does "
        "not read as Russian in cp1251, KOI8-R, cp866 or Mac Cyrillic",
        source=source,
        hint="convert it to UTF-8, or pass encoding= if you know it; check that it is a text file",
    )


def _refuse_mojibake(text: str, source: str) -> None:
    """Valid UTF-8 whose Cyrillic is UTF-8 bytes read in a single-byte encoding and saved."""
    repaired = encodings.undo_double_encoding(text)
    if repaired is not None:
        wrong, right = repaired
        raise EncodingError(
            f"the text is mojibake: UTF-8 that was read as {wrong} and saved again "
            f"({encodings.preview(text, width=30)}); it should read "
            f"{encodings.preview(right, width=30)}",
            source=source,
            hint=f"repair it with `iconv -f UTF-8 -t {encodings.iconv_name(wrong)} FILE > "
            "NEW_FILE` (the result is the UTF-8 text), or fix the step that converted it",
        )


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


#: Separators :func:`sniff_separator` tells apart (in order of preference on a tie).
SEPARATORS = (",", ";", "\t", "|")


def sniff_separator(text: str) -> str:
    r"""The field separator of CSV text: ``,``, ``;`` (Excel in a Russian locale), tab or ``|``.

    The first rows are parsed with each separator (quotes respected); the one that gives
    every row the header's number of fields, and the most fields, wins; ``,`` otherwise.

    Examples
    --------
    >>> sniff_separator('doc_id;outlet;title\na;X;"Мир, труд"\n')
    ';'
    >>> sniff_separator("doc_id\toutlet\na\tX\n")
    '\t'
    """
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    best, best_fields = ",", 1
    for sep in SEPARATORS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=sep)
            rows = [r for r in itertools.islice(reader, 50) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width > best_fields and all(len(r) == width for r in rows[1:]):
            best, best_fields = sep, width
    return best


def read_csv(path: Path, encoding: str | None, **read_csv_kwargs: Any) -> pd.DataFrame:
    """Read a CSV as strings; empty cells become None; errors name the file.

    Without ``sep=``, the separator is sniffed (:func:`sniff_separator`); a UTF-8
    byte-order mark is dropped.
    """
    text = decode(_read_bytes(path), str(path), encoding)
    if "sep" not in read_csv_kwargs and "delimiter" not in read_csv_kwargs:
        read_csv_kwargs["sep"] = sniff_separator(text)
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
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.replace({"": None})


def read_metadata_csv(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """A folder's metadata table: a ``doc_id`` column of valid ids, each file listed once.

    Read with ``encoding`` (the folder's), or else recognised (``"auto"``: UTF-8, or the
    Cyrillic encoding its text reads as Russian in, e.g. a cp1251 file saved by Excel);
    the separator is sniffed.
    """
    meta = read_csv(path, encoding if encoding is not None else "auto")
    if "doc_id" not in meta.columns:
        raise ColumnError(
            "the metadata has no doc_id column",
            source=str(path),
            hint=f"columns found: {', '.join(meta.columns)}; add a doc_id column",
        )
    if "text" in meta.columns:
        raise ColumnError(
            "the metadata has a text column, but in a folder the texts come from the files",
            source=str(path),
            hint="rename that column (e.g. to summary); to take the texts from the table "
            "instead, load it as a CSV corpus (Corpus.from_csv, or the .csv file as the "
            "command line's INPUT)",
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


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputPathError(
            f"cannot read the file: {exc.strerror or exc}",
            source=str(path),
            hint="check that it exists and that you may read it (permissions)",
        ) from exc


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
        data = _read_bytes(p)
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


# ---------------------------------------------------------------------------- files to frames


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
    text = decode(_read_bytes(path), str(path), encoding)
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
