"""compare(), the Report and the command line on the seeds and on bad input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from golden_diff import load_index

import kzdiscourse as kzd
from kzdiscourse import measures
from kzdiscourse.cli import main
from kzdiscourse.errors import ColumnError, InputError
from kzdiscourse.report import table_to_csv

from conftest import ROOT

ALL_TABLES = [table.name for m in measures.registered().values() for table in m.tables]


@pytest.fixture(scope="module")
def report(seed_report):
    return seed_report


def test_report_has_the_first_tables_in_order(report):
    assert list(report.tables)[:2] == ["corpus_summary", "coverage"]
    assert list(report.tables) == ALL_TABLES
    assert all(report.descriptions[name] for name in report.tables)
    assert report["coverage"] is report.tables["coverage"]
    with pytest.raises(KeyError, match="corpus_summary"):
        report["nope"]


def test_corpus_summary_counts_match_the_parsed_tables(report, parsed):
    table = report["corpus_summary"]
    docs = table[table["level"] == "document"].set_index("doc_id")
    words = parsed.tokens[~parsed.tokens["pos"].isin(["PUNCT", "SYM"])]
    for doc_id in parsed.doc_ids:
        mine = words[words["doc_id"] == doc_id]
        assert docs.loc[doc_id, "tokens"] == len(mine)
        assert docs.loc[doc_id, "types"] == mine["norm"].nunique()
        assert docs.loc[doc_id, "lemmas"] == mine["lemma"].nunique()
        assert docs.loc[doc_id, "sentences"] == (parsed.sentences["doc_id"] == doc_id).sum()
    assert docs.loc["ankasam_2025_08", "paragraphs"] == 18  # title + 3 lead + 14 body
    assert docs.loc["dzen_2025_12", "paragraphs"] == 10  # title + 9 body
    assert docs.loc["ankasam_2025_08", "references"] == 9
    assert docs.loc["dzen_2025_12", "references"] == 0
    groups = table[table["level"] == "group"].set_index("group")
    assert groups.index.tolist() == ["ANKASAM", "Dzen"]
    corpus_row = table[table["level"] == "corpus"].iloc[0]
    assert corpus_row["tokens"] == len(words)
    assert corpus_row["types"] == words["norm"].nunique()  # distinct over the corpus, not a sum


def test_coverage_accounts_for_every_character_of_every_document(report, seeds):
    cov = report["coverage"]
    assert sorted(cov["doc_id"].unique()) == seeds.doc_ids
    lengths = dict(zip(seeds.doc_ids, seeds.documents["text"].str.len(), strict=True))
    for doc_id, chars in cov.groupby("doc_id")["chars"].sum().items():
        assert chars == lengths[doc_id]
    kept = cov[cov["category"] == "kept"].set_index("doc_id")["chars"]
    assert kept["dzen_2025_12"] < lengths["dzen_2025_12"]


def test_manifest_records_inputs_resources_and_parameters(report, seeds):
    manifest = report.manifest

    assert manifest["parameters"] == {
        "by": "outlet",
        "seed": 0,
        "measures": measures.names(),
        "profile": "auto",
        "n_jobs": 1,
        "engine": "local",
        "input": {"kind": "parsed", "parts": 1},
        # what a measure chose for the run: the agency method is recorded, never guessed
        "measure_parameters": {
            "actors": {"agency_method": "syntax"},
            "topics": {"lda_fit_max_tokens": 100_000},  # above it, LDA fits on a sample
        },
    }
    hashes = {i["doc_id"]: i["sha256"] for i in manifest["inputs"]}
    for row in seeds.sources.itertuples():
        with open(row.source, "rb") as fh:
            assert hashes[row.doc_id] == hashlib.sha256(fh.read()).hexdigest()
    names = {r["name"] for r in manifest["resources"]}
    assert {"cleaning_profiles", "stopwords_ru", "lemma_overrides"} <= names
    assert manifest["kzdiscourse"] == kzd.__version__
    assert manifest["dependencies"]["pymorphy3"] != "not installed"


def test_save_writes_every_format_report_md_and_manifest_with_table_hashes(report, tmp_path):
    written = report.save(tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(
        [f"{name}.{ext}" for name in ALL_TABLES for ext in ("csv", "md", "tex", "parquet")]
        + [f"{name}.{ext}" for name in report.figures() for ext in ("png", "svg")]
        + ["report.md", "manifest.json"]
    )
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    for name in report.tables:
        data = (tmp_path / f"{name}.csv").read_bytes()
        assert manifest["tables"][name]["sha256_csv"] == hashlib.sha256(data).hexdigest()
        assert pd.read_csv(tmp_path / f"{name}.csv").shape == report[name].shape
    assert (tmp_path / "coverage.md").read_text(encoding="utf-8").startswith("# coverage")
    for name in report.tables:
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert table_to_csv(back) == table_to_csv(report[name])  # same table as the CSV
        tex = (tmp_path / f"{name}.tex").read_text(encoding="utf-8")
        assert "\\toprule" in tex and "\\bottomrule" in tex and f"tab:{name}" in tex
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for name in report.tables:  # report.md links every table; its own .md describes it
        assert f"[{name}]({name}.md)" in md
        assert report.descriptions[name] in (tmp_path / f"{name}.md").read_text("utf-8")


def test_summary_sentences_come_from_the_tables(report):
    lines = report.summary().splitlines()
    assert lines[0] == "Compared 2 documents in 2 groups by 'outlet'."
    summary = report["corpus_summary"].set_index(["level", "group"])
    tokens = summary.loc[("group", "Dzen"), "tokens"]
    assert any(line.startswith("Dzen:") and f"{tokens:,} word tokens" in line for line in lines)
    cov = report["coverage"]
    dzen = cov[cov["doc_id"] == "dzen_2025_12"]
    teaser_share = dzen.loc[dzen["category"] == "teaser", "chars"].sum() / dzen["chars"].sum()
    assert any(f"teaser {teaser_share:.1%}" in line for line in lines)
    html = report._repr_html_()
    assert "corpus_summary" in html and "<table>" in html


def test_save_rejects_unknown_formats(report, tmp_path):
    with pytest.raises(InputError, match="format"):
        report.save(tmp_path, formats=("xlsx",))


def test_unknown_grouping_column_fails_before_parsing(seeds):
    with pytest.raises(ColumnError, match="genre"):  # the message lists the valid columns
        kzd.compare(seeds, by="nope")


def test_missing_group_values_are_an_error_not_a_silent_drop():
    frame = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["Текст один.", "Текст два."], "outlet": ["X", None]}
    )
    with pytest.raises(InputError) as err:
        kzd.compare(kzd.Corpus.from_dataframe(frame), by="outlet")
    assert err.value.doc_ids == ["b"]


def test_measures_subset_and_unknown_measure(seeds):
    assert list(kzd.compare(seeds, measures=["coverage"]).tables) == ["coverage"]
    with pytest.raises(InputError, match="available"):
        kzd.compare(seeds, measures=["nope"])


# ----------------------------------------------------------------------------- CLI


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "kzdiscourse", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


@pytest.mark.slow
def test_two_cli_runs_write_byte_identical_tables(tmp_path, capsys):
    """The CLI in this process and in a fresh one with another hash seed: same bytes."""
    outs = [tmp_path / "run0", tmp_path / "run1"]
    assert main(["compare", "--out", str(outs[0]), "--seed", "0"]) == 0, capsys.readouterr().err
    hashseed = "54321" if os.environ.get("PYTHONHASHSEED") == "12345" else "12345"
    proc = run_cli(
        "compare",
        "--out",
        str(outs[1]),
        "--seed",
        "0",
        env={**os.environ, "PYTHONHASHSEED": hashseed},
    )
    assert proc.returncode == 0, proc.stderr
    files = sorted(str(p.relative_to(outs[0])) for p in outs[0].rglob("*") if p.is_file())
    assert "corpus_summary.csv" in files and "manifest.json" in files
    assert "figures/stance_shares.svg" in files
    for name in files:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    # the table hashes in the manifest are those of the files, and those of the golden tables
    hashes = [
        {
            name: entry["sha256_csv"]
            for name, entry in json.loads((out / "manifest.json").read_text("utf-8"))[
                "tables"
            ].items()
        }
        for out in outs
    ]
    assert hashes[0] == hashes[1]
    for name, digest in hashes[0].items():
        assert hashlib.sha256((outs[0] / f"{name}.csv").read_bytes()).hexdigest() == digest
    assert hashes[0] == load_index()  # the CLI on the raw seeds = tests/golden/


def test_two_saves_in_one_process_are_byte_identical(report, tmp_path):
    first = report.save(tmp_path / "a", formats=("csv", "md"))
    second = report.save(tmp_path / "b", formats=("csv", "md"))
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_cli_errors_say_what_to_do_and_exit_1(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "no such file or folder" in err and "What to do" in err
    assert main(["compare", "--by", "nope", "--out", str(tmp_path / "o")]) == 1
    assert "unknown grouping column 'nope'" in capsys.readouterr().err
    (tmp_path / "x.docx").write_text("x")
    assert main(["compare", str(tmp_path / "x.docx")]) == 1
    assert ".docx" in capsys.readouterr().err


def test_cli_usage_errors_exit_2(capsys):
    assert main([]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["compare", "--seed", "x"])
    assert exc.value.code == 2


def test_cli_compare_on_a_user_folder(tmp_path, capsys):
    src = tmp_path / "texts"
    src.mkdir()
    (src / "a.txt").write_text(
        "Казахстан сближается с ЕС.\n\nЭто прагматичный выбор.", encoding="utf-8"
    )
    (src / "b.txt").write_text(
        "Астана сохраняет баланс между Москвой и Брюсселем.", encoding="utf-8"
    )
    (src / "metadata.csv").write_text("doc_id,genre\na,column\nb,analytical\n", encoding="utf-8")
    assert main(["compare", str(src), "--by", "genre", "--out", str(tmp_path / "out")]) == 0
    summary = pd.read_csv(tmp_path / "out" / "corpus_summary.csv")
    assert sorted(summary.loc[summary["level"] == "group", "group"]) == ["analytical", "column"]
    assert f"{len(ALL_TABLES)} tables written" in capsys.readouterr().out


def styler_latex(table, caption, label):
    """The same table typeset by pandas' Styler, the oracle for the direct writer."""
    from kzdiscourse.formatting import format_number, is_numeric
    from kzdiscourse.report import _latex_escape

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
        column_format="".join("r" if is_numeric(table[c]) else "l" for c in table.columns),
    )


def test_latex_tables_are_those_pandas_styler_typesets(report):
    from kzdiscourse.report import table_to_latex

    for name, table in report.tables.items():
        caption = report.descriptions.get(name, name)
        assert table_to_latex(table, caption, name) == styler_latex(table, caption, name), name
    empty = report.tables["stance_tests"].iloc[:0]
    assert table_to_latex(empty, "none & 50%", "e") == styler_latex(empty, "none & 50%", "e")
