"""The memory benchmark runs end to end on a tiny corpus and reports what it promises.

Memory itself is not asserted at this size (the interpreter and the dictionary dominate);
`benchmarks/bench_memory.py` at its default size measures the bound.
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_memory_benchmark_runs_and_both_modes_parse_the_same_corpus(tmp_path):
    import bench_memory

    out = tmp_path / "m.json"
    args = ["--tokens", "3000", "--doc-tokens", "500", "--chunksize", "2", "--scales", "1", "2"]
    args += ["--cache-runs", "1"]
    result = bench_memory.main([*args, "--out", str(out)])
    assert json.loads(out.read_text()) == result
    for mode in ("stream", "eager"):
        assert set(result[mode]) == {"1x", "2x"}
        one, two = result[mode]["1x"], result[mode]["2x"]
        n_docs = result["corpus"]["documents"]
        assert (one["documents"], two["documents"]) == (max(1, round(n_docs / 2)), n_docs)
        assert two["tokens"] > one["tokens"] >= 3000 / 2
        assert two["peak_mib"] >= two["baseline_mib"] > 0
        assert one["peak_vs_1x"] == 1.0
    # the streamed dataset holds exactly the tokens of the in-memory parse
    for scale in ("1x", "2x"):
        assert result["stream"][scale]["tokens"] == result["eager"][scale]["tokens"]
        assert result["stream"][scale]["documents"] == result["eager"][scale]["documents"]
    assert set(result["ratios"]) == {
        "stream_peak_2x_vs_1x",
        "eager_peak_2x_vs_1x",
        "eager_vs_stream_peak_at_2x",
    }
    cache = result["parse_cache_at_1x"]
    assert cache["documents"] == result["stream"]["1x"]["documents"]
    assert cache["parse_vs_cached"] > 0 and cache["runs"] == 1
    assert cache["tokens"] == result["eager"]["1x"]["tokens"]
    assert result["stream"]["2x"]["cached_forms"] >= result["stream"]["1x"]["cached_forms"] > 0
    assert result["bound"]["holds"] == (result["ratios"]["stream_peak_2x_vs_1x"] <= 1.25)
