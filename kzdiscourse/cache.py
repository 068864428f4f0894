"""A parse cache: parsed tables stored on disk, keyed by what determines them.

A document's ``paragraphs``, ``sentences`` and ``tokens`` depend only on its (cleaned)
text, its paragraph layout (from cleaning, or inferred with the help of its title) and the
pipeline: :data:`kzdiscourse.nlp.PIPELINE_VERSION`, the analyser's versions and
dictionary revision, the SHA-256 of the resources that change lemmas and flags
(``lemma_overrides``, ``stopwords_ru``), and whether readings are chosen in context (with
the disambiguation model's digests). The cache key of a document is the SHA-256 of all
of these, so a new pipeline version, a changed resource or a different cleaning profile
(which changes the text or the layout) never reuses an old parse, while the same text under
another ``doc_id`` or in another corpus does.

Storage is Parquet only (never pickle)::

    DIR/<fingerprint>/batch-<hash>.{paragraphs,sentences,tokens,keys}.parquet

one batch per parse of cache misses. The ``keys`` file lists the keys a batch holds; the
tables' ``doc`` column is a position in that list. It is written last, so an interrupted
write is never read.

Examples
--------
>>> import tempfile
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.cache import ParseCache
>>> cache = ParseCache(tempfile.mkdtemp())
>>> corpus = load_seeds().clean()
>>> first = cache.parse(corpus)
>>> cache.last_stats
{'documents': 2, 'hits': 0, 'misses': 2}
>>> second = corpus.parse(cache=cache)
>>> cache.last_stats
{'documents': 2, 'hits': 2, 'misses': 0}
>>> second.tokens.equals(first.tokens)
True
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.cluster import check_engine, parse_items
from kzdiscourse.disambiguation import lemmatization_info
from kzdiscourse.parquet_io import dtypes_of, read_frame, write_frame
from kzdiscourse.parsed import DocumentTables, Parsed
from kzdiscourse.pipeline import WorkItem, empty_tables, pipeline_fingerprint, work_items

__all__ = ["ParseCache", "parse_tables"]

_TABLES = ("paragraphs", "sentences", "tokens")
_LAST_ID = {"paragraphs": "par_id", "sentences": "sent_id", "tokens": "tok_id"}


def _engine_dtypes() -> dict[str, dict[str, str]]:
    """The dtypes the engine gives each table (read back from Parquet as these)."""
    return {t: dtypes_of(f) for t, f in zip(_TABLES, empty_tables(), strict=True)}


def parse_tables(
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame | None = None,
    *,
    n_jobs: int = 1,
    engine: str = "local",
    client: Any = None,
    cache: ParseCache | str | Path | None = None,
    disambiguate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(paragraphs, sentences, tokens)`` of a documents table, through a cache if given.

    What :meth:`kzdiscourse.Corpus.parse` and :func:`kzdiscourse.store.write_dataset` run.

    Parameters
    ----------
    documents : pandas.DataFrame
        ``doc_id``, ``text`` and metadata (a ``title`` helps find the title paragraph).
    paragraphs : pandas.DataFrame, optional
        The paragraph layout from cleaning; inferred from the text without it.
    n_jobs, engine, client
        See :meth:`kzdiscourse.Corpus.parse`.
    cache : ParseCache, str or pathlib.Path, optional
        A parse cache (or its folder).
    disambiguate : bool, default True
        Choose among a form's readings in context (see :meth:`kzdiscourse.Corpus.parse`).

    Returns
    -------
    tuple of pandas.DataFrame

    Examples
    --------
    >>> frame = pd.DataFrame({"doc_id": ["a"], "text": ["ЕС ввёл санкции."]})
    >>> _, sentences, tokens = parse_tables(frame)
    >>> len(sentences), tokens["lemma"].tolist()
    (1, ['ес', 'ввести', 'санкция', '.'])
    """
    if cache is None:
        items = work_items(documents, paragraphs)
        return parse_items(
            items, n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate
        )
    store = cache if isinstance(cache, ParseCache) else ParseCache(cache)
    return store.parse_tables(
        documents,
        paragraphs,
        n_jobs=n_jobs,
        engine=engine,
        client=client,
        disambiguate=disambiguate,
    )


class ParseCache:
    """Parsed tables on disk, reused for documents parsed before.

    Parameters
    ----------
    path : str or pathlib.Path
        The cache folder (created if missing). Several corpora and pipeline versions can
        share it; each pipeline fingerprint has its own subfolder.

    Attributes
    ----------
    path : pathlib.Path
    last_stats : dict
        Of the last :meth:`parse`: ``documents``; ``hits``, documents whose parse was read
        from the cache; ``misses``, distinct texts parsed (documents repeating a text parsed
        in the same call count in neither).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.last_stats: dict[str, int] = {"documents": 0, "hits": 0, "misses": 0}
        self._index: dict[str, str] = {}  # key -> batch holding it
        self._batch_keys: dict[str, list[str]] = {}  # batch -> the keys it holds, in order
        self._indexed_dir: Path | None = None
        self._dtypes: dict[str, dict[str, str]] | None = None

    def __repr__(self) -> str:
        return f"ParseCache({str(self.path)!r})"

    # ------------------------------------------------------------------ keys
    @staticmethod
    def fingerprint(disambiguate: bool = True) -> str:
        """SHA-256 of everything besides the document that changes the parse."""
        blob = json.dumps(pipeline_fingerprint(disambiguate), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    @staticmethod
    def key(item: WorkItem, fingerprint: str) -> str:
        """The cache key of one document (``(doc_id, text, paragraphs, title)``)."""
        _doc_id, text, spans, title = item
        layout = None if spans is None else [[int(s), int(e), str(r)] for s, e, r in spans]
        # the title only matters when roles are inferred (no layout from cleaning)
        blob = json.dumps(
            [fingerprint, text, layout, title if spans is None else None], ensure_ascii=False
        )
        return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()

    # ------------------------------------------------------------------ storage
    def _dir(self, fingerprint: str) -> Path:
        return self.path / fingerprint[:16]

    def _load_index(self, folder: Path) -> dict[str, str]:
        if self._indexed_dir != folder:
            self._index = {}
            self._batch_keys = {}
            self._indexed_dir = folder
            if folder.is_dir():
                for keys_file in sorted(folder.glob("batch-*.keys.parquet")):
                    batch = keys_file.name[: -len(".keys.parquet")]
                    self._add(read_frame(keys_file, {})["key"].tolist(), batch)
        return self._index

    def _dtypes_of_engine(self) -> dict[str, dict[str, str]]:
        if self._dtypes is None:
            self._dtypes = _engine_dtypes()
        return self._dtypes

    def _store(self, folder: Path, tables: dict[str, pd.DataFrame], keys: list[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        batch = "batch-" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:24]
        position = pd.Index(keys)
        for name in _TABLES:
            # rows point to their text by position in the batch's key list (not a
            # 64-character key per token)
            frame = tables[name]
            doc = position.get_indexer(frame["key"]).astype(np.int32)
            frame = frame.drop(columns=["key"])
            frame.insert(0, "doc", doc)
            write_frame(frame, folder / f"{batch}.{name}.parquet")
        write_frame(pd.DataFrame({"key": keys}), folder / f"{batch}.keys.parquet")
        self._add(keys, batch)

    def _add(self, keys: list[str], batch: str) -> None:
        self._batch_keys[batch] = keys
        for k in keys:
            self._index.setdefault(k, batch)

    def _read(self, folder: Path, wanted: list[str]) -> dict[str, pd.DataFrame]:
        by_batch: dict[str, list[str]] = {}
        for k in wanted:
            by_batch.setdefault(self._index[k], []).append(k)
        dtypes = self._dtypes_of_engine()
        out: dict[str, list[pd.DataFrame]] = {t: [] for t in _TABLES}
        for batch, keys in sorted(by_batch.items()):
            batch_keys = np.asarray(self._batch_keys[batch], dtype=object)
            # a batch needed whole (the usual re-run) is read without a row filter
            if len(keys) == len(batch_keys):
                filters = None
            else:
                position = {k: i for i, k in enumerate(batch_keys.tolist())}
                filters = [("doc", "in", sorted(position[k] for k in keys))]
            for name in _TABLES:
                frame = read_frame(folder / f"{batch}.{name}.parquet", dtypes[name], None, filters)
                frame["key"] = batch_keys[frame.pop("doc").to_numpy()]
                out[name].append(frame)
        return {t: pd.concat(v, ignore_index=True) for t, v in out.items() if v}

    # ------------------------------------------------------------------ parse
    def parse(
        self,
        corpus: DocumentTables,
        n_jobs: int = 1,
        engine: str = "local",
        client: Any = None,
        disambiguate: bool = True,
    ) -> Parsed:
        """Parse a corpus, reusing stored parses and storing the new ones.

        Parameters
        ----------
        corpus : Corpus
            Raw or cleaned.
        n_jobs : int, default 1
            Worker processes for the documents not in the cache.
        engine, client
            Where the documents not in the cache are parsed (see
            :meth:`kzdiscourse.Corpus.parse`).
        disambiguate : bool, default True
            As for :meth:`kzdiscourse.Corpus.parse` (part of the cache key).

        Returns
        -------
        Parsed
            Equal, table by table, to ``corpus.parse()`` without a cache.
        """
        tables = self.parse_tables(
            corpus.documents,
            corpus.paragraphs,
            n_jobs=n_jobs,
            engine=engine,
            client=client,
            disambiguate=disambiguate,
        )
        return Parsed.from_parse(corpus, tables, lemmatization_info(disambiguate))

    def parse_tables(
        self,
        documents: pd.DataFrame,
        paragraphs: pd.DataFrame | None = None,
        *,
        n_jobs: int = 1,
        engine: str = "local",
        client: Any = None,
        disambiguate: bool = True,
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(paragraphs, sentences, tokens)`` of a documents table (see :func:`parse_tables`),
        reusing stored parses and storing the new ones; sets :attr:`last_stats`."""
        check_engine(engine, client)
        fp = self.fingerprint(disambiguate)
        folder = self._dir(fp)
        index = self._load_index(folder)
        items = list(work_items(documents, paragraphs))
        keys = [self.key(item, fp) for item in items]
        missing: dict[str, WorkItem] = {}
        for item, k in zip(items, keys, strict=True):
            if k not in index and k not in missing:
                missing[k] = item
        hit_keys = sorted({k for k in keys if k in index})
        tables: dict[str, list[pd.DataFrame]] = {t: [] for t in _TABLES}
        if missing:
            # parse each missing text once, under its key as the document id
            todo = [(k, text, spans, title) for k, (_d, text, spans, title) in missing.items()]
            parsed = parse_items(
                todo, n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate
            )
            new = dict(zip(_TABLES, parsed, strict=True))
            new = {t: f.rename(columns={"doc_id": "key"}) for t, f in new.items()}
            self._store(folder, new, list(missing))
            for t in _TABLES:
                tables[t].append(new[t])
        if hit_keys:
            for t, frame in self._read(folder, hit_keys).items():
                tables[t].append(frame)
        self.last_stats = {
            "documents": len(items),
            "hits": sum(1 for k in keys if k not in missing),  # read back, not parsed
            "misses": len(missing),  # distinct texts parsed now
        }
        order = pd.DataFrame(
            {"key": keys, "doc_id": documents["doc_id"].tolist(), "_doc": range(len(keys))}
        )
        dtypes = self._dtypes_of_engine()
        out = []
        for t in _TABLES:
            stored = pd.concat(tables[t], ignore_index=True) if tables[t] else None
            out.append(_in_corpus_order(order, stored, t, dtypes[t]))
        return out[0], out[1], out[2]


def _in_corpus_order(
    order: pd.DataFrame, stored: pd.DataFrame | None, table: str, dtypes: dict[str, Any]
) -> pd.DataFrame:
    """Rows of each document (by key) under its doc_id, in corpus order, engine dtypes."""
    columns = list(dtypes)
    if stored is None or stored.empty:
        empty = {c: pd.Series(dtype=dtypes[c]) for c in columns}
        return pd.DataFrame(empty)
    keys = pd.Index(order["key"])
    if keys.is_unique:
        # the usual case: one document per text, found by index lookup instead of a merge
        doc = keys.get_indexer(stored["key"])
        frame = stored.drop(columns=["key"])
        if len(doc) > 1 and not (np.diff(doc) >= 0).all():
            # stored in another document order than this corpus': put rows in its order
            sort = np.lexsort((stored[_LAST_ID[table]].to_numpy(), doc))
            frame = frame.take(sort)
            doc = doc[sort]
        frame = frame.reset_index(drop=True)
        frame["doc_id"] = order["doc_id"].to_numpy(dtype=object)[doc]
    else:
        merged = order.merge(stored, on="key", how="inner")
        frame = merged.sort_values(["_doc", _LAST_ID[table]], kind="mergesort")
    frame = frame[columns].reset_index(drop=True)
    return frame.astype({c: t for c, t in dtypes.items() if str(frame[c].dtype) != t})
