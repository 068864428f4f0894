"""The Report: named tables in a fixed order, with a summary and a provenance manifest.

Number formatting. Every float is first put in the canonical form of
:mod:`kzdiscourse.canonical` (8 significant digits, counts exact), the same on every
machine; CSV writes that form, and the manifest's table hashes are of those CSV bytes.
Markdown, LaTeX and the HTML overview then round for readers: integers as they are;
p-values (columns named ``p``, ``p_value`` or starting with ``p_``/``q_``) to three
significant digits, in scientific notation below 0.001; every other float to three
decimals; missing values blank. Parquet keeps the full precision of the computation.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse.canonical import canonical_table
from kzdiscourse.errors import InputError, KzDiscourseError, OutputPathError
from kzdiscourse.formatting import format_number, is_numeric, table_to_markdown
from kzdiscourse.output_folder import OutputFolder, check_output_folder

__all__ = [
    "FIGURE_FORMATS",
    "FORMATS",
    "Report",
    "format_number",
    "table_to_csv",
    "table_to_markdown",
]

#: Output formats :meth:`Report.save` can write, one file per table and format.
FORMATS = ("csv", "md", "tex", "parquet")
#: Figure formats :meth:`Report.save` can write, one file per figure, in ``figures/``.
FIGURE_FORMATS = ("png", "svg")
#: Figure thumbnails in the notebook overview: resolution and width on screen.
_THUMB_DPI, _THUMB_WIDTH = 50, 260


def table_to_csv(table: pd.DataFrame) -> bytes:
    """The CSV bytes kzdiscourse writes for a table (UTF-8, ``\\n`` line ends, no index).

    Floats are written in canonical form (:mod:`kzdiscourse.canonical`: 8 significant
    digits, counts exact, in Python's shortest representation of that value), so the bytes
    are the same on every run and every machine with the same input and seed.

    Examples
    --------
    >>> import pandas as pd
    >>> table_to_csv(pd.DataFrame({"group": ["A"], "share": [0.22261187967223123]}))
    b'group,share\\nA,0.22261188\\n'
    """
    return canonical_table(table).to_csv(index=False, lineterminator="\n").encode("utf-8")


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
    """A booktabs LaTeX table, numbers rounded by the rule.

    Cells are formatted and LaTeX-escaped first, then typeset one row per line (the
    layout of pandas' ``Styler.to_latex(hrules=True)``, written directly: the Styler
    spends seconds on a table of a few thousand rows); the document needs
    ``\\usepackage{booktabs}``.

    Examples
    --------
    >>> import pandas as pd
    >>> tex = table_to_latex(pd.DataFrame({"term": ["ЕС_2"], "share": [0.5]}), "Shares", "s")
    >>> print(tex)
    \\begin{table}[htbp]
    \\caption{Shares}
    \\label{tab:s}
    \\begin{tabular}{lr}
    \\toprule
    term & share \\\\
    \\midrule
    ЕС\\_2 & 0.500 \\\\
    \\bottomrule
    \\end{tabular}
    \\end{table}
    <BLANKLINE>
    """
    columns = [str(c) for c in table.columns]
    cells = [
        [_latex_escape(format_number(v, name)) for v in table[c]]
        for c, name in zip(table.columns, columns, strict=True)
    ]
    column_format = "".join("r" if is_numeric(table[c]) else "l" for c in table.columns)
    lines = [
        "\\begin{table}[htbp]",
        f"\\caption{{{_latex_escape(caption)}}}",
        f"\\label{{tab:{label}}}",
        f"\\begin{{tabular}}{{{column_format}}}",
        "\\toprule",
        " & ".join(_latex_escape(name) for name in columns) + " \\\\",
        "\\midrule",
    ]
    lines += [" & ".join(row) + " \\\\" for row in zip(*cells, strict=True)]
    lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}", ""]
    return "\n".join(lines)


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
    figure_specs : dict of str to FigureSpec, optional
        The figures of the measures that made the tables (see :meth:`figures`); by
        default those of every registered measure.
    key_tables : list of KeyTable
        One per measure that has one: the tables ``report.md`` shows, trimmed.
    table_measures : dict of str to str
        Table name → the measure that made it (groups the links of ``report.md``).
    """

    tables: dict[str, pd.DataFrame]
    descriptions: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    summary_lines: list[str] = field(default_factory=list)
    figure_specs: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    key_tables: list[Any] = field(default_factory=list, repr=False, compare=False)
    table_measures: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        from kzdiscourse.measures import legacy

        if name not in self.tables and legacy.TABLES.get(name) in self.tables:
            from kzdiscourse._deprecation import warn_deprecated

            new = legacy.TABLES[name]
            warn_deprecated(f"table {name!r}", legacy.SINCE, replacement=f"table {new!r}")
            return legacy.legacy_table(new, self.tables[new])
        try:
            return legacy.with_aliases(name, self.tables[name])
        except KeyError:
            raise KeyError(
                f"no table {name!r} in this report; tables: {', '.join(self.tables)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        from kzdiscourse.measures.legacy import TABLES

        return name in self.tables or TABLES.get(str(name)) in self.tables

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
        parts.append(self._thumbnails())
        parts.append(
            "<table><thead><tr><th>table</th><th>rows</th><th>what it holds</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
        return "\n".join(p for p in parts if p)

    def _specs(self) -> dict[str, Any]:
        if self.figure_specs is not None:
            return self.figure_specs
        from kzdiscourse.measures.registry import REGISTRY

        return REGISTRY.figures()

    def figures(self) -> dict[str, str]:
        """The figures this report can draw (name → caption), see :mod:`kzdiscourse.plots`.

        The figures are those of the measures that made the report; one is available when
        the report holds every table it is drawn from and there is something to draw (no
        topic figure when no topic model was fitted).

        Examples
        --------
        >>> import kzdiscourse as kzd
        >>> list(kzd.compare(kzd.load_seeds(), measures=["stance", "frames"]).figures())
        ['stance_shares', 'frame_rates']
        """
        return {
            name: spec.caption_for(self.tables)
            for name, spec in self._specs().items()
            if spec.can_draw(self.tables)
        }

    def plot(self, name: str, ax: Any = None) -> Any:
        """Draw one of :meth:`figures` (group colours shared by all figures); returns the Axes."""
        from kzdiscourse.plots.registry import draw

        return draw(name, self.tables, by=self.by, ax=ax, specs=self._specs())

    def _thumbnails(self) -> str:
        import base64

        from kzdiscourse.plots.registry import figure_bytes

        images = []
        specs = self._specs()
        for name, caption in self.figures().items():
            if not specs[name].headline:
                continue
            png = figure_bytes(name, self.tables, "png", by=self.by, dpi=_THUMB_DPI, specs=specs)
            data = base64.b64encode(png).decode("ascii")
            images.append(
                f'<img src="data:image/png;base64,{data}" width="{_THUMB_WIDTH}" '
                f'alt="{html.escape(name)}" title="{html.escape(caption)}" '
                'style="margin-right:6px"/>'
            )
        return f"<div>{''.join(images)}</div>" if images else ""

    def table_hashes(self) -> dict[str, str]:
        """SHA-256 of each table's CSV bytes (as :meth:`save` writes them)."""
        return {
            name: hashlib.sha256(table_to_csv(t)).hexdigest() for name, t in self.tables.items()
        }

    def to_markdown(
        self,
        figures: Mapping[str, str] | None = None,
        *,
        link_format: str = "csv",
        formats: Iterable[str] = FORMATS,
    ) -> str:
        """The report as a short results section in Markdown (``report.md``).

        The summary, the figures with their captions, one key table per measure (trimmed
        to what matters) and a link to every full table; at most
        :data:`kzdiscourse.results_section.MAX_LINES` lines (see
        :mod:`kzdiscourse.results_section`).

        Parameters
        ----------
        figures : mapping of str to str, optional
            Figure name → image path relative to ``report.md`` (as :meth:`save` writes
            them); each becomes a numbered figure with its caption, after the summary.
        link_format : str, default "csv"
            The file of each table the links point to (:meth:`save` links the Markdown
            tables when it writes them).
        formats : iterable of str
            The formats the tables are written in, named above the links.
        """
        from kzdiscourse.results_section import FigureEntry, results_markdown

        params = self.manifest.get("parameters", {})
        inputs = self.manifest.get("inputs", [])
        groups = self.tables.get("corpus_summary")
        n_groups = (
            f" in {int((groups['level'] == 'group').sum())} groups"
            if groups is not None and "level" in groups
            else ""
        )
        intro = (
            f"{len(inputs)} documents{n_groups} compared by `{self.by}` with kzdiscourse "
            f"{self.manifest.get('kzdiscourse', '?')} (seed {params.get('seed')}). Every "
            "number below comes from a table in this folder; versions, parameters and the "
            "SHA-256 of every input are in `manifest.json`."
        )
        entries = []
        if figures:
            specs = self._specs()
            captions = self.figures()
            entries = [
                FigureEntry(name, specs[name].title, captions[name], path)
                for name, path in figures.items()
            ]
        index: dict[str, list[str]] = {}
        for name in self.tables:
            index.setdefault(self.table_measures.get(name, "tables"), []).append(name)
        return results_markdown(
            intro=intro,
            summary=self.summary_lines,
            figures=entries,
            key_tables=self.key_tables,
            index=index,
            link_format=link_format,
            formats=[f for f in formats if f in FORMATS],
        )

    def save(
        self, directory: str | Path, formats: Iterable[str] = (*FORMATS, *FIGURE_FORMATS)
    ) -> list[Path]:
        """Write every table, every figure, ``report.md`` and the manifest to a folder.

        Parameters
        ----------
        directory : str or pathlib.Path
            Created if needed; files of the same names are overwritten. Checked before
            anything is written (:mod:`kzdiscourse.output_folder`); files an earlier save
            into it wrote and this one does not are removed (only those).
        formats : iterable of str, default ("csv", "md", "tex", "parquet", "png", "svg")
            Per table: ``csv`` (canonical floats: 8 significant digits), ``md`` (Markdown),
            ``tex`` (booktabs LaTeX), ``parquet`` (typed, full precision). Rounding as in the
            module docstring.
            Per figure of :meth:`figures`, into ``figures/``: ``png`` (150 dpi) and ``svg``
            (byte-identical on every save in the same environment). Leave both out to write
            no figures (and skip matplotlib). ``report.md`` shows the PNGs (or the SVGs
            when only those are written); ``manifest.json`` lists the figure files under
            ``figures``, apart from the table hashes.

        Returns
        -------
        list of pathlib.Path
            The files written, ``report.md`` and ``manifest.json`` last.
        """
        formats = tuple(formats)
        bad = [f for f in formats if f not in (*FORMATS, *FIGURE_FORMATS)]
        if bad:
            raise InputError(
                f"unknown output format(s) {bad}",
                hint=f"use any of: {', '.join((*FORMATS, *FIGURE_FORMATS))}",
            )
        folder = check_output_folder(directory)  # before any work
        out = folder.create()
        try:
            return self._write_files(folder, out, formats)
        except KzDiscourseError:
            raise
        except OSError as exc:  # a full disk, a quota, a folder removed under us
            raise OutputPathError(
                f"could not write the report: {exc.strerror or exc}",
                source=str(exc.filename or out),
                hint="free space on that disk or choose another folder, then save again "
                "(the manifest is written last, so it never lists a half-written save)",
            ) from exc

    def _write_files(self, folder: OutputFolder, out: Path, formats: tuple[str, ...]) -> list[Path]:
        """Write tables, figures, report.md and the manifest (last) into ``out``."""
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
        figure_files = self._save_figures(out, [f for f in FIGURE_FORMATS if f in formats])
        written += [out / path for paths in figure_files.values() for path in paths]
        shown = {name: paths[0] for name, paths in figure_files.items()}
        table_formats = [f for f in FORMATS if f in formats]
        link = "md" if "md" in table_formats else (table_formats or ["csv"])[0]
        markdown = self.to_markdown(figures=shown, link_format=link, formats=table_formats)
        markdown += "\n"
        written.append(_write(out / "report.md", markdown.encode("utf-8")))
        manifest = dict(self.manifest)
        if figure_files:
            # apart from the table hashes: figure bytes are stable from save to save, but
            # depend on the matplotlib and font versions
            manifest["figures"] = {
                name: {
                    "caption": caption,
                    "files": {
                        path: hashlib.sha256((out / path).read_bytes()).hexdigest()
                        for path in figure_files[name]
                    },
                }
                for name, caption in self.figures().items()
            }
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
        manifest["files"] = folder.relative(written)  # what a later save may remove
        text = json.dumps(_jsonable(manifest), indent=2, ensure_ascii=False, sort_keys=True)
        written.append(_write(out / "manifest.json", (text + "\n").encode("utf-8")))
        folder.remove_stale(written)  # files of an earlier save into this folder, only those
        return written

    def _save_figures(self, out: Path, formats: list[str]) -> dict[str, list[str]]:
        """Write each figure in each format to ``out/figures``; name → relative paths."""
        if not formats:
            return {}
        from kzdiscourse.plots.registry import figure_bytes

        files: dict[str, list[str]] = {}
        for name in self.figures():
            for fmt in formats:
                path = f"figures/{name}.{fmt}"
                (out / "figures").mkdir(exist_ok=True)
                data = figure_bytes(name, self.tables, fmt, by=self.by, specs=self._specs())
                _write(out / path, data)
                files.setdefault(name, []).append(path)
        return files


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
