"""``report.md``: the Report as a short results section a paper can start from.

Four parts, in this order, and nothing else:

1. **Summary** — the sentences :meth:`Report.summary` returns, each generated from a table;
2. **Figures** — each figure with its number, title and caption;
3. **Key tables** — one per measure (its :class:`~kzdiscourse.measures.base.KeyTable`),
   trimmed to at most :data:`KEY_TABLE_ROWS` rows, each naming the full tables it comes
   from;
4. **All tables** — a link to every full table, one line per measure.

The full tables are never printed here: they are the CSV, Markdown, LaTeX and Parquet
files beside ``report.md``. The section stays under :data:`MAX_LINES` lines for the seeds
and for a corpus of ten groups (a test checks both).

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse.measures.base import KeyTable
>>> key = KeyTable("Size", pd.DataFrame({"": ["documents"], "A": ["1"]}), "Per group.",
...                ("corpus_summary",))
>>> text = results_markdown(
...     intro="1 document.", summary=["A: 1 document."], figures=[], key_tables=[key],
...     index={"summary": ["corpus_summary"]}, link_format="csv")
>>> print(text)  # doctest: +NORMALIZE_WHITESPACE
# Results
<BLANKLINE>
1 document.
<BLANKLINE>
## Summary
<BLANKLINE>
- A: 1 document.
<BLANKLINE>
## Key tables
<BLANKLINE>
**Table 1. Size.** Per group. Full table: [corpus_summary](corpus_summary.csv).
<BLANKLINE>
|  | A |
|:--|--:|
| documents | 1 |
<BLANKLINE>
## All tables
<BLANKLINE>
Every table in full, in this folder (csv, md, tex, parquet):
<BLANKLINE>
- summary: [corpus_summary](corpus_summary.csv)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from kzdiscourse.formatting import table_to_markdown

__all__ = ["KEY_TABLE_ROWS", "MAX_LINES", "FigureEntry", "results_markdown"]

#: The most rows a key table shows (the full table is in its own files).
KEY_TABLE_ROWS = 10
#: ``report.md`` is a short results section: at most this many lines.
MAX_LINES = 150


class FigureEntry(NamedTuple):
    """One figure of ``report.md``: file name, title, caption and image path."""

    name: str
    title: str
    caption: str
    path: str


def _link(name: str, link_format: str) -> str:
    return f"[{name}]({name}.{link_format})"


def _sources(names: Iterable[str], link_format: str) -> str:
    names = list(names)
    links = ", ".join(_link(n, link_format) for n in names)
    return f"Full table{'s' if len(names) > 1 else ''}: {links}."


def results_markdown(
    *,
    intro: str,
    summary: Sequence[str],
    figures: Sequence[FigureEntry],
    key_tables: Sequence[Any],
    index: Mapping[str, Sequence[str]],
    link_format: str = "md",
    formats: Sequence[str] = ("csv", "md", "tex", "parquet"),
) -> str:
    """The text of ``report.md`` (see the module docstring).

    Parameters
    ----------
    intro : str
        One paragraph: what was compared, with which version and seed.
    summary : sequence of str
        The summary sentences.
    figures : sequence of FigureEntry
        Figures in Report order.
    key_tables : sequence of KeyTable
        One per measure that has one, in Report order.
    index : mapping of str to sequence of str
        Measure name → its tables, for the links of the last part.
    link_format : {"md", "csv", "tex", "parquet"}
        Which file of each table the links point to.
    formats : sequence of str
        The formats every table was written in (named above the links).

    Returns
    -------
    str
    """
    lines = ["# Results", "", intro, ""]
    if summary:
        lines += ["## Summary", ""] + [f"- {s}" for s in summary] + [""]
    if figures:
        lines += ["## Figures", ""]
        for k, fig in enumerate(figures, start=1):
            lines += [
                f"![Figure {k}. {fig.title}]({fig.path})",
                f"*Figure {k}. {fig.title}.* {fig.caption} (`{fig.name}`)",
                "",
            ]
    if key_tables:
        lines += ["## Key tables", ""]
        for k, key in enumerate(key_tables, start=1):
            shown = key.table.head(KEY_TABLE_ROWS)
            more = ""
            if len(key.table) > KEY_TABLE_ROWS:
                more = f" First {KEY_TABLE_ROWS} of {len(key.table)} rows."
            lines += [
                f"**Table {k}. {key.title}.** {key.caption}{more} "
                f"{_sources(key.sources, link_format)}",
                "",
                table_to_markdown(shown, align="label"),
                "",
            ]
    if index:
        lines += [
            "## All tables",
            "",
            f"Every table in full, in this folder ({', '.join(formats)}):",
            "",
        ]
        for measure, names in index.items():
            lines.append(f"- {measure}: " + " · ".join(_link(n, link_format) for n in names))
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)
