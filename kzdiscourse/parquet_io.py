"""Frames to and from Parquet, with the pandas dtypes they had.

Parquet has one string type where pandas has two (``object`` and ``str``), so a frame read
back is given the dtypes recorded when it was written (:func:`dtypes_of`, :func:`restore`).
Files are written whole or not at all (a temporary file, then a rename), and the same
frame gives the same bytes; two processes writing one file never share a temporary
file. The parse cache and parsed datasets store their tables here;
nothing is ever pickled.

Examples
--------
>>> import pathlib, tempfile
>>> frame = pd.DataFrame({"doc_id": ["a"], "n": [1]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
>>> write_frame(frame, path)
>>> read_frame(path, dtypes_of(frame)).equals(frame)
True
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "dtypes_of",
    "frame_bytes",
    "read_frame",
    "read_metadata",
    "restore",
    "write_atomic",
    "write_frame",
]


def dtypes_of(frame: pd.DataFrame) -> dict[str, str]:
    """Column → pandas dtype name, as recorded to restore a frame read back from Parquet."""
    return {str(c): str(t) for c, t in frame.dtypes.items()}


def frame_bytes(frame: pd.DataFrame, metadata: dict[str, str] | None = None) -> bytes:
    """A frame as the bytes of one Parquet file (no index; the same frame, the same bytes).

    ``metadata`` is added to the file's key-value metadata (read it back with
    :func:`read_metadata`).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if metadata:
        extra = {k.encode(): v.encode() for k, v in metadata.items()}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def write_atomic(data: bytes, path: Path) -> None:
    """Write bytes to ``path`` whole or not at all.

    The bytes go to a temporary file with a name of its own in the same folder (process id
    and a random part, so two processes writing the same path never share one), which is
    then renamed over ``path``. On failure the temporary file is removed.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame to one Parquet file (no index; deterministic bytes for the same frame)."""
    write_atomic(frame_bytes(frame), path)


def read_metadata(data: bytes) -> dict[str, str]:
    """The key-value metadata of a Parquet file's bytes (those :func:`frame_bytes` adds)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = pq.read_schema(pa.BufferReader(data)).metadata or {}
    return {k.decode(): v.decode() for k, v in meta.items() if k != b"pandas"}


def restore(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Give columns read back from Parquet their recorded pandas dtypes.

    Parquet has one string type; pandas has ``object`` (missing values ``None``) and
    ``str``. Columns of other recorded dtypes are cast only where they differ.
    """
    for col in frame.columns:
        want = dtypes.get(str(col))
        if want is None or str(frame[col].dtype) == want:
            continue
        if want == "object":
            values = frame[col].astype(object)
            frame[col] = values.where(values.notna(), None)
        else:
            frame[col] = frame[col].astype(want)
    return frame


def read_frame(
    path: Path | bytes,
    dtypes: dict[str, str],
    columns: Sequence[str] | None = None,
    filters: Any = None,
) -> pd.DataFrame:
    """Read one Parquet file, or its bytes (optionally some columns / rows), with its
    recorded dtypes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = pa.BufferReader(path) if isinstance(path, bytes) else path
    table = pq.read_table(source, columns=list(columns) if columns is not None else None,
                          filters=filters)  # fmt: skip
    return restore(table.to_pandas(), dtypes)
