"""A folder of text files: which files are read, which are skipped and why, their metadata.

:class:`FolderPlan` decides everything from the file names and the metadata table alone,
so a streaming reader can check the whole folder before reading the first text. File
names match the pattern whatever their case (``B.TXT`` is a ``*.txt`` file). A file that
is not read although it may hold a text — hidden (``._a.txt``, ``.~a.txt``), a broken
link, unreadable, not a regular file, a document in another format (``.docx``, ``.pdf``,
``.html``, …), a subfolder of text files under a pattern that does not recurse — is listed
in the ``skipped`` table with its reason, and one
:class:`~kzdiscourse.errors.SkippedFileWarning` names them.

Examples
--------
>>> from kzdiscourse.seeds import seeds_path
>>> plan = FolderPlan.make(seeds_path(), "*.txt", "metadata.csv", strict=True)
>>> [plan.file_ids[p] for p in plan.files]
['ankasam_2025_08', 'dzen_2025_12']
>>> plan.skipped.empty
True
"""

from __future__ import annotations

import logging
import os
import re
import stat
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kzdiscourse.errors import (
    DuplicateIdError,
    InputPathError,
    MetadataMismatchError,
    SkippedFileWarning,
)
from kzdiscourse.loaders import Loaded, load_text_files, read_metadata_csv
from kzdiscourse.validation import MIN_CYRILLIC_SHARE

__all__ = [
    "OTHER_FORMATS",
    "SKIPPED_COLUMNS",
    "FolderPlan",
    "FolderScan",
    "empty_skipped",
    "load_folder",
    "pattern_regex",
    "scan_folder",
]

log = logging.getLogger(__name__)

#: Columns of the ``skipped`` table.
SKIPPED_COLUMNS = ("file", "reason", "detail")

#: Extensions of documents that hold text but are not plain text: listed as skipped
#: (``other_format``) when the pattern does not take them. README/CSV/Markdown files beside
#: the texts are not listed.
OTHER_FORMATS = (
    ".doc",
    ".docx",
    ".epub",
    ".fb2",
    ".htm",
    ".html",
    ".json",
    ".jsonl",
    ".odt",
    ".pdf",
    ".rtf",
    ".text",
    ".xhtml",
    ".xml",
)


def empty_skipped() -> pd.DataFrame:
    """The ``skipped`` table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in SKIPPED_COLUMNS})


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A case-insensitive regex for a glob over paths relative to the folder.

    ``*`` and ``?`` stay inside one folder level, ``**`` spans any number of levels.

    Examples
    --------
    >>> bool(pattern_regex("*.txt").fullmatch("B.TXT")), bool(pattern_regex("*.txt").fullmatch("a/b.txt"))
    (True, False)
    >>> bool(pattern_regex("**/*.txt").fullmatch("a/b/c.Txt"))
    True
    """  # noqa: E501
    parts = []
    segments = pattern.replace("\\", "/").strip("/").split("/")
    for k, seg in enumerate(segments):
        last = k == len(segments) - 1
        if seg == "**":
            parts.append("(?:[^/]+/)*" if not last else ".*")
            continue
        out, i = [], 0
        while i < len(seg):
            ch = seg[i]
            if ch == "*":
                out.append("[^/]*")
            elif ch == "?":
                out.append("[^/]")
            elif ch == "[" and "]" in seg[i + 1 :]:
                end = seg.index("]", i + 1)
                body = seg[i + 1 : end].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = end
            else:
                out.append(re.escape(ch))
            i += 1
        parts.append("".join(out) + ("" if last else "/"))
    return re.compile("".join(parts), re.IGNORECASE)


@dataclass
class FolderScan:
    """The files of a folder the pattern takes, and the files skipped with their reasons."""

    files: list[Path]
    skipped: pd.DataFrame


def _kind(path: Path) -> tuple[str | None, str]:
    """``(reason, detail)`` why a path the pattern takes cannot be read, or ``(None, "")``."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "broken_link", f"a link to {os.readlink(path)}, which does not exist"
        return "missing", "removed while the folder was read"
    except OSError as exc:
        return "unreadable", exc.strerror or str(exc)
    if stat.S_ISDIR(st.st_mode):
        return "not_a_file", "a folder whose name matches the pattern"
    if not stat.S_ISREG(st.st_mode):
        return "not_a_file", "not a regular file (a pipe, socket or device)"
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return "unreadable", exc.strerror or str(exc)
    return None, ""


def scan_folder(folder: Path, pattern: str, exclude: Sequence[Path] = ()) -> FolderScan:
    """The files ``pattern`` takes (case-insensitively), sorted, and what was skipped.

    Parameters
    ----------
    folder : pathlib.Path
    pattern : str
        Glob relative to the folder (``*.txt``; ``**/*.txt`` recurses).
    exclude : sequence of pathlib.Path
        Files that are not texts (the metadata table).

    Returns
    -------
    FolderScan
    """
    regex = pattern_regex(pattern)
    recursive = "**" in pattern or "/" in pattern.strip("/")
    name_regex = pattern_regex(pattern.replace("\\", "/").rsplit("/", 1)[-1])
    excluded = {os.path.normcase(os.path.abspath(p)) for p in exclude}
    files: list[Path] = []
    rows: list[tuple[str, str, str]] = []

    def visit(directory: Path, rel: str) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            rows.append((str(directory), "unreadable", exc.strerror or str(exc)))
            return
        for entry in entries:
            path = Path(entry.path)
            name_rel = f"{rel}{entry.name}"
            if os.path.normcase(os.path.abspath(path)) in excluded:
                continue
            hidden = entry.name.startswith(".")
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and not regex.fullmatch(name_rel):
                if hidden:
                    continue
                if recursive:
                    visit(path, name_rel + "/")
                elif _has_match(path, name_regex):
                    rows.append(
                        (
                            str(path),
                            "subfolder",
                            f"a subfolder with files matching {pattern!r}; the pattern "
                            "does not look into subfolders (use '**/' + pattern)",
                        )
                    )
                continue
            if regex.fullmatch(name_rel):
                if hidden:
                    rows.append((str(path), "hidden", "a hidden file (editor or system copy)"))
                    continue
                reason, detail = _kind(path)
                if reason is None:
                    files.append(path)
                else:
                    rows.append((str(path), reason, detail))
            elif not hidden and path.suffix.lower() in OTHER_FORMATS:
                rows.append(
                    (
                        str(path),
                        "other_format",
                        f"a {path.suffix.lower()} file, not taken by {pattern!r}; "
                        "convert it to plain text to include it",
                    )
                )

    visit(folder, "")
    skipped = pd.DataFrame(rows, columns=list(SKIPPED_COLUMNS)) if rows else empty_skipped()
    return FolderScan(sorted(files), skipped)


def _has_match(directory: Path, regex: re.Pattern[str]) -> bool:
    try:
        with os.scandir(directory) as entries:
            return any(regex.fullmatch(e.name) for e in entries)
    except OSError:
        return False


def warn_skipped(skipped: pd.DataFrame, folder: Path, stacklevel: int = 2) -> None:
    """One SkippedFileWarning naming the files a folder's loading skipped."""
    if skipped.empty:
        return
    shown = [
        f"{Path(f).relative_to(folder) if Path(f).is_relative_to(folder) else f} ({r})"
        for f, r in zip(skipped["file"], skipped["reason"], strict=True)
    ]
    more = f", … ({len(shown) - 10} more)" if len(shown) > 10 else ""
    warnings.warn(
        SkippedFileWarning(
            f"{len(shown)} file(s) in {folder} were not read: {', '.join(shown[:10])}{more}. "
            "Corpus.skipped lists each with the reason; fix or convert them, or ignore "
            "this warning if they are not texts of the corpus"
        ),
        stacklevel=stacklevel + 1,
    )


def _metadata_path(folder: Path, metadata: str | Path | None) -> Path | None:
    """The metadata table's path; the default ``metadata.csv`` in any case, or none."""
    if metadata is None:
        return None
    meta_path = Path(metadata)
    if not meta_path.is_absolute():
        meta_path = folder / meta_path
    if meta_path.exists():
        return meta_path
    if str(metadata) != "metadata.csv":
        raise InputPathError(
            "metadata file not found", source=str(meta_path), hint="check the path"
        )
    # the default name, written otherwise (Metadata.csv, METADATA.CSV)
    found = [p for p in folder.iterdir() if p.name.lower() == "metadata.csv" and p.is_file()]
    return sorted(found)[0] if found else None


@dataclass
class FolderPlan:
    """Which files of a folder are read, under which ids, with which metadata row.

    Attributes
    ----------
    folder : pathlib.Path
    files : list of pathlib.Path
        The text files, sorted.
    file_ids : dict
        File → ``doc_id``.
    meta : pandas.DataFrame or None
        The metadata table (without its ``file`` column).
    skipped : pandas.DataFrame
        ``file``, ``reason``, ``detail`` of every file not read (see the module).
    """

    folder: Path
    files: list[Path]
    file_ids: dict[Path, str]
    meta: pd.DataFrame | None
    skipped: pd.DataFrame = field(default_factory=empty_skipped)

    @classmethod
    def make(
        cls,
        path: str | Path,
        pattern: str,
        metadata: str | Path | None,
        strict: bool,
        encoding: str | None = None,
    ) -> FolderPlan:
        """Check a folder and its metadata; see :meth:`kzdiscourse.Corpus.from_folder`.

        A :class:`~kzdiscourse.errors.SkippedFileWarning` names the files not read.
        """
        folder = Path(path)
        if not folder.exists():
            raise InputPathError("no such folder", source=str(folder), hint="check the path")
        if not folder.is_dir():
            raise InputPathError(
                "expected a folder of text files",
                source=str(folder),
                hint="use Corpus.from_csv / from_jsonl / from_parquet for a single file",
            )
        meta_path = _metadata_path(folder, metadata)
        scan = scan_folder(folder, pattern, exclude=[meta_path] if meta_path else ())
        files = scan.files
        if not files:
            listing = ", ".join(
                f"{f} ({r})" for f, r in scan.skipped[["file", "reason"]].to_numpy()[:5]
            )
            raise InputPathError(
                f"no files matching {pattern!r} in the folder"
                + (f"; skipped: {listing}" if listing else ""),
                source=str(folder),
                hint="check the folder and the pattern= argument",
            )
        warn_skipped(scan.skipped, folder, stacklevel=4)
        meta = read_metadata_csv(meta_path, encoding) if meta_path is not None else None

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
        return cls(folder=folder, files=files, file_ids=ids, meta=meta, skipped=scan.skipped)

    def load(
        self,
        files: Sequence[Path],
        encoding: str | None = None,
        min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
    ) -> Loaded:
        """Read ``files`` (all of :attr:`files`, or a part) with their metadata."""
        return load_text_files(
            files,
            [self.file_ids[p] for p in files],
            encoding=encoding,
            metadata=self.meta,
            source=str(self.folder),
            min_cyrillic_share=min_cyrillic_share,
        )


def load_folder(
    path: str | Path,
    *,
    pattern: str = "*.txt",
    metadata: str | Path | None = "metadata.csv",
    encoding: str | None = None,
    strict: bool = True,
    min_cyrillic_share: float | None = MIN_CYRILLIC_SHARE,
) -> tuple[Loaded, pd.DataFrame]:
    """The folder's documents and sources, and its ``skipped`` table; see
    :meth:`kzdiscourse.Corpus.from_folder`."""
    plan = FolderPlan.make(path, pattern, metadata, strict, encoding)
    return plan.load(plan.files, encoding, min_cyrillic_share), plan.skipped
