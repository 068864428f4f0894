"""The files of the parse cache: writing an entry, reading it back checked, verify, clear.

An entry (a *batch*: the documents parsed together in one call) is four Parquet files in
the folder of its pipeline fingerprint::

    DIR/<fingerprint[:16]>/batch-<id>.{paragraphs,sentences,tokens,keys}.parquet

The three tables are written first, the ``keys`` file last: it lists the cache keys the
batch holds and, in its metadata, the SHA-256 of each table file's bytes. The batch id is
the SHA-256 of its keys, so a keys file copied from another batch does not match its
name, and a table file copied from another batch (or truncated, or damaged) does not
match its checksum: either way the entry is *damaged*, its documents are parsed again and
it is replaced. Every file is written under a temporary name of its own and renamed, so
two processes writing one cache never collide and a reader never sees half a file.

:func:`verify` checks every entry of a cache; :func:`clear` removes the cache's files and
nothing else (``kzdiscourse cache verify DIR`` / ``kzdiscourse cache clear DIR``).

Examples
--------
>>> import pathlib, tempfile
>>> import pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "0123456789abcdef"
>>> tables = {t: pd.DataFrame({"doc": [0], "x": [1]}) for t in TABLES}
>>> batch = write_entry(folder, tables, ["k1"])
>>> read_keys(folder, batch)[0]
['k1']
>>> verify(folder.parent)["status"].tolist()
['ok']
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse.parquet_io import frame_bytes, read_frame, read_metadata, write_atomic

__all__ = [
    "FORMAT",
    "TABLES",
    "VERIFY_COLUMNS",
    "DamagedEntryError",
    "batch_name",
    "clear",
    "ensure_tag",
    "is_cache",
    "read_keys",
    "read_table",
    "remove_entry",
    "verify",
    "write_entry",
]

#: The tables of an entry, besides its keys.
TABLES = ("paragraphs", "sentences", "tokens")
#: The entry format; entries of another format are re-parsed and replaced.
FORMAT = "2"
#: Columns of the :func:`verify` table.
VERIFY_COLUMNS = ("fingerprint", "batch", "documents", "status", "detail")

_FOLDER = re.compile(r"[0-9a-f]{16}")
_ENTRY_FILE = re.compile(r"(batch-[0-9a-f]{24})\.(paragraphs|sentences|tokens|keys)\.parquet")
_TEMP_FILE = re.compile(r"\.batch-[0-9a-f]{24}\.\w+\.parquet\.\d+\.[0-9a-f]+\.tmp")
_TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kzdiscourse (its parse cache).\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class DamagedEntryError(Exception):
    """An entry that cannot be trusted (the message says why)."""


def batch_name(keys: list[str]) -> str:
    """The id of the batch holding ``keys`` (in order).

    Examples
    --------
    >>> batch_name(["a", "b"]) == batch_name(["a", "b"]) != batch_name(["b", "a"])
    True
    """
    return "batch-" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:24]


def ensure_tag(path: Path) -> None:
    """Mark a cache folder with a ``CACHEDIR.TAG`` (backup tools skip it)."""
    tag = path / _TAG
    if not tag.exists():
        write_atomic(_TAG_TEXT.encode(), tag)


def write_entry(folder: Path, tables: dict[str, pd.DataFrame], keys: list[str]) -> str:
    """Write one entry (the tables, then the keys with their checksums); returns its id.

    Raises ``OSError`` when the folder cannot be written (the caller decides what then).
    """
    folder.mkdir(parents=True, exist_ok=True)
    batch = batch_name(keys)
    checksums = {}
    for name in TABLES:
        data = frame_bytes(tables[name])
        checksums[name] = hashlib.sha256(data).hexdigest()
        write_atomic(data, folder / f"{batch}.{name}.parquet")
    meta = {"kzdiscourse_cache": FORMAT, "checksums": json.dumps(checksums, sort_keys=True)}
    write_atomic(frame_bytes(pd.DataFrame({"key": keys}), meta), folder / f"{batch}.keys.parquet")
    return batch


def read_keys(folder: Path, batch: str) -> tuple[list[str], dict[str, str]]:
    """The keys an entry holds and its tables' checksums; DamagedEntryError if untrustworthy."""
    path = folder / f"{batch}.keys.parquet"
    try:
        data = path.read_bytes()
        meta = read_metadata(data)
        keys = read_frame(data, {})["key"].tolist()
    except OSError as exc:
        raise DamagedEntryError(f"keys file unreadable ({exc.strerror or exc})") from exc
    except Exception as exc:  # pyarrow raises several unrelated types for broken files
        raise DamagedEntryError(f"keys file is not a valid Parquet file ({exc})") from exc
    if meta.get("kzdiscourse_cache") != FORMAT:
        raise DamagedEntryError("written by an older kzdiscourse (no checksums)")
    if batch_name([str(k) for k in keys]) != batch:
        raise DamagedEntryError("keys file belongs to another entry")
    try:
        checksums = json.loads(meta["checksums"])
    except (KeyError, ValueError) as exc:
        raise DamagedEntryError("keys file has no readable checksums") from exc
    if sorted(checksums) != sorted(TABLES):
        raise DamagedEntryError("keys file has no readable checksums")
    return [str(k) for k in keys], checksums


def read_table(
    folder: Path, batch: str, name: str, checksum: str, dtypes: dict[str, str], filters: Any
) -> pd.DataFrame:
    """One table of an entry, checked against its checksum; DamagedEntryError otherwise."""
    path = folder / f"{batch}.{name}.parquet"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DamagedEntryError(f"{name} file unreadable ({exc.strerror or exc})") from exc
    if hashlib.sha256(data).hexdigest() != checksum:
        raise DamagedEntryError(f"{name} file does not match its checksum (damaged or replaced)")
    try:
        return read_frame(data, dtypes, None, filters)
    except Exception as exc:  # checksum matched, so this is not damage: a real bug
        raise DamagedEntryError(f"{name} file cannot be read ({exc})") from exc


def remove_entry(folder: Path, batch: str) -> None:
    """Remove an entry's files (missing ones are fine); raises OSError if it cannot."""
    for name in (*TABLES, "keys"):
        with contextlib.suppress(FileNotFoundError):
            (folder / f"{batch}.{name}.parquet").unlink()


def _entries(folder: Path) -> dict[str, set[str]]:
    """Batch id → the kinds of file it has in ``folder``."""
    found: dict[str, set[str]] = {}
    for entry in os.scandir(folder):
        m = _ENTRY_FILE.fullmatch(entry.name)
        if m:
            found.setdefault(m.group(1), set()).add(m.group(2))
    return found


def verify(path: str | Path) -> pd.DataFrame:
    """Check every entry of a cache: one row per entry and per leftover file.

    ``status`` is ``ok``; ``damaged`` (``detail`` says how: a checksum that does not match,
    a file that is not Parquet, a keys file of another entry); ``old_format`` (written
    before checksums: re-parsed and replaced when used); ``incomplete`` (tables without
    their keys file: a write was interrupted); ``temporary`` (a temporary file a killed
    writer left). Reading every table, it takes about as long as reading the cache.

    Parameters
    ----------
    path : str or pathlib.Path
        The cache folder.

    Returns
    -------
    pandas.DataFrame
        ``fingerprint``, ``batch``, ``documents``, ``status``, ``detail``.
    """
    root = Path(path)
    rows = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and _FOLDER.fullmatch(p.name)):
        for batch, kinds in sorted(_entries(sub).items()):
            if "keys" not in kinds:
                rows.append((sub.name, batch, 0, "incomplete", "tables without a keys file"))
                continue
            try:
                keys, checksums = read_keys(sub, batch)
                for name in TABLES:
                    read_table(sub, batch, name, checksums[name], {}, None)
            except DamagedEntryError as exc:
                status = "old_format" if "older kzdiscourse" in str(exc) else "damaged"
                rows.append((sub.name, batch, 0, status, str(exc)))
                continue
            rows.append((sub.name, batch, len(keys), "ok", ""))
        for entry in sorted(os.scandir(sub), key=lambda e: e.name):
            if _TEMP_FILE.fullmatch(entry.name):
                rows.append((sub.name, entry.name, 0, "temporary", "left by a killed writer"))
    return pd.DataFrame(rows, columns=list(VERIFY_COLUMNS)).astype({"documents": "int64"})


def clear(path: str | Path) -> dict[str, int]:
    """Remove the cache's files — entries, temporary files, the tag — and nothing else.

    Fingerprint folders left empty are removed too; any other file stays where it is.

    Returns
    -------
    dict
        ``files`` removed and ``kept``, the other files found.
    """
    root = Path(path)
    removed = kept = 0
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and _FOLDER.fullmatch(p.name)):
        for entry in list(os.scandir(sub)):
            if entry.is_file(follow_symlinks=False) and (
                _ENTRY_FILE.fullmatch(entry.name) or _TEMP_FILE.fullmatch(entry.name)
            ):
                os.unlink(entry.path)
                removed += 1
            else:
                kept += 1
        if not any(sub.iterdir()):
            sub.rmdir()
    tag = root / _TAG
    if tag.is_file() and tag.read_text(encoding="utf-8", errors="replace") == _TAG_TEXT:
        tag.unlink()
        removed += 1
    kept += sum(1 for p in root.iterdir() if not (p.is_dir() and _FOLDER.fullmatch(p.name)))
    return {"files": removed, "kept": kept}


def is_cache(path: Path) -> bool:
    """True if ``path`` looks like a kzdiscourse parse cache (a tag or a fingerprint folder)."""
    if (path / _TAG).is_file():
        return True
    return any(p.is_dir() and _FOLDER.fullmatch(p.name) for p in path.iterdir())
