"""One measure for every dictionary: rates, tests and evidence of its categories per group.

Frames, metadiscourse and actors are the same measure over different dictionaries: match
the dictionary's lemma patterns (:meth:`Dictionary.match`), count the hits of each category
per group (:func:`kzdiscourse.rates.rate_table`: per 1,000 word tokens and share of
sentences, block bootstrap intervals), test each category between groups
(:func:`kzdiscourse.rates.compare_groups`: G², Benjamini–Hochberg) and show the matched
words in their sentences. A :class:`DictionaryMeasure` does this for any
:class:`~kzdiscourse.dictionary.Dictionary`, so a user's own dictionary becomes a measure
of :func:`kzdiscourse.compare` in one line, with its tables, summary sentences and figure::

    moral = DictionaryMeasure("moral", Dictionary.load("moral_ru.yaml"))
    report = kzd.compare(corpus, measures=[*kzd.measures.names(), moral])

Tables (``<prefix>`` is the measure's ``prefix``, its name by default):

* ``<prefix>_rates`` — ``group, category, documents, sentences, tokens, n, per_1000,
  ci_low, ci_high, sentences_with, sentence_share, sentence_share_ci_low,
  sentence_share_ci_high, block, n_blocks``;
* ``<prefix>_tests`` — ``category, group_a, group_b, n_a, tokens_a, n_b, tokens_b,
  per_1000_a, per_1000_b, g2, p_value, p_bh, log_ratio, higher_in``;
* ``<prefix>_evidence`` — ``doc_id, group, par_id, sent_id, category, n, terms, entries,
  sentence``: one row per sentence and category with a hit.

Subclasses change what is matched (:meth:`DictionaryMeasure.matches`, e.g. metadiscourse's
context rules), how evidence is shown (:meth:`DictionaryMeasure.evidence`) or add tables
(:meth:`DictionaryMeasure.extra_tables`, e.g. actors' agency).

A dictionary measure maps parts (:mod:`kzdiscourse.measures.partials`): a part's partial
is its hits (``doc_id, sent_id, category``), its sentence units (ids, group, word tokens)
and its evidence rows; the reduce counts and bootstraps over the joined units, so a
:class:`~kzdiscourse.store.ParsedDataset` gives the tables of the corpus in memory.

Examples
--------
>>> import kzdiscourse as kzd
>>> from kzdiscourse import Dictionary
>>> from kzdiscourse.measures import DictionaryMeasure
>>> words = Dictionary.from_dict({"energy": ["энергетический", "энергетика"]})
>>> energy = DictionaryMeasure("energy", words)
>>> [t.name for t in energy.tables]
['energy_rates', 'energy_tests', 'energy_evidence']
>>> report = kzd.compare(kzd.load_seeds(), measures=[energy])
>>> report["energy_rates"][["group", "category", "n"]].values.tolist()
[['ANKASAM', 'energy', 13], ['Dzen', 'energy', 1]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kzdiscourse import stats
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import FigureSpec, KeyTable, Tables, TableSpec
from kzdiscourse.measures.partials import concat_rows
from kzdiscourse.measures.sentence_evidence import SENTENCE_EVIDENCE_COLUMNS, evidence_by_sentence
from kzdiscourse.measures.wording import MAX_GROUP_LINES, plural, tally
from kzdiscourse.parsed import Parsed
from kzdiscourse.rates import compare_groups, sentence_units, units_rate_table

__all__ = [
    "SENTENCE_EVIDENCE_COLUMNS",
    "DictionaryMeasure",
    "describe_rates",
    "evidence_by_sentence",
    "rates_figure",
    "rates_key_table",
]


def _p(value: float) -> str:
    from kzdiscourse.report import format_number

    return format_number(float(value), "p")


def _side(group: object) -> str:
    return "the rest" if str(group) in ("(rest)", "rest") else str(group)


def describe_rates(
    tables: Tables,
    *,
    rates: str,
    tests: str,
    noun: str = "category",
    heading: str = "Categories",
    alpha: float = 0.05,
) -> list[str]:
    """Summary sentences from a dictionary measure's rates and tests tables.

    One sentence per group naming its most frequent category, with its rate, its count of
    hits and word tokens, and its 95% interval (with more than
    :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES` groups, one sentence tallying
    the most frequent category); then one per category whose G² test has a
    Benjamini–Hochberg p below ``alpha`` (at most three, by p), with the counts on both
    sides, or one saying that none does and naming the largest G².

    Examples
    --------
    >>> tests = pd.DataFrame({
    ...     "category": ["economic", "security"], "group_a": ["A", "A"],
    ...     "group_b": ["B", "B"], "n_a": [41, 20], "n_b": [12, 22],
    ...     "per_1000_a": [4.1, 2.0], "per_1000_b": [1.2, 2.2],
    ...     "g2": [9.3, 0.1], "p_value": [0.002, 0.8], "p_bh": [0.004, 0.8],
    ...     "higher_in": ["A", "B"]})
    >>> describe_rates({"r": pd.DataFrame(), "t": tests}, rates="r", tests="t", noun="frame",
    ...                heading="Frames")  # doctest: +NORMALIZE_WHITESPACE
    ['Frame economic: 4.1 per 1,000 word tokens in A (41 hits) vs 1.2 in B (12) (G² = 9.3,
      BH p = 0.004).']
    """
    out = []
    table = tables[rates]
    plural_noun = heading
    if len(table):
        tops = {}
        for group, rows in table.groupby("group", sort=True):
            top = rows.sort_values(["per_1000", "category"], ascending=[False, True]).iloc[0]
            tops[group] = top
        if len(tops) > MAX_GROUP_LINES:
            named = {g: str(t["category"]) for g, t in tops.items() if t["n"] > 0}
            if named:
                out.append(f"{plural_noun}: the most frequent {noun} is {tally(named)}.")
        else:
            for group, top in tops.items():
                if top["n"] == 0:
                    out.append(f"{plural_noun}: {group} uses none of the dictionary's {noun}s.")
                    continue
                ci = ""
                if pd.notna(top["ci_low"]):
                    ci = f"; 95% CI {top['ci_low']:.1f}–{top['ci_high']:.1f}"
                out.append(
                    f"{plural_noun}: {group}'s most frequent {noun} is {top['category']}, "
                    f"{top['per_1000']:.1f} per 1,000 word tokens ({plural(int(top['n']), 'hit')} "
                    f"in {int(top['tokens']):,} tokens{ci})."
                )
    test_table = tables[tests]
    if test_table.empty:
        return out
    ranked = test_table.sort_values(["p_bh", "g2", "category"], ascending=[True, False, True])
    significant = ranked[ranked["p_bh"] < alpha]
    single = noun[:1].upper() + noun[1:]
    for r in significant.head(3).itertuples(index=False):
        out.append(
            f"{single} {r.category}: {r.per_1000_a:.1f} per 1,000 word tokens in {r.group_a} "
            f"({plural(int(r.n_a), 'hit')}) vs {r.per_1000_b:.1f} in {_side(r.group_b)} "
            f"({int(r.n_b):,}) (G² = {r.g2:.1f}, BH p = {_p(r.p_bh)})."
        )
    if significant.empty:
        r = test_table.sort_values(["g2", "category"], ascending=[False, True]).iloc[0]
        out.append(
            f"{plural_noun}: no {noun} differs between groups at BH p < {alpha:g}; the largest "
            f"difference is {r['category']}, {r['per_1000_a']:.1f} per 1,000 in "
            f"{r['group_a']} ({plural(int(r['n_a']), 'hit')}) vs {r['per_1000_b']:.1f} in "
            f"{_side(r['group_b'])} ({int(r['n_b']):,}) (G² = {r['g2']:.1f}, "
            f"BH p = {_p(r['p_bh'])})."
        )
    elif len(significant) > 3:
        out.append(f"{plural_noun}: {len(significant) - 3} more {noun} tests at BH p < {alpha:g}.")
    return out


def rates_key_table(
    tables: Tables,
    *,
    rates: str,
    tests: str,
    title: str,
    noun: str = "category",
    rows: int = 6,
    alpha: float = 0.05,
) -> KeyTable | None:
    """A dictionary measure's key table: per 1,000 word tokens (hits) per category and group.

    Categories run down (those with a test at BH p < ``alpha`` first, then by the mean
    rate over groups; at most ``rows``; categories no group uses are left out), groups
    across. With two groups the G² and BH p of
    each category are added; with more, a cell is starred when its group differs from the
    rest at BH p < ``alpha``.

    Examples
    --------
    >>> r = pd.DataFrame({"group": ["A", "B"], "category": ["gas", "gas"],
    ...     "per_1000": [4.0, 1.0], "n": [8, 2]})
    >>> t = pd.DataFrame({"category": ["gas"], "group_a": ["A"], "group_b": ["B"],
    ...     "g2": [3.9], "p_bh": [0.048]})
    >>> rates_key_table({"r": r, "t": t}, rates="r", tests="t", title="Gas").table.values.tolist()
    [['gas', '4.0 (8)', '1.0 (2)', '3.9', '0.048']]
    """
    table = tables[rates]
    if table.empty:
        return None
    test_table = tables.get(tests)
    if test_table is None:
        test_table = pd.DataFrame(columns=["category", "group_a", "group_b", "g2", "p_bh"])
    groups = sorted(table["group"].astype(str).unique())
    used = table.groupby("category", sort=False)["n"].sum()
    mean = table.groupby("category", sort=False)["per_1000"].mean()[used > 0]
    if mean.empty:
        return None
    significant = set(test_table.loc[test_table["p_bh"] < alpha, "category"].astype(str))
    order = sorted(mean.index, key=lambda c: (str(c) not in significant, -mean[c], str(c)))
    shown = order[:rows]
    out = pd.DataFrame({noun: [str(c) for c in shown]})
    star = set()
    if len(groups) > 2:
        star = {
            (str(r.category), str(r.group_a))
            for r in test_table.itertuples(index=False)
            if r.p_bh < alpha
        }
    for group in groups:
        sub = table[table["group"].astype(str) == group].set_index("category")
        out[group] = [
            f"{sub.loc[c, 'per_1000']:.1f} ({int(sub.loc[c, 'n']):,})"
            + ("*" if (str(c), group) in star else "")
            for c in shown
        ]
    caption = f"{title} per 1,000 word tokens (hits in parentheses)"
    if len(groups) == 2 and len(test_table):
        by_cat = test_table.set_index("category")
        out["G²"] = [f"{by_cat.loc[c, 'g2']:.1f}" for c in shown]
        out["BH p"] = [_p(by_cat.loc[c, "p_bh"]) for c in shown]
        caption += "; G² test between the two groups with Benjamini–Hochberg p"
    elif star:
        caption += f"; * the group differs from the rest at BH p < {alpha:g} (G²)"
    if len(order) > rows:
        caption += (
            f"; the {rows} of {len(order)} {noun}s that differ most clearly or are most frequent"
        )
    return KeyTable(f"{title} by group", out, caption + ".", (rates, tests))


def rates_figure(
    name: str,
    table: str,
    *,
    title: str,
    what: str,
    caption: str | None = None,
    headline: bool = False,
) -> FigureSpec:
    """A dot plot of ``table``'s ``per_1000`` by group and category, with intervals.

    Parameters
    ----------
    name : str
        Figure name.
    table : str
        The rates table it is drawn from.
    title : str
        Heading in ``report.md``.
    what : str
        What the dots are, for the figure's own title (``"Frames"`` → "Frames by outlet").
    caption : str, optional
        The caption; by default one naming ``what``.
    headline : bool
        Shown as a thumbnail in the notebook overview.

    Examples
    --------
    >>> rates_figure("energy_rates", "energy_rates", title="Energy by group", what="Energy").tables
    ('energy_rates',)
    """

    def draw(tables: Tables, **kw: Any) -> Any:
        from kzdiscourse.plots.charts import category_rates

        return category_rates(tables[table], what=what, table_name=table, **kw)

    if caption is None:
        caption = (
            f"{what} hits per 1,000 word tokens by group, most frequent category on top, with "
            "95% bootstrap intervals over sentences."
        )
    return FigureSpec(name, title, caption, (table,), draw, headline=headline)


class DictionaryMeasure:
    """A measure counting a dictionary's categories per group (see the module docstring).

    Parameters
    ----------
    name : str
        Measure name (``compare(measures=[...])``, the manifest).
    dictionary : Dictionary, str or pathlib.Path
        A :class:`Dictionary`, the name of a bundled resource (``"frames_ru"``) or a path to a
        dictionary file (:meth:`Dictionary.load`); loaded on first use.
    prefix : str, optional
        Table name prefix; ``name`` by default.
    scope : {"category", "dictionary"}, default "category"
        Overlap rule of the matching (see :mod:`kzdiscourse.dictionary`).
    block : {"sentence", "paragraph", "document"}, default "sentence"
        What the bootstrap resamples.
    n_boot : int, default 2000
        Bootstrap replicates.
    noun, heading : str, optional
        Words of the summary sentences (``"frame"``, ``"Frames"``); ``"category"`` and the
        capitalised name by default.
    describe : bool, default True
        Whether the measure adds summary sentences.
    descriptions : mapping, optional
        Table name → description, replacing the generic ones.
    figures : sequence of FigureSpec, optional
        The measure's figures; by default a dot plot of the rates table.
    """

    def __init__(
        self,
        name: str,
        dictionary: Dictionary | str | Path,
        *,
        prefix: str | None = None,
        scope: str = "category",
        block: str = "sentence",
        n_boot: int = stats.BOOTSTRAP_REPLICATES,
        noun: str = "category",
        heading: str | None = None,
        describe: bool = True,
        descriptions: Mapping[str, str] | None = None,
        figures: Sequence[FigureSpec] | None = None,
    ) -> None:
        if not name or not str(name).isidentifier():
            raise InputError(
                f"measure name {name!r} is not usable as a table name prefix",
                hint="use letters, digits and underscores, e.g. 'moral_foundations'",
            )
        self.name = str(name)
        self.prefix = str(prefix or name)
        self.scope = scope
        self.block = block
        self.n_boot = int(n_boot)
        self.noun = noun
        self.heading = heading or self.name.replace("_", " ").capitalize()
        self._describe = bool(describe)
        self._source = dictionary
        self._dictionary = dictionary if isinstance(dictionary, Dictionary) else None
        given = dict(descriptions or {})
        self.tables = tuple(
            TableSpec(t, given.get(t, self._default_description(t))) for t in self.table_names()
        )
        if figures is None:
            figures = (
                rates_figure(
                    f"{self.prefix}_rates",
                    f"{self.prefix}_rates",
                    title=f"{self.heading} by group",
                    what=self.heading,
                ),
            )
        self.figures = tuple(figures)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, tables={[t.name for t in self.tables]})"

    # ------------------------------------------------------------------ identity
    def table_names(self) -> list[str]:
        """Rates, tests, any extra tables, then evidence."""
        p = self.prefix
        return [f"{p}_rates", f"{p}_tests", *self.extra_table_names(), f"{p}_evidence"]

    def extra_table_names(self) -> list[str]:
        """Names of the tables :meth:`extra_tables` adds (none here)."""
        return []

    def _default_description(self, table: str) -> str:
        what = f"categories of the {self._dictionary_label()} dictionary"
        if table.endswith("_rates"):
            return (
                f"Hits of the {what} per group (lemma matching): count n, per 1,000 word "
                "tokens and share of sentences, with 95% bootstrap intervals over sentences."
            )
        if table.endswith("_tests"):
            return (
                "Per-category log-likelihood (G²) test between groups (two groups: first vs "
                "second; more: each vs the rest), p-value, Benjamini–Hochberg p and log ratio."
            )
        if table.endswith("_evidence"):
            return f"The matched terms of the {what} in each sentence, with the sentence text."
        return ""

    def _dictionary_label(self) -> str:
        source = self._source
        if isinstance(source, Dictionary):
            return source.name
        return Path(str(source)).stem

    @property
    def dictionary(self) -> Dictionary:
        """The dictionary, loaded on first use."""
        if self._dictionary is None:
            source = self._source
            if isinstance(source, str) and not Path(source).suffix:
                self._dictionary = Dictionary.from_resource(source)
            else:
                self._dictionary = Dictionary.load(source)  # type: ignore[arg-type]
        return self._dictionary

    def categories(self) -> list[str]:
        """The categories reported, in table order (the dictionary's)."""
        return list(self.dictionary.categories)

    # ------------------------------------------------------------------ the steps
    def matches(self, parsed: Parsed) -> pd.DataFrame:
        """Every hit: the rows of :meth:`Dictionary.match` with this measure's scope."""
        return self.dictionary.match(parsed, scope=self.scope)

    def rates(self, matches: pd.DataFrame, parsed: Parsed, *, by: str, seed: int) -> pd.DataFrame:
        """The ``<prefix>_rates`` table from the matches."""
        return self.rates_of_units(matches, sentence_units(parsed, by), seed=seed)

    def rates_of_units(
        self, matches: pd.DataFrame, units: pd.DataFrame, *, seed: int
    ) -> pd.DataFrame:
        """The ``<prefix>_rates`` table from the matches and the sentence units
        (:func:`kzdiscourse.rates.sentence_units`)."""
        return units_rate_table(
            matches,
            units,
            self.categories(),
            block=self.block,
            seed=seed,
            n_boot=self.n_boot,
        )

    def tests(self, rates: pd.DataFrame) -> pd.DataFrame:
        """The ``<prefix>_tests`` table from the rates."""
        return compare_groups(rates)

    def evidence(self, matches: pd.DataFrame, parsed: Parsed, *, by: str) -> pd.DataFrame:
        """The ``<prefix>_evidence`` table: one row per sentence and category."""
        return evidence_by_sentence(matches, parsed, by, self.categories())

    def evidence_order(self) -> list[str] | None:
        """The columns the evidence of the corpus is sorted by first, stably (``None``:
        corpus order): a part's evidence, whole documents in the corpus's order of rows,
        joined with the others and sorted by these columns again is the corpus's."""
        return ["doc_id"]

    def extra_tables(
        self,
        matches: pd.DataFrame,
        units: pd.DataFrame,
        groups: pd.Series,
        *,
        by: str,
        seed: int,
        evidence: pd.DataFrame,
    ) -> dict[str, pd.DataFrame]:
        """Further tables of a subclass (named in :meth:`extra_table_names`), made from the
        hits (``doc_id, sent_id, category``), the sentence units, the group of every
        document and the evidence table."""
        return {}

    # ------------------------------------------------------------------ map and reduce
    maps_parts = True

    def map_part(self, part: Parsed, *, by: str) -> dict[str, Any]:
        """The partial of one part: hits, sentence units, evidence rows and the documents'
        groups (see :mod:`kzdiscourse.measures.partials`)."""
        m = self.matches(part)
        return {
            "hits": m[["doc_id", "sent_id", "category"]].reset_index(drop=True),
            "units": sentence_units(part, by),
            "evidence": self.evidence(m, part, by=by),
            "groups": part.groups(by),
        }

    def reduce(self, partials: Sequence[dict[str, Any]], *, by: str, seed: int) -> dict:
        """Every table from the parts' partials (in corpus order)."""
        hits = concat_rows(p["hits"] for p in partials)
        units = concat_rows(p["units"] for p in partials)
        groups = pd.concat([p["groups"] for p in partials]) if partials else pd.Series()
        evidence = concat_rows(p["evidence"] for p in partials)
        order = self.evidence_order()
        if order is not None and len(partials) > 1:
            evidence = evidence.sort_values(order, kind="stable").reset_index(drop=True)
        p = self.prefix
        rates = self.rates_of_units(hits, units, seed=seed)
        out = {f"{p}_rates": rates, f"{p}_tests": self.tests(rates)}
        out.update(self.extra_tables(hits, units, groups, by=by, seed=seed, evidence=evidence))
        out[f"{p}_evidence"] = evidence
        return {t.name: out[t.name] for t in self.tables}

    def run(
        self, parsed: Parsed, *, by: str, seed: int, engine: str = "local"
    ) -> dict[str, pd.DataFrame]:
        """Match once, then make every table from the same matches (the corpus as one
        part, mapped and reduced)."""
        return self.reduce([self.map_part(parsed, by=by)], by=by, seed=seed)

    def key_table(self, tables: Tables) -> KeyTable | None:
        """Rates per category and group, with the tests (see :func:`rates_key_table`)."""
        p = self.prefix
        return rates_key_table(
            tables, rates=f"{p}_rates", tests=f"{p}_tests", title=self.heading, noun=self.noun
        )

    def describe(self, tables: Tables) -> list[str]:
        """Most frequent category per group and the clearest differences (if enabled)."""
        if not self._describe:
            return []
        p = self.prefix
        return describe_rates(
            tables, rates=f"{p}_rates", tests=f"{p}_tests", noun=self.noun, heading=self.heading
        )
