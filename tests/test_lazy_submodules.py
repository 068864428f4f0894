"""`import kzdiscourse as kz` reaches every public submodule lazily (kz.stance, kz.topics …)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_submodules_are_reachable_after_one_import_and_loaded_only_when_used():
    code = (
        "import sys, kzdiscourse as kz\n"
        "assert 'kzdiscourse.stance' not in sys.modules\n"
        "assert 'kzdiscourse.topics' not in sys.modules\n"
        "assert kz.stance.score is sys.modules['kzdiscourse.stance'].score\n"
        "assert kz.topics.__name__ == 'kzdiscourse.topics'\n"
        "assert callable(kz.compare)\n"  # the function, not its module
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_unknown_and_private_names_still_raise_attribute_error():
    import kzdiscourse as kz

    with pytest.raises(AttributeError, match="no attribute 'stanse'"):
        kz.stanse  # noqa: B018
    with pytest.raises(AttributeError):
        kz._deprecation_missing  # noqa: B018
