"""Streaming loaders: a large input read as consecutive :class:`~kzdiscourse.Corpus` chunks.

:meth:`Corpus.iter_parquet <kzdiscourse.Corpus.iter_parquet>` and
:meth:`Corpus.iter_folder <kzdiscourse.Corpus.iter_folder>` are the public entry points;
this module holds their machinery. Every chunk goes through the same validation as the
eager loaders, and ids are checked for uniqueness across chunks (a set of the ids seen so
far is kept: a few dozen bytes per document, never the texts).

Examples
--------
>>> from kzdiscourse import Corpus
>>> from kzdiscourse.seeds import seeds_path
>>> chunks = list(Corpus.iter_folder(seeds_path(), chunksize=1))
>>> [c.doc_ids for c in chunks]
[['ankasam_2025_08'], ['dzen_2025_12']]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kzdiscourse.errors import ColumnError, DuplicateIdError, InputError, InputPathError
from kzdiscourse.folders import FolderPlan

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus

__all__ = ["check_unique", "iter_folder", "iter_parquet"]


def _check_chunksize(chunksize: int) -> int:
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise InputError(
            f"chunksize must be a positive integer, got {chunksize!r}",
            hint="pass the number of documents per chunk, e.g. chunksize=1000",
        )
    return chunksize


def check_unique(chunks: Iterable[Corpus], source: str | None = None) -> Iterator[Corpus]:
    """Pass chunks through, raising DuplicateIdError for an id already seen in a chunk.

    Parameters
    ----------
    chunks : iterable of Corpus
        Consecutive parts of one corpus.
    source : str, optional
        Named in the error.

    Yields
    ------
    Corpus
        The chunks, unchanged.
    """
    seen: set[str] = set()
    for chunk in chunks:
        ids = chunk.doc_ids
        again = [d for d in ids if d in seen]
        if again:
            raise DuplicateIdError(
                "doc_id values must be unique; these ids already occurred in an earlier chunk",
                doc_ids=again,
                source=source,
                hint="make the ids unique (e.g. append the outlet or a counter)",
            )
        seen.update(ids)
        yield chunk


def iter_folder(
    cls: type[Corpus],
    path: str | Path,
    *,
    chunksize: int,
    pattern: str,
    metadata: str | Path | None,
    encoding: str | None,
    strict: bool,
    min_cyrillic_share: float | None,
) -> Iterator[Corpus]:
    """See :meth:`kzdiscourse.Corpus.iter_folder`; ``cls`` is the class of the chunks."""
    size = _check_chunksize(chunksize)
    # the plan (file names, ids, metadata matching) is checked before anything is yielded
    plan = FolderPlan.make(path, pattern, metadata, strict, encoding)

    def chunks() -> Iterator[Corpus]:
        for k in range(0, len(plan.files), size):
            loaded = plan.load(plan.files[k : k + size], encoding, min_cyrillic_share)
            skipped = plan.skipped if k == 0 else plan.skipped.iloc[0:0]
            yield cls(documents=loaded.documents, sources=loaded.sources, skipped=skipped)

    return check_unique(chunks(), str(plan.folder))


def _parquet_dataset(p: Path):  # type: ignore[no-untyped-def]
    import pyarrow.dataset as ds

    if p.is_dir():
        files = sorted(
            str(f)
            for f in p.rglob("*")
            if f.is_file() and not any(part.startswith(("_", ".")) for part in f.parts[-1:])
        )
        if not files:
            raise InputPathError(
                "no Parquet files in the folder", source=str(p), hint="check the path"
            )
        return ds.dataset(files, format="parquet", partitioning="hive", partition_base_dir=str(p))
    return ds.dataset(str(p), format="parquet")


def iter_parquet(
    cls: type[Corpus],
    path: str | Path,
    *,
    chunksize: int,
    id_col: str,
    text_col: str,
    columns: Iterable[str] | None,
    min_cyrillic_share: float | None,
) -> Iterator[Corpus]:
    """See :meth:`kzdiscourse.Corpus.iter_parquet`; ``cls`` is the class of the chunks."""
    size = _check_chunksize(chunksize)
    p = Path(path)
    if not p.exists():
        raise InputPathError("no such file or folder", source=str(p), hint="check the path")
    source = str(p)
    try:
        dataset = _parquet_dataset(p)
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types
        raise InputError(
            f"cannot read the Parquet data: {exc}",
            source=source,
            hint="check that this is a Parquet file written by pandas/pyarrow",
        ) from exc
    names = list(dataset.schema.names)
    for col, role in ((id_col, "id"), (text_col, "text")):
        if col not in names:
            raise ColumnError(
                f"the {role} column {col!r} is missing",
                source=source,
                hint=f"available columns: {', '.join(names)}; pass {role}_col= to name the "
                "right one",
            )
    cols = names if columns is None else list(dict.fromkeys([id_col, text_col, *columns]))
    absent = [c for c in cols if c not in names]
    if absent:
        raise ColumnError(
            f"column(s) {absent} are not in the Parquet data",
            source=source,
            hint=f"available columns: {', '.join(names)}",
        )

    def frames() -> Iterator[pd.DataFrame]:
        import pyarrow as pa

        pending: list[pa.RecordBatch] = []
        rows = 0
        try:
            # no read-ahead: only the row group being read and one chunk are in memory
            batches = dataset.to_batches(
                columns=cols,
                batch_size=size,
                use_threads=False,
                batch_readahead=0,
                fragment_readahead=0,
            )
            for batch in batches:
                while batch.num_rows:
                    take = min(size - rows, batch.num_rows)
                    pending.append(batch.slice(0, take))
                    batch = batch.slice(take)
                    rows += take
                    if rows == size:
                        yield pa.Table.from_batches(pending).to_pandas()
                        pending, rows = [], 0
        except Exception as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(
                f"cannot read the Parquet data: {exc}",
                source=source,
                hint="check that this is a Parquet file written by pandas/pyarrow",
            ) from exc
        if rows:
            yield pa.Table.from_batches(pending).to_pandas()

    def chunks() -> Iterator[Corpus]:
        for frame in frames():
            yield cls.from_dataframe(
                frame,
                id_col=id_col,
                text_col=text_col,
                source=source,
                min_cyrillic_share=min_cyrillic_share,
            )

    return check_unique(chunks(), source)
