"""The Report: named tables in a fixed order, with a summary and a provenance manifest.

Number formatting (Markdown, LaTeX and the HTML overview; CSV and Parquet keep full
precision): integers as they are; p-values (columns named ``p``, ``p_value`` or starting
with ``p_``/``q_``) to three significant digits, in scientific notation below 0.001;
every other float to three decimals; missing values blank.

Examples
--------
>>> import kzdiscourse as kzd
>>> report = kzd.compare(kzd.load_seeds(), by="outlet")
>>> report["corpus_summary"].columns[:3].tolist()
['level', 'group', 'doc_id']
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     written = report.save(tmp, formats=("csv", "md"))
...     sorted(p.name for p in pathlib.Path(tmp).iterdir() if p.name.startswith("co"))
['corpus_summary.csv', 'corpus_summary.md', 'coverage.csv', 'coverage.md']
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse.errors import InputError

__all__ = ["FORMATS", "Report", "format_number", "table_to_csv", "table_to_markdown"]

#: Output formats :meth:`Report.save` can write, one file per table and format.
FORMATS = ("csv", "md", "tex", "parquet")
#: Rows of a table shown in ``report.md`` (the CSV always has all of them).
MARKDOWN_ROWS = 40

_P_COLUMN = re.compile(r"^(?:p|p_value|pvalue|p_.+|q_.+)$")


def table_to_csv(table: pd.DataFrame) -> bytes:
    """The CSV bytes kzdiscourse writes for a table (UTF-8, ``\\n`` line ends, no index).

    Floats are written with Python's shortest round-trip representation, so the bytes are
    the same on every run with the same numbers.
    """
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def format_number(value: Any, column: str = "") -> str:
    """Format one cell by the documented rounding rule (see the module docstring).

    Examples
    --------
    >>> format_number(0.123456), format_number(0.0000123, "p_value"), format_number(7)
    ('0.123', '1.23e-05', '7')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if _P_COLUMN.match(column):
            return f"{value:.2e}" if 0 < abs(value) < 1e-3 else f"{value:.3g}"
        return f"{value:.3f}"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return format_number(value.item(), column)
    return str(value)


def _cell(value: Any, column: str) -> str:
    return format_number(value, column).replace("\n", " ").replace("|", "\\|")


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_to_markdown(table: pd.DataFrame, max_rows: int | None = None) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned, rounded by the rule).

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_to_markdown(pd.DataFrame({"a": ["x"], "b": [0.12345]})))
    | a | b |
    |:--|--:|
    | x | 0.123 |
    """
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    align = ["--:" if _is_numeric(table[c]) else ":--" for c in table.columns]
    lines = [header, "|" + "|".join(align) + "|"]
    shown = table if max_rows is None else table.head(max_rows)
    columns = [str(c) for c in table.columns]
    for row in shown.itertuples(index=False):
        lines.append(
            "| " + " | ".join(_cell(v, c) for v, c in zip(row, columns, strict=True)) + " |"
        )
    return "\n".join(lines)


_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)


def table_to_latex(table: pd.DataFrame, caption: str, label: str) -> str:
    """A booktabs LaTeX table via pandas' Styler, numbers rounded by the rule.

    Cells are formatted and LaTeX-escaped first, then typeset; the document needs
    ``\\usepackage{booktabs}``.

    Examples
    --------
    >>> import pandas as pd
    >>> tex = table_to_latex(pd.DataFrame({"term": ["ЕС_2"], "share": [0.5]}), "Shares", "s")
    >>> "\\\\toprule" in tex and "ЕС\\\\_2" in tex and "0.500" in tex
    True
    """
    display = pd.DataFrame(
        {
            _latex_escape(str(c)): [_latex_escape(format_number(v, str(c))) for v in table[c]]
            for c in table.columns
        }
    )
    return display.style.hide(axis="index").to_latex(
        hrules=True,
        caption=_latex_escape(caption),
        label=f"tab:{label}",
        position="htbp",
        column_format="".join("r" if _is_numeric(table[c]) else "l" for c in table.columns),
    )


@dataclass
class Report:
    """Named tables from :func:`kzdiscourse.compare`, in a fixed order, with a manifest.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        The tables, in the order the measures produced them.
    descriptions : dict of str to str
        One line per table saying what it holds (used as captions).
    manifest : dict
        Versions, parameters and SHA-256 of every input text and resource file.
    summary_lines : list of str
        The main differences, each generated from a table (see :meth:`summary`).
    """

    tables: dict[str, pd.DataFrame]
    descriptions: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    summary_lines: list[str] = field(default_factory=list)

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

    @property
    def by(self) -> str | None:
        """The grouping column the report was made with."""
        return self.manifest.get("parameters", {}).get("by")

    def __repr__(self) -> str:
        lines = [f"Report({len(self.tables)} tables, by={self.by!r})"]
        for name, table in self.tables.items():
            lines.append(f"  {name}: {len(table)} rows — {self.descriptions.get(name, '')}")
        return "\n".join(lines)

    def summary(self) -> str:
        """A short text of the main findings, each line generated from a table.

        Examples
        --------
        >>> import kzdiscourse as kzd
        >>> print(kzd.compare(kzd.load_seeds()).summary().splitlines()[0])
        Compared 2 documents in 2 groups by 'outlet'.
        """
        return "\n".join(self.summary_lines)

    def _repr_html_(self) -> str:
        inputs = self.manifest.get("inputs", [])
        params = self.manifest.get("parameters", {})
        parts = [
            "<div><strong>kzdiscourse Report</strong> — "
            f"{len(inputs)} documents, by <code>{html.escape(str(self.by))}</code>, "
            f"seed {html.escape(str(params.get('seed')))}</div>"
        ]
        if self.summary_lines:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.summary_lines)
            parts.append(f"<ul>{items}</ul>")
        rows = "".join(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{len(table)}</td>"
            f"<td>{html.escape(self.descriptions.get(name, ''))}</td></tr>"
            for name, table in self.tables.items()
        )
        parts.append(
            "<table><thead><tr><th>table</th><th>rows</th><th>what it holds</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
        return "\n".join(parts)

    def table_hashes(self) -> dict[str, str]:
        """SHA-256 of each table's CSV bytes (as :meth:`save` writes them)."""
        return {
            name: hashlib.sha256(table_to_csv(t)).hexdigest() for name, t in self.tables.items()
        }

    def to_markdown(self) -> str:
        """The whole report as a short results section in Markdown (``report.md``)."""
        params = self.manifest.get("parameters", {})
        inputs = self.manifest.get("inputs", [])
        lines = [
            "# Results",
            "",
            f"{len(inputs)} documents compared by `{self.by}` with kzdiscourse "
            f"{self.manifest.get('kzdiscourse', '?')} (seed {params.get('seed')}, measures: "
            f"{', '.join(params.get('measures', []))}). Versions, parameters and SHA-256 of "
            "every input are in `manifest.json`.",
            "",
        ]
        if self.summary_lines:
            lines += ["## Summary", ""] + [f"- {s}" for s in self.summary_lines] + [""]
        for k, (name, table) in enumerate(self.tables.items(), start=1):
            lines += [f"## Table {k}. {name}", "", self.descriptions.get(name, ""), ""]
            lines.append(table_to_markdown(table, max_rows=MARKDOWN_ROWS))
            if len(table) > MARKDOWN_ROWS:
                lines.append(
                    f"\n*First {MARKDOWN_ROWS} of {len(table)} rows; all in `{name}.csv`.*"
                )
            lines.append("")
        return "\n".join(lines)

    def save(self, directory: str | Path, formats: Iterable[str] = FORMATS) -> list[Path]:
        """Write every table, ``report.md`` and the manifest to a folder.

        Parameters
        ----------
        directory : str or pathlib.Path
            Created if needed; files of the same names are overwritten.
        formats : iterable of str, default ("csv", "md", "tex", "parquet")
            Per table: ``csv`` (full precision), ``md`` (Markdown), ``tex`` (booktabs LaTeX),
            ``parquet`` (typed, full precision). Rounding as in the module docstring.

        Returns
        -------
        list of pathlib.Path
            The files written, ``report.md`` and ``manifest.json`` last.
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
            caption = self.descriptions.get(name, name)
            if "csv" in formats:
                written.append(_write(out / f"{name}.csv", table_to_csv(table)))
            if "md" in formats:
                text = f"# {name}\n\n{caption}\n\n{table_to_markdown(table)}\n"
                written.append(_write(out / f"{name}.md", text.encode("utf-8")))
            if "tex" in formats:
                text = table_to_latex(table, caption=caption, label=name) + "\n"
                written.append(_write(out / f"{name}.tex", text.encode("utf-8")))
            if "parquet" in formats:
                path = out / f"{name}.parquet"
                table.to_parquet(path, index=False)
                written.append(path)
        written.append(_write(out / "report.md", (self.to_markdown() + "\n").encode("utf-8")))
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
        text = json.dumps(_jsonable(manifest), indent=2, ensure_ascii=False, sort_keys=True)
        written.append(_write(out / "manifest.json", (text + "\n").encode("utf-8")))
        return written


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
