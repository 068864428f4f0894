"""The import-time benchmark runs, measures both imports in the same processes, and sees
inside the kzdiscourse import (no timing is asserted: the machine is shared)."""

from __future__ import annotations

import json
import statistics
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_import_benchmark_reports_medians_ratio_and_the_modules_it_loaded(tmp_path):
    import bench_import

    out = tmp_path / "import.json"
    result = bench_import.main(["--repeat", "3", "--compare-repeat", "1", "--out", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(result))
    runs = result["runs"]
    assert len(runs) == 3
    assert result["median_import_kzdiscourse_on_top_s"] == statistics.median(
        r["kzdiscourse_s"] for r in runs
    )
    assert result["median_ratio_kzdiscourse_to_pandas"] == statistics.median(
        r["kzdiscourse_s"] / r["pandas_s"] for r in runs
    )
    assert all(r["pandas_s"] > 0 and r["kzdiscourse_s"] > 0 for r in runs)
    assert result["heavy_modules_loaded"] == []  # gensim, sklearn, … stay lazy
    modules = [row["module"] for row in result["top_modules_self_time"]]
    assert any(m.startswith("kzdiscourse") for m in modules)  # only what kzdiscourse imports
    assert not any(m.startswith("pandas") for m in modules)
    # the cold-start part: one fresh process, first and second compare() timed
    first = result["first_compare"]
    (run,) = first["runs"]
    assert first["median_first_s"] == run["first_s"] > 0
    assert first["median_second_s"] == run["second_s"] > 0
    assert first["median_first_minus_second_s"] == run["first_s"] - run["second_s"]
    assert run["first_cpu_s"] > 0 and first["target_first_s"] == 8.0
