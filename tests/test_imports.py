"""`import kzdiscourse` stays cheap and side-effect free for projects that depend on it."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import logging, sys, warnings
import numpy, pandas  # they add warning filters of their own on import
filters_before = list(warnings.filters)
handlers_before = list(logging.getLogger().handlers)
import kzdiscourse
heavy = [m for m in ("sklearn", "gensim", "scipy", "matplotlib", "seaborn", "wordfreq",
                     "pymorphy3", "natasha", "slovnet") if m in sys.modules]
print("heavy:" + ",".join(heavy))
print("filters_changed:" + str(warnings.filters != filters_before))
print("handlers_changed:" + str(logging.getLogger().handlers != handlers_before))
"""


def test_import_loads_no_heavy_dependency_and_changes_no_global_state(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=True,
    ).stdout.split()
    assert "heavy:" in out  # nothing listed after the colon
    assert "filters_changed:False" in out
    assert "handlers_changed:False" in out
    assert list(tmp_path.iterdir()) == []  # nothing written to the working folder
