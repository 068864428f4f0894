"""How summary sentences and report tables word numbers: one rule each, shared by every measure.

The summary is what a reader quotes, so every sentence generated from a table follows the
same rules:

* a share says of what: ``"8 of 9 sentences (89%)"``, never a bare ``"89%"``;
* small numbers are said in words: a group with fewer than :data:`SMALL_N_DOCUMENTS`
  documents, or a share of fewer than :data:`FEW_SENTENCES` sentences, is called small;
* a test that does not reach its threshold is said not to, with the threshold;
* with more than :data:`MAX_GROUP_LINES` groups a measure writes one sentence for all
  groups (the range and who is at each end) instead of one per group, so the summary
  stays short; the per-group numbers are in the report's key table and the full tables.

Examples
--------
>>> count_of(1, 9, "sentence")
'1 of 9 sentences (11%)'
>>> percent(0.004), percent(0.0), percent(1 / 3)
('<1%', '0%', '33%')
>>> interval(0.25, 0.5625)
'95% CI 25–56%'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

__all__ = [
    "FEW_SENTENCES",
    "MAX_GROUP_LINES",
    "SMALL_N_DOCUMENTS",
    "count_of",
    "interval",
    "join_words",
    "percent",
    "plural",
    "tally",
]

#: Up to this many groups a measure writes one summary sentence per group.
MAX_GROUP_LINES = 4
#: Fewer documents than this in a group: the summary calls it small, and tests between
#: groups describe the texts, not the groups they stand for.
SMALL_N_DOCUMENTS = 5
#: A share of fewer sentences than this is called imprecise in the summary.
FEW_SENTENCES = 30


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``n`` and the noun in the right number.

    Examples
    --------
    >>> plural(1, "document"), plural(2, "document"), plural(3, "hypothesis", "hypotheses")
    ('1 document', '2 documents', '3 hypotheses')
    """
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,} {word}"


def percent(share: float) -> str:
    """A share as a whole percentage; ``<1%`` rather than a misleading ``0%``.

    Examples
    --------
    >>> percent(0.999), percent(float("nan"))
    ('>99%', '–')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def count_of(k: int, n: int, noun: str, plural_form: str | None = None) -> str:
    """``"k of n nouns (p%)"``: a share that says of what.

    Examples
    --------
    >>> count_of(0, 30, "sentence"), count_of(1, 1, "document")
    ('0 of 30 sentences (0%)', '1 of 1 document (100%)')
    """
    share = percent(k / n) if n else "–"
    return f"{k:,} of {plural(n, noun, plural_form)} ({share})"


def interval(low: float, high: float) -> str:
    """A 95% interval of two shares, ``"95% CI 25–56%"``; empty when it is missing."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"95% CI {low:.0%}–{high:.0%}".replace("%–", "–")


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> join_words(["A"]), join_words(["A", "B", "C"])
    ('A', 'A, B and C')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def tally(values: Mapping[str, str], noun: str = "group") -> str:
    """How often each value occurs over the groups, most frequent first, ties by value.

    Examples
    --------
    >>> tally({"A": "balance", "B": "pro_eu", "C": "balance"})
    'balance in 2 groups, pro_eu in 1 (B)'
    """
    counts: dict[str, list[str]] = {}
    for group, value in values.items():
        counts.setdefault(str(value), []).append(str(group))
    ordered = sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    parts = []
    for k, (value, groups) in enumerate(ordered):
        if k == 0:
            parts.append(f"{value} in {plural(len(groups), noun)}")
        elif len(groups) <= 2:
            parts.append(f"{value} in {len(groups)} ({', '.join(sorted(groups))})")
        else:
            parts.append(f"{value} in {len(groups)}")
    return ", ".join(parts)
