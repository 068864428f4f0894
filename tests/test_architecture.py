"""The package's structure, checked by reading its source with ``ast``.

Three rules hold for every module of ``kzdiscourse`` (see "A layout that shows the flow" in
the design notes):

(a) no import cycle among kzdiscourse modules. Every import statement counts, at module
    level or inside a function (a lazy import is still a dependency); only imports under
    ``if TYPE_CHECKING:`` are left out, since they never run;
(b) no private name (``_x``) of one kzdiscourse module used by another: neither
    ``from kzdiscourse.a import _x`` nor ``a._x`` on an imported kzdiscourse module.
    Private modules (``_unicode``, ``_deprecation``, ``_version``) are the package's own
    helpers: any module may import them, but not their private names;
(c) no module over :data:`MAX_LINES` lines.

Modules outside the parse side that still break a rule are listed in
:data:`KNOWN_VIOLATIONS`. That set must shrink to empty: an entry that no longer occurs
fails the test too, so whoever fixes a violation removes its entry.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

PACKAGE = "kzdiscourse"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
MAX_LINES = 600

#: Violations in modules other work is still restructuring. MUST SHRINK TO EMPTY: fix one,
#: remove its entry (test_known_violations_only_shrink fails on entries that no longer
#: occur); never add one. The parse side (loaders, validation, corpus, nlp, pipeline, engine,
#: cluster, cache, store, streaming, layout, cli) has none.
KNOWN_VIOLATIONS: frozenset[str] = frozenset(
    {
        # empty: every module of the package keeps the three rules
    }
)


# ---------------------------------------------------------------------------- reading


@dataclass
class Module:
    name: str  # dotted, e.g. "kzdiscourse.stance.profile"
    path: Path
    is_package: bool
    tree: ast.Module
    lines: int
    imports: list[tuple[str, int]] = field(default_factory=list)  # (module, line)
    private: list[tuple[str, int]] = field(default_factory=list)  # ("mod._x", line)


def _module_name(path: Path) -> tuple[str, bool]:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _statements(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` except what sits under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _read_package() -> dict[str, Module]:
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        name, is_package = _module_name(path)
        source = path.read_text(encoding="utf-8")
        modules[name] = Module(
            name=name,
            path=path,
            is_package=is_package,
            tree=ast.parse(source, filename=str(path)),
            lines=len(source.splitlines()),
        )
    for module in modules.values():
        _collect(module, modules)
    return modules


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    """The absolute module name of ``from <node.module> import ...``."""
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _collect(module: Module, modules: dict[str, Module]) -> None:
    """Fill ``module.imports`` and ``module.private`` from its syntax tree."""
    bound: dict[str, str] = {}  # local name -> kzdiscourse module it refers to
    nodes = list(_statements(module.tree))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    module.imports.append((alias.name, node.lineno))
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.split(".")[0]] = PACKAGE
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            if source != PACKAGE and not source.startswith(PACKAGE + "."):
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in modules:  # `from kzdiscourse import errors`: a module
                    module.imports.append((sub, node.lineno))
                    bound[alias.asname or alias.name] = sub
                    continue
                module.imports.append((source, node.lineno))
                if _private(alias.name) and source != module.name:
                    module.private.append((f"{source}.{alias.name}", node.lineno))
    for node in nodes:
        # `a._x` where `a` names a kzdiscourse module (also `kzdiscourse.a._x`)
        if not isinstance(node, ast.Attribute) or not _private(node.attr):
            continue
        target = _dotted(node.value, bound, modules)
        if target is not None and target != module.name:
            module.private.append((f"{target}.{node.attr}", node.lineno))


def _dotted(node: ast.expr, bound: dict[str, str], modules: dict[str, Module]) -> str | None:
    """The kzdiscourse module an expression like ``a`` or ``kzdiscourse.a`` stands for."""
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, bound, modules)
        if base is not None and f"{base}.{node.attr}" in modules:
            return f"{base}.{node.attr}"
    return None


def _cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    graph = {
        name: sorted({dep for dep, _ in m.imports if dep in modules and dep != name})
        for name, m in modules.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def _cycle_path(component: list[str], modules: dict[str, Module]) -> str:
    """One shortest cycle through the component's first module, with the import lines."""
    members = set(component)
    line: dict[tuple[str, str], int] = {}
    for m in component:
        for dep, lineno in modules[m].imports:
            if dep in members and dep != m:
                line.setdefault((m, dep), lineno)
    start = component[0]
    paths = [[start]]
    seen = {start}
    while paths:
        grown = []
        for path in paths:
            for a, b in sorted(line):
                if a != path[-1]:
                    continue
                if b == start:
                    hops = [*path, start]
                    steps = [f"{x} (line {line[x, y]})" for x, y in pairwise(hops)]
                    return " -> ".join([*steps, start])
                if b not in seen:
                    seen.add(b)
                    grown.append([*path, b])
        paths = grown
    return ", ".join(component)  # pragma: no cover - a component always has a cycle


def violations(modules: dict[str, Module]) -> dict[str, str]:
    """Every violation as ``{key: explanation}``; keys are what KNOWN_VIOLATIONS lists."""
    found = {}
    for component in _cycles(modules):
        found["cycle: " + " ".join(component)] = _cycle_path(component, modules)
    for m in modules.values():
        for name, line in m.private:
            found[f"private: {m.name} uses {name}"] = f"{m.path.name}:{line}"
        if m.lines > MAX_LINES:
            found[f"size: {m.name}"] = f"{m.lines} lines (at most {MAX_LINES})"
    return found


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    return _read_package()


def _new(modules: dict[str, Module], kind: str) -> list[str]:
    return sorted(
        f"{key}  [{why}]"
        for key, why in violations(modules).items()
        if key.startswith(kind) and key not in KNOWN_VIOLATIONS
    )


# ---------------------------------------------------------------------------- the rules


def test_no_import_cycle(modules):
    cycles = _new(modules, "cycle:")
    assert not cycles, "import cycles among kzdiscourse modules:\n" + "\n".join(cycles)


def test_no_private_name_crosses_a_module(modules):
    private = _new(modules, "private:")
    assert not private, (
        "private names used outside their module (make them public, or move them):\n"
        + "\n".join(private)
    )


def test_no_module_over_the_size_limit(modules):
    large = _new(modules, "size:")
    assert not large, "modules over the size limit (split them along their seams):\n" + (
        "\n".join(large)
    )


def test_known_violations_only_shrink(modules):
    stale = sorted(KNOWN_VIOLATIONS - set(violations(modules)))
    assert not stale, (
        "these KNOWN_VIOLATIONS no longer occur; remove them from the set:\n" + "\n".join(stale)
    )


# ---------------------------------------------------------------------------- the checker


def _package_of(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    """Run the checker on a made-up package (the rules, tested on cases worked out by hand)."""
    global ROOT
    for rel, text in files.items():
        path = tmp_path / PACKAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    saved, ROOT = ROOT, tmp_path / PACKAGE
    try:
        return _read_package()
    finally:
        ROOT = saved


def test_checker_finds_a_cycle_through_a_lazy_import_but_not_type_checking(tmp_path):
    mods = _package_of(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from kzdiscourse.b import f\n",
            "b.py": "def f():\n    from kzdiscourse import c\n",
            "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from kzdiscourse.a import g\nimport kzdiscourse.a\n",
            "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from kzdiscourse.e import g\n",
            "e.py": "from kzdiscourse.d import h\n",
        },
    )
    found = violations(mods)
    assert list(found) == ["cycle: kzdiscourse.a kzdiscourse.b kzdiscourse.c"]
    assert found["cycle: kzdiscourse.a kzdiscourse.b kzdiscourse.c"] == (
        "kzdiscourse.a (line 1) -> kzdiscourse.b (line 2) -> kzdiscourse.c (line 4) "
        "-> kzdiscourse.a"
    )


def test_checker_finds_private_names_imported_or_reached_through_a_module(tmp_path):
    mods = _package_of(
        tmp_path,
        {
            "__init__.py": "",
            "_util.py": "def helper(): ...\ndef _secret(): ...\n",
            "sub/__init__.py": "",
            "sub/x.py": "from .._util import helper, _secret\n__all__ = []\n",
            "y.py": "import kzdiscourse._util as u\nimport kzdiscourse.sub.x\n"
            "u._secret()\nu.helper()\nkzdiscourse.sub.x._hidden\nself._own = 1\n"
            "from kzdiscourse import __version__\n",
        },
    )
    assert sorted(violations(mods)) == [
        "private: kzdiscourse.sub.x uses kzdiscourse._util._secret",
        "private: kzdiscourse.y uses kzdiscourse._util._secret",
        "private: kzdiscourse.y uses kzdiscourse.sub.x._hidden",
    ]


def test_checker_counts_lines(tmp_path):
    mods = _package_of(
        tmp_path,
        {"__init__.py": "", "big.py": "x = 1\n" * (MAX_LINES + 1), "ok.py": "x = 1\n" * MAX_LINES},
    )
    assert violations(mods) == {"size: kzdiscourse.big": f"{MAX_LINES + 1} lines (at most 600)"}
