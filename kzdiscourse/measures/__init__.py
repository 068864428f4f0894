"""Measures: one protocol for everything :func:`kzdiscourse.compare` computes.

One module per built-in measure, named after it: :mod:`~kzdiscourse.measures.summary`,
:mod:`~kzdiscourse.measures.coverage`, :mod:`~kzdiscourse.measures.stance`,
:mod:`~kzdiscourse.measures.frames`, :mod:`~kzdiscourse.measures.metadiscourse`,
:mod:`~kzdiscourse.measures.actors`, :mod:`~kzdiscourse.measures.keyness`,
:mod:`~kzdiscourse.measures.lexical` and :mod:`~kzdiscourse.measures.topics`. Each holds the
measure object (``MEASURE``: its tables with their descriptions, its summary sentences and
its figures) and one function per table, named after the table. The protocol and the naming
scheme are in :mod:`kzdiscourse.measures.base`.

Your own measure appears in the Report, its summary and (if it declares one) its figures:

* a dictionary of your own: ``DictionaryMeasure("moral", Dictionary.load("moral.yaml"))``
  (tables ``moral_rates``, ``moral_tests``, ``moral_evidence``);
* any function returning tables: ``FunctionMeasure.from_function(f, tables={...})``.

Pass it to ``compare(..., measures=[..., my_measure])`` for one report, or
:func:`register` it so every :func:`kzdiscourse.compare` runs it after the built-ins.

Examples
--------
>>> import kzdiscourse as kzd
>>> from kzdiscourse import Dictionary, measures
>>> measures.names()
['summary', 'coverage', 'stance', 'frames', 'metadiscourse', 'actors', 'keyness', 'lexical', 'topics']
>>> energy = measures.DictionaryMeasure("energy", Dictionary.from_dict({"gas": ["газ"]}))
>>> report = kzd.compare(kzd.load_seeds(), measures=["summary", energy])
>>> list(report.tables), list(report.figures())
(['corpus_summary', 'energy_rates', 'energy_tests', 'energy_evidence'], ['energy_rates'])
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kzdiscourse.measures.base import FigureSpec, FunctionMeasure, KeyTable, Measure, TableSpec
from kzdiscourse.measures.registry import REGISTRY

if TYPE_CHECKING:
    from kzdiscourse.measures.dictionary_measure import DictionaryMeasure

__all__ = [
    "DictionaryMeasure",
    "FigureSpec",
    "FunctionMeasure",
    "KeyTable",
    "Measure",
    "TableSpec",
    "get",
    "names",
    "register",
    "registered",
    "resolve",
    "unregister",
]


def names() -> list[str]:
    """Names of the registered measures, in Report order (built-ins first)."""
    return REGISTRY.names()


def registered() -> dict[str, Any]:
    """Registered measures by name, in Report order."""
    return {m.name: m for m in REGISTRY.measures()}


def get(name: str) -> Any:
    """The registered measure called ``name``."""
    return REGISTRY.get(name)


def register(measure: Any, *, replace: bool = False) -> Any:
    """Run ``measure`` in every :func:`kzdiscourse.compare` from now on (after the built-ins).

    Parameters
    ----------
    measure : Measure
        A :class:`DictionaryMeasure`, a :class:`FunctionMeasure` or any object following
        the :class:`Measure` protocol.
    replace : bool, default False
        Replace a registered measure of the same name (a built-in one too, until
        :func:`unregister`).

    Returns
    -------
    Measure
        ``measure`` itself, so ``register`` can be used as ``m = register(...)``.

    Raises
    ------
    InputError
        The name, or one of its table or figure names, is taken.
    """
    return REGISTRY.register(measure, replace=replace)


def unregister(name: str) -> None:
    """Stop running the measure you registered as ``name``."""
    REGISTRY.unregister(name)


def resolve(measures: Iterable[Any] | None) -> list[Any]:
    """The measures :func:`kzdiscourse.compare` runs for its ``measures`` argument."""
    return REGISTRY.resolve(measures)


def __getattr__(name: str) -> Any:
    # DictionaryMeasure pulls in the Dictionary matcher: imported on first use
    if name == "DictionaryMeasure":
        from kzdiscourse.measures.dictionary_measure import DictionaryMeasure

        return DictionaryMeasure
    raise AttributeError(f"module 'kzdiscourse.measures' has no attribute {name!r}")
