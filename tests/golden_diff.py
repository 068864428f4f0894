"""Golden tables: store the seed Report's CSV bytes and explain any difference readably.

The golden files live in ``tests/golden/``: one ``<table>.csv`` per Report table (the exact
bytes :meth:`Report.save` writes) and ``index.json`` (table name → SHA-256 of those bytes).
:func:`diff_csv` compares two versions of one table cell by cell and returns a short
human-readable account — which rows (named by their key columns) and which columns changed,
old → new — instead of a wall of bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).resolve().parent / "golden"
INDEX = GOLDEN / "index.json"
#: Lines of a diff shown per table before "… and N more".
MAX_LINES = 20

#: Columns that identify a row, in the order they are shown (only those present are used).
KEY_COLUMNS = (
    "level",
    "reference",
    "group",
    "group_a",
    "group_b",
    "doc_id",
    "par_id",
    "sent_id",
    "tok_start",
    "start",
    "label",
    "estimate",
    "frame",
    "category",
    "actor",
    "actor_a",
    "actor_b",
    "role",
    "verb",
    "cue",
    "entry",
    "method",
    "scope",
    "topic",
    "rank",
    "unit",
    "term",
    "measure",
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(data: bytes) -> pd.DataFrame:
    # every cell as the exact text written, so "0.1" vs "0.10000000000000002" is a change
    try:
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:  # a table without columns
        return pd.DataFrame()


def _key(row: pd.Series, keys: list[str]) -> str:
    return ", ".join(f"{k}={row[k]}" for k in keys if row[k] != "")


def _short(value: str, width: int = 40) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= width else value[: width - 1] + "…"


def diff_csv(name: str, old: bytes, new: bytes, max_lines: int = MAX_LINES) -> list[str]:
    """A readable account of how table ``name`` changed from ``old`` to ``new`` CSV bytes.

    Returns an empty list when the bytes are identical. Otherwise the first line names the
    table and counts the changes; then columns added or removed, rows added or removed
    (by key), and changed cells as ``row i (key=…): column old → new``, at most
    ``max_lines`` lines in all.

    Examples
    --------
    >>> old = b"group,value\\nA,1.5\\nB,2.0\\n"
    >>> new = b"group,value\\nA,1.5\\nB,2.5\\n"
    >>> print("\\n".join(diff_csv("t", old, new)))
    table 't': 1 cell(s) changed in 1 of 2 row(s)
      row 1 (group=B): value 2.0 → 2.5
    """
    if old == new:
        return []
    a, b = _read(old), _read(new)
    lines: list[str] = []
    removed_cols = [c for c in a.columns if c not in b.columns]
    added_cols = [c for c in b.columns if c not in a.columns]
    if removed_cols:
        lines.append(f"  columns removed: {', '.join(removed_cols)}")
    if added_cols:
        lines.append(f"  columns added: {', '.join(added_cols)}")
    common = [c for c in a.columns if c in b.columns]
    keys = [c for c in KEY_COLUMNS if c in common]
    changed_rows = 0
    changed_cells = 0
    if len(a) != len(b):
        lines.append(f"  rows: {len(a)} → {len(b)}")
        if keys:
            ka = a[keys].agg(tuple, axis=1) if len(a) else pd.Series([], dtype=object)
            kb = b[keys].agg(tuple, axis=1) if len(b) else pd.Series([], dtype=object)
            gone = [k for k in ka if k not in set(kb)]
            new_rows = [k for k in kb if k not in set(ka)]
            for label, rows in (("removed", gone), ("added", new_rows)):
                for k in rows[:5]:
                    shown = ", ".join(f"{c}={v}" for c, v in zip(keys, k, strict=True))
                    lines.append(f"  row {label}: {shown}")
                if len(rows) > 5:
                    lines.append(f"  … {len(rows) - 5} more row(s) {label}")
    n = min(len(a), len(b))
    if common and n:
        left = a[common].iloc[:n].reset_index(drop=True)
        right = b[common].iloc[:n].reset_index(drop=True)
        differs = left.ne(right)
        for i in differs.index[differs.any(axis=1)]:
            changed_rows += 1
            cols = [c for c in common if differs.at[i, c]]
            changed_cells += len(cols)
            cells = "; ".join(
                f"{c} {_short(left.at[i, c])} → {_short(right.at[i, c])}" for c in cols[:4]
            )
            if len(cols) > 4:
                cells += f"; … {len(cols) - 4} more column(s)"
            key = _key(left.loc[i], [k for k in keys if k not in cols])
            lines.append(f"  row {i}{f' ({key})' if key else ''}: {cells}")
    if not lines:  # same cells, different bytes (quoting, line ends, encoding)
        lines.append("  same cells, different bytes (quoting, line endings or encoding)")
    head = (
        f"table {name!r}: {changed_cells} cell(s) changed in {changed_rows} of {n} row(s)"
        if changed_cells
        else f"table {name!r} changed"
    )
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], f"  … and {len(lines) - max_lines + 1} more line(s)"]
    return [head, *lines]


def load_index() -> dict[str, str]:
    return json.loads(INDEX.read_text(encoding="utf-8"))


def compare_to_golden(tables: dict[str, bytes], max_tables: int = 6) -> list[str]:
    """Every difference between freshly computed CSV bytes and the stored golden tables.

    The first ``max_tables`` differing tables get a full (capped) diff; later ones only
    their first line, so a change upstream of every table stays readable.
    """
    index = load_index()
    out: list[str] = []
    missing = [name for name in index if name not in tables]
    extra = [name for name in tables if name not in index]
    if missing:
        out.append(f"tables no longer produced: {', '.join(missing)}")
    if extra:
        out.append(f"new tables without a golden copy: {', '.join(extra)}")
    shown = 0
    if list(index) != [n for n in tables if n in index]:
        out.append(f"table order changed: {list(index)} → {list(tables)}")
    for name, data in tables.items():
        if name not in index:
            continue
        stored = (GOLDEN / f"{name}.csv").read_bytes()
        if sha256(stored) != index[name]:
            out.append(f"golden file {name}.csv does not match index.json: re-bless")
        lines = diff_csv(name, stored, data)
        if lines:
            shown += 1
            out.extend(lines if shown <= max_tables else lines[:1])
    return out


def bless(tables: dict[str, bytes]) -> list[str]:
    """Write ``tables`` as the new golden copies and index; returns the names rewritten."""
    GOLDEN.mkdir(exist_ok=True)
    old = load_index() if INDEX.exists() else {}
    for stale in set(old) - set(tables):
        (GOLDEN / f"{stale}.csv").unlink(missing_ok=True)
    for name, data in tables.items():
        (GOLDEN / f"{name}.csv").write_bytes(data)
    index = {name: sha256(data) for name, data in tables.items()}
    INDEX.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return [name for name in tables if old.get(name) != index[name]]
