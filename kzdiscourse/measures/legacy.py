"""Table and column names of kzdiscourse before the measure protocol, kept for one minor
release (deprecated in 0.1.0, removed in 0.2.0).

* An old table name still works in ``report[...]`` (and ``in report``): it warns and
  returns the table with its old column names.
* An old column name still works when indexing a Report table whose name did not change
  (``report["frame_tests"]["hits_a"]``): it warns and returns the renamed column. Tables
  derived from it (a slice, a copy) are plain DataFrames with the current names only.

The full mapping is in ``docs/measures.md`` and CHANGELOG.md.

Examples
--------
>>> TABLES["frames"]
'frame_rates'
>>> COLUMNS["frame_rates"]["per_1000_ci_low"]
'ci_low'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kzdiscourse._deprecation import warn_deprecated

__all__ = ["COLUMNS", "SINCE", "TABLES", "LegacyColumns", "legacy_table", "with_aliases"]

#: The release that renamed them.
SINCE = "0.1.0"

#: Old table name → current name.
TABLES = {
    "stance_profile": "stance_rates",
    "stance_differences": "stance_tests",
    "frames": "frame_rates",
    "metadiscourse": "metadiscourse_rates",
    "actor_mentions": "actor_rates",
    "actor_agency_evidence": "actor_evidence",
    "keyness": "keyness_tests",
}

_RATES = {"hits": "n", "per_1000_ci_low": "ci_low", "per_1000_ci_high": "ci_high"}
_TESTS = {"hits_a": "n_a", "hits_b": "n_b"}

#: Current table name → {old column: current column}.
COLUMNS: dict[str, dict[str, str]] = {
    "stance_rates": {"label": "category", "n_sentences": "sentences"},
    "stance_tests": {"label": "category", "n_a": "sentences_a", "n_b": "sentences_b"},
    "frame_rates": {"frame": "category", **_RATES},
    "frame_tests": {"frame": "category", **_TESTS},
    "frame_evidence": {"frame": "category", "hits": "n"},
    "metadiscourse_rates": dict(_RATES),
    "metadiscourse_tests": dict(_TESTS),
    "actor_rates": {"actor": "category", **_RATES},
    "actor_tests": {"actor": "category", **_TESTS},
    "actor_agency": {"actor": "category"},
    "actor_verbs": {"actor": "category", "count": "n"},
    "actor_evidence": {"actor": "category"},
    "keyness_tests": {"freq": "n", "freq_ref": "n_ref", "n": "total", "n_ref": "total_ref"},
}


def legacy_table(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (current name ``name``) with its old column names."""
    old = {new: old for old, new in COLUMNS.get(name, {}).items()}
    return table.rename(columns=old)


class LegacyColumns(pd.DataFrame):
    """A Report table whose old column names still index it, with a DeprecationWarning."""

    _metadata = ["_table", "_aliases"]  # noqa: RUF012 (pandas' own convention)
    _table: str = ""
    _aliases: dict[str, str] = {}  # noqa: RUF012 (a class default, replaced per instance)

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame  # anything derived is a plain DataFrame

    def _current(self, key: Any, depth: int = 3) -> Any:
        if isinstance(key, str) and key in self._aliases and key not in self.columns:
            new = self._aliases[key]
            warn_deprecated(
                f"column {key!r} of table {self._table!r}",
                SINCE,
                replacement=f"column {new!r}",
                stacklevel=depth,
            )
            return new
        if isinstance(key, list) and any(isinstance(k, str) for k in key):
            current = []
            for k in key:  # a loop, not a comprehension: one frame less for stacklevel
                current.append(self._current(k, depth + 1))
            return current
        return key

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self._current(key))


def with_aliases(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` itself, or a view of it that also answers to the old column names (only
    for tables that kept their name but renamed columns)."""
    if name in TABLES.values() or name not in COLUMNS:
        return table
    aliases = {old: new for old, new in COLUMNS[name].items() if new in table.columns}
    if not aliases:
        return table
    view = LegacyColumns(table)
    view._table = name
    view._aliases = aliases
    return view
