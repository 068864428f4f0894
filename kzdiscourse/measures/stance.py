"""The stance measure of :func:`kzdiscourse.compare`: stance shares per group and their
differences, with every sentence's label and the cues behind it.

The work is done by :func:`kzdiscourse.stance.profile` (default scorer: the lexicon); this
module names its tables in the scheme every measure shares:

* ``stance_rates`` — :attr:`StanceProfile.shares` with ``category`` (the stance label) and
  ``sentences`` (was ``label``, ``n_sentences``);
* ``stance_tests`` — :attr:`StanceProfile.differences` with ``category``, ``sentences_a``
  and ``sentences_b`` (was ``label``, ``n_a``, ``n_b``);
* ``stance_sentences`` — every sentence with its label and probabilities;
* ``stance_evidence`` — the cues behind every sentence's stance.

Each table has a function of the same name.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures.stance import stance_rates
>>> parsed = load_seeds().clean().parse()
>>> rates = stance_rates(parsed, by="outlet", n_boot=200, n_perm=200)
>>> rates.query("dominant and estimate == 'classify_and_count'")["category"].tolist()
['balance', 'instrumental']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse import stats
from kzdiscourse.measures.base import FigureSpec, FunctionMeasure, Tables, TableSpec
from kzdiscourse.parsed import Parsed

__all__ = [
    "MEASURE",
    "RATES_RENAMED",
    "TESTS_RENAMED",
    "describe_stance",
    "stance_evidence",
    "stance_rates",
    "stance_sentences",
    "stance_tables",
    "stance_tests",
]

#: Columns of :attr:`StanceProfile.shares` renamed in ``stance_rates``.
RATES_RENAMED = {"label": "category", "n_sentences": "sentences"}
#: Columns of :attr:`StanceProfile.differences` renamed in ``stance_tests``.
TESTS_RENAMED = {"label": "category", "n_a": "sentences_a", "n_b": "sentences_b"}


def stance_tables(
    parsed: Parsed,
    by: str = "outlet",
    *,
    seed: int = 0,
    method: Any = None,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
    n_perm: int = stats.PERMUTATIONS,
) -> dict[str, pd.DataFrame]:
    """The four stance tables from one :func:`kzdiscourse.stance.profile`.

    Parameters
    ----------
    parsed : Parsed
    by : str, default "outlet"
    seed : int, default 0
        The one seed of every bootstrap, permutation and CV split.
    method : None, "lexicon", "classifier" or a scorer object
        The sentence scorer (default: the lexicon).
    n_boot, n_perm : int
        Bootstrap replicates and permutations.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``stance_rates``, ``stance_tests``, ``stance_sentences``, ``stance_evidence``.
    """
    from kzdiscourse.stance.profile import profile

    prof = profile(parsed, by=by, seed=seed, method=method, n_boot=n_boot, n_perm=n_perm)
    return {
        "stance_rates": prof.shares.rename(columns=RATES_RENAMED),
        "stance_tests": prof.differences.rename(columns=TESTS_RENAMED),
        "stance_sentences": prof.sentences,
        "stance_evidence": prof.evidence,
    }


def stance_rates(
    parsed: Parsed,
    by: str = "outlet",
    *,
    seed: int = 0,
    method: Any = None,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
    n_perm: int = stats.PERMUTATIONS,
) -> pd.DataFrame:
    """Share of sentences per stance label and group, with intervals (``stance_rates``).

    Columns ``group, category, estimate, value, ci_low, ci_high, sentences, n_blocks,
    block, dominant, method, confusion_from`` (see :attr:`StanceProfile.shares`).
    """
    return stance_tables(parsed, by, seed=seed, method=method, n_boot=n_boot, n_perm=n_perm)[
        "stance_rates"
    ]


def stance_tests(
    parsed: Parsed,
    by: str = "outlet",
    *,
    seed: int = 0,
    method: Any = None,
    n_perm: int = stats.PERMUTATIONS,
) -> pd.DataFrame:
    """Per label, the difference in sentence shares between groups (``stance_tests``).

    Columns ``category, group_a, group_b, share_a, share_b, difference, cohens_h, p_value,
    p_holm, sentences_a, sentences_b, unit, method`` (see
    :attr:`StanceProfile.differences`).
    """
    return stance_tables(parsed, by, seed=seed, method=method, n_boot=0, n_perm=n_perm)[
        "stance_tests"
    ]


def stance_sentences(parsed: Parsed, by: str = "outlet", *, method: Any = None) -> pd.DataFrame:
    """Every sentence with its group, stance label, probabilities, margin and text."""
    from kzdiscourse.stance.profile import get_scorer, score

    groups = parsed.groups(by)
    sentences = score(parsed, get_scorer(method))
    sentences.insert(0, "group", sentences["doc_id"].map(groups).to_numpy())
    text = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    sentences["text"] = text.reindex(
        pd.MultiIndex.from_frame(sentences[["doc_id", "sent_id"]])
    ).to_numpy()
    return sentences


def stance_evidence(parsed: Parsed, by: str = "outlet", *, method: Any = None) -> pd.DataFrame:
    """The cues (lexicon) or features (classifier) behind every sentence's stance."""
    from kzdiscourse.stance.profile import evidence

    ev = evidence(parsed, method)
    ev.insert(1, "group", ev["doc_id"].map(parsed.groups(by)).to_numpy())
    return ev


def describe_stance(tables: Tables) -> list[str]:
    """One sentence per group: its dominant stance, share and 95% interval.

    Examples
    --------
    >>> shares = pd.DataFrame({
    ...     "group": ["A"] * 4, "category": ["pro_eu", "balance", "instrumental", "none"],
    ...     "estimate": ["classify_and_count"] * 4, "value": [0.1, 0.5, 0.1, 0.3],
    ...     "ci_low": [0.0, 0.3, 0.0, 0.1], "ci_high": [0.2, 0.7, 0.2, 0.5],
    ...     "sentences": [10] * 4, "dominant": [False, True, False, False],
    ...     "method": ["lexicon"] * 4})
    >>> describe_stance({"stance_rates": shares})
    ['Stance (lexicon): A is mainly balance, 50% of 10 sentences (95% CI 30–70%).']

    The table under its name before 0.1.0 (``stance_profile``, columns ``label`` and
    ``n_sentences``) is read too, for the deprecated ``kzdiscourse.stance.profile`` alias.
    """
    if "stance_rates" not in tables and "stance_profile" in tables:
        shares = tables["stance_profile"].rename(columns=RATES_RENAMED)
    else:
        shares = tables["stance_rates"]
    rows = shares.loc[shares["dominant"] & (shares["estimate"] == "classify_and_count")]
    out = []
    for r in rows.itertuples(index=False):
        ci = (
            f" (95% CI {r.ci_low:.0%}–{r.ci_high:.0%})".replace("%–", "–")
            if np.isfinite(r.ci_low)
            else " (no interval: a single paragraph)"
        )
        out.append(
            f"Stance ({r.method}): {r.group} is mainly {r.category}, {r.value:.0%} of "
            f"{r.sentences} sentences{ci}."
        )
    return out


def _run(parsed: Parsed, *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    return stance_tables(parsed, by, seed=seed)


def _draw(tables: Tables, **kw: Any) -> Any:
    from kzdiscourse.plots.charts import stance_shares

    return stance_shares(tables["stance_rates"], **kw)


#: The stance measure of :func:`kzdiscourse.compare` (lexicon scorer).
MEASURE = FunctionMeasure(
    "stance",
    (
        TableSpec(
            "stance_rates",
            "Share of sentences per stance label (category) and group (lexicon scorer): "
            "classify-and-count, mean probability and adjusted classify-and-count (estimate "
            "column), with 95% bootstrap intervals over paragraphs and the dominant stance.",
        ),
        TableSpec(
            "stance_tests",
            "Per label, difference in sentence shares between groups (two groups: first vs "
            "second; more: each vs the rest), Cohen's h, permutation p and Holm p.",
        ),
        TableSpec(
            "stance_sentences",
            "Every sentence with its stance label, a probability per label, the margin and "
            "the scorer (method).",
        ),
        TableSpec(
            "stance_evidence",
            "The cues behind every sentence's stance: lexicon entry, weight, and the "
            "negation, contrast, concession or clause rules applied.",
        ),
    ),
    _run,
    describe_stance,
    (
        FigureSpec(
            "stance_shares",
            "Stance by group",
            "Share of sentences per stance label and group (classify-and-count, lexicon "
            "scorer), with 95% bootstrap intervals over paragraphs.",
            ("stance_rates",),
            _draw,
            headline=True,
        ),
    ),
)
