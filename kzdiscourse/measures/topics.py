"""The topics measure of :func:`kzdiscourse.compare`: an LDA model with settings chosen from
the corpus size, and its ``topic_terms``, ``topic_prevalence`` and ``topic_quality`` tables.

Rules (documented in the Report's table descriptions):

- unit: documents once the corpus has at least :data:`DOCUMENT_UNITS_FROM` documents,
  paragraphs below that (two seed texts give 2 documents but 28 paragraphs);
- k: ``round(sqrt(units / 2))`` clipped to 2–10 — 4 for the 28 seed paragraphs. A small
  corpus cannot support many topics: with ~700 vocabulary tokens every extra topic is fitted
  on a few dozen words;
- LDA (the method readers know), seed from ``compare(seed=...)``;
- stability: up to :data:`STABILITY_MAX_UNITS` units and :data:`STABILITY_MAX_TOKENS`
  vocabulary tokens, four more fits with seeds
  ``seed+1 … seed+4`` and a ``stability_jaccard`` row in ``topic_quality`` (mean one-to-one
  Jaccard of top-10 terms over the 10 pairs of the 5 seeds), so a reader sees whether the
  topics depend on the initialisation; skipped above that size (it costs 4 more fits);
- above :data:`FIT_MAX_TOKENS` vocabulary tokens, the model learns its topics from a
  random sample of units (seeded by ``seed``; units drawn until the sample holds that many
  vocabulary tokens and at least :data:`FIT_MIN_UNITS` units) and infers the topic
  proportions of every unit; ``topic_quality`` gets ``fit_units`` and ``fit_tokens`` rows
  saying how large the sample was, and the stability fits use the same sample. Each pass
  of the fit costs time in proportion to its tokens, so the fit stops growing with the
  corpus (see ``docs/measures.md``);
- fewer than :data:`MIN_UNITS` units with vocabulary tokens: the tables are returned empty
  (with their columns) and a warning is logged, rather than a model fitted on noise.

Examples
--------
>>> import kzdiscourse as kzd
>>> from kzdiscourse.measures.topics import auto_settings
>>> auto_settings(kzd.load_seeds().clean().parse())
('paragraph', 4)
"""

from __future__ import annotations

import logging
import math
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.measures.base import FigureSpec, FunctionMeasure, KeyTable, Tables, TableSpec
from kzdiscourse.measures.partials import JoinedReduce, SlimMap
from kzdiscourse.measures.wording import MAX_GROUP_LINES, interval, percent, tally
from kzdiscourse.parsed import Parsed
from kzdiscourse.topics.model import TOPN, TopicModel, fit_dtm, topic_name
from kzdiscourse.topics.quality import match_topics
from kzdiscourse.topics.vocab import CONTENT_POS, DocumentTerm, build_dtm

__all__ = [
    "DOCUMENT_UNITS_FROM",
    "FIT_MAX_TOKENS",
    "FIT_MIN_UNITS",
    "MEASURE",
    "MIN_UNITS",
    "auto_settings",
    "describe_topics",
    "fit_sample",
    "key_table",
    "topic_tables",
]

log = logging.getLogger(__name__)

#: From this many documents on, documents are the units.
DOCUMENT_UNITS_FROM = 200
#: Fewer units with vocabulary tokens than this: no model.
MIN_UNITS = 10
MAX_K = 10
#: Up to this many units the Report also measures stability across 5 seeds.
STABILITY_MAX_UNITS = 2000
#: … and up to this many vocabulary tokens (each extra fit costs about as much as the model:
#: on 1M tokens, 12 s each, 2.5 times the parse).
STABILITY_MAX_TOKENS = 200_000
STABILITY_SEEDS = 5
#: Above this many vocabulary tokens the LDA is trained on a sample of units of about this
#: size (:func:`fit_sample`); on 1M tokens (413k vocabulary tokens) the full fit took as
#: long as the parse.
FIT_MAX_TOKENS = 100_000
#: … and holds at least this many units (k ≤ 10 topics need units to tell them apart).
FIT_MIN_UNITS = 200


def auto_settings(parsed: Parsed) -> tuple[str, int]:
    """The unit and k the Report uses for this corpus (see the module docstring)."""
    unit = "document" if len(parsed.documents) >= DOCUMENT_UNITS_FROM else "paragraph"
    n_units = len(parsed.documents) if unit == "document" else len(parsed.paragraphs)
    k = int(min(MAX_K, max(2, round(math.sqrt(n_units / 2)))))
    return unit, k


def _empty() -> dict[str, pd.DataFrame]:
    return {
        "topic_terms": pd.DataFrame(
            columns=["topic", "rank", "term", "weight", "relevance", "relevance_rank"]
        ),
        "topic_prevalence": pd.DataFrame(
            columns=[
                "topic",
                "label",
                "group",
                "units",
                "tokens",
                "prevalence",
                "ci_low",
                "ci_high",
            ]
        ),
        "topic_quality": pd.DataFrame(
            columns=["method", "unit", "k", "scope", "topic", "measure", "value", "sd"]
        ),
    }


def topic_tables(parsed: Parsed, by: str = "outlet", *, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Fit the Report's topic model and return its three tables.

    Parameters
    ----------
    parsed : Parsed
    by : str, default "outlet"
        Grouping column of ``topic_prevalence``.
    seed : int, default 0
        Seed of the model (and of the stability fits, ``seed + 1 …``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``topic_terms``, ``topic_prevalence`` and ``topic_quality`` (empty, with their
        columns, when the corpus is too small for a model).
    """
    unit, k = auto_settings(parsed)
    try:
        dtm = build_dtm(parsed, unit)
    except InputError as err:
        log.warning("topics: no model for this corpus (%s)", err.message)
        return _empty()
    n_fit = int((dtm.units["tokens"] > 0).sum())
    if n_fit < MIN_UNITS or len(dtm.terms) < 2 * k:
        log.warning(
            "topics: no model: %d %s units with vocabulary tokens and %d terms "
            "(need %d units and %d terms); the topic tables are empty",
            n_fit,
            unit,
            len(dtm.terms),
            MIN_UNITS,
            2 * k,
        )
        return _empty()
    sample = fit_sample(dtm, seed)
    model = fit_dtm(dtm, parsed.documents, k, "lda", seed=seed, n_terms=10, fit_units=sample)
    quality = model.topic_quality
    if n_fit <= STABILITY_MAX_UNITS and dtm.units["tokens"].sum() <= STABILITY_MAX_TOKENS:
        quality = _with_stability(quality, model, dtm, parsed, seed, sample)
    if sample is not None:
        quality = _with_model_rows(
            quality,
            model,
            {m: float(model.settings[m]) for m in ("fit_units", "fit_tokens")},
            sd=float("nan"),
        )
    return {
        "topic_terms": model.topic_terms,
        "topic_prevalence": model.topic_prevalence(by=by),
        "topic_quality": quality,
    }


def fit_sample(dtm: DocumentTerm, seed: int) -> np.ndarray | None:
    """The units the Report's LDA is trained on when the corpus has more than
    :data:`FIT_MAX_TOKENS` vocabulary tokens (``None``, all of them, otherwise).

    Units with vocabulary tokens are put in a random order (``seed``) and taken until
    their tokens reach :data:`FIT_MAX_TOKENS` and they number at least
    :data:`FIT_MIN_UNITS`; returned as sorted row numbers (``None`` when that takes every
    unit).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> units = pd.DataFrame({"tokens": [600] * 400})   # 240,000 tokens in 400 units
    >>> sample = fit_sample(SimpleNamespace(units=units), seed=0)
    >>> sample.size, int(units["tokens"].to_numpy()[sample].sum())   # 167 units: too few
    (200, 120000)
    >>> fit_sample(SimpleNamespace(units=pd.DataFrame({"tokens": [5, 7]})), seed=0) is None
    True
    """
    from kzdiscourse.stats import generator

    tokens = dtm.units["tokens"].to_numpy(dtype=np.int64)
    if tokens.sum() <= FIT_MAX_TOKENS:
        return None
    order = generator(seed).permutation(np.flatnonzero(tokens > 0))
    take = int(np.searchsorted(np.cumsum(tokens[order]), FIT_MAX_TOKENS)) + 1
    take = max(take, FIT_MIN_UNITS)
    return np.sort(order[:take]) if take < order.size else None


def _with_stability(
    quality: pd.DataFrame,
    model: TopicModel,
    dtm: DocumentTerm,
    parsed: Parsed,
    seed: int,
    sample: np.ndarray | None = None,
) -> pd.DataFrame:
    tops = {seed: model.top_terms(TOPN)}
    for s in range(seed + 1, seed + STABILITY_SEEDS):
        refit = fit_dtm(dtm, parsed.documents, model.k, model.method, seed=s, fit_units=sample)
        tops[s] = refit.top_terms(TOPN)
    pair_means = [
        float(np.mean([j for _, _, j in match_topics(tops[a], tops[b])]))
        for a, b in combinations(sorted(tops), 2)
    ]
    return _with_model_rows(
        quality,
        model,
        {"stability_jaccard": float(np.mean(pair_means))},
        sd=float(np.std(pair_means, ddof=1)),
    )


def _with_model_rows(
    quality: pd.DataFrame, model: TopicModel, values: dict[str, float], sd: float
) -> pd.DataFrame:
    """``quality`` with model-scope rows (measure → value) after its last model row."""
    rows = [
        {
            "method": model.method,
            "unit": model.unit,
            "k": model.k,
            "scope": "model",
            "topic": pd.NA,
            "measure": measure,
            "value": value,
            "sd": sd,
        }
        for measure, value in values.items()
    ]
    is_model = (quality["scope"] == "model").to_numpy()
    last_model = int(np.flatnonzero(is_model)[-1]) + 1
    out = pd.concat(
        [quality.iloc[:last_model], pd.DataFrame(rows), quality.iloc[last_model:]],
        ignore_index=True,
    )
    out["topic"] = out["topic"].astype("Int64")
    return out


#: Below this mean Jaccard across seeds, the summary calls the topics unstable.
STABLE_JACCARD = 0.5


def describe_topics(tables: Tables) -> list[str]:
    """Summary sentences generated from ``topic_prevalence`` and ``topic_quality``.

    One sentence per group naming its most prevalent topic (named by
    :func:`~kzdiscourse.topics.model.topic_name`, as in the figure and the key table), its
    share of the group's vocabulary tokens and 95% interval (with more than
    :data:`~kzdiscourse.measures.wording.MAX_GROUP_LINES` groups, one sentence tallying
    them); then one on the model: mean c_npmi coherence against the random-word baseline,
    and the stability across seeds when measured, said to be low below
    :data:`STABLE_JACCARD`.

    Examples
    --------
    >>> prevalence = pd.DataFrame({
    ...     "topic": [0, 1], "label": ["газ / транзит", "виза / режим"], "group": ["A", "A"],
    ...     "prevalence": [0.3, 0.7], "ci_low": [0.1, 0.5], "ci_high": [0.5, 0.9]})
    >>> quality = pd.DataFrame({
    ...     "method": ["lda"] * 3, "unit": ["paragraph"] * 3, "k": [2, 2, 2],
    ...     "scope": ["model", "random_baseline", "model"],
    ...     "measure": ["c_npmi", "c_npmi", "stability_jaccard"], "value": [-0.1, -0.4, 0.3]})
    >>> for line in describe_topics({"topic_prevalence": prevalence, "topic_quality": quality}):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    Topics: A's most prevalent is T1 (виза / режим), 70% of its vocabulary tokens
    (95% CI 50–90%).
    Topics (LDA, k = 2 over paragraphs): mean c_npmi coherence -0.100 vs -0.400 for
    random word sets; top-10 terms agree across 5 seeds with mean Jaccard 0.30 (1 = same
    topics), so the topics depend on the seed: read them as exploratory.
    """
    prevalence = tables["topic_prevalence"]
    quality = tables["topic_quality"]
    if prevalence.empty or quality.empty:
        return ["Topics: no model (too few units with vocabulary tokens; see the log)."]
    out = []
    tops = {}
    for group, rows in prevalence.groupby("group", sort=True):
        tops[group] = rows.sort_values(["prevalence", "topic"], ascending=[False, True]).iloc[0]
    if len(tops) > MAX_GROUP_LINES:
        named = {g: topic_name(t["topic"], t.get("label")) for g, t in tops.items()}
        out.append(f"Topics: the most prevalent topic is {tally(named)}.")
    else:
        for group, top in tops.items():
            ci = interval(top["ci_low"], top["ci_high"])
            out.append(
                f"Topics: {group}'s most prevalent is {topic_name(top['topic'], top.get('label'))}"
                f", {percent(top['prevalence'])} of its vocabulary tokens"
                f"{f' ({ci})' if ci else ''}."
            )
    first = quality.iloc[0]
    values = quality.set_index(["scope", "measure"])["value"]
    line = f"Topics ({str(first['method']).upper()}, k = {first['k']} over {first['unit']}s)"
    if ("model", "c_npmi") in values.index:
        line += f": mean c_npmi coherence {values[('model', 'c_npmi')]:.3f}"
        if ("random_baseline", "c_npmi") in values.index:
            line += f" vs {values[('random_baseline', 'c_npmi')]:.3f} for random word sets"
    if ("model", "stability_jaccard") in values.index:
        jaccard = float(values[("model", "stability_jaccard")])
        line += (
            f"; top-10 terms agree across {STABILITY_SEEDS} seeds with mean Jaccard "
            f"{jaccard:.2f} (1 = same topics)"
        )
        if jaccard < STABLE_JACCARD:
            line += ", so the topics depend on the seed: read them as exploratory"
    out.append(line + ".")
    return out


def key_table(tables: Tables) -> KeyTable | None:
    """Prevalence of each topic (rows, named as in the figure) per group (columns)."""
    prevalence = tables["topic_prevalence"]
    if prevalence.empty:
        return None
    groups = sorted(prevalence["group"].astype(str).unique())
    topics = sorted(prevalence["topic"].unique())
    labels = prevalence.drop_duplicates("topic").set_index("topic")
    out = pd.DataFrame({"topic": [topic_name(t, labels.loc[t].get("label")) for t in topics]})
    for group in groups:
        sub = prevalence[prevalence["group"].astype(str) == group].set_index("topic")
        cells = []
        for t in topics:
            ci = interval(sub.loc[t, "ci_low"], sub.loc[t, "ci_high"]).replace("95% CI ", "")
            value = percent(sub.loc[t, "prevalence"])
            cells.append(f"{value} ({ci})" if ci else value)
        out[group] = cells
    return KeyTable(
        "Topic prevalence by group",
        out,
        "Share of each group's vocabulary tokens assigned to each LDA topic (named by its "
        "three most relevant terms, as in the figure), 95% bootstrap interval over units in "
        "parentheses; model quality in topic_quality.",
        ("topic_prevalence", "topic_terms", "topic_quality"),
    )


def _run(parsed: Parsed, *, by: str, seed: int) -> dict[str, pd.DataFrame]:
    return topic_tables(parsed, by, seed=seed)


def _draw(tables: Tables, **kw: Any) -> Any:
    from kzdiscourse.plots.charts import topic_prevalence

    return topic_prevalence(tables["topic_prevalence"], terms=tables["topic_terms"], **kw)


#: The topics measure of :func:`kzdiscourse.compare`.
MEASURE = FunctionMeasure(
    "topics",
    (
        TableSpec(
            "topic_terms",
            "Top 10 terms of each LDA topic with weight (topic-word probability) and "
            "relevance (λ = 0.6). k and unit follow the corpus size: paragraphs and "
            "k = round(√(units/2)) (2–10) below 200 documents — for the two seeds 4 topics "
            "over 28 paragraphs and ~700 vocabulary tokens, an exploratory description of "
            "these texts, not stable themes.",
        ),
        TableSpec(
            "topic_prevalence",
            "Share of each group's vocabulary tokens assigned to each topic, with 95% "
            "percentile bootstrap intervals over units (paragraphs or documents); units of "
            "one document are not independent, so with few documents the intervals are "
            "optimistic.",
        ),
        TableSpec(
            "topic_quality",
            "Coherence per topic and overall (c_npmi, sliding window 10; u_mass, within "
            "units), topic diversity, and the same for frequency-weighted random word sets "
            "(random_baseline): a model should clearly beat that row. stability_jaccard: "
            "mean one-to-one Jaccard of top-10 terms between fits with 5 seeds (1 = same "
            "topics; up to 2,000 units and 200,000 vocabulary tokens). Above 100,000 "
            "vocabulary tokens the model is trained on a random sample of units of that "
            "size, at least 200 units (seeded), and infers every unit's topics; "
            "fit_units and fit_tokens give the sample's size.",
        ),
    ),
    _run,
    describe_topics,
    (
        FigureSpec(
            "topic_prevalence",
            "Topic prevalence by group",
            "Share of each group's vocabulary tokens assigned to each LDA topic (named by "
            "its three most relevant terms, the label column of topic_prevalence), with 95% "
            "bootstrap intervals over units.",
            ("topic_prevalence", "topic_terms"),
            _draw,
        ),
    ),
    mapper=SlimMap(
        {
            "tokens": ("doc_id", "par_id", "sent_id", "tok_id", "lemma", "pos", "is_stop"),
            "paragraphs": ("doc_id", "par_id"),
            "sentences": ("doc_id", "par_id", "sent_id"),
        },
        keep_pos=CONTENT_POS,
        drop_stopwords=True,
    ),
    reducer=JoinedReduce(_run),
    keytable=key_table,
    parameters={"lda_fit_max_tokens": FIT_MAX_TOKENS},
)
