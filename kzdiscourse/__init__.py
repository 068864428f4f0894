"""kzdiscourse: comparative discourse and stance analysis of Russian-language political texts.

The flow is one direction: load a :class:`Corpus`, :meth:`~Corpus.clean` it, :meth:`~Corpus.parse`
it into tidy tables (:class:`Parsed`), and :func:`compare` groups of documents into a
:class:`Report` of reproducible tables.

Examples
--------
>>> import kzdiscourse as kzd
>>> report = kzd.compare(kzd.load_seeds(), by="outlet", seed=0)
>>> list(report.tables)[:2]
['corpus_summary', 'coverage']

Every public submodule is reachable from the package, imported on first use:

>>> kzd.stance.STANCE_LABELS[0]
'pro_eu'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzdiscourse import errors
from kzdiscourse._version import __version__

# Imported eagerly: the function shares its name with its submodule, and a lazy attribute
# would be replaced by the module as soon as anything ran `from kzdiscourse.compare import …`.
from kzdiscourse.compare import compare
from kzdiscourse.corpus import Corpus
from kzdiscourse.seeds import load_seeds

if TYPE_CHECKING:
    from kzdiscourse.dictionary import Dictionary
    from kzdiscourse.parsed import Parsed
    from kzdiscourse.report import Report

__all__ = [
    "Corpus",
    "Dictionary",
    "Parsed",
    "Report",
    "__version__",
    "compare",
    "errors",
    "load_seeds",
]

_LAZY = {
    "Dictionary": ("kzdiscourse.dictionary", "Dictionary"),
    "Parsed": ("kzdiscourse.parsed", "Parsed"),
    "Report": ("kzdiscourse.report", "Report"),
}


def __getattr__(name: str) -> Any:
    # heavy modules are imported on first use, so `import kzdiscourse` stays cheap: the lazy
    # classes above, and every public submodule (`kz.stance.score(...)`, `kz.topics.fit(...)`
    # work after `import kzdiscourse as kz`, without a second import line)
    import importlib
    import importlib.util

    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        # importing a submodule binds it as an attribute of the package
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'kzdiscourse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
