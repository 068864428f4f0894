"""What a reader sees of keyness: the summary sentences, the key table and the figure.

One rule decides which terms are shown as key words, here and only here:
:func:`is_left_out`. The figure, the summary sentences and the key table of ``report.md``
all leave out the terms it flags — function words (:func:`is_function_word`: lemmas of the
bundled ``stopwords_ru`` list; a bigram when both its lemmas are) and terms without a
letter (numbers such as «50», «14–15») — so the summary never leads with «с», «что», «в»
while the figure shows content words. The ``keyness_tests`` table keeps every term.

Ties are broken the same way everywhere: by ``z`` as written (canonical, 8 significant
digits, so a last-bit difference cannot reorder terms), then alphabetically by term.

Examples
--------
>>> import pandas as pd
>>> is_function_word(pd.Series(["и", "газ", "в россия", "и в"])).tolist()
[True, False, False, True]
>>> is_left_out(pd.Series(["и", "газ", "50", "14–15"])).tolist()
[True, False, True, True]
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.canonical import canonical
from kzdiscourse.measures.base import KeyTable, Tables
from kzdiscourse.measures.wording import MAX_GROUP_LINES, plural

__all__ = [
    "comparisons",
    "describe_keyness",
    "function_words",
    "is_function_word",
    "is_left_out",
    "key_table",
    "keyness_caption",
    "ranked_terms",
]


@cache
def function_words() -> tuple[frozenset[str], str]:
    """The function words keyness leaves out of what it shows, and the list's version."""
    from kzdiscourse.resources import load_resource

    resource = load_resource("stopwords_ru")
    return frozenset(str(w) for w in resource.data["words"]), str(resource.version)


def is_function_word(terms: pd.Series) -> np.ndarray:
    """Whether each term is a function word: a lemma of ``stopwords_ru``, or a bigram
    (``"lemma lemma"``) both of whose lemmas are."""
    words, _ = function_words()
    return np.array(
        [all(part in words for part in str(term).split(" ")) for term in terms], dtype=bool
    )


def is_left_out(terms: pd.Series) -> np.ndarray:
    """Whether a term is left out of what keyness shows: a function word, or a term
    without a letter (a number)."""
    letters = np.array([any(ch.isalpha() for ch in str(term)) for term in terms], dtype=bool)
    return is_function_word(terms) | ~letters


def _other(table: pd.DataFrame, group: str, reference: str) -> str:
    """How a comparison's other side is named: the other group when there are two."""
    if reference != "rest":
        return reference.split(" (")[0]  # "general Russian (wordfreq …)" → "general Russian"
    in_comparison = sorted(set(table.loc[table["reference"] == "rest", "group"].astype(str)))
    if len(in_comparison) == 2:
        return next(g for g in in_comparison if g != group)
    return "the rest"


def comparisons(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(group, reference, other side's name)`` of every comparison in the table, the
    group-vs-group ones first (by group), then those against a reference list."""
    pairs = table[["group", "reference"]].astype(str).drop_duplicates()
    pairs = pairs.assign(_ref=pairs["reference"] != "rest").sort_values(
        ["_ref", "reference", "group"], kind="stable"
    )
    names = zip(pairs["group"], pairs["reference"], strict=True)
    return [(g, r, _other(table, g, r)) for g, r in names]


def ranked_terms(rows: pd.DataFrame, *, over: bool = True) -> pd.DataFrame:
    """The content words (not :func:`is_left_out`) of one comparison that the group uses
    more (``over=True``) or less than the other side, strongest first, ties by term."""
    rows = rows[~is_left_out(rows["term"])]
    z = canonical(rows["z"].astype(float))
    keep = (z > 0) if over else (z < 0)
    rows = rows.assign(_z=z if over else -z)[keep & np.isfinite(z)]
    rows = rows.assign(term=rows["term"].astype(str))
    return rows.sort_values(["_z", "term"], ascending=[False, True], kind="mergesort").drop(
        columns="_z"
    )


def _comparison_rows(table: pd.DataFrame, group: str, reference: str) -> pd.DataFrame:
    return table[
        (table["group"].astype(str) == group) & (table["reference"].astype(str) == reference)
    ]


def describe_keyness(tables: Tables, n_terms: int = 5, alpha: float = 0.05) -> list[str]:
    """Summary sentences generated from a Report's ``keyness_tests`` table.

    One sentence per comparison (group against the other group, the rest or a reference
    list): how many lemmas the group over-uses at Bonferroni p < ``alpha`` — or that none
    does, with the largest z — and its ``n_terms`` strongest content words (function
    words and numbers left out, as in the figure: :func:`is_left_out`) with their
    log-odds z.
    The first comparison with a small-N flag says what that means. With more than
    :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES` groups, one sentence per
    reference instead, counting the groups with significant key words.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "group": ["A"] * 4, "reference": ["rest"] * 4, "term": ["и", "ес", "газ", "в"],
    ...     "direction": [1, 1, 1, -1], "tested": [True] * 4, "z": [4.0, 3.2, 2.5, -1.0],
    ...     "p_bonferroni": [0.001, 0.01, 0.2, 1.0], "small_n": [False] * 4})
    >>> print(describe_keyness({"keyness_tests": table})[0])  # doctest: +NORMALIZE_WHITESPACE
    Keyness, A vs the rest: 2 lemmas over-used at Bonferroni p < 0.05; strongest content
    words (log-odds z): ес (3.2), газ (2.5).
    """
    table = tables["keyness_tests"]
    if table.empty:
        return []
    found = comparisons(table)
    if len({g for g, _, _ in found}) > MAX_GROUP_LINES:
        return _describe_many(table, found, alpha)
    out = []
    explained = False
    for group, reference, other in found:
        rows = _comparison_rows(table, group, reference)
        over = rows[(rows["direction"] > 0) & rows["tested"].astype(bool)]
        n_sig = int((over["p_bonferroni"] < alpha).sum())
        top = ranked_terms(over).head(n_terms)
        words = ", ".join(f"{r.term} ({r.z:.1f})" for r in top.itertuples())
        head = f"Keyness, {group} vs {other}: "
        if over.empty:
            line = f"{head}no lemma is used more often than in {other}."
        elif n_sig:
            line = (
                f"{head}{plural(n_sig, 'lemma')} over-used at Bonferroni p < {alpha:g}; "
                f"strongest content words (log-odds z): {words}."
            )
        else:
            largest = float(canonical(over["z"].astype(float)).max())
            line = (
                f"{head}no lemma is over-used at Bonferroni p < {alpha:g} (largest z "
                f"{largest:.1f}); highest content words, none significant: {words}."
            )
        if not explained and bool(rows["small_n"].astype(bool).any()):
            line += " Small N: these tests treat tokens as independent draws."
            explained = True
        out.append(line)
    return out


def _describe_many(
    table: pd.DataFrame, found: list[tuple[str, str, str]], alpha: float
) -> list[str]:
    out = []
    for reference in dict.fromkeys(r for _, r, _ in found):
        counts = {}
        for group, ref, _ in found:
            if ref != reference:
                continue
            rows = _comparison_rows(table, group, ref)
            over = rows[(rows["direction"] > 0) & rows["tested"].astype(bool)]
            counts[group] = int((over["p_bonferroni"] < alpha).sum())
        with_any = {g: n for g, n in counts.items() if n}
        name = "the rest" if reference == "rest" else reference.split(" (")[0]
        line = (
            f"Keyness vs {name}: lemmas over-used at Bonferroni p < {alpha:g} in "
            f"{len(with_any)} of {plural(len(counts), 'group')}"
        )
        if with_any:
            most = sorted(with_any.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            line += f" (most: {most[0]}, {most[1]:,})"
        out.append(line + "; each group's strongest content words are in the key table.")
    return out


def key_table(tables: Tables, n_terms: int = 5, alpha: float = 0.05) -> KeyTable | None:
    """The strongest content words of each comparison (columns), ranked down, with z.

    Every group against the other group(s); with up to
    :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES` groups also against each
    reference list. The last row counts the lemmas at Bonferroni p < ``alpha``.
    """
    table = tables["keyness_tests"]
    if table.empty:
        return None
    found = comparisons(table)
    if len({g for g, _, _ in found}) > MAX_GROUP_LINES:
        rest = [c for c in found if c[1] == "rest"]
        found = rest or found
    out = pd.DataFrame({"rank": [*map(str, range(1, n_terms + 1)), f"Bonferroni p < {alpha:g}"]})
    for group, reference, other in found:
        rows = _comparison_rows(table, group, reference)
        over = rows[(rows["direction"] > 0) & rows["tested"].astype(bool)]
        top = ranked_terms(over).head(n_terms)
        cells = [f"{r.term} ({r.z:.1f})" for r in top.itertuples()]
        cells += [""] * (n_terms - len(cells))
        out[f"{group} vs {other}"] = [*cells, f"{int((over['p_bonferroni'] < alpha).sum()):,}"]
    _, version = function_words()
    references = sorted({r for _, r, _ in found if r != "rest"})
    caption = (
        "The content words each group uses most over the other side, by log-odds z with an "
        f"informative prior (Monroe et al.); function words (stopwords_ru {version}) and "
        "numbers are left out, as in the figure and the summary; last row: lemmas "
        f"over-used at Bonferroni p < {alpha:g}"
    )
    if references:
        caption += f". Reference list: {', '.join(references)}"
    return KeyTable("Key words by group", out, caption + ".", ("keyness_tests",))


def keyness_caption(tables: Tables) -> str:
    """The figure's caption: which comparison it shows, the function-word rule, and
    whether any term reaches significance."""
    from kzdiscourse.plots.keyness import keyness_comparison, significance_note

    table = tables["keyness_tests"]
    group, other = keyness_comparison(table)
    _, version = function_words()
    reference = "rest" if "rest" in set(table["reference"].astype(str)) else None
    rows = table[table["group"].astype(str) == group]
    if reference is not None:
        rows = rows[rows["reference"].astype(str) == "rest"]
    note = significance_note(rows)
    note = f" In this comparison {note}: the bars describe a few occurrences." if note else ""
    return (
        f"The 10 content words most over-used in {group} and the 10 most over-used in {other} "
        f"({group} against {other}), by log-odds z with an informative prior (Monroe et al.); "
        f"ties by term. Function words (stopwords_ru {version}) and numbers are left out, as "
        f"in the summary and the key table; the keyness table keeps them.{note}"
    )


def draw_keyness(tables: Tables, **kw: Any) -> Any:
    """The keyness figure of the Report, without the terms :func:`is_left_out` flags."""
    from kzdiscourse.plots.keyness import keyness_terms

    table = tables["keyness_tests"]
    exclude = set(table.loc[is_left_out(table["term"]), "term"].astype(str))
    return keyness_terms(table, exclude=exclude, **kw)
