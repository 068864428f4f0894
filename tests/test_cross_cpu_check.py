"""benchmarks/cross_cpu_check.py runs a path in a fresh interpreter and compares its tables
byte for byte with a reference (the full matrix of forced CPU paths is run by hand: see
docs/reproducibility.md; here the machine's settings stay as they are)."""

from __future__ import annotations

import json
import sys

import pytest

import kzdiscourse as kzd
from kzdiscourse.report import table_to_csv

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

TEXTS = {
    "a": "Казахстан сближается с ЕС. Брюссель предлагает инвестиции и новые маршруты.",
    "b": "Астана сохраняет баланс между Москвой и Брюсселем. Это прагматичный выбор.",
    "c": "Россия остаётся главным партнёром. Сотрудничество с ЕС носит технический характер.",
}


@pytest.mark.slow
def test_one_path_on_a_small_corpus_matches_its_reference_and_a_changed_cell_is_counted(
    tmp_path, capsys
):
    import cross_cpu_check

    src = tmp_path / "texts"
    src.mkdir()
    for doc_id, text in TEXTS.items():
        (src / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (src / "metadata.csv").write_text("doc_id,outlet\na,X\nb,X\nc,Y\n", encoding="utf-8")
    measures = "stance,lexical"
    report = kzd.compare(kzd.Corpus.from_folder(src), by="outlet", measures=measures.split(","))
    ref = tmp_path / "ref"
    ref.mkdir()
    for name, table in report.tables.items():
        (ref / f"{name}.csv").write_bytes(table_to_csv(table))
    args = ["--paths", "native", "--input", str(src), "--measures", measures]
    args += ["--reference", str(ref), "--out", str(tmp_path / "out")]

    assert cross_cpu_check.main(args) == 0  # a fresh interpreter writes the same bytes
    printed = capsys.readouterr().out
    assert "native: numpy" in printed and "tables differing" in printed
    summary = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert summary["tables_differing"] == {"native": 0}
    assert set(summary["cells_differing"]) == set(report.tables)

    profile = (ref / "stance_rates.csv").read_text(encoding="utf-8").splitlines()
    cells = profile[1].split(",")
    cells[3] = "0.123"  # the value column of the first row
    profile[1] = ",".join(cells)
    (ref / "stance_rates.csv").write_text("\n".join(profile) + "\n", encoding="utf-8")
    assert cross_cpu_check.main([*args, "--no-run"]) == 1
    summary = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert summary["cells_differing"]["stance_rates"] == {"native": 1}
    assert summary["tables_differing"] == {"native": 1}


def test_forced_paths_disable_only_what_this_numpy_dispatches():
    import cross_cpu_check
    from numpy._core._multiarray_umath import __cpu_dispatch__

    sse = cross_cpu_check.path_env("numpy-sse4")["NPY_DISABLE_CPU_FEATURES"].split()
    avx2 = cross_cpu_check.path_env("numpy-avx2").get("NPY_DISABLE_CPU_FEATURES", "").split()
    assert set(avx2) <= set(sse) <= set(__cpu_dispatch__)
    assert not any("AVX2" in f or f == "X86_V3" for f in avx2)  # AVX2 itself stays on
    native = cross_cpu_check.path_env("native")
    assert "OPENBLAS_CORETYPE" not in native and "NPY_DISABLE_CPU_FEATURES" not in native
