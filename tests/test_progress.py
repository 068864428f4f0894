"""compare()'s progress bar: silent on small corpora, shown on large ones or on request."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.compare import PROGRESS_MIN_DOCUMENTS


def _many(n: int) -> kzd.Corpus:
    frame = pd.DataFrame(
        {
            "doc_id": [f"d{i:03d}" for i in range(n)],
            "text": ["Казахстан и ЕС обсуждают транзит."] * n,
            "outlet": ["A", "B"] * (n // 2) + ["A"] * (n % 2),
        }
    )
    return kzd.Corpus.from_dataframe(frame)


def test_silent_on_the_seeds(seeds, parsed, capsys):
    kzd.compare(seeds, measures=["summary"])
    kzd.compare(parsed, measures=["summary", "coverage"])
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_shown_on_request_with_one_step_per_stage_and_measure(seeds, capsys):
    kzd.compare(seeds, measures=["summary", "coverage"], progress=True)
    err = capsys.readouterr().err
    assert "4/4" in err  # clean, parse, summary, coverage
    for step in ("clean", "parse", "summary", "coverage", "done"):
        assert f"kzdiscourse: {step}" in err
    assert "100%" in err


def test_a_parsed_corpus_has_only_the_measure_steps(parsed, capsys):
    kzd.compare(parsed, measures=["coverage"], progress=True)
    assert "1/1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("n", "progress", "shown"),
    [
        (PROGRESS_MIN_DOCUMENTS, None, True),
        (PROGRESS_MIN_DOCUMENTS - 1, None, False),
        (PROGRESS_MIN_DOCUMENTS, False, False),
    ],
)
def test_threshold_and_override(n, progress, shown, capsys):
    kzd.compare(_many(n), measures=["summary"], progress=progress)
    err = capsys.readouterr().err
    assert ("3/3" in err) is shown
    if not shown:
        assert err == ""


def test_tqdm_is_imported_only_when_a_bar_is_shown(tmp_path):
    probe = (
        "import sys, kzdiscourse as kzd; "
        "kzd.compare(kzd.load_seeds(), measures=['summary']); "
        "print('tqdm' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "False"
    assert out.stderr == ""
