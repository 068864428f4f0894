"""Faults met on the command line: every message in its own words, exit codes 1 and 2,
the output folder checked before any work, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kzdiscourse import report as report_module

from faultlib import RU, RU_2, RU_LONG, python_parameters, run_cli, write_folder

FAST = ["--measures", "summary", "--formats", "csv"]


def test_cli_hint_names_the_id_column_option(tmp_path, capsys):
    data = tmp_path / "docs.csv"
    data.write_text(f'id;outlet;text\na;X;"{RU.strip()}"\nb;Y;"{RU_2.strip()}"\n', "utf-8")
    code, _, err = run_cli(["compare", str(data), "--out", str(tmp_path / "r"), *FAST], capsys)
    assert code == 1 and "--id-col" in err and python_parameters(err) == []
    args = ["compare", str(data), "--id-col", "id", "--out", str(tmp_path / "r"), *FAST]
    assert run_cli(args, capsys)[0] == 0


def test_cli_hint_names_the_cyrillic_share_option(tmp_path, capsys):
    english = "Only English text, nothing else here."
    folder = write_folder(tmp_path, {"en.txt": english, "a.txt": RU})
    out = str(tmp_path / "r")
    code, _, err = run_cli(["compare", str(folder), "--by", "doc_id", "--out", out, *FAST], capsys)
    assert code == 1 and "--min-cyrillic-share" in err and python_parameters(err) == []
    args = ["compare", str(folder), "--by", "doc_id", "--min-cyrillic-share", "none"]
    assert run_cli([*args, "--out", out, *FAST], capsys)[0] == 0


def test_cli_hint_names_the_encoding_option(tmp_path, capsys):
    folder = write_folder(tmp_path, {"a.txt": RU_LONG.encode("koi8-r")})
    code, _, err = run_cli(["stance", str(folder)], capsys)
    assert code == 1 and "--encoding koi8-r" in err and python_parameters(err) == []
    code, out, _ = run_cli(["stance", str(folder), "--encoding", "koi8-r"], capsys)
    assert code == 0 and "Казахстан" in out


def test_cli_output_folder_checked_before_any_work(tmp_path, capsys):
    (tmp_path / "r").write_text("a file")
    missing = tmp_path / "no-such-input"
    code, _, err = run_cli(["compare", str(missing), "--out", str(tmp_path / "r")], capsys)
    # the output folder is refused first: the run would have been lost at the end
    assert code == 1 and "is a file" in err and "no such file" not in err


def test_cli_prints_clean_paths(tmp_path, capsys):
    out = str(tmp_path / "r") + "/"
    folder = write_folder(tmp_path, {"a.txt": RU, "b.txt": RU_2})
    args = ["compare", str(folder), "--by", "doc_id", "--out", out, *FAST]
    code, stdout, _ = run_cli(args, capsys)
    assert code == 0 and "//" not in stdout and f"{tmp_path / 'r'}/" in stdout
    assert f"report: {tmp_path / 'r' / 'report.md'}" in stdout


@pytest.mark.parametrize(
    ("fault", "option", "value"),
    [
        ("cli_seed_negative", "--seed", "-1"),
        ("cli_seed_not_an_integer", "--seed", "1.5"),
        ("cli_n_jobs_zero", "--n-jobs", "0"),
        ("cli_unknown_profile", "--profile", "tass"),
        ("cli_cyrillic_share_out_of_range", "--min-cyrillic-share", "2"),
    ],
)
def test_cli_bad_option_value(tmp_path, capsys, fault, option, value):
    code, _, err = run_cli(["compare", "--out", str(tmp_path / "r"), f"{option}={value}"], capsys)
    assert code == 2 and option in err and python_parameters(err) == []


def test_cli_unknown_option(capsys):
    code, _, err = run_cli(["compare", "--id_col", "x"], capsys)
    assert code == 2 and "unrecognized arguments" in err


def test_cli_folder_with_semicolon_metadata(tmp_path, capsys):
    folder = write_folder(
        tmp_path, {"a.txt": RU, "b.txt": RU_2, "metadata.csv": "doc_id;outlet\na;X\nb;Y\n"}
    )
    code, out, _ = run_cli(["compare", str(folder), "--out", str(tmp_path / "r"), *FAST], capsys)
    assert code == 0 and "by 'outlet'" in out


def test_cli_skipped_files_warned_on_one_line(tmp_path, capsys):
    folder = write_folder(tmp_path, {"a.txt": RU, "b.txt": RU_2, "c.pdf": b"%PDF-1.4"})
    args = ["compare", str(folder), "--by", "doc_id", "--out", str(tmp_path / "r"), *FAST]
    code, _, err = run_cli(args, capsys)
    warning = [line for line in err.splitlines() if "SkippedFileWarning" in line]
    assert code == 0 and len(warning) == 1 and "c.pdf (other_format)" in warning[0]
    assert warning[0].startswith("kzdiscourse: warning")


def test_cli_disk_error_while_saving(tmp_path, capsys, monkeypatch):
    def full(path: Path, data: bytes) -> Path:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(report_module, "_write", full)
    folder = write_folder(tmp_path, {"a.txt": RU, "b.txt": RU_2})
    args = ["compare", str(folder), "--by", "doc_id", "--out", str(tmp_path / "r"), *FAST]
    code, _, err = run_cli(args, capsys)
    assert code == 1 and "No space left on device" in err and "What to do:" in err


def test_cli_parse_cache_option(tmp_path, capsys):
    folder = write_folder(tmp_path, {"a.txt": RU, "b.txt": RU_2})
    cache = tmp_path / "cache"
    args = ["kwic", "Казахстан", str(folder), "--cache", str(cache)]
    first = run_cli(args, capsys)
    second = run_cli(args, capsys)
    assert first[0] == second[0] == 0 and first[1] == second[1]
    assert run_cli(["cache", "verify", str(cache)], capsys)[1].startswith("1 entry ok")
    assert os.path.isfile(cache / "CACHEDIR.TAG")
