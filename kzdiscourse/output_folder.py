"""The folder a Report is saved into: checked before any work, tidied after an earlier save.

:meth:`Report.save <kzdiscourse.report.Report.save>` (and ``kzdiscourse compare --out``,
before it parses anything) calls :func:`check_output_folder` first. It fails with an
:class:`~kzdiscourse.errors.OutputPathError` that says what to do when the folder cannot be
written — a file in its place or in the place of a parent, no permission to write, a
read-only file system — or when it holds a ``manifest.json`` that kzdiscourse did not write
(saving there would overwrite someone else's file).

A save lists every file it writes in the manifest (``files``). Saving again into the same
folder — say with fewer measures — removes the files the earlier manifest lists that the new
save does not write, so no stale table or figure is left beside a manifest that does not
list it. Only those files are ever removed: never a file the earlier manifest does not
name, never one outside the folder, never a folder.

Examples
--------
>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "results"
>>> folder = check_output_folder(out)
>>> folder.earlier
[]
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kzdiscourse.errors import OutputPathError

__all__ = ["MANIFEST", "OutputFolder", "check_output_folder", "earlier_files"]

#: The manifest's file name.
MANIFEST = "manifest.json"
#: Table formats a manifest without a ``files`` list (written before it existed) implies.
_TABLE_FORMATS = ("csv", "md", "tex", "parquet")
#: A path a manifest may name for removal: a file name, or one inside ``figures/``.
_SAFE = re.compile(r"(?:figures/)?[\w][\w.\-]*")


def _probe(folder: Path) -> str | None:
    """Why a file cannot be created in ``folder`` (``None`` if it can)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".kzdiscourse-write-test-", dir=folder)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return None


def _nearest_existing(path: Path) -> Path:
    """``path`` or its nearest existing ancestor."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(".")


def earlier_files(manifest: dict[str, Any]) -> list[str]:
    """The files an earlier save's manifest says it wrote (relative paths, safe ones only).

    Examples
    --------
    >>> earlier_files({"kzdiscourse": "0.1", "files": ["a.csv", "../x", "figures/f.png"]})
    ['a.csv', 'figures/f.png']
    >>> earlier_files({"kzdiscourse": "0.1", "tables": {"t": {}}})
    ['report.md', 't.csv', 't.md', 't.parquet', 't.tex']
    """
    if isinstance(manifest.get("files"), list):
        names = [str(f) for f in manifest["files"]]
    else:  # a manifest written before the files list: tables in every format, figures
        names = ["report.md"]
        for table in manifest.get("tables", {}) or {}:
            names += [f"{table}.{fmt}" for fmt in _TABLE_FORMATS]
        for figure in (manifest.get("figures", {}) or {}).values():
            if isinstance(figure, dict):
                names += [str(f) for f in figure.get("files", {})]
    return sorted({n for n in names if _SAFE.fullmatch(n) and n != MANIFEST})


def _is_ours(manifest: Any) -> bool:
    return isinstance(manifest, dict) and "kzdiscourse" in manifest and "tables" in manifest


@dataclass
class OutputFolder:
    """A checked output folder.

    Attributes
    ----------
    path : pathlib.Path
    earlier : list of str
        Files an earlier save into the folder wrote (from its manifest).
    """

    path: Path
    earlier: list[str] = field(default_factory=list)

    def create(self) -> Path:
        """Create the folder (and its parents); errors as OutputPathError."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputPathError(
                f"cannot create the output folder: {exc.strerror or exc}",
                source=str(self.path),
                hint="choose a folder you can write to",
            ) from exc
        return self.path

    def relative(self, written: Iterable[Path]) -> list[str]:
        """The written files as sorted paths relative to the folder (for the manifest)."""
        out = []
        for p in written:
            rel = Path(p).relative_to(self.path).as_posix()
            if rel != MANIFEST:
                out.append(rel)
        return sorted(set(out))

    def remove_stale(self, written: Iterable[Path]) -> list[str]:
        """Remove the files of the earlier save that this save did not write.

        Returns
        -------
        list of str
            The files removed (relative paths).
        """
        keep = set(self.relative(written))
        removed = []
        for rel in self.earlier:
            if rel in keep:
                continue
            target = self.path / rel
            if target.is_symlink() or not target.is_file():
                continue
            try:
                target.unlink()
            except OSError:
                continue  # a file we cannot remove stays; the manifest does not list it
            removed.append(rel)
        figures = self.path / "figures"
        if any(r.startswith("figures/") for r in removed) and figures.is_dir():
            with contextlib.suppress(OSError):
                figures.rmdir()  # only if now empty
        return removed


def check_output_folder(directory: str | Path) -> OutputFolder:
    """Check that a Report can be saved into ``directory``, before any work.

    Parameters
    ----------
    directory : str or pathlib.Path
        The output folder; it (and its parents) may not exist yet.

    Returns
    -------
    OutputFolder
        With the files an earlier save into the folder wrote.

    Raises
    ------
    OutputPathError
        A file stands where the folder or one of its parents should be; the folder (or
        the nearest existing parent, if it does not exist yet) cannot be written; it holds
        a ``manifest.json`` that kzdiscourse did not write, or one that cannot be read.
    """
    out = Path(directory)
    if str(directory) == "":
        raise OutputPathError(
            "the output folder is an empty path", hint="name a folder, e.g. results"
        )
    existing = _nearest_existing(out)
    if existing.exists() and not existing.is_dir():
        where = "the output folder" if existing == out else f"a parent folder ({existing})"
        raise OutputPathError(
            f"{where} is a file, not a folder",
            source=str(out),
            hint="choose another output folder, or move that file away",
        )
    if not existing.exists():  # a broken link where a folder should be
        raise OutputPathError(
            f"{existing} is a link to something that does not exist",
            source=str(out),
            hint="remove the link or choose another output folder",
        )
    problem = _probe(existing)
    if problem is not None:
        where = "the output folder" if existing == out else f"its parent folder {existing}"
        raise OutputPathError(
            f"cannot write into {where}: {problem}",
            source=str(out),
            hint="choose a folder you can write to (read-only file system or no permission)",
        )
    manifest_path = out / MANIFEST
    if existing != out or not manifest_path.exists():
        return OutputFolder(out)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputPathError(
            "the output folder holds a manifest.json that cannot be read",
            source=str(manifest_path),
            hint="remove it if an interrupted kzdiscourse save left it, or choose another "
            "output folder",
        ) from exc
    if not _is_ours(manifest):
        raise OutputPathError(
            "the output folder holds a manifest.json that kzdiscourse did not write",
            source=str(manifest_path),
            hint="choose another (or an empty) output folder; saving here would overwrite "
            "that file",
        )
    return OutputFolder(out, earlier_files(manifest))
