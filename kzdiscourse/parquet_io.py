"""Frames to and from Parquet, with the pandas dtypes they had.

Parquet has one string type where pandas has two (``object`` and ``str``), so a frame read
back is given the dtypes recorded when it was written (:func:`dtypes_of`, :func:`restore`).
Files are written whole or not at all (a temporary file, then a rename), and the same
frame gives the same bytes. The parse cache and parsed datasets store their tables here;
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

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["dtypes_of", "read_frame", "restore", "write_frame"]


def dtypes_of(frame: pd.DataFrame) -> dict[str, str]:
    """Column → pandas dtype name, as recorded to restore a frame read back from Parquet."""
    return {str(c): str(t) for c, t in frame.dtypes.items()}


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame to one Parquet file (no index; deterministic bytes for the same frame)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


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
    path: Path, dtypes: dict[str, str], columns: Sequence[str] | None = None, filters: Any = None
) -> pd.DataFrame:
    """Read one Parquet file (optionally some columns / rows) with its recorded dtypes."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=list(columns) if columns is not None else None,
                          filters=filters)  # fmt: skip
    return restore(table.to_pandas(), dtypes)
