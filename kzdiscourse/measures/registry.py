"""The registry of measures :func:`kzdiscourse.compare` runs by default.

The built-in measures are loaded from their modules on first use (so ``import kzdiscourse``
stays cheap); a user's measures are added with :func:`register` and come after them, in
the order they were registered. A measure's identity (its tables, their descriptions, its
figures and summary sentences) lives in the measure object; :func:`kzdiscourse.compare`,
:class:`~kzdiscourse.report.Report` and :mod:`kzdiscourse.plots` read it from here.

Examples
--------
>>> from kzdiscourse.measures.registry import REGISTRY
>>> REGISTRY.names()[:3]
['summary', 'coverage', 'stance']
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from kzdiscourse._deprecation import warn_deprecated
from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import FigureSpec, Measure

__all__ = ["BUILTIN", "REGISTRY", "MeasureRegistry"]

#: The built-in measures, in Report order; each is ``MEASURE`` in its module of that name.
BUILTIN = (
    "summary",
    "coverage",
    "stance",
    "frames",
    "metadiscourse",
    "actors",
    "keyness",
    "lexical",
    "topics",
)

#: Measure names of earlier releases → current names.
_RENAMED = {"lexical_profile": "lexical"}


def _check_protocol(measure: Any) -> None:
    if not isinstance(measure, Measure):
        raise InputError(
            f"{type(measure).__name__} is not a measure",
            hint="pass a measure name, a DictionaryMeasure, FunctionMeasure.from_function(...) "
            "or an object with name, tables, figures, run() and describe()",
        )


def check_disjoint(measures: Iterable[Any]) -> None:
    """No two measures share a name, a table name or a figure name."""
    seen: dict[str, str] = {}
    for m in measures:
        keys = [("measure", m.name)]
        keys += [("table", t.name) for t in m.tables]
        keys += [("figure", f.name) for f in m.figures]
        for kind, name in keys:
            owner = seen.get(f"{kind}:{name}")
            if owner is not None:
                raise InputError(
                    f"{kind} name {name!r} of measure {m.name!r} is already used by "
                    f"measure {owner!r}",
                    hint="give the measure (or its tables and figures) another name",
                )
            seen[f"{kind}:{name}"] = m.name


class MeasureRegistry:
    """Measures by name, built-ins first (loaded lazily), then a user's, in order."""

    def __init__(self, builtin: Iterable[str] = BUILTIN) -> None:
        self._builtin = tuple(builtin)
        self._loaded: dict[str, Any] = {}
        self._user: dict[str, Any] = {}

    def _builtin_measure(self, name: str) -> Any:
        if name not in self._loaded:
            module = importlib.import_module(f"kzdiscourse.measures.{name}")
            self._loaded[name] = module.MEASURE
        return self._loaded[name]

    def names(self) -> list[str]:
        """Registered measure names, in Report order."""
        return [*self._builtin, *(n for n in self._user if n not in self._builtin)]

    def measures(self) -> list[Any]:
        """Every registered measure, in Report order."""
        return [self.get(name) for name in self.names()]

    def get(self, name: str) -> Any:
        """The measure called ``name`` (a renamed measure's old name warns)."""
        if name in _RENAMED:
            warn_deprecated(
                f"measure name {name!r}", "0.1.0", replacement=repr(_RENAMED[name]), stacklevel=3
            )
            name = _RENAMED[name]
        if name in self._user:
            return self._user[name]
        if name in self._builtin:
            return self._builtin_measure(name)
        raise InputError(f"unknown measure {name!r}", hint=f"available: {', '.join(self.names())}")

    def register(self, measure: Any, *, replace: bool = False) -> Any:
        """Add ``measure`` (after the built-ins); ``replace=True`` swaps one of that name."""
        _check_protocol(measure)
        if measure.name in self.names() and not replace:
            raise InputError(
                f"a measure named {measure.name!r} is already registered",
                hint="pass replace=True to replace it, or choose another name",
            )
        others = [m for m in self.measures() if m.name != measure.name]
        check_disjoint([*others, measure])
        self._user[measure.name] = measure
        return measure

    def unregister(self, name: str) -> None:
        """Remove a measure registered with :meth:`register` (a replaced built-in returns)."""
        if name not in self._user:
            raise InputError(
                f"no user measure named {name!r} is registered",
                hint=f"registered by you: {', '.join(self._user) or 'none'}",
            )
        del self._user[name]

    def resolve(self, measures: Iterable[Any] | None) -> list[Any]:
        """Measures to run: names or measure objects, registered ones in Report order first,
        then unregistered objects in the order given; every registered one for ``None``."""
        if measures is None:
            return self.measures()
        if isinstance(measures, (str, Measure)):
            measures = [measures]
        order = {n: i for i, n in enumerate(self.names())}
        chosen: list[Any] = []
        for item in measures:
            m = self.get(item) if isinstance(item, str) else item
            _check_protocol(m)
            if any(c.name == m.name for c in chosen):
                continue
            chosen.append(m)
        position = {id(m): k for k, m in enumerate(chosen)}

        def key(m: Any) -> tuple[int, int]:
            registered = m.name in order and self.get(m.name) is m
            return (0, order[m.name]) if registered else (1, position[id(m)])

        chosen.sort(key=key)
        check_disjoint(chosen)
        return chosen

    def figures(self, measures: Iterable[Any] | None = None) -> dict[str, FigureSpec]:
        """Figure name → spec, in Report order, of ``measures`` (all registered by default)."""
        chosen = self.measures() if measures is None else list(measures)
        return {f.name: f for m in chosen for f in m.figures}


#: The registry :func:`kzdiscourse.compare` uses.
REGISTRY = MeasureRegistry()
