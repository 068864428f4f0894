"""The stance measure of :func:`kzdiscourse.compare`: stance shares per group and their
differences, with every sentence's label and the cues behind it.

The work is done by :func:`kzdiscourse.stance.profile` (default scorer: the model trained
on the coded corpus, recorded in the Report manifest as ``stance_model``); this
module names its tables in the scheme every measure shares:

* ``stance_rates`` — :attr:`StanceProfile.shares` with ``category`` (the stance label) and
  ``sentences`` (was ``label``, ``n_sentences``);
* ``stance_tests`` — :attr:`StanceProfile.differences` with ``category``, ``sentences_a``
  and ``sentences_b`` (was ``label``, ``n_a``, ``n_b``);
* ``stance_sentences`` — every sentence with its label and probabilities;
* ``stance_evidence`` — what pushed every sentence to its label (the model's top-weighted
  features: lemmas, character n-grams, lexicon scores, actors …).

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

import copy
from typing import Any

import pandas as pd

from kzdiscourse import stats
from kzdiscourse.formatting import format_number
from kzdiscourse.measures.base import FigureSpec, FunctionMeasure, KeyTable, Tables, TableSpec
from kzdiscourse.measures.partials import concat_parsed, concat_rows, slim
from kzdiscourse.measures.wording import (
    FEW_SENTENCES,
    MAX_GROUP_LINES,
    interval,
    percent,
    plural,
    tally,
)
from kzdiscourse.parsed import Parsed

__all__ = [
    "MEASURE",
    "RATES_RENAMED",
    "TESTS_RENAMED",
    "describe_stance",
    "key_table",
    "map_stance",
    "reduce_stance",
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
    method : None, "model", "lexicon", "classifier" or a scorer object
        The sentence scorer (default: the shipped model).
    n_boot, n_perm : int
        Bootstrap replicates and permutations.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``stance_rates``, ``stance_tests``, ``stance_sentences``, ``stance_evidence``.
    """
    return reduce_stance(
        [map_stance(parsed, by=by, method=method)],
        by=by,
        seed=seed,
        method=method,
        n_boot=n_boot,
        n_perm=n_perm,
    )


def map_stance(parsed: Parsed, *, by: str, method: Any = None) -> dict[str, Any]:
    """The stance partial of one part: every sentence scored, the scorer's evidence, and
    the part's sentences (ids and text) with its documents' metadata.

    Sentences are scored independently (see :func:`kzdiscourse.stance.score`), so the
    parts' rows joined in order are the corpus's.
    """
    from kzdiscourse.stance.profile import get_scorer

    scorer = get_scorer(method)
    if hasattr(scorer, "score_with_evidence"):
        scored, evidence = scorer.score_with_evidence(parsed)
    else:
        scored, evidence = scorer.score_sentences(parsed), scorer.evidence(parsed)
    keep = {"sentences": ["doc_id", "par_id", "sent_id", "text"]}
    return {"scored": scored, "evidence": evidence, "parsed": slim(parsed, keep)}


def reduce_stance(
    partials: list[dict[str, Any]],
    *,
    by: str,
    seed: int,
    method: Any = None,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
    n_perm: int = stats.PERMUTATIONS,
) -> dict[str, pd.DataFrame]:
    """The four stance tables from the parts' :func:`map_stance` partials (in order):
    :func:`kzdiscourse.stance.profile` over the joined sentences, scored once."""
    from kzdiscourse.stance.profile import get_scorer, profile

    scored = concat_rows(p["scored"] for p in partials)
    evidence = concat_rows(p["evidence"] for p in partials)
    # the scorer as chosen (its cross-validated confusion, its class), with the scores
    # of the parts in place of scoring again
    scorer = copy.copy(get_scorer(method))
    scorer.score_with_evidence = lambda parsed: (scored.copy(), evidence.copy())
    parsed = concat_parsed([p["parsed"] for p in partials])
    prof = profile(parsed, by=by, seed=seed, method=scorer, n_boot=n_boot, n_perm=n_perm)
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
    """The features (model, classifier) or cues (lexicon) behind every sentence's stance."""
    from kzdiscourse.stance.profile import evidence

    ev = evidence(parsed, method)
    ev.insert(1, "group", ev["doc_id"].map(parsed.groups(by)).to_numpy())
    return ev


def _shares(tables: Tables) -> pd.DataFrame:
    if "stance_rates" not in tables and "stance_profile" in tables:
        return tables["stance_profile"].rename(columns=RATES_RENAMED)
    return tables["stance_rates"]


def _label_counts(tables: Tables, cc: pd.DataFrame) -> pd.DataFrame:
    """Sentences per group (rows) and label (columns, in the table's order): counted in
    ``stance_sentences`` when present, else the shares times the group's sentences."""
    labels = list(dict.fromkeys(cc["category"].astype(str)))
    sentences = tables.get("stance_sentences")
    if sentences is not None and {"group", "label"} <= set(sentences.columns):
        counts = sentences.groupby(["group", "label"]).size().unstack(fill_value=0)
    else:
        counts = (
            (cc["value"] * cc["sentences"]).round().astype(int).groupby(
                [cc["group"], cc["category"]]).sum().unstack(fill_value=0)
        )  # fmt: skip
    groups = sorted(cc["group"].astype(str).unique())
    counts.index = counts.index.astype(str)
    return counts.reindex(index=groups, columns=labels, fill_value=0).astype(int)


def _group_sentence(group: str, counts: pd.Series, rates: pd.DataFrame, method: str) -> str:
    total = int(counts.sum())
    none = int(counts.get("none", 0))
    k = total - none
    stances = counts.drop("none", errors="ignore")
    stances = stances[stances > 0].sort_values(ascending=False, kind="stable")
    listed = ", ".join(f"{label} {n}" for label, n in stances.items())
    head = f"Stance ({method}), {group}: "
    if k == 0:
        line = f"{head}none of its {plural(total, 'sentence')} carries a stance (all none)."
    elif 2 * none >= total:
        carries = "carries" if k == 1 else "carry"
        line = (
            f"{head}of {plural(total, 'sentence')}, {none:,} ({percent(none / total)}) carry no "
            f"stance (none); {k:,} {carries} one: {listed}."
        )
    else:
        top = str(stances.index[0])
        row = rates.loc[rates["category"] == top].iloc[0]
        ci = interval(row["ci_low"], row["ci_high"])
        line = (
            f"{head}of {plural(total, 'sentence')}, {k:,} ({percent(k / total)}) carry a "
            f"stance: {listed}; the most frequent, {top}, is {percent(row['value'])}"
            f"{f' ({ci})' if ci else ''}; {none:,} ({percent(none / total)}) carry none."
        )
    if total < FEW_SENTENCES:
        line += f" Fewer than {FEW_SENTENCES} sentences: the shares are imprecise."
    return line


def _tests_sentences(tests: pd.DataFrame | None, alpha: float = 0.05) -> list[str]:
    if tests is None or tests.empty:
        return []

    def side(group: object) -> str:
        return "the rest" if str(group) in ("rest", "(rest)") else str(group)

    ranked = tests.assign(_d=tests["difference"].abs()).sort_values(
        ["p_holm", "_d", "category"], ascending=[True, False, True], kind="stable"
    )
    significant = ranked[ranked["p_holm"] < alpha]
    out = []

    def of(share: float, sentences: int, group: object, first: bool) -> str:
        k = round(share * sentences)
        whose = (
            f"{side(group)}'s {plural(int(sentences), 'sentence')}"
            if first
            else (f"{side(group)}'s {int(sentences):,}")
        )
        return f"{k:,} of {whose} ({percent(share)})"

    for r in significant.head(3).itertuples(index=False):
        out.append(
            f"Stance {r.category}: {of(r.share_a, r.sentences_a, r.group_a, True)} vs "
            f"{of(r.share_b, r.sentences_b, r.group_b, False)} (Cohen's h = {r.cohens_h:.2f}, "
            f"Holm p = {format_number(float(r.p_holm), 'p')})."
        )
    if significant.empty:
        r = ranked.sort_values(["_d", "category"], ascending=[False, True]).iloc[0]
        out.append(
            f"Stance: no label's share differs between groups at Holm p < {alpha:g}; the "
            f"largest difference is {r['category']}, "
            f"{of(r['share_a'], r['sentences_a'], r['group_a'], True)} vs "
            f"{of(r['share_b'], r['sentences_b'], r['group_b'], False)} "
            f"(Holm p = {format_number(float(r['p_holm']), 'p')})."
        )
    elif len(significant) > 3:
        out.append(f"Stance: {len(significant) - 3} more differences at Holm p < {alpha:g}.")
    return out


def describe_stance(tables: Tables) -> list[str]:
    """Summary sentences from the stance tables: what every group's sentences carry.

    Per group (up to :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES` groups): of how
    many sentences how many carry a stance, which, and how many carry none — the ``none``
    share is always reported, and leads when it is the majority; a group with fewer than
    :data:`~kzdiscourse.measures.wording.FEW_SENTENCES` sentences is called imprecise.
    With more groups, one sentence for the range of the ``none`` share and the most
    frequent stance label. Then the clearest differences between groups (Holm p), or a
    sentence saying that none reaches the threshold. Works with any scorer (the
    ``method`` column names it).

    Examples
    --------
    >>> shares = pd.DataFrame({
    ...     "group": ["TASS"] * 4, "category": ["pro_eu", "balance", "instrumental", "none"],
    ...     "estimate": ["classify_and_count"] * 4, "value": [1 / 9, 0, 0, 8 / 9],
    ...     "ci_low": [0.0, 0.0, 0.0, 0.6], "ci_high": [0.33, 0.0, 0.0, 1.0],
    ...     "sentences": [9] * 4, "method": ["lexicon"] * 4})
    >>> describe_stance({"stance_rates": shares})  # doctest: +NORMALIZE_WHITESPACE
    ['Stance (lexicon), TASS: of 9 sentences, 8 (89%) carry no stance (none); 1 carries
     one: pro_eu 1. Fewer than 30 sentences: the shares are imprecise.']

    The table under its name before 0.1.0 (``stance_profile``, columns ``label`` and
    ``n_sentences``) is read too, for the deprecated ``kzdiscourse.stance.profile`` alias.
    """
    shares = _shares(tables)
    cc = shares.loc[shares["estimate"] == "classify_and_count"]
    if cc.empty:
        return []
    method = str(cc["method"].iloc[0]) if "method" in cc.columns else "stance"
    counts = _label_counts(tables, cc)
    out = []
    if len(counts) <= MAX_GROUP_LINES:
        for group, row in counts.iterrows():
            rates = cc.loc[cc["group"].astype(str) == group]
            out.append(_group_sentence(str(group), row, rates, method))
    else:
        totals = counts.sum(axis=1)
        none = (counts.get("none", 0) / totals.where(totals > 0)).fillna(0.0)
        low = none.sort_index().sort_values(kind="stable")
        stances = counts.drop(columns="none", errors="ignore")
        top = {
            g: (str(row.idxmax()) if row.max() > 0 else "no stance")
            for g, row in stances.iterrows()
        }
        out.append(
            f"Stance ({method}): from {percent(low.iloc[0])} of {low.index[0]}'s "
            f"{plural(int(totals[low.index[0]]), 'sentence')} to {percent(low.iloc[-1])} of "
            f"{low.index[-1]}'s {int(totals[low.index[-1]]):,} carry no stance (none); the "
            f"most frequent stance label is {tally(top)}."
        )
    return out + _tests_sentences(tables.get("stance_tests"))


def key_table(tables: Tables) -> KeyTable | None:
    """Share of sentences per stance label (rows) and group (columns), with intervals."""
    shares = _shares(tables)
    cc = shares.loc[shares["estimate"] == "classify_and_count"]
    if cc.empty:
        return None
    labels = list(dict.fromkeys(cc["category"].astype(str)))
    groups = sorted(cc["group"].astype(str).unique())
    out = pd.DataFrame({"": [*labels, "sentences"]})
    for group in groups:
        rows = cc[cc["group"].astype(str) == group].set_index("category")
        cells = []
        for label in labels:
            r = rows.loc[label]
            ci = interval(r["ci_low"], r["ci_high"]).replace("95% CI ", "")
            cells.append(f"{percent(r['value'])} ({ci})" if ci else percent(r["value"]))
        out[group] = [*cells, f"{int(rows['sentences'].iloc[0]):,}"]
    tests = tables.get("stance_tests")
    caption = (
        f"Share of each group's sentences per stance label (classify-and-count, scorer "
        f"{cc['method'].iloc[0]}), 95% bootstrap interval over "
        f"{cc['block'].iloc[0] if 'block' in cc.columns else 'block'}s in parentheses"
    )
    sources = ["stance_rates", "stance_sentences"]
    if tests is not None and len(groups) == 2 and len(tests):
        p = tests.set_index("category")["p_holm"]
        out["Holm p"] = [
            format_number(float(p[label]), "p") if label in p else "" for label in labels
        ] + [""]
        caption += "; Holm p of the difference between the two groups (permutation test)"
        sources.insert(1, "stance_tests")
    return KeyTable("Stance by group", out, caption + ".", tuple(sources))


def _map(parsed: Parsed, *, by: str) -> dict[str, Any]:
    return map_stance(parsed, by=by)


def _reduce(partials: list[dict[str, Any]], *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    return reduce_stance(partials, by=by, seed=seed)


def _draw(tables: Tables, **kw: Any) -> Any:
    from kzdiscourse.plots.charts import stance_shares

    return stance_shares(tables["stance_rates"], **kw)


#: The stance measure of :func:`kzdiscourse.compare` (lexicon scorer).
MEASURE = FunctionMeasure(
    "stance",
    (
        TableSpec(
            "stance_rates",
            "Share of sentences per stance label (category) and group (the trained stance "
            "model): "
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
            "What pushed every sentence to its stance label: the model's top features "
            "(lemma or character n-gram, lexicon score, actor, rule), each with its value, "
            "coefficient and contribution.",
        ),
    ),
    stance_tables,
    describe_stance,
    (
        FigureSpec(
            "stance_shares",
            "Stance by group",
            "Share of sentences per stance label and group (classify-and-count, trained "
            "stance model), with 95% bootstrap intervals over paragraphs.",
            ("stance_rates",),
            _draw,
            headline=True,
        ),
    ),
    keytable=key_table,
    mapper=_map,
    reducer=_reduce,
)
