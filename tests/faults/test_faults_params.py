"""Faults in parameters: refused at the door, before any work, naming the fix."""

from __future__ import annotations

import time

import pytest

import kzdiscourse as kz
from kzdiscourse import topics
from kzdiscourse.errors import ColumnError, InputError, ParameterError
from kzdiscourse.report import Report

from faultlib import helpful, two_documents


def refused_at_the_door(**kwargs) -> ParameterError:
    """compare() with a bad parameter fails at once (no cleaning, no parsing)."""
    start = time.perf_counter()
    with pytest.raises(ParameterError) as info:
        kz.compare(two_documents(), **kwargs)
    # well under the time a parse of even two documents takes with a cold analyser
    assert time.perf_counter() - start < 1.0
    return info.value


@pytest.mark.parametrize(
    ("fault", "seed", "shown"),
    [
        ("seed_none", None, "None (NoneType)"),
        ("seed_negative", -1, "-1 (int)"),
        ("seed_too_large", 2**70, "1180591620717411303424"),
        ("seed_float", 1.5, "1.5 (float)"),
        ("seed_string", "7", "'7' (str)"),
        ("seed_bool", True, "True (bool)"),
    ],
)
def test_bad_seed(fault, seed, shown):
    helpful(refused_at_the_door(seed=seed), "seed", shown, "[0, 4294967295]", "seed=0")


def test_n_jobs_zero():
    helpful(refused_at_the_door(n_jobs=0), "n_jobs", "0 (int)", "n_jobs=-1")


def test_k_below_two():
    with pytest.raises(ParameterError) as info:
        topics.fit(two_documents().parse(), k=1)
    helpful(info.value, "k must be an integer of at least 2", "k=2")


def test_by_unknown_column():
    with pytest.raises(ColumnError) as info:
        kz.compare(two_documents(), by="genre")
    helpful(info.value, "genre", "outlet")


def test_by_not_a_string():
    helpful(refused_at_the_door(by=["outlet"]), "by must be the name", "by='outlet'")


def test_unknown_measure():
    with pytest.raises(InputError) as info:
        kz.compare(two_documents(), measures=["sentiment"])
    helpful(info.value, "sentiment", "stance")


def test_progress_not_a_bool():
    helpful(refused_at_the_door(progress="yes"), "progress", "progress=True")


def test_unknown_output_format(tmp_path):
    with pytest.raises(InputError) as info:
        Report(tables={}).save(tmp_path / "out", formats=("csv", "xlsx"))
    helpful(info.value, "xlsx", "csv")
    assert not (tmp_path / "out").exists()  # refused before anything was written
