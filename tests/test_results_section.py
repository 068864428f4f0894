"""report.md is a short results section: summary, figures, one key table per measure and
a link to every full table, under 150 lines for the seeds and for ten groups."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.results_section import KEY_TABLE_ROWS, MAX_LINES

LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def ten_groups(parsed):
    """The seeds' 28 paragraphs as 28 documents in 10 groups (G0 … G9, round robin)."""
    pars = parsed.paragraphs.sort_values(["doc_id", "par_id"]).reset_index(drop=True)
    docs = pd.DataFrame(
        {
            "doc_id": [f"p{i:02d}" for i in range(len(pars))],
            "text": pars["text"].tolist(),
            "group": [f"G{i % 10}" for i in range(len(pars))],
        }
    )
    return kzd.compare(kzd.Corpus.from_dataframe(docs), by="group")


def _saved(report, path):
    report.save(path, formats=("csv", "md", "png"))
    return (path / "report.md").read_text(encoding="utf-8")


def _check(report, path) -> list[str]:
    text = _saved(report, path)
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES, f"report.md has {len(lines)} lines"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## Summary", "## Figures", "## Key tables", "## All tables"]
    # every summary sentence, in order
    start = lines.index("## Summary") + 2
    assert lines[start : start + len(report.summary_lines)] == [
        f"- {s}" for s in report.summary_lines
    ]
    # every figure is shown with its caption; every full table is linked, and every link
    # points to a file that was written
    for name, caption in report.figures().items():
        assert f"(figures/{name}.png)" in text and caption in text
    links = LINK.findall(text)
    for name in report.tables:
        assert f"{name}.md" in links
    for target in links:
        assert (path / target).is_file(), target
    # no full table is printed: key tables are short, and the widest table's header is absent
    rows = [line for line in lines if line.startswith("| ")]
    assert not any(line.startswith("| group | reference | unit | term |") for line in rows)
    for key in report.key_tables:
        assert len(key.table) <= KEY_TABLE_ROWS + 1  # + a total row, e.g. stance's sentences
    return lines


def test_seed_report_md_is_a_short_results_section(seed_report, tmp_path):
    lines = _check(seed_report, tmp_path)
    titles = [line for line in lines if line.startswith("**Table ")]
    assert [t.split(".** ")[0] for t in titles] == [
        "**Table 1. Corpus size by group",
        "**Table 2. Stance by group",
        "**Table 3. Frames by group",
        "**Table 4. Metadiscourse by group",
        "**Table 5. Actor agency by group",
        "**Table 6. Key words by group",
        "**Table 7. Lexical profile by group",
        "**Table 8. Topic prevalence by group",
    ]


def test_ten_group_report_md_stays_short(ten_groups, tmp_path):
    assert ten_groups["corpus_summary"].query("level == 'group'").shape[0] == 10
    lines = _check(ten_groups, tmp_path)
    summary = ten_groups.summary_lines
    # one sentence per measure for ten groups, not one per group
    assert not any(line.startswith(("G0:", "G1:", "Topics: G0")) for line in summary)
    assert any(line.startswith("Stance (model): from ") for line in summary)
    assert any(line.startswith("Keyness vs the rest: ") for line in summary)
    assert len(summary) <= 20
    # groups run across the key tables: ten group columns, not ten times the rows
    stance = next(k for k in ten_groups.key_tables if k.title == "Stance by group")
    assert [c for c in stance.table.columns if c.startswith("G")] == [f"G{i}" for i in range(10)]
    assert len(lines) <= MAX_LINES
