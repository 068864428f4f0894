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

Storage is Parquet only (never pickle), one entry per parse of cache misses, each checked
with a checksum when read (:mod:`kzdiscourse.cache_entries`): a damaged, truncated or
foreign entry is parsed again and reported, never served. ``kzdiscourse cache verify DIR``
and ``kzdiscourse cache clear DIR`` check and empty a cache.

Examples
--------
>>> import tempfile
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.cache import ParseCache
>>> cache = ParseCache(tempfile.mkdtemp())
>>> corpus = load_seeds().clean()
>>> first = cache.parse(corpus)
>>> cache.last_stats
{'documents': 2, 'hits': 0, 'misses': 2, 'damaged': 0, 'stored': True}
>>> second = corpus.parse(cache=cache)
>>> cache.last_stats
{'documents': 2, 'hits': 2, 'misses': 0, 'damaged': 0, 'stored': True}
>>> second.tokens.equals(first.tokens)
True
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse import cache_entries as entries
from kzdiscourse.cluster import check_engine, parse_items
from kzdiscourse.disambiguation import lemmatization_info
from kzdiscourse.errors import CacheError, CacheWarning
from kzdiscourse.params import check_n_jobs
from kzdiscourse.parquet_io import dtypes_of
from kzdiscourse.parsed import DocumentTables, Parsed
from kzdiscourse.pipeline import WorkItem, empty_tables, pipeline_fingerprint, work_items

__all__ = ["ParseCache", "parse_tables"]

_TABLES = entries.TABLES
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
    check_n_jobs(n_jobs)  # before any work, whichever way the parse goes
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

    Every entry is checked when it is read (:mod:`kzdiscourse.cache_entries`): a damaged,
    truncated or foreign entry is parsed again, replaced and reported with a
    :class:`~kzdiscourse.errors.CacheWarning`. A cache that cannot be written (read-only,
    disk full) still serves what it holds; documents it does not hold are parsed and not
    stored, with a warning. Either way the tables are those of a parse without a cache.

    Parameters
    ----------
    path : str or pathlib.Path
        The cache folder (created if missing). Several corpora and pipeline versions can
        share it; each pipeline fingerprint has its own subfolder. Several processes can
        use it at once.

    Attributes
    ----------
    path : pathlib.Path
    last_stats : dict
        Of the last :meth:`parse`: ``documents``; ``hits``, documents whose parse was read
        from the cache; ``misses``, distinct texts parsed (documents repeating a text parsed
        in the same call count in neither); ``damaged``, entries found damaged (their
        documents count as misses); ``stored``, whether the new parses were stored.
    read_only : bool
        True once the cache turned out not to be writable.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise CacheError(
                "the parse cache path is a file, not a folder",
                source=str(self.path),
                hint="pass a folder for cache= (it is created if missing)",
            )
        self.read_only = False
        self._why_read_only = ""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            entries.ensure_tag(self.path)
        except OSError as exc:
            self._set_read_only(exc)
        self.last_stats: dict[str, Any] = {"documents": 0, "hits": 0, "misses": 0}
        self._index: dict[str, str] = {}  # key -> batch holding it
        self._batch_keys: dict[str, list[str]] = {}  # batch -> the keys it holds, in order
        self._checksums: dict[str, dict[str, str]] = {}  # batch -> table -> sha256
        self._damaged: dict[str, str] = {}  # batch -> why, not yet reported
        self._indexed_dir: Path | None = None
        self._dtypes: dict[str, dict[str, str]] | None = None

    def __repr__(self) -> str:
        return f"ParseCache({str(self.path)!r})"

    def _set_read_only(self, exc: OSError) -> None:
        self.read_only = True
        self._why_read_only = exc.strerror or str(exc)

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
            self._index, self._batch_keys, self._checksums = {}, {}, {}
            self._indexed_dir = folder
            if folder.is_dir():
                for keys_file in sorted(folder.glob("batch-*.keys.parquet")):
                    batch = keys_file.name[: -len(".keys.parquet")]
                    try:
                        keys, checksums = entries.read_keys(folder, batch)
                    except entries.DamagedEntryError as exc:
                        self._damaged[batch] = str(exc)
                        continue
                    self._add(keys, batch, checksums)
        return self._index

    def _dtypes_of_engine(self) -> dict[str, dict[str, str]]:
        if self._dtypes is None:
            self._dtypes = _engine_dtypes()
        return self._dtypes

    def _store(self, folder: Path, tables: dict[str, pd.DataFrame], keys: list[str]) -> bool:
        """Store new parses as one entry; False (and read-only from now) if it cannot."""
        if self.read_only:
            return False
        position = pd.Index(keys)
        frames = {}
        for name in _TABLES:
            # rows point to their text by position in the batch's key list (not a
            # 64-character key per token)
            frame = tables[name]
            doc = position.get_indexer(frame["key"]).astype(np.int32)
            frame = frame.drop(columns=["key"])
            frame.insert(0, "doc", doc)
            frames[name] = frame
        try:
            batch = entries.write_entry(folder, frames, keys)
        except OSError as exc:
            self._set_read_only(exc)
            return False
        self._add(keys, batch, None)
        return True

    def _add(self, keys: list[str], batch: str, checksums: dict[str, str] | None) -> None:
        self._batch_keys[batch] = keys
        if checksums is not None:
            self._checksums[batch] = checksums
        for k in keys:
            self._index.setdefault(k, batch)

    def _forget(self, batch: str, why: str) -> None:
        """Drop a damaged entry from the index (its documents become misses)."""
        self._damaged[batch] = why
        for k in self._batch_keys.pop(batch, []):
            if self._index.get(k) == batch:
                del self._index[k]
        self._checksums.pop(batch, None)

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
            try:
                checksums = self._checksums.get(batch)
                if checksums is None:  # stored in this session: read its keys file back
                    checksums = entries.read_keys(folder, batch)[1]
                frames = {
                    name: entries.read_table(
                        folder, batch, name, checksums[name], dtypes[name], filters
                    )
                    for name in _TABLES
                }
            except entries.DamagedEntryError as exc:
                self._forget(batch, str(exc))
                continue
            for name, frame in frames.items():
                frame["key"] = batch_keys[frame.pop("doc").to_numpy()]
                out[name].append(frame)
        return {t: pd.concat(v, ignore_index=True) for t, v in out.items() if v}

    def _replace_damaged(self, folder: Path) -> tuple[dict[str, str], bool]:
        """Remove the damaged entries found (if the cache is writable); what they were."""
        damaged, self._damaged = self._damaged, {}
        removed = not self.read_only
        for batch in damaged:
            if self.read_only:
                break
            try:
                entries.remove_entry(folder, batch)
            except OSError as exc:
                self._set_read_only(exc)
                removed = False
        return damaged, removed

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
        check_n_jobs(n_jobs)
        fp = self.fingerprint(disambiguate)
        folder = self._dir(fp)
        index = self._load_index(folder)
        items = list(work_items(documents, paragraphs))
        keys = [self.key(item, fp) for item in items]
        tables: dict[str, list[pd.DataFrame]] = {t: [] for t in _TABLES}
        hit_keys = sorted({k for k in keys if k in index})
        if hit_keys:
            for t, frame in self._read(folder, hit_keys).items():
                tables[t].append(frame)  # damaged entries are left out of the index here
        missing: dict[str, WorkItem] = {}
        for item, k in zip(items, keys, strict=True):
            if k not in index and k not in missing:
                missing[k] = item
        damaged, replaced = self._replace_damaged(folder)
        stored = True
        if missing:
            # parse each missing text once, under its key as the document id
            todo = [(k, text, spans, title) for k, (_d, text, spans, title) in missing.items()]
            parsed = parse_items(
                todo, n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate
            )
            new = dict(zip(_TABLES, parsed, strict=True))
            new = {t: f.rename(columns={"doc_id": "key"}) for t, f in new.items()}
            stored = self._store(folder, new, list(missing))
            for t in _TABLES:
                tables[t].append(new[t])
        self.last_stats = {
            "documents": len(items),
            "hits": sum(1 for k in keys if k not in missing),  # read back, not parsed
            "misses": len(missing),  # distinct texts parsed now
            "damaged": len(damaged),
            "stored": stored,
        }
        _warn(folder, damaged, replaced and stored, len(missing), stored, self._why_read_only)
        order = pd.DataFrame(
            {"key": keys, "doc_id": documents["doc_id"].tolist(), "_doc": range(len(keys))}
        )
        dtypes = self._dtypes_of_engine()
        out = []
        for t in _TABLES:
            stored_rows = pd.concat(tables[t], ignore_index=True) if tables[t] else None
            out.append(_in_corpus_order(order, stored_rows, t, dtypes[t]))
        return out[0], out[1], out[2]

    def verify(self) -> pd.DataFrame:
        """Check every entry; see :func:`kzdiscourse.cache_entries.verify`."""
        return entries.verify(self.path)

    def clear(self) -> dict[str, int]:
        """Remove the cache's files (and nothing else); see
        :func:`kzdiscourse.cache_entries.clear`."""
        self._indexed_dir = None
        return entries.clear(self.path)


def _warn(
    folder: Path,
    damaged: dict[str, str],
    replaced: bool,
    parsed: int,
    stored: bool,
    why_read_only: str,
) -> None:
    """One CacheWarning for damaged entries, one for parses that could not be stored."""
    if damaged:
        shown = "; ".join(f"{b}: {why}" for b, why in list(damaged.items())[:3])
        more = f"; … ({len(damaged) - 3} more)" if len(damaged) > 3 else ""
        warnings.warn(
            CacheWarning(
                f"parse cache {folder}: {len(damaged)} damaged entr"
                f"{'y' if len(damaged) == 1 else 'ies'} ({shown}{more}); their documents "
                f"were parsed again{' and stored anew' if replaced else ''}. "
                f"`kzdiscourse cache verify {folder.parent}` checks the whole cache"
            ),
            stacklevel=4,
        )
    if parsed and not stored:
        warnings.warn(
            CacheWarning(
                f"parse cache {folder.parent} cannot be written ({why_read_only}): "
                f"{parsed} document(s) parsed now were not stored; what the cache holds "
                "was read. Pass a writable cache= folder to keep new parses"
            ),
            stacklevel=4,
        )


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
