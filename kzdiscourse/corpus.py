"""The Corpus: documents and their metadata, validated at the door.

A :class:`Corpus` holds one row per document (``doc_id``, ``text`` and any metadata
columns) plus the provenance of each text (where it came from and the SHA-256 of what was
read). Loaders check ids, texts, encodings, language and the match between texts and
metadata, and raise a :mod:`kzdiscourse.errors` exception that names the document and says
what to do; nothing is dropped silently.

On loading, texts are NFC-normalised and their line endings unified to ``\\n`` (the SHA-256
is of the bytes or string as given, before this).

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse import Corpus
>>> frame = pd.DataFrame({
...     "doc_id": ["a", "b"],
...     "text": ["Казахстан сближается с ЕС.", "Астана сохраняет баланс."],
...     "outlet": ["X", "Y"],
... })
>>> corpus = Corpus.from_dataframe(frame)
>>> corpus.documents.columns.tolist()
['doc_id', 'text', 'outlet']
>>> len(corpus)
2
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kzdiscourse.errors import (
    CleaningWarning,
    ColumnError,
    DuplicateIdError,
    EmptyTextError,
    EncodingError,
    InputError,
    InputPathError,
    LanguageError,
    MetadataMismatchError,
    MissingIdError,
)

if TYPE_CHECKING:
    from kzdiscourse.cache import ParseCache
    from kzdiscourse.parsed import Parsed

__all__ = ["Corpus", "cyrillic_share"]

log = logging.getLogger(__name__)

#: Default minimum share of Cyrillic letters among all letters for a text to count as Russian.
MIN_CYRILLIC_SHARE = 0.5

#: Columns of :attr:`Corpus.cleaning`.
CLEANING_COLUMNS = [
    "doc_id",
    "profile",
    "raw_chars",
    "clean_chars",
    "markup",
    "body_removed_spans",
    "body_removed_chars",
    "removed_share",
    "large_removal",
]

_RESERVED = ("doc_id", "text")
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")


def cyrillic_share(text: str) -> float:
    """Share of Cyrillic letters among all letters in ``text`` (0.0 when it has no letters).

    Examples
    --------
    >>> cyrillic_share("Казахстан и EU")
    0.8333333333333334
    """
    if len(text) < 20_000:
        letters = len(_LETTER.findall(text))
        cyrillic = len(_CYRILLIC.findall(text)) if letters else 0
    else:  # the same counts with array operations (seconds → milliseconds on long texts)
        from kzdiscourse import _unicode

        cp = _unicode.code_points(text)
        letters = int(_unicode.mask(cp, "letter").sum())
        cyrillic = int(_unicode.mask(cp, "cyrillic").sum())
    if not letters:
        return 0.0
    return cyrillic / letters


def _normalize(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _decode(data: bytes, source: str, encoding: str | None) -> str:
    """Decode file bytes, or raise an EncodingError that says what the file looks like.

    Besides encodings, this refuses what is not plain text at all: binary data and HTML
    pages (their markup would otherwise end up among the words).
    """
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


@dataclass(frozen=True)
class Corpus:
    """A validated collection of documents with metadata.

    Build one with a loader (:meth:`from_folder`, :meth:`from_csv`, :meth:`from_jsonl`,
    :meth:`from_parquet`, :meth:`from_dataframe`) or :func:`kzdiscourse.load_seeds`.

    Attributes
    ----------
    documents : pandas.DataFrame
        One row per document: ``doc_id``, ``text`` and the metadata columns, in input order.
    sources : pandas.DataFrame
        ``doc_id``, ``source`` (file path or input name), ``sha256`` of the input as read,
        ``chars`` (length of the loaded text).
    removed : pandas.DataFrame
        After :meth:`clean`: ``doc_id``, ``start``, ``end``, ``reason``, ``text`` for every span
        taken out (offsets into the text before cleaning), and ``replacement``, what the
        cleaned text has in its place (a decoded HTML entity, a line break for a block tag;
        ``""`` for everything else). Empty before.
    references : pandas.DataFrame
        After :meth:`clean`: reference lists found at the end of documents.
    citations : pandas.DataFrame
        After :meth:`clean`: footnote markers removed from the body, with the ``offset`` in
        the cleaned text where each stood.
    paragraphs : pandas.DataFrame or None
        After :meth:`clean`: ``doc_id``, ``par_id``, ``role``, ``start``, ``end`` in the
        cleaned text. ``None`` before (parsing then finds paragraphs itself).
    cleaning : pandas.DataFrame or None
        After :meth:`clean`: ``doc_id``, ``profile``, ``raw_chars``, ``clean_chars``,
        ``markup`` (what was stripped: ``none``, ``html``, ``markdown``, ``html+markdown``),
        ``body_removed_spans`` and ``body_removed_chars`` (text removed from inside the body),
        ``removed_share`` (share removed as text) and ``large_removal`` (above
        ``max_removed_share``).
    """

    documents: pd.DataFrame
    sources: pd.DataFrame
    removed: pd.DataFrame = field(default_factory=lambda: _empty_removed())
    references: pd.DataFrame = field(default_factory=lambda: _empty_references())
    citations: pd.DataFrame = field(default_factory=lambda: _empty_citations())
    paragraphs: pd.DataFrame | None = None
    cleaning: pd.DataFrame | None = None

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        meta = [c for c in self.documents.columns if c not in _RESERVED]
        state = "cleaned" if self.is_cleaned else "raw"
        return (
            f"Corpus({len(self)} documents, {state}, "
            f"metadata: {', '.join(meta) if meta else 'none'})"
        )

    @property
    def doc_ids(self) -> list[str]:
        """The document ids, in corpus order."""
        return self.documents["doc_id"].tolist()

    @property
    def metadata_columns(self) -> list[str]:
        """Names of the metadata columns (everything but ``doc_id`` and ``text``)."""
        return [c for c in self.documents.columns if c not in _RESERVED]

    @property
    def is_cleaned(self) -> bool:
        """True once :meth:`clean` has been applied."""
        return self.cleaning is not None

    def metadata(self, doc_id: str) -> dict[str, Any]:
        """The metadata of one document as a dict (missing values as ``None``)."""
        rows = self.documents.loc[self.documents["doc_id"] == doc_id]
        if rows.empty:
            raise InputError(f"no document with id {doc_id!r}", hint="see Corpus.doc_ids")
        row = rows.iloc[0]
        return {c: (None if _isna(row[c]) else row[c]) for c in self.metadata_columns}

    # ------------------------------------------------------------------ loaders
    @classmethod
    def from_dataframe(
        cls,
        frame: pd.DataFrame,
        *,
        id_col: str = "doc_id",
        text_col: str = "text",
        source: str = "<dataframe>",
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Corpus:
        """Build a corpus from a DataFrame with one row per document.

        Parameters
        ----------
        frame : pandas.DataFrame
            Must have an id column and a text column; every other column is metadata.
        id_col, text_col : str
            Names of the id and text columns (renamed to ``doc_id`` and ``text``).
        source : str
            Name recorded as the documents' source in :attr:`sources`.
        min_cyrillic_share : float or None, default 0.5
            Raise :class:`~kzdiscourse.errors.LanguageError` for a text whose letters are
            less than this share Cyrillic. ``None`` switches the check off.

        Returns
        -------
        Corpus

        Raises
        ------
        ColumnError, MissingIdError, DuplicateIdError, EmptyTextError, LanguageError

        Examples
        --------
        >>> import pandas as pd
        >>> Corpus.from_dataframe(pd.DataFrame({"id": [1], "body": ["Текст на русском."]}),
        ...                       id_col="id", text_col="body").doc_ids
        ['1']
        """
        if not isinstance(frame, pd.DataFrame):
            raise InputError(
                f"expected a pandas DataFrame, got {type(frame).__name__}",
                source=source,
                hint="use Corpus.from_folder / from_csv / from_jsonl for files",
            )
        for col, role in ((id_col, "id"), (text_col, "text")):
            if col not in frame.columns:
                raise ColumnError(
                    f"the {role} column {col!r} is missing",
                    source=source,
                    hint=f"available columns: {', '.join(map(str, frame.columns))}; "
                    f"pass {role}_col= to name the right one",
                )
        clash = [c for c in _RESERVED if c in frame.columns and c not in (id_col, text_col)]
        if clash:
            raise ColumnError(
                f"column(s) {clash} would clash with the reserved names doc_id/text",
                source=source,
                hint="rename them before loading",
            )
        df = frame.rename(columns={id_col: "doc_id", text_col: "text"}).reset_index(drop=True)
        ids = _validate_ids(df["doc_id"], source)
        texts_in = df["text"].tolist()
        texts = _validate_texts(ids, texts_in, source, min_cyrillic_share)
        documents = df.drop(columns=["doc_id", "text"])
        documents.insert(0, "text", texts)
        documents.insert(0, "doc_id", ids)
        documents = documents.astype({"doc_id": object, "text": object})
        sources = pd.DataFrame(
            {
                "doc_id": ids,
                "source": [source] * len(ids),
                "sha256": [_sha256_text(t) for t in texts_in],
                "chars": [len(t) for t in texts],
            }
        )
        return cls(documents=documents, sources=sources)

    @classmethod
    def from_folder(
        cls,
        path: str | Path,
        *,
        pattern: str = "*.txt",
        metadata: str | Path | None = "metadata.csv",
        encoding: str | None = None,
        strict: bool = True,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Corpus:
        """Load every text file in a folder, with an optional metadata table.

        Parameters
        ----------
        path : str or pathlib.Path
            The folder.
        pattern : str, default "*.txt"
            Glob for the text files (not recursive; use ``"**/*.txt"`` to recurse).
        metadata : str, pathlib.Path or None, default "metadata.csv"
            A CSV with a ``doc_id`` column and one row per text, relative to ``path`` unless
            absolute. If it has a ``file`` column, that maps file names to ids; otherwise a
            file's id is its name without the extension. Ignored if the default file does not
            exist; ``None`` loads texts without metadata.
        encoding : str, optional
            The files' encoding. By default UTF-8 (a UTF-8 byte-order mark is accepted), and a
            file that is not UTF-8 raises :class:`~kzdiscourse.errors.EncodingError` saying
            what it looks like.
        strict : bool, default True
            Raise :class:`~kzdiscourse.errors.MetadataMismatchError` for texts without a
            metadata row and metadata rows without a text. With ``False``, such texts are
            kept with empty metadata and the mismatches are logged as warnings.
        min_cyrillic_share : float or None, default 0.5
            See :meth:`from_dataframe`.

        Returns
        -------
        Corpus
        """
        plan = _FolderPlan.make(path, pattern, metadata, strict)
        return plan.load(cls, plan.files, encoding, min_cyrillic_share)

    @classmethod
    def iter_folder(
        cls,
        path: str | Path,
        *,
        chunksize: int = 1000,
        pattern: str = "*.txt",
        metadata: str | Path | None = "metadata.csv",
        encoding: str | None = None,
        strict: bool = True,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Iterator[Corpus]:
        """Load a folder of text files as a stream of corpora of ``chunksize`` documents.

        The files are taken in sorted order and only one chunk of texts is in memory at a
        time. The checks are those of :meth:`from_folder`: the metadata is matched against
        every file name before the first chunk is read, and ids must be unique across
        chunks.

        Parameters
        ----------
        path, pattern, metadata, encoding, strict, min_cyrillic_share
            See :meth:`from_folder`.
        chunksize : int, default 1000
            Documents per chunk.

        Yields
        ------
        Corpus
            Consecutive chunks; together they hold the same documents as :meth:`from_folder`.

        Examples
        --------
        >>> from kzdiscourse.seeds import seeds_path
        >>> [c.doc_ids for c in Corpus.iter_folder(seeds_path(), chunksize=1)]
        [['ankasam_2025_08'], ['dzen_2025_12']]
        """
        from kzdiscourse.streaming import iter_folder

        return iter_folder(
            cls,
            path,
            chunksize=chunksize,
            pattern=pattern,
            metadata=metadata,
            encoding=encoding,
            strict=strict,
            min_cyrillic_share=min_cyrillic_share,
        )

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        id_col: str = "doc_id",
        text_col: str = "text",
        encoding: str | None = None,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
        **read_csv_kwargs: Any,
    ) -> Corpus:
        """Load a CSV file with one row per document.

        Parameters
        ----------
        path : str or pathlib.Path
            The CSV file.
        id_col, text_col, min_cyrillic_share
            See :meth:`from_dataframe`.
        encoding : str, optional
            See :meth:`from_folder`.
        **read_csv_kwargs
            Passed to :func:`pandas.read_csv` (e.g. ``sep=";"``). All columns are read as
            strings.

        Returns
        -------
        Corpus
        """
        p = _existing_file(path)
        frame = _read_csv(p, encoding, **read_csv_kwargs)
        return cls.from_dataframe(
            frame,
            id_col=id_col,
            text_col=text_col,
            source=str(p),
            min_cyrillic_share=min_cyrillic_share,
        )

    @classmethod
    def from_jsonl(
        cls,
        path: str | Path,
        *,
        id_col: str = "doc_id",
        text_col: str = "text",
        encoding: str | None = None,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Corpus:
        """Load a JSON Lines file: one JSON object per line, one document per object.

        Parameters
        ----------
        path : str or pathlib.Path
            The ``.jsonl`` file.
        id_col, text_col, min_cyrillic_share
            See :meth:`from_dataframe`.
        encoding : str, optional
            See :meth:`from_folder`.

        Returns
        -------
        Corpus
        """
        p = _existing_file(path)
        text = _decode(p.read_bytes(), str(p), encoding)
        records = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"line {lineno} is not valid JSON: {exc.msg}",
                    source=str(p),
                    hint="each line must be one JSON object",
                ) from exc
            if not isinstance(obj, dict):
                raise InputError(
                    f"line {lineno} is a JSON {type(obj).__name__}, not an object",
                    source=str(p),
                    hint='each line must look like {"doc_id": ..., "text": ...}',
                )
            records.append(obj)
        if not records:
            raise InputError("the file has no records", source=str(p), hint="check the file")
        bad = [
            n
            for n, obj in enumerate(records, start=1)
            if not _encodable(json.dumps(obj, ensure_ascii=False))
        ]
        if bad:
            raise EncodingError(
                f"record(s) {bad[:10]} (counting from 1) hold unpaired surrogate escapes "
                "(\\ud800-\\udfff), which are not valid Unicode",
                source=str(p),
                hint="repair the JSON (the text was probably cut in the middle of a character)",
            )
        frame = pd.DataFrame.from_records(records)
        return cls.from_dataframe(
            frame,
            id_col=id_col,
            text_col=text_col,
            source=str(p),
            min_cyrillic_share=min_cyrillic_share,
        )

    @classmethod
    def from_parquet(
        cls,
        path: str | Path,
        *,
        id_col: str = "doc_id",
        text_col: str = "text",
        columns: Iterable[str] | None = None,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Corpus:
        """Load a Parquet file (or dataset folder) with one row per document.

        Parameters
        ----------
        path : str or pathlib.Path
            A Parquet file or a folder holding a partitioned dataset.
        id_col, text_col, min_cyrillic_share
            See :meth:`from_dataframe`.
        columns : iterable of str, optional
            Read only these metadata columns (the id and text columns are always read).

        Returns
        -------
        Corpus
        """
        p = Path(path)
        if not p.exists():
            raise InputPathError("no such file or folder", source=str(p), hint="check the path")
        cols = None
        if columns is not None:
            cols = list(dict.fromkeys([id_col, text_col, *columns]))
        try:
            frame = pd.read_parquet(p, columns=cols)
        except Exception as exc:  # pyarrow raises several unrelated types
            raise InputError(
                f"cannot read the Parquet data: {exc}",
                source=str(p),
                hint="check that this is a Parquet file written by pandas/pyarrow",
            ) from exc
        return cls.from_dataframe(
            frame,
            id_col=id_col,
            text_col=text_col,
            source=str(p),
            min_cyrillic_share=min_cyrillic_share,
        )

    @classmethod
    def iter_parquet(
        cls,
        path: str | Path,
        *,
        chunksize: int = 1000,
        id_col: str = "doc_id",
        text_col: str = "text",
        columns: Iterable[str] | None = None,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Iterator[Corpus]:
        """Read a Parquet file (or dataset folder) as a stream of corpora of ``chunksize`` rows.

        Rows are read in batches (pyarrow), so only one chunk of texts (and the Parquet
        row group it comes from) is in memory at a time; the files of a dataset folder are
        taken in sorted order. Each chunk is checked like :meth:`from_parquet`, and a
        ``doc_id`` seen in an earlier chunk raises
        :class:`~kzdiscourse.errors.DuplicateIdError`.

        Parameters
        ----------
        path, id_col, text_col, columns, min_cyrillic_share
            See :meth:`from_parquet`.
        chunksize : int, default 1000
            Documents per chunk (the last one may be smaller).

        Yields
        ------
        Corpus

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from kzdiscourse import load_seeds
        >>> path = load_seeds().to_parquet(pathlib.Path(tempfile.mkdtemp()) / "seeds.parquet")
        >>> [len(c) for c in Corpus.iter_parquet(path, chunksize=1)]
        [1, 1]
        """
        from kzdiscourse.streaming import iter_parquet

        return iter_parquet(
            cls,
            path,
            chunksize=chunksize,
            id_col=id_col,
            text_col=text_col,
            columns=columns,
            min_cyrillic_share=min_cyrillic_share,
        )

    def to_parquet(self, path: str | Path) -> Path:
        """Write :attr:`documents` to a Parquet file (readable by :meth:`from_parquet`).

        Parameters
        ----------
        path : str or pathlib.Path
            The file to write; parent folders are created.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        self.documents.to_parquet(p, index=False)
        return p

    # ------------------------------------------------------------------ pipeline
    def clean(
        self,
        profile: str | Mapping[str, str] = "auto",
        *,
        markup: str = "strip",
        max_removed_share: float = 0.5,
    ) -> Corpus:
        """Remove site boilerplate (and markup), keeping an account of every character removed.

        Boilerplate goes only where it stands: at the edges of a page, as a line that is a
        prompt and nothing else, as a reference list after its heading, as a teaser at the
        top (:mod:`kzdiscourse.cleaning`). When text is still removed from inside a
        document's body, or more than ``max_removed_share`` of a document, one
        :class:`~kzdiscourse.errors.CleaningWarning` names the documents, and
        :attr:`cleaning` and the ``coverage`` table have a line for each.

        Parameters
        ----------
        profile : str or mapping, default "auto"
            ``"auto"`` picks a profile per document from its metadata (``outlet``, ``url``)
            or its content; ``"generic"``, ``"ankasam"`` or ``"dzen"`` force one; a mapping
            gives a profile per ``doc_id`` (documents not in it get ``"auto"``).
        markup : {"strip", "error", "keep"}, default "strip"
            HTML/XML or Markdown found in a text: strip it (tags, entities and marks become
            ``removed`` rows; entities are decoded), raise
            :class:`~kzdiscourse.errors.MarkupError` naming the document, or keep it.
        max_removed_share : float, default 0.5
            Warn about documents of which more than this share (and at least 200
            characters) is removed as text.

        Returns
        -------
        Corpus
            A new corpus whose texts are cleaned, with :attr:`removed`, :attr:`references`,
            :attr:`citations`, :attr:`paragraphs` and :attr:`cleaning` filled in.

        Examples
        --------
        >>> from kzdiscourse import load_seeds
        >>> cleaned = load_seeds().clean()
        >>> cleaned.cleaning["profile"].tolist()
        ['ankasam', 'dzen']
        """
        from kzdiscourse.cleaning import check_options, clean_text

        check_options(markup, max_removed_share)
        if self.is_cleaned:
            raise InputError(
                "this corpus is already cleaned",
                hint="clean the raw corpus once; cleaning twice would lose the offsets "
                "of the first pass",
            )
        removed, refs, cits, pars, info, texts = [], [], [], [], [], []
        problems: list[str] = []
        meta_cols = self.metadata_columns
        for record in self.documents.to_dict("records"):
            doc_id, raw = record["doc_id"], record["text"]
            meta = {c: (None if _isna(record[c]) else record[c]) for c in meta_cols}
            prof = profile.get(doc_id, "auto") if isinstance(profile, Mapping) else profile
            res = clean_text(
                raw,
                profile=prof,
                metadata=meta,
                markup=markup,
                max_removed_share=max_removed_share,
                doc_id=doc_id,
                warn=False,
            )
            problems.extend(res.problems(doc_id, max_removed_share))
            texts.append(res.text)
            removed.extend({"doc_id": doc_id, **r} for r in res.removed)
            refs.extend({"doc_id": doc_id, **r} for r in res.references)
            cits.extend({"doc_id": doc_id, **c} for c in res.citations)
            pars.extend(
                {"doc_id": doc_id, "par_id": k, "role": role, "start": s, "end": e}
                for k, (s, e, role) in enumerate(res.paragraphs)
            )
            info.append(
                {
                    "doc_id": doc_id,
                    "profile": res.profile,
                    "raw_chars": len(raw),
                    "clean_chars": len(res.text),
                    "markup": res.markup,
                    "body_removed_spans": res.body_removed_spans,
                    "body_removed_chars": res.body_removed_chars,
                    "removed_share": round(res.removed_share, 6),
                    "large_removal": res.large_removal,
                }
            )
            if not res.text.strip():
                raise EmptyTextError(
                    f"cleaning with profile {res.profile!r} removed the whole text",
                    doc_ids=[doc_id],
                    hint="check the document, or clean it with profile='generic'",
                )
        if problems:
            shown = "; ".join(problems[:5])
            more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
            warnings.warn(
                f"{shown}{more}. Check these rows of Corpus.removed (the coverage table has "
                "a line per document); if a site rule misfires, clean with profile='generic' "
                "or a profile per document",
                CleaningWarning,
                stacklevel=2,
            )
        documents = self.documents.copy()
        documents["text"] = texts
        return replace(
            self,
            documents=documents,
            removed=_frame(removed, _empty_removed()),
            references=_frame(refs, _empty_references()),
            citations=_frame(cits, _empty_citations()),
            paragraphs=_frame(pars, _empty_paragraphs()),
            cleaning=pd.DataFrame.from_records(info, columns=CLEANING_COLUMNS),
        )

    def parse(
        self,
        n_jobs: int = 1,
        cache: ParseCache | str | Path | None = None,
        engine: str = "local",
        client: Any = None,
        disambiguate: bool = True,
    ) -> Parsed:
        """Segment, tokenise, lemmatise and tag the corpus.

        Parameters
        ----------
        n_jobs : int, default 1
            Worker processes for parsing (joblib); ``-1`` uses every core.
        cache : kzdiscourse.cache.ParseCache, str or pathlib.Path, optional
            A parse cache (or its folder): documents parsed before with the same pipeline
            are read back instead of parsed (see :mod:`kzdiscourse.cache`).
        engine : {"local", "dask"}, default "local"
            ``"dask"`` parses on a ``dask.distributed`` cluster (the optional extra
            ``kzdiscourse[dask]``), with the same per-chunk function and identical tables;
            ``n_jobs`` is then ignored.
        client : distributed.Client, optional
            The cluster for ``engine="dask"``; by default the current client
            (``distributed.get_client()``), or a ``LocalCluster`` started for this call.
        disambiguate : bool, default True
            Choose among pymorphy3's readings of an ambiguous form (``стали``: стать or
            сталь) from its context, with the model of :mod:`kzdiscourse.disambiguation`;
            ``False`` gives every form its most probable analysis whatever the context.
            The Report manifest records which was used.

        Returns
        -------
        Parsed
            Tidy tables of documents, paragraphs, sentences and tokens.

        Examples
        --------
        >>> from kzdiscourse import load_seeds
        >>> parsed = load_seeds().clean().parse()
        >>> parsed.tokens.loc[parsed.tokens["text"] == "Казахстана", "lemma"].iloc[0]
        'казахстан'
        """
        from kzdiscourse.nlp import parse_corpus

        if cache is not None:
            from kzdiscourse.cache import ParseCache

            store = cache if isinstance(cache, ParseCache) else ParseCache(cache)
            return store.parse(
                self, n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate
            )
        return parse_corpus(
            self, n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate
        )

    def subset(self, doc_ids: Iterable[str]) -> Corpus:
        """A corpus with only the given documents (in corpus order)."""
        keep = set(doc_ids)
        unknown = sorted(keep - set(self.doc_ids))
        if unknown:
            raise InputError("unknown doc_id(s)", doc_ids=unknown, hint="see Corpus.doc_ids")

        def sel(df: pd.DataFrame | None) -> pd.DataFrame | None:
            if df is None:
                return None
            return df.loc[df["doc_id"].isin(keep)].reset_index(drop=True)

        return Corpus(
            documents=sel(self.documents),  # type: ignore[arg-type]
            sources=sel(self.sources),  # type: ignore[arg-type]
            removed=sel(self.removed),  # type: ignore[arg-type]
            references=sel(self.references),  # type: ignore[arg-type]
            citations=sel(self.citations),  # type: ignore[arg-type]
            paragraphs=sel(self.paragraphs),
            cleaning=sel(self.cleaning),
        )


@dataclass
class _FolderPlan:
    """Which files of a folder are read, under which ids, with which metadata row.

    Everything here is decided from the file names and the metadata table alone, so a
    streaming reader can check the whole folder before reading the first text.
    """

    folder: Path
    files: list[Path]
    file_ids: dict[Path, str]
    meta: pd.DataFrame | None

    @classmethod
    def make(
        cls, path: str | Path, pattern: str, metadata: str | Path | None, strict: bool
    ) -> _FolderPlan:
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
        meta = _read_metadata_csv(meta_path) if meta_path is not None else None

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
        cls: type[Corpus],
        files: list[Path],
        encoding: str | None,
        min_cyrillic_share: float | None,
    ) -> Corpus:
        """Read ``files`` (a part of :attr:`files`) into a corpus."""
        records = []
        hashes = []
        sources = []
        for p in files:
            data = p.read_bytes()
            text = _decode(data, str(p), encoding)
            records.append({"doc_id": self.file_ids[p], "text": text})
            hashes.append(hashlib.sha256(data).hexdigest())
            sources.append(str(p))
        frame = pd.DataFrame.from_records(records, columns=["doc_id", "text"])
        if self.meta is not None:
            frame = frame.merge(self.meta, on="doc_id", how="left", validate="one_to_one")
        folder = str(self.folder)
        try:
            corpus = cls.from_dataframe(frame, source=folder, min_cyrillic_share=min_cyrillic_share)
        except InputError as exc:
            if exc.doc_ids and exc.source == folder:
                by_id = dict(zip(frame["doc_id"], sources, strict=True))
                exc.source = ", ".join(by_id.get(d, "?") for d in exc.doc_ids[:5])
                exc.args = (exc._render(),)
            raise
        corpus.sources["source"] = sources
        corpus.sources["sha256"] = hashes
        return corpus


# ---------------------------------------------------------------------------------- helpers


def _isna(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))


def _existing_file(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputPathError("no such file", source=str(p), hint="check the path")
    if p.is_dir():
        raise InputPathError(
            "expected a file, got a folder", source=str(p), hint="use Corpus.from_folder"
        )
    return p


def _read_csv(path: Path, encoding: str | None, **read_csv_kwargs: Any) -> pd.DataFrame:
    """Read a CSV as strings; empty cells become None; errors name the file."""
    text = _decode(path.read_bytes(), str(path), encoding)
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


def _read_metadata_csv(path: Path) -> pd.DataFrame:
    meta = _read_csv(path, None)
    if "doc_id" not in meta.columns:
        raise ColumnError(
            "the metadata has no doc_id column",
            source=str(path),
            hint=f"columns found: {', '.join(meta.columns)}; add a doc_id column",
        )
    ids = _validate_ids(meta["doc_id"], str(path))
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


def _validate_ids(ids: pd.Series, source: str) -> list[str]:
    values = ids.tolist()
    odd = [i for i, v in enumerate(values) if isinstance(v, (list, tuple, dict, set, bytes))]
    if odd:
        raise InputError(
            f"{len(odd)} doc_id value(s) are not strings or numbers (rows {odd[:10]}, 0-based)",
            source=source,
            hint="give every document a string or integer id",
        )
    missing_rows = [
        i
        for i, v in enumerate(values)
        if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == ""
    ]
    if missing_rows:
        raise MissingIdError(
            f"{len(missing_rows)} row(s) have no doc_id (rows {missing_rows[:10]}, 0-based)",
            source=source,
            hint="give every document a unique, non-empty id",
        )
    out = [str(v).strip() for v in values]
    seen: set[str] = set()
    dup: list[str] = []
    for v in out:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    if dup:
        raise DuplicateIdError(
            "doc_id values must be unique",
            doc_ids=dup,
            source=source,
            hint="make the ids unique (e.g. append the outlet or a counter)",
        )
    return out


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _validate_texts(
    ids: list[str], texts: list[Any], source: str, min_share: float | None
) -> list[str]:
    wrong = [
        (d, type(t).__name__)
        for d, t in zip(ids, texts, strict=True)
        if not isinstance(t, str) and not _isna(t)
    ]
    if wrong:
        raise InputError(
            "text is not a string (got " + ", ".join(sorted({k for _, k in wrong})) + ")",
            doc_ids=[d for d, _ in wrong],
            source=source,
            hint="the text column must hold the documents' text as strings",
        )
    empty = [d for d, t in zip(ids, texts, strict=True) if not isinstance(t, str) or not t.strip()]
    if empty:
        raise EmptyTextError(
            "empty or missing text",
            doc_ids=empty,
            source=source,
            hint="remove these documents from the input, or fill in their text",
        )
    invalid = [d for d, t in zip(ids, texts, strict=True) if not _encodable(t)]
    if invalid:
        raise EncodingError(
            "text contains unpaired surrogate code points (not valid Unicode)",
            doc_ids=invalid,
            source=source,
            hint="repair the text (e.g. decode the source bytes with errors='replace')",
        )
    out = [_normalize(t) for t in texts]
    if min_share is not None:
        shares = [(d, cyrillic_share(t)) for d, t in zip(ids, out, strict=True)]
        low = [(d, share) for d, share in shares if share < min_share]
        if low:
            listing = ", ".join(f"{d}: {share:.0%}" for d, share in low[:5])
            raise LanguageError(
                f"text does not look Russian (Cyrillic share of letters below "
                f"{min_share:.0%}: {listing})",
                doc_ids=[d for d, _ in low],
                source=source,
                hint="remove non-Russian documents, or lower min_cyrillic_share= "
                "(None disables the check)",
            )
    return out


def _frame(records: list[dict[str, Any]], empty: pd.DataFrame) -> pd.DataFrame:
    if not records:
        return empty
    return pd.DataFrame.from_records(records, columns=list(empty.columns))


def _empty_removed() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype=object),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
            "reason": pd.Series(dtype=object),
            "text": pd.Series(dtype=object),
            "replacement": pd.Series(dtype=object),
        }
    )


def _empty_references() -> pd.DataFrame:
    cols = ["doc_id", "ref_id", "authors", "title", "publisher", "url", "accessed", "text"]
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "ref_id" else object) for c in cols})


def _empty_citations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype=object),
            "ref_id": pd.Series(dtype="int64"),
            "marker": pd.Series(dtype=object),
            "offset": pd.Series(dtype="int64"),
            "raw_start": pd.Series(dtype="int64"),
            "raw_end": pd.Series(dtype="int64"),
        }
    )


def _empty_paragraphs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": pd.Series(dtype=object),
            "par_id": pd.Series(dtype="int64"),
            "role": pd.Series(dtype=object),
            "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"),
        }
    )
