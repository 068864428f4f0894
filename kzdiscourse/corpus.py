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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kzdiscourse import folders, loaders
from kzdiscourse.cleaning_tables import (
    CLEANING_COLUMNS,  # noqa: F401 - importable from here, as before
    empty_citations,
    empty_references,
    empty_removed,
)
from kzdiscourse.errors import InputError
from kzdiscourse.validation import (
    MIN_CYRILLIC_SHARE,
    RESERVED_COLUMNS,
    cyrillic_share,
    document_tables,
    is_missing,
)

if TYPE_CHECKING:
    from kzdiscourse.cache import ParseCache
    from kzdiscourse.parsed import Parsed

__all__ = ["MIN_CYRILLIC_SHARE", "Corpus", "cyrillic_share"]


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
    skipped : pandas.DataFrame
        Files :meth:`from_folder` did not read, with the reason (:mod:`kzdiscourse.folders`).
    """

    documents: pd.DataFrame
    sources: pd.DataFrame
    removed: pd.DataFrame = field(default_factory=empty_removed)
    references: pd.DataFrame = field(default_factory=empty_references)
    citations: pd.DataFrame = field(default_factory=empty_citations)
    paragraphs: pd.DataFrame | None = None
    cleaning: pd.DataFrame | None = None
    skipped: pd.DataFrame = field(default_factory=folders.empty_skipped)

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        meta = [c for c in self.documents.columns if c not in RESERVED_COLUMNS]
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
        return [c for c in self.documents.columns if c not in RESERVED_COLUMNS]

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
        return {c: (None if is_missing(row[c]) else row[c]) for c in self.metadata_columns}

    # ------------------------------------------------------------------ loaders
    @classmethod
    def _of_frame(cls, frame: pd.DataFrame, **checks: Any) -> Corpus:
        documents, sources = document_tables(frame, **checks)
        return cls(documents=documents, sources=sources)

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
        return cls._of_frame(
            frame,
            id_col=id_col,
            text_col=text_col,
            source=source,
            min_cyrillic_share=min_cyrillic_share,
        )

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
            Glob for the text files, any case (``B.TXT``); ``"**/*.txt"`` recurses; skipped files
            are in :attr:`skipped`, with a warning.
        metadata : str, pathlib.Path or None, default "metadata.csv"
            A CSV with a ``doc_id`` column and one row per text, relative to ``path`` unless
            absolute. If it has a ``file`` column, that maps file names to ids; otherwise a
            file's id is its name without the extension. Ignored if the default file does not
            exist; ``None`` loads texts without metadata.
        encoding : str, optional
            The files' (and metadata table's) encoding: UTF-8 by default, ``"auto"`` the one a
            file reads as Russian in; errors and other values: :func:`kzdiscourse.loaders.decode`.
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
        (documents, sources), skipped = folders.load_folder(
            path,
            pattern=pattern,
            metadata=metadata,
            encoding=encoding,
            strict=strict,
            min_cyrillic_share=min_cyrillic_share,
        )
        return cls(documents=documents, sources=sources, skipped=skipped)

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
        p = loaders.existing_file(path)
        return cls._of_frame(
            loaders.read_csv(p, encoding, **read_csv_kwargs),
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
        p = loaders.existing_file(path)
        return cls._of_frame(
            loaders.read_jsonl(p, encoding),
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
        wanted = None if columns is None else list(dict.fromkeys([id_col, text_col, *columns]))
        return cls._of_frame(
            loaders.read_parquet(path, wanted),
            id_col=id_col,
            text_col=text_col,
            source=str(Path(path)),
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
        from kzdiscourse.cleaning import check_options
        from kzdiscourse.cleaning_tables import clean_documents, warn_cleaning_problems

        check_options(markup, max_removed_share)
        if self.is_cleaned:
            raise InputError(
                "this corpus is already cleaned",
                hint="clean the raw corpus once; cleaning twice would lose the offsets "
                "of the first pass",
            )
        tables, problems = clean_documents(self.documents, profile, markup, max_removed_share)
        warn_cleaning_problems(problems, stacklevel=3)  # at the caller of clean()
        return replace(self, **tables._asdict())

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
        from kzdiscourse.cache import parse_tables
        from kzdiscourse.disambiguation import lemmatization_info
        from kzdiscourse.parsed import Parsed

        tables = parse_tables(
            self.documents,
            self.paragraphs,
            n_jobs=n_jobs,
            engine=engine,
            client=client,
            cache=cache,
            disambiguate=disambiguate,
        )
        return Parsed.from_parse(self, tables, lemmatization_info(disambiguate))

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

        per_document = [f.name for f in fields(self) if f.name != "skipped"]
        return replace(self, **{name: sel(getattr(self, name)) for name in per_document})
