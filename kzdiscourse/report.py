"""The Report: named tables in a fixed order, with a provenance manifest.

Examples
--------
>>> import kzdiscourse as kzd
>>> report = kzd.compare(kzd.load_seeds(), by="outlet")
>>> report["corpus_summary"].columns[:3].tolist()
['level', 'group', 'doc_id']
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     written = report.save(tmp)
...     sorted(p.name for p in pathlib.Path(tmp).iterdir() if p.name.startswith("co"))[:3]
['corpus_summary.csv', 'corpus_summary.md', 'coverage.csv']
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse.errors import InputError

__all__ = ["Report", "table_to_csv", "table_to_markdown"]

FORMATS = ("csv", "md")


def table_to_csv(table: pd.DataFrame) -> bytes:
    """The CSV bytes kzdiscourse writes for a table (UTF-8, ``\\n`` line ends, no index).

    Floats are written with Python's shortest round-trip representation, so the bytes are
    the same on every run with the same numbers.
    """
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _format_cell(value: Any, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    text = str(value).replace("\n", " ").replace("|", "\\|")
    return text


def table_to_markdown(table: pd.DataFrame, decimals: int = 3) -> str:
    """A GitHub-flavoured Markdown table.

    Numbers are right-aligned; floats are rounded to ``decimals`` places (CSV files keep
    full precision); missing values are blank; ``|`` and newlines in text are escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_to_markdown(pd.DataFrame({"a": ["x"], "b": [0.12345]})))
    | a | b |
    |:--|--:|
    | x | 0.123 |
    """
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    align = []
    for col in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[col]) and not pd.api.types.is_bool_dtype(
            table[col]
        )
        align.append("--:" if numeric else ":--")
    lines = [header, "|" + "|".join(align) + "|"]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(_format_cell(v, decimals) for v in row) + " |")
    return "\n".join(lines)


@dataclass
class Report:
    """Named tables from :func:`kzdiscourse.compare`, in a fixed order, with a manifest.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        The tables, in the order the measures produced them.
    descriptions : dict of str to str
        One line per table saying what it holds.
    manifest : dict
        Versions, parameters and SHA-256 of every input text and resource file.
    """

    tables: dict[str, pd.DataFrame]
    descriptions: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(
                f"no table {name!r} in this report; tables: {', '.join(self.tables)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def __iter__(self) -> Iterable[str]:  # type: ignore[override]
        return iter(self.tables)

    def __repr__(self) -> str:
        by = self.manifest.get("parameters", {}).get("by")
        lines = [f"Report({len(self.tables)} tables, by={by!r})"]
        for name, table in self.tables.items():
            lines.append(f"  {name}: {len(table)} rows — {self.descriptions.get(name, '')}")
        return "\n".join(lines)

    def table_hashes(self) -> dict[str, str]:
        """SHA-256 of each table's CSV bytes (as :meth:`save` writes them)."""
        return {
            name: hashlib.sha256(table_to_csv(t)).hexdigest() for name, t in self.tables.items()
        }

    def save(self, directory: str | Path, formats: Iterable[str] = FORMATS) -> list[Path]:
        """Write every table and the manifest to a folder.

        Parameters
        ----------
        directory : str or pathlib.Path
            Created if needed; files of the same names are overwritten.
        formats : iterable of str, default ("csv", "md")
            ``"csv"`` (full precision) and/or ``"md"`` (Markdown, floats to 3 decimals).

        Returns
        -------
        list of pathlib.Path
            The files written, ``manifest.json`` last.
        """
        formats = tuple(formats)
        bad = [f for f in formats if f not in FORMATS]
        if bad:
            raise InputError(
                f"unknown output format(s) {bad}", hint=f"use any of: {', '.join(FORMATS)}"
            )
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for name, table in self.tables.items():
            if "csv" in formats:
                path = out / f"{name}.csv"
                path.write_bytes(table_to_csv(table))
                written.append(path)
            if "md" in formats:
                path = out / f"{name}.md"
                title = f"# {name}\n\n{self.descriptions.get(name, '')}\n\n"
                path.write_text(title + table_to_markdown(table) + "\n", encoding="utf-8")
                written.append(path)
        manifest = dict(self.manifest)
        manifest["tables"] = {
            name: {
                "description": self.descriptions.get(name, ""),
                "rows": len(table),
                "columns": [str(c) for c in table.columns],
                "sha256_csv": digest,
            }
            for (name, table), digest in zip(
                self.tables.items(), self.table_hashes().values(), strict=True
            )
        }
        path = out / "manifest.json"
        path.write_text(
            json.dumps(_jsonable(manifest), indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        written.append(path)
        return written


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
