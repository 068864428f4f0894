"""The public API audit: every public module declares __all__, and everything it exports is
documented and fully type-hinted (the package ships py.typed)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import kzdiscourse

PUBLIC_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(kzdiscourse.__path__, "kzdiscourse.")
    if not any(part.startswith("_") for part in m.name.split(".")[1:])
)


def _unannotated(func) -> list[str]:
    sig = inspect.signature(func)
    missing = [
        name
        for name, p in sig.parameters.items()
        if p.annotation is inspect.Parameter.empty and name not in ("self", "cls")
    ]
    if sig.return_annotation is inspect.Signature.empty and func.__name__ != "__init__":
        missing.append("return")
    return missing


def _public_methods(cls) -> list:
    out = []
    for name, member in vars(cls).items():
        if name.startswith("_") and name != "__init__":
            continue
        func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
        if getattr(func, "__module__", None) == "typing":  # a Protocol's placeholder __init__
            continue
        if inspect.isfunction(func):
            out.append(func)
    return out


def test_the_audit_sees_the_package():
    assert {"kzdiscourse.compare", "kzdiscourse.report", "kzdiscourse.stance"} <= set(
        PUBLIC_MODULES
    )
    assert not any(name.startswith("kzdiscourse._") for name in PUBLIC_MODULES)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_module_exports_documented_typed_names(name):
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    problems = []
    for attr in exported:
        if not hasattr(module, attr):
            problems.append(f"{attr}: listed in __all__ but missing")
            continue
        value = getattr(module, attr)
        if (inspect.isfunction(value) or inspect.isclass(value)) and not inspect.getdoc(value):
            problems.append(f"{attr}: no docstring")
        if inspect.isfunction(value) and _unannotated(value):
            problems.append(f"{attr}: no type hints for {_unannotated(value)}")
        if inspect.isclass(value):
            for method in _public_methods(value):
                if _unannotated(method):
                    problems.append(f"{attr}.{method.__name__}: no type hints")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_top_level_api_resolves_and_is_typed():
    for attr in kzdiscourse.__all__:
        assert getattr(kzdiscourse, attr) is not None
    assert set(kzdiscourse.__all__) <= set(dir(kzdiscourse))
    assert (Path(kzdiscourse.__file__).parent / "py.typed").is_file()
