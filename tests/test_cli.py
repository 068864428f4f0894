"""The `kzdiscourse kwic` and `kzdiscourse stance` commands: output, errors and exit codes."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from kzdiscourse.cli import main
from kzdiscourse.kwic import kwic
from kzdiscourse.report import table_to_csv
from kzdiscourse.stance import STANCE_LABELS

from conftest import ROOT


def _stdout_table(capsys) -> tuple[pd.DataFrame, str]:
    captured = capsys.readouterr()
    return pd.read_csv(io.StringIO(captured.out)), captured.out


# ----------------------------------------------------------------------------- kwic


def test_kwic_on_the_seeds_matches_the_library_by_lemma(parsed, capsys):
    assert main(["kwic", "инструмент", "--window", "3", "--by", "outlet"]) == 0
    table, text = _stdout_table(capsys)
    expected = kwic(parsed, "инструмент", window=3, match="lemma", by="outlet")
    assert text.encode("utf-8") == table_to_csv(expected)
    assert len(table) >= 1
    tokens = parsed.tokens.set_index(["doc_id", "tok_id"])
    for row in table.itertuples():
        assert tokens.loc[(row.doc_id, row.tok_id), "lemma"] == "инструмент"
        assert row.group == "Dzen"  # the ANKASAM text never uses the word
        assert row.match == "lemma"
        assert len(row.left.split()) <= 3


def test_kwic_lemma_match_by_default_finds_inflected_forms_form_match_does_not(tmp_path, capsys):
    src = tmp_path / "texts"
    src.mkdir()
    (src / "a.txt").write_text(
        "Европа видит в Казахстане инструмент. Инструментом служит энергетика.", encoding="utf-8"
    )
    out = tmp_path / "kwic.csv"
    assert main(["kwic", "инструмент", str(src), "--out", str(out)]) == 0
    assert "2 rows written" in capsys.readouterr().err
    assert pd.read_csv(out)["keyword"].tolist() == ["инструмент", "Инструментом"]
    assert main(["kwic", "инструментом", str(src), "--match", "form"]) == 0
    table, _ = _stdout_table(capsys)
    assert table["keyword"].tolist() == ["Инструментом"]


def test_kwic_without_a_match_says_how_to_widen_the_search(capsys):
    assert main(["kwic", "жираф"]) == 0
    captured = capsys.readouterr()
    assert "no match for 'жираф'" in captured.err and "--match any" in captured.err
    assert captured.out.splitlines() == [
        "doc_id,group,par_id,sent_id,tok_id,left,keyword,right,match,pattern"
    ]


def test_kwic_bad_input_exits_1_and_says_what_to_do(tmp_path, capsys):
    assert main(["kwic", "ЕС", "--by", "nope"]) == 1
    assert "unknown grouping column 'nope'" in capsys.readouterr().err
    assert main(["kwic", "ЕС", str(tmp_path / "missing")]) == 1
    assert "What to do" in capsys.readouterr().err
    assert main(["kwic", "ЕС", "--window", "-1"]) == 1
    assert "--window" in capsys.readouterr().err
    assert main(["kwic", "ЕС", "--out", str(tmp_path / "no" / "such" / "x.csv")]) == 1
    assert "create it first" in capsys.readouterr().err


def test_kwic_usage_errors_exit_2():
    for argv in (["kwic"], ["kwic", "ЕС", "--window", "x"], ["kwic", "ЕС", "--match", "stem"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2


# ----------------------------------------------------------------------------- stance


@pytest.fixture()
def two_texts(tmp_path):
    a = tmp_path / "alpha.txt"
    b = tmp_path / "beta.txt"
    a.write_text(
        "Казахстан выбирает прагматичное сотрудничество с ЕС.\n\nЕвропа предлагает инвестиции.",
        encoding="utf-8",
    )
    b.write_text("Астана сохраняет баланс между Москвой и Брюсселем.", encoding="utf-8")
    return a, b


def test_stance_on_plain_text_files_one_row_per_sentence(two_texts, capsys):
    a, b = two_texts
    assert main(["stance", str(a), str(b)]) == 0
    table, _ = _stdout_table(capsys)
    # three sentences written above: two in alpha (two paragraphs), one in beta
    assert table[["doc_id", "par_id", "sent_id"]].values.tolist() == [
        ["alpha", 0, 0],
        ["alpha", 1, 1],
        ["beta", 0, 0],
    ]
    assert table["text"].tolist() == [
        "Казахстан выбирает прагматичное сотрудничество с ЕС.",
        "Европа предлагает инвестиции.",
        "Астана сохраняет баланс между Москвой и Брюсселем.",
    ]
    assert set(table["label"]) <= set(STANCE_LABELS)
    probs = table[[f"p_{label}" for label in STANCE_LABELS]]
    # each written with 8 significant digits (kzdiscourse.canonical): 4 × half a unit at most
    assert probs.sum(axis=1).sub(1).abs().le(2e-8).all()
    picked = probs.to_numpy().argmax(axis=1)
    assert [STANCE_LABELS[i] for i in picked] == table["label"].tolist()
    assert set(table["method"]) == {"model"}
    # «баланс между Москвой и Брюсселем» is the codebook's balance stance
    assert table.loc[2, "label"] == "balance"


def test_stance_classifier_method_and_out_file(two_texts, tmp_path, capsys):
    a, b = two_texts
    out = tmp_path / "stance.csv"
    assert main(["stance", str(a), str(b), "--method", "classifier", "--out", str(out)]) == 0
    assert "3 rows written" in capsys.readouterr().err
    table = pd.read_csv(out)
    assert len(table) == 3 and table["method"].str.contains("classifier").all()


def test_stance_on_a_corpus_input(tmp_path, capsys):
    frame = pd.DataFrame(
        {"doc_id": ["x", "y"], "text": ["ЕС важный партнер.", "Россия и Китай рядом. Да."]}
    )
    path = tmp_path / "corpus.csv"
    frame.to_csv(path, index=False)
    assert main(["stance", str(path)]) == 0
    table, _ = _stdout_table(capsys)
    assert table["doc_id"].tolist() == ["x", "y", "y"]


def test_stance_bad_input_exits_1(two_texts, tmp_path, capsys):
    a, _ = two_texts
    assert main(["stance", str(tmp_path / "missing.txt")]) == 1
    assert "no such file" in capsys.readouterr().err
    other = tmp_path / "sub"
    other.mkdir()
    (other / "alpha.txt").write_text("Другой текст о ЕС.", encoding="utf-8")
    assert main(["stance", str(a), str(other / "alpha.txt")]) == 1
    assert "same name" in capsys.readouterr().err
    latin1 = tmp_path / "cp1251.txt"
    latin1.write_bytes("Казахстан и ЕС.".encode("cp1251"))
    assert main(["stance", str(latin1)]) == 1
    assert "UTF-8" in capsys.readouterr().err


@pytest.mark.slow
def test_exit_codes_seen_by_a_shell_script(two_texts):
    a, _ = two_texts

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "kzdiscourse", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        ).returncode

    assert run("stance", str(a)) == 0
    assert run("stance", str(a) + ".missing") == 1
    assert run("stance", str(a), "--method", "magic") == 2


def test_compare_formats_picks_the_files_written(tmp_path, capsys):
    out = tmp_path / "res"
    args = ["compare", "--measures", "summary,stance", "--out", str(out)]
    assert main([*args, "--formats", "csv"]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert "figures" not in written  # png and svg left out: no figures
    # the tables as CSV, plus report.md and manifest.json, which are always written
    assert {p for p in written if not p.endswith(".csv")} == {"report.md", "manifest.json"}
    assert "stance_rates.csv" in written
    assert main([*args, "--formats", "csv,png"]) == 0
    assert (out / "figures" / "stance_shares.png").exists()
    assert not list((out / "figures").glob("*.svg"))


def test_compare_unknown_format_exits_1_before_any_work(tmp_path, capsys):
    assert main(["compare", "--formats", "csv,xlsx", "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "xlsx" in err and "csv, md, tex, parquet, png, svg" in err
    assert not (tmp_path / "r").exists()
