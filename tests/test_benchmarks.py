"""The benchmark scripts run, and the baseline and kzdiscourse see the same tokens.

Speed itself is not asserted here (shared, noisy machines); `make bench` measures it as a
ratio in one run.
"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_parse_benchmark_runs_and_both_sides_count_the_same_tokens(tmp_path):
    import bench_parse

    result = bench_parse.main(["--tokens", "20000", "--out", str(tmp_path / "p.json")])
    assert result["corpus"]["tokens"] >= 20000
    assert result["corpus"]["type_token_ratio"] > 0.1  # a Zipf sample, not repeated sentences
    naive, ours = result["naive"]["tokens"], result["kzdiscourse"]["tokens"]
    # kzdiscourse splits "ЕС–Россия" and keeps URLs whole, so counts differ only a little
    assert abs(naive - ours) / naive < 0.01
    assert (tmp_path / "p.json").is_file()


@pytest.mark.slow
def test_dictionary_benchmark_runs_and_agrees_with_the_token_by_entry_loop(tmp_path):
    import bench_dictionary

    result = bench_dictionary.main(
        ["--tokens", "20000", "--baseline-tokens", "1500", "--out", str(tmp_path / "d.json")]
    )
    assert result["identical_on_slice"]
    assert result["kzdiscourse"]["matches"] > 1000  # frames are dense in these lemmas
    assert (tmp_path / "d.json").is_file()
