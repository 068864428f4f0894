"""The measure protocol: what every measure of :func:`kzdiscourse.compare` is.

A measure is one object with

* ``name`` — how :func:`kzdiscourse.compare` (``measures=[...]``) and the manifest call it;
* ``tables`` — the tables it makes, in Report order, each a :class:`TableSpec` (name and a
  one-line description, used as the caption);
* ``run(parsed, *, by, seed, engine)`` → ``{table_name: DataFrame}`` with exactly those
  tables;
* ``describe(tables)`` → sentences for :meth:`Report.summary`, generated from its own
  tables (never hand-written claims);
* ``figures`` — the figures it can draw, each a :class:`FigureSpec`;
* optionally ``key_table(tables)`` → a :class:`KeyTable`, the one table of the measure
  ``report.md`` shows, trimmed to what matters (the full tables are in the files beside
  it), and ``parameters`` → the settings the manifest records (e.g. the agency method);
* to run on a :class:`~kzdiscourse.store.ParsedDataset` (and on Dask workers),
  ``map_part(part, *, by)`` → a small picklable partial of one part and
  ``reduce(partials, *, by, seed)`` → the tables, with ``run`` equal to the reduce of one
  part (:mod:`kzdiscourse.measures.partials`). Every built-in measure has them.

Built-in measures live one per module in :mod:`kzdiscourse.measures`; a user's own measure
is a :class:`~kzdiscourse.measures.DictionaryMeasure` (a dictionary of their own), a
:class:`FunctionMeasure` (any function returning tables) or any object with these
attributes, and is passed to ``compare(measures=[...])`` or registered with
:func:`kzdiscourse.measures.register`.

Naming scheme (every measure)
-----------------------------
Tables are named ``<measure>_rates`` (a rate or share per group and category, with its
interval), ``<measure>_tests`` (a test between groups per category) and
``<measure>_evidence`` (the text behind the numbers). Columns mean the same everywhere:
``group`` (the value of ``by``), ``category`` (what a rates or tests table is broken down
by), ``n`` (how often the category occurs), ``tokens``/``sentences`` (the denominators),
``per_1000``, ``ci_low``/``ci_high`` (95% interval of the table's headline estimate),
``block``/``n_blocks`` (what a bootstrap resamples), ``group_a``/``group_b``, ``p_value``
and the corrected ``p_bh`` or ``p_holm``.

Examples
--------
>>> import pandas as pd
>>> from kzdiscourse.measures.base import FunctionMeasure
>>> def sentence_counts(parsed, *, by, seed):
...     groups = parsed.groups(by)
...     n = parsed.sentences["doc_id"].map(groups).value_counts().sort_index()
...     return pd.DataFrame({"group": n.index, "sentences": n.to_numpy()})
>>> m = FunctionMeasure.from_function(sentence_counts, tables={"sentence_counts": "Sentences."})
>>> m.name, [t.name for t in m.tables]
('sentence_counts', ['sentence_counts'])
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, runtime_checkable

import pandas as pd

from kzdiscourse.errors import InputError

__all__ = [
    "FigureSpec",
    "FunctionMeasure",
    "KeyTable",
    "Measure",
    "TableSpec",
    "Tables",
    "check_output",
    "table_specs",
]

#: A Report's tables by name, as figures and ``describe`` read them.
Tables = Mapping[str, pd.DataFrame]


class TableSpec(NamedTuple):
    """A table a measure makes: its name and a one-line description (the caption)."""

    name: str
    description: str


@dataclass(frozen=True)
class FigureSpec:
    """A figure a measure can draw from its tables.

    Attributes
    ----------
    name : str
        File name in ``figures/`` and the key of :meth:`Report.figures`.
    title : str
        Short heading for ``report.md``.
    caption : str or callable
        One or two sentences, or ``caption(tables) -> str`` when it depends on the data.
    tables : tuple of str
        The Report tables it is drawn from (all must be present).
    draw : callable
        ``draw(tables, ax=..., colors=..., legend_title=...) -> Axes``.
    headline : bool
        Shown as a thumbnail in the notebook overview.
    drawable : callable, optional
        ``drawable(tables) -> bool``: whether the tables hold anything to draw; by default,
        whether every table has rows.
    """

    name: str
    title: str
    caption: str | Callable[[Tables], str]
    tables: tuple[str, ...]
    draw: Callable[..., Any] = field(repr=False)
    headline: bool = False
    drawable: Callable[[Tables], bool] | None = field(default=None, repr=False)

    def caption_for(self, tables: Tables) -> str:
        """The caption for these tables."""
        return self.caption if isinstance(self.caption, str) else self.caption(tables)

    def can_draw(self, tables: Tables) -> bool:
        """Whether ``tables`` hold every table this figure needs, with something to draw."""
        if not all(t in tables for t in self.tables):
            return False
        if self.drawable is not None:
            return bool(self.drawable(tables))
        return all(not tables[t].empty for t in self.tables)


@dataclass(frozen=True)
class KeyTable:
    """The table of a measure that ``report.md`` shows, trimmed to what matters.

    Attributes
    ----------
    title : str
        Heading, e.g. ``"Stance by group"``.
    table : pandas.DataFrame
        A few rows (at most :data:`kzdiscourse.report.KEY_TABLE_ROWS`), cells already
        worded for readers; groups usually run across, so the table stays short whatever
        the number of groups.
    caption : str
        What the cells are, and what was left out.
    sources : tuple of str
        The full tables it was made from (linked from ``report.md``).
    """

    title: str
    table: pd.DataFrame = field(repr=False)
    caption: str
    sources: tuple[str, ...]


@runtime_checkable
class Measure(Protocol):
    """What :func:`kzdiscourse.compare` needs of a measure (see the module docstring)."""

    name: str
    tables: tuple[TableSpec, ...]
    figures: tuple[FigureSpec, ...]

    def run(
        self, parsed: Any, *, by: str, seed: int, engine: str = "local"
    ) -> dict[str, pd.DataFrame]:
        """The measure's tables for ``parsed`` grouped by ``by``."""
        ...

    def describe(self, tables: Tables) -> list[str]:
        """Summary sentences generated from the measure's tables."""
        ...


def table_specs(tables: Mapping[str, str] | Iterable[Any]) -> tuple[TableSpec, ...]:
    """Normalise ``{name: description}``, ``[(name, description), ...]`` or ``[name, ...]``.

    Examples
    --------
    >>> table_specs({"a_rates": "Rates."})
    (TableSpec(name='a_rates', description='Rates.'),)
    >>> table_specs(["x"])[0].description
    ''
    """
    items = tables.items() if isinstance(tables, Mapping) else tables
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(TableSpec(item, ""))
        else:
            name, description = item
            out.append(TableSpec(str(name), str(description)))
    names = [t.name for t in out]
    if len(set(names)) != len(names):
        raise InputError(f"a measure lists a table twice: {names}")
    return tuple(out)


def check_output(measure: Any, produced: Any) -> dict[str, pd.DataFrame]:
    """``produced`` as ``{table: DataFrame}`` in ``measure.tables`` order, or a named error.

    A single DataFrame is accepted from a measure that declares one table.
    """
    names = [t.name for t in measure.tables]
    if isinstance(produced, pd.DataFrame) and len(names) == 1:
        produced = {names[0]: produced}
    if not isinstance(produced, Mapping):
        raise InputError(
            f"measure {measure.name!r} returned {type(produced).__name__}, not a dict of tables",
            hint=f"return {{table_name: DataFrame}} for the tables it declares: {names}",
        )
    missing = [n for n in names if n not in produced]
    extra = [n for n in produced if n not in names]
    if missing or extra:
        raise InputError(
            f"measure {measure.name!r} returned tables {list(produced)}, but declares {names}",
            hint="declare every table the measure returns in its `tables`, in Report order",
        )
    bad = [n for n in names if not isinstance(produced[n], pd.DataFrame)]
    if bad:
        raise InputError(
            f"measure {measure.name!r}: table(s) {bad} are not pandas DataFrames",
            hint="return each table as a pandas.DataFrame",
        )
    return {n: produced[n] for n in names}


def _accepts(function: Callable[..., Any], keyword: str) -> bool:
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.name == keyword or p.kind is inspect.Parameter.VAR_KEYWORD for p in params)


@dataclass(frozen=True)
class FunctionMeasure:
    """A measure made of plain functions (the way to register one of your own).

    Attributes
    ----------
    name : str
    tables : tuple of TableSpec
    function : callable
        ``function(parsed, *, by, seed) -> {table_name: DataFrame}`` (or a DataFrame when
        there is one table); it also gets ``engine=`` when its signature takes it.
    describer : callable, optional
        ``describer(tables) -> list[str]`` for the summary; none by default.
    figures : tuple of FigureSpec
    keytable : callable, optional
        ``keytable(tables) -> KeyTable | None``: the table ``report.md`` shows.
    parameters : mapping
        Settings recorded in the manifest (``parameters.measure_parameters``).
    mapper, reducer : callable, optional
        Together, the measure's per-part map and exact reduce
        (:mod:`kzdiscourse.measures.partials`): ``mapper(part, *, by) -> partial`` and
        ``reducer(partials, *, by, seed) -> {table_name: DataFrame}``. With them the
        measure runs on a :class:`~kzdiscourse.store.ParsedDataset` one part at a time (and
        on Dask workers), and ``run`` is ``reducer([mapper(parsed)])`` — ``function`` is
        then not called. Without them :func:`kzdiscourse.compare` refuses a dataset rather
        than load it whole.
    """

    name: str
    tables: tuple[TableSpec, ...]
    function: Callable[..., Any] = field(repr=False)
    describer: Callable[[Tables], list[str]] | None = field(default=None, repr=False)
    figures: tuple[FigureSpec, ...] = ()
    keytable: Callable[[Tables], KeyTable | None] | None = field(default=None, repr=False)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    mapper: Callable[..., Any] | None = field(default=None, repr=False)
    reducer: Callable[..., Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.mapper is None) != (self.reducer is None):
            raise InputError(
                f"measure {self.name!r} has a {'map' if self.mapper else 'reduce'} step "
                "without the other",
                hint="pass both map_part= and reduce=, or neither",
            )

    @property
    def maps_parts(self) -> bool:
        """Whether the measure has a per-part map and a reduce."""
        return self.mapper is not None

    @classmethod
    def from_function(
        cls,
        function: Callable[..., Any],
        *,
        name: str | None = None,
        tables: Mapping[str, str] | Sequence[Any] | None = None,
        describe: Callable[[Tables], list[str]] | None = None,
        figures: Sequence[FigureSpec] = (),
        key_table: Callable[[Tables], KeyTable | None] | None = None,
        map_part: Callable[..., Any] | None = None,
        reduce: Callable[..., Any] | None = None,
    ) -> FunctionMeasure:
        """A measure from a function; ``name`` and the one table default to its name.

        ``map_part`` and ``reduce`` (both or neither) make it run on a dataset part by part
        (see the ``mapper``/``reducer`` attributes).
        """
        measure_name = name or getattr(function, "__name__", None)
        if not measure_name or measure_name == "<lambda>":
            raise InputError("a function measure needs a name", hint="pass name='...'")
        specs = table_specs(tables if tables is not None else [measure_name])
        return cls(
            measure_name,
            specs,
            function,
            describe,
            tuple(figures),
            key_table,
            mapper=map_part,
            reducer=reduce,
        )

    def map_part(self, part: Any, *, by: str) -> Any:
        """The partial of one part of the corpus (a measure with a map step only)."""
        if self.mapper is None:
            raise InputError(
                f"measure {self.name!r} has no per-part map step",
                hint="give it map_part= and reduce= (FunctionMeasure.from_function)",
            )
        return self.mapper(part, by=by)

    def reduce(self, partials: Sequence[Any], *, by: str, seed: int) -> dict[str, pd.DataFrame]:
        """The tables from every part's partial, in corpus order."""
        if self.reducer is None:
            raise InputError(
                f"measure {self.name!r} has no reduce step",
                hint="give it map_part= and reduce= (FunctionMeasure.from_function)",
            )
        return check_output(self, self.reducer(list(partials), by=by, seed=seed))

    def run(
        self, parsed: Any, *, by: str, seed: int, engine: str = "local"
    ) -> dict[str, pd.DataFrame]:
        """Call the function (or map the corpus as one part and reduce) and check that it
        returned the declared tables."""
        if self.mapper is not None:
            return self.reduce([self.map_part(parsed, by=by)], by=by, seed=seed)
        kwargs: dict[str, Any] = {"by": by, "seed": seed}
        if _accepts(self.function, "engine"):
            kwargs["engine"] = engine
        return check_output(self, self.function(parsed, **kwargs))

    def describe(self, tables: Tables) -> list[str]:
        """The describer's sentences (none without one)."""
        return [] if self.describer is None else list(self.describer(tables))

    def key_table(self, tables: Tables) -> KeyTable | None:
        """The key table for ``report.md`` (none without a ``keytable`` function)."""
        return None if self.keytable is None else self.keytable(tables)
