"""Golden tables: the seed Report's numbers are pinned, and a change fails with a readable diff.

Re-bless after an intentional change (see tests/golden/README.md)::

    make bless        # = pytest tests/test_golden.py --bless
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from golden_diff import GOLDEN, MAX_LINES, bless, compare_to_golden, diff_csv, load_index

from kzdiscourse.measures import registered
from kzdiscourse.report import table_to_csv

ALL_TABLES = [table.name for measure in registered().values() for table in measure.tables]


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _golden_frame(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)


def test_seed_report_matches_the_golden_tables(seed_report, request):
    current = {name: table_to_csv(table) for name, table in seed_report.tables.items()}
    if request.config.getoption("--bless"):
        changed = bless(current)
        print(f"blessed {len(current)} tables; rewritten: {changed or 'none'}")
    diffs = compare_to_golden(current)
    if diffs:
        pytest.fail(
            "the seed Report differs from tests/golden/:\n"
            + "\n".join(diffs)
            + "\nIf the change is intended, re-bless with `make bless` and commit tests/golden/.",
            pytrace=False,
        )


def test_golden_index_covers_every_table_and_matches_the_manifest_hashes(seed_report):
    index = load_index()
    assert list(index) == ALL_TABLES
    assert seed_report.table_hashes() == index  # the hashes manifest.json records


def test_identical_bytes_give_no_diff():
    data = (GOLDEN / "frame_rates.csv").read_bytes()
    assert diff_csv("frame_rates", data, data) == []


def test_one_changed_number_is_named_by_row_key_column_and_values():
    frame = _golden_frame("frame_rates")
    row = frame.index[(frame["group"] == "Dzen") & (frame["category"] == "political")][0]
    old = frame.at[row, "per_1000"]
    frame.at[row, "per_1000"] = "99.5"
    lines = diff_csv("frame_rates", (GOLDEN / "frame_rates.csv").read_bytes(), _csv(frame))
    assert lines[0] == "table 'frame_rates': 1 cell(s) changed in 1 of 30 row(s)"
    assert lines[1] == f"  row {row} (group=Dzen, category=political): per_1000 {old} → 99.5"
    assert len(lines) == 2


def test_a_tiny_float_change_is_still_a_change():
    frame = _golden_frame("stance_rates")
    value = frame.at[0, "value"]
    frame.at[0, "value"] = repr(float(value) + 1e-12)
    lines = diff_csv("stance_rates", (GOLDEN / "stance_rates.csv").read_bytes(), _csv(frame))
    assert len(lines) == 2 and "value" in lines[1] and value in lines[1]


def test_many_changes_are_capped_and_counted():
    frame = _golden_frame("keyness_tests")
    frame["g2"] = "0"
    lines = diff_csv("keyness_tests", (GOLDEN / "keyness_tests.csv").read_bytes(), _csv(frame))
    assert len(lines) == MAX_LINES + 1  # head line + capped body
    assert lines[-1].startswith("  … and ") and "more line(s)" in lines[-1]
    changed = int((_golden_frame("keyness_tests")["g2"] != "0").sum())
    rows = len(frame)
    assert (
        lines[0]
        == f"table 'keyness_tests': {changed} cell(s) changed in {changed} of {rows} row(s)"
    )


def test_rows_and_columns_added_or_removed_are_listed():
    old = b"group,frame,hits\nA,x,1\nA,y,2\nB,x,3\n"
    new = b"group,frame,hits,per_1000\nA,x,1,0.5\nB,x,3,1.5\nB,z,4,2.0\n"
    lines = diff_csv("t", old, new)
    assert "  columns added: per_1000" in lines
    # same number of rows but different keys: positional cells differ, and keys are named
    assert any(line.startswith("  row 1") and "frame y → x" in line for line in lines)
    fewer = diff_csv("t", old, b"group,frame,hits\nA,x,1\nB,x,3\n")
    assert "  rows: 3 → 2" in fewer
    assert "  row removed: group=A, frame=y" in fewer


def test_compare_to_golden_flags_a_perturbed_report_and_passes_the_stored_one():
    stored = {name: (GOLDEN / f"{name}.csv").read_bytes() for name in load_index()}
    assert compare_to_golden(stored) == []
    table = pd.read_csv(io.BytesIO(stored["corpus_summary"]), dtype=str, keep_default_na=False)
    corpus_tokens = table.loc[table["level"] == "corpus", "tokens"].item()
    table.loc[table["level"] == "corpus", "tokens"] = "1"
    stored["corpus_summary"] = _csv(table)
    del stored["topic_quality"]
    diffs = compare_to_golden(stored)
    assert diffs[0] == "tables no longer produced: topic_quality"
    assert any(f"row 4 (level=corpus): tokens {corpus_tokens} → 1" in line for line in diffs)


def test_when_many_tables_differ_only_the_first_get_a_full_diff():
    stored = {name: (GOLDEN / f"{name}.csv").read_bytes() for name in load_index()}
    changed = {}
    for name, data in stored.items():
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        frame.iloc[0, -1] = "changed"
        changed[name] = _csv(frame)
    diffs = compare_to_golden(changed, max_tables=2)
    heads = [line for line in diffs if line.startswith("table ")]
    assert len(heads) == len(stored)  # every table is named
    assert len(diffs) == len(stored) + 2  # but only two get their row line


def test_a_table_that_becomes_empty_is_reported():
    old = "topic,term\n0,газ\n1,виза\n".encode()
    assert diff_csv("t", old, b"topic,term\n") == [
        "table 't' changed",
        "  rows: 2 → 0",
        "  row removed: topic=0, term=газ",
        "  row removed: topic=1, term=виза",
    ]
    assert diff_csv("t", old, b"\n")[1] == "  columns removed: topic, term"
