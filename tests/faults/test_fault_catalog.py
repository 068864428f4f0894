"""The fault suite's count: catalog, tests and README agree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from catalog import FAULTS, fault_ids

HERE = Path(__file__).resolve().parent
README = HERE.parents[1] / "README.md"
#: Areas the suite must cover (issue 13, points 3-7, and issue 14, point 5).
AREAS = {
    "loading", "encodings", "files", "folders", "metadata", "cleaning", "parsing", "cache",
    "parameters", "saving", "cli",
}  # fmt: skip


def faults_in_tests() -> list[str]:
    """Fault ids of the tests: ``test_<id>``, or a parametrized test's ``fault`` values."""
    ids = []
    for path in sorted(HERE.glob("test_faults_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            cases = None
            for dec in node.decorator_list:
                if isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith("parametrize"):
                    names = ast.literal_eval(dec.args[0])
                    first = names if isinstance(names, str) else names[0]
                    if first.split(",")[0].strip() == "fault":
                        cases = [
                            ast.literal_eval(e.elts[0] if isinstance(e, ast.Tuple) else e)
                            for e in dec.args[1].elts
                        ]
            ids += cases if cases else [node.name[len("test_") :]]
    return ids


def test_every_fault_class_has_one_test_and_one_catalog_entry():
    tested = faults_in_tests()
    assert len(tested) == len(set(tested)), "a fault id is tested twice"
    assert sorted(tested) == sorted(fault_ids())
    assert len(fault_ids()) == len(set(fault_ids()))


def test_the_suite_covers_every_area_with_at_least_60_classes():
    assert set(FAULTS) == AREAS
    assert all(FAULTS[area] for area in AREAS)
    assert len(fault_ids()) >= 60


def test_the_readme_states_the_count():
    text = README.read_text(encoding="utf-8")
    stated = re.search(r"(\d+) classes of bad input and faults", text)
    assert stated, "README: state the fault suite's count"
    assert int(stated.group(1)) == len(fault_ids())
