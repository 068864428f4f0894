"""Every hint the command line can print names options that exist on the command line.

Hints are collected from the source (every ``hint=`` of every exception the package raises,
f-string parts as placeholders), rewritten as the CLI rewrites them
(:func:`kzdiscourse.cli_hints.to_cli`), and checked: each ``--option`` they name exists in
the parser, and no Python ``name=`` parameter is left — except in the hints listed in
``PYTHON_ONLY``, raised only by calls the command line never makes.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

from kzdiscourse.cli import build_parser
from kzdiscourse.cli_hints import OPTIONS, to_cli

PACKAGE = Path(__file__).resolve().parents[1] / "kzdiscourse"

#: (module, parameter) → why the command line never shows that hint.
PYTHON_ONLY = {
    ("cleaning/__init__.py", "max_removed_share"): "the CLI never passes max_removed_share",
    ("cleaning/__init__.py", "markup"): "raised for markup='error', which the CLI never asks",
    ("cluster.py", "engine"): "the CLI has no engine; client= only in Python",
    ("cluster.py", "client"): "the CLI has no engine; client= only in Python",
    ("measures/base.py", "name"): "measure objects are Python-only",
    ("measures/base.py", "map_part"): "measure objects are Python-only",
    ("measures/base.py", "reduce"): "measure objects are Python-only",
    ("measures/dataset_run.py", "map_part"): "the CLI never compares a ParsedDataset",
    ("measures/dataset_run.py", "reduce"): "the CLI never compares a ParsedDataset",
    ("measures/keyness.py", "reference"): "compare() runs group keyness only for 2+ groups",
    ("measures/registry.py", "replace"): "register() is Python-only",
    ("stance/evaluation.py", "labels"): "evaluation functions are Python-only",
    ("store.py", "overwrite"): "write_dataset() is Python-only",
    ("streaming.py", "chunksize"): "the iter_* loaders are Python-only",
    ("topics/selection.py", "seeds"): "stability() is Python-only",
}


def _text(node: ast.expr) -> str | None:
    """A hint's text; f-string parts become ``{}``; ``a if c else b`` both parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.IfExp):
        body, other = _text(node.body), _text(node.orelse)
        return None if body is None or other is None else f"{body} | {other}"
    return None


def package_hints() -> list[tuple[str, int, str]]:
    """(module, line, hint text) of every static ``hint=`` in the package."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    text = _text(kw.value) if kw.arg == "hint" else None
                    if text is not None:
                        # "pass {role}_col=" is "pass id_col=" or "pass text_col="
                        out.append((module, node.lineno, text.replace("{}_col=", "id_col=")))
    return out


def cli_options() -> set[str]:
    parser = build_parser()
    options = {o for a in parser._actions for o in a.option_strings}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options |= {o for a in sub._actions for o in a.option_strings}
    return options


def test_hints_are_found():
    hints = package_hints()
    assert len(hints) > 100
    assert any("id_col=" in h for _, _, h in hints)


def test_every_option_the_rewriting_knows_exists():
    assert set(OPTIONS.values()) - cli_options() == set()


def test_every_hint_names_only_options_of_the_command_line():
    options = cli_options()
    wrong = []
    for module, line, hint in package_hints():
        shown = to_cli(hint)
        unknown = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", shown)) - options
        left = set(re.findall(r"(?<![\w\-.{])([a-z_][a-z0-9_]*)=", shown))
        python_only = {p for (m, p) in PYTHON_ONLY if m == module}
        if unknown or left - python_only:
            wrong.append(f"{module}:{line}: {sorted(unknown | (left - python_only))}: {shown}")
    assert not wrong, "\n".join(wrong)


def test_python_only_hints_are_still_there():
    """An entry of PYTHON_ONLY whose hint is gone must go too."""
    hints = package_hints()
    for module, param in PYTHON_ONLY:
        assert any(m == module and f"{param}=" in h for m, _, h in hints), (module, param)
