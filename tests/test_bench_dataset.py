"""The dataset benchmark runs end to end on a tiny corpus and reports what it promises.

Times and memory are not asserted at this size (start-up dominates); the tables of the
dataset run must be those of the in-memory run, as compare() promises.
`benchmarks/bench_dataset.py` at its default size measures the ratios.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_dataset_benchmark_runs_and_the_dataset_gives_the_in_memory_tables(tmp_path):
    import bench_dataset

    out = tmp_path / "d.json"
    args = ["--tokens", "3000", "--documents", "8", "--groups", "2", "--parts", "3"]
    args += ["--measures", "summary,coverage,frames"]  # cheap to start: no model, no wordfreq
    result = bench_dataset.main([*args, "--no-warmup", "--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(result))
    assert result["corpus"]["parts"] == 3
    assert set(result["runs"]) == {"memory", "dataset"}
    assert result["identical_tables"] == {"memory": True, "dataset": True}
    assert result["tables"] == 5 and result["measures"] == ["summary", "coverage", "frames"]
    for run in result["runs"].values():
        assert run["seconds"] > 0 and run["cpu_seconds"] > 0
        assert run["peak_rss_mb"] >= run["peak_rss_before_mb"] > 0
    assert result["ratios_to_memory"]["dataset"]["cpu"] > 0
