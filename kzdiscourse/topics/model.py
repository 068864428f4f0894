"""fit() and the TopicModel result with its tidy tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from kzdiscourse._deprecation import keyword_only
from kzdiscourse.canonical import ranking
from kzdiscourse.errors import InputError
from kzdiscourse.params import check_k, check_seed
from kzdiscourse.parsed import Parsed, document_groups
from kzdiscourse.stats import BOOTSTRAP_REPLICATES, bootstrap_ratios, generator
from kzdiscourse.topics.backends import METHODS, Fitted
from kzdiscourse.topics.quality import (
    COHERENCE_MEASURES,
    coherence,
    diversity,
    random_topics,
    relevance,
)
from kzdiscourse.topics.vocab import CONTENT_POS, UNITS, DocumentTerm, build_dtm

__all__ = ["LAMBDA", "TopicModel", "fit", "topic_name"]

#: Relevance weight λ (Sievert & Shirley 2014).
LAMBDA = 0.6
#: Top terms per topic used for coherence, diversity, stability and ``top_terms``.
TOPN = 10
#: Random word-set draws behind the baseline row of the quality table.
RANDOM_DRAWS = 10


def topic_name(topic: Any, label: Any = None) -> str:
    """How a topic is named for readers, the same in figures, summaries and report tables:
    ``T<id>`` and its label (:attr:`TopicModel.topic_labels`, the ``label`` column of
    ``topic_prevalence``) in parentheses.

    Examples
    --------
    >>> topic_name(1, "газ / транзит / труба")
    'T1 (газ / транзит / труба)'
    >>> topic_name(2)
    'T2'
    """
    text = "" if label is None or (isinstance(label, float) and label != label) else str(label)
    return f"T{topic} ({text})" if text else f"T{topic}"


@dataclass
class TopicModel:
    """A fitted topic model and its tables.

    Topics are numbered from 0 in the order the backend returns them. Every table is sorted
    deterministically; the same corpus, settings and ``seed`` give identical tables in any
    process.

    Attributes
    ----------
    method, unit : str
        ``"lda"`` or ``"nmf"``; ``"document"``, ``"paragraph"`` or ``"sentence"``.
    k, seed : int
    dtm : DocumentTerm
        Units, vocabulary and counts the model was fitted on.
    phi : numpy.ndarray
        ``k × V`` topic-term weights, rows sum to 1 (terms in ``dtm.terms`` order).
    theta : numpy.ndarray
        ``n_units × k`` unit-topic proportions, rows sum to 1 (0 for units without
        vocabulary tokens).
    documents : pandas.DataFrame
        The corpus metadata, for grouping.
    settings : dict
        Backend settings actually used (passes, chunksize, …).
    n_terms : int
        Terms per topic listed in :attr:`topic_terms`.
    """

    method: str
    unit: str
    k: int
    seed: int
    dtm: DocumentTerm
    phi: np.ndarray
    theta: np.ndarray
    documents: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    n_terms: int = 20
    backend: Any = None

    def __repr__(self) -> str:
        return (
            f"TopicModel(method={self.method!r}, k={self.k}, unit={self.unit!r}, "
            f"units={len(self.dtm.units)}, terms={len(self.dtm.terms)}, seed={self.seed})"
        )

    # ------------------------------------------------------------------ terms
    @cached_property
    def relevance(self) -> np.ndarray:
        """``k × V`` relevance with λ = 0.6 (see :func:`~kzdiscourse.topics.quality.relevance`)."""
        return relevance(self.phi, self.dtm.term_frequency, LAMBDA)

    def _ranked(self, scores: np.ndarray) -> np.ndarray:
        """Term ids of each topic sorted by descending score, ties by term (sorted ids).

        Scores are compared as written (canonical, 8 significant digits), so terms whose
        weights differ only in the last bits rank the same on every machine."""
        return np.stack([ranking(row) for row in scores])

    @cached_property
    def _by_weight(self) -> np.ndarray:
        return self._ranked(self.phi)

    @cached_property
    def _by_relevance(self) -> np.ndarray:
        return self._ranked(self.relevance)

    def top_terms(self, n: int = TOPN) -> list[list[str]]:
        """The ``n`` highest-weight terms of each topic."""
        terms = self.dtm.terms
        return [[terms[j] for j in row[:n]] for row in self._by_weight]

    @cached_property
    def topic_terms(self) -> pd.DataFrame:
        """Top :attr:`n_terms` terms of each topic by weight.

        Columns ``topic, rank, term, weight, relevance, relevance_rank``: ``rank`` 1 is the
        highest weight (φ for LDA, the normalised NMF loading); ``relevance`` is Sievert &
        Shirley's with λ = 0.6 and ``relevance_rank`` the term's rank among the whole
        vocabulary by relevance within the topic. Sorted by topic, rank.
        """
        n = min(self.n_terms, len(self.dtm.terms))
        rel_rank = np.empty_like(self._by_relevance)
        for t, order in enumerate(self._by_relevance):
            rel_rank[t, order] = np.arange(1, order.size + 1)
        rows = []
        for t in range(self.k):
            ids = self._by_weight[t, :n]
            rows.append(
                pd.DataFrame(
                    {
                        "topic": t,
                        "rank": np.arange(1, n + 1),
                        "term": [self.dtm.terms[j] for j in ids],
                        "weight": self.phi[t, ids],
                        "relevance": self.relevance[t, ids],
                        "relevance_rank": rel_rank[t, ids],
                    }
                )
            )
        return pd.concat(rows, ignore_index=True).astype(
            {"topic": "int64", "rank": "int64", "relevance_rank": "int64"}
        )

    @cached_property
    def topic_labels(self) -> pd.DataFrame:
        """One row per topic: ``topic, label, top_terms, prevalence``.

        ``label`` joins the 3 most *relevant* terms (λ = 0.6: frequent words shared by all
        topics sink, distinctive ones rise); ``top_terms`` the 10 highest-weight terms;
        ``prevalence`` the topic's share of all vocabulary tokens in the corpus.
        """
        terms = self.dtm.terms
        share = self._token_share()
        return pd.DataFrame(
            {
                "topic": np.arange(self.k, dtype=np.int64),
                "label": [" / ".join(terms[j] for j in row[:3]) for row in self._by_relevance],
                "top_terms": [" ".join(t) for t in self.top_terms(TOPN)],
                "prevalence": share,
            }
        )

    def _token_share(self) -> np.ndarray:
        tokens = self.dtm.units["tokens"].to_numpy(dtype=float)
        total = tokens.sum()
        # a column sum in fixed order, not BLAS's ``tokens @ theta`` (see portable)
        shares = (tokens[:, None] * self.theta).sum(axis=0)
        return shares / total if total > 0 else np.full(self.k, np.nan)

    # ------------------------------------------------------------------ units
    @cached_property
    def unit_topics(self) -> pd.DataFrame:
        """Topic proportions of every unit, long format.

        Columns: the unit's id columns (``doc_id``; ``par_id`` for paragraphs and
        sentences; ``sent_id`` for sentences), ``tokens`` (vocabulary tokens in the unit),
        ``topic``, ``proportion``. Units without vocabulary tokens are listed with a
        missing proportion. Sorted in corpus order, then topic.
        """
        units = self.dtm.units
        n = len(units)
        out = units.loc[np.repeat(np.arange(n), self.k)].reset_index(drop=True)
        out["topic"] = np.tile(np.arange(self.k, dtype=np.int64), n)
        prop = self.theta.reshape(-1).copy()
        prop[np.repeat(units["tokens"].to_numpy() == 0, self.k)] = np.nan
        out["proportion"] = prop
        return out

    def topic_prevalence(
        self,
        by: str | None = "outlet",
        *,
        weight: str = "tokens",
        n_boot: int = BOOTSTRAP_REPLICATES,
        level: float = 0.95,
        seed: int | None = None,
    ) -> pd.DataFrame:
        """Topic prevalence per group with percentile bootstrap intervals over units.

        Parameters
        ----------
        by : str or None, default "outlet"
            Metadata column defining the groups (``"doc_id"`` for one group per document);
            ``None`` gives one group, ``"all"``.
        weight : {"tokens", "units"}, default "tokens"
            ``"tokens"``: the share of the group's vocabulary tokens assigned to the topic,
            ``Σ tokens_u θ_ut / Σ tokens_u`` (short units such as titles count less);
            ``"units"``: the plain mean of unit proportions. Units without vocabulary tokens
            are left out either way.
        n_boot, level : int, float
            Bootstrap replicates and interval coverage.
        seed : int, optional
            Defaults to the model's seed.

        Returns
        -------
        pandas.DataFrame
            ``topic, label, group, units, tokens, prevalence, ci_low, ci_high``, sorted by
            topic then group. Intervals resample the group's units (blocks) with
            :func:`kzdiscourse.stats.bootstrap_ratios` (all topics of a group from one
            set of resampled units); they are missing for a group with
            one unit. Units within a document are not independent, so with few documents
            the intervals describe variation between units of these texts, not between
            possible texts of the outlet.
        """
        if weight not in ("tokens", "units"):
            raise InputError(f"unknown weight {weight!r}", hint="use 'tokens' or 'units'")
        if by is None:
            groups = pd.Series("all", index=self.documents["doc_id"].tolist())
        else:
            groups = document_groups(self.documents, by)
        units = self.dtm.units
        mask = units["tokens"].to_numpy() > 0
        tokens = units["tokens"].to_numpy(dtype=float)[mask]
        theta = self.theta[mask]
        unit_group = units["doc_id"].map(groups).to_numpy()[mask]
        labels = self.topic_labels["label"].tolist()
        rng = generator(self.seed if seed is None else seed)
        order = sorted(set(groups.tolist()))
        columns: dict[str, list[Any]] = {c: [] for c in ("group", "units", "tokens")}
        estimates = []
        for g in order:
            sel = unit_group == g
            den = tokens[sel] if weight == "tokens" else np.ones(int(sel.sum()))
            # every topic of the group from one set of resampled units
            est, lo, hi = bootstrap_ratios(
                den[:, None] * theta[sel], den, n_boot=n_boot, level=level, seed=rng
            )
            estimates.append((est, lo, hi))
            columns["group"].append(g)
            columns["units"].append(int(sel.sum()))
            columns["tokens"].append(int(tokens[sel].sum()))
        rows = []
        for t in range(self.k):
            for i, g in enumerate(order):
                est, lo, hi = estimates[i]
                rows.append(
                    {
                        "topic": t,
                        "label": labels[t],
                        "group": g,
                        "units": columns["units"][i],
                        "tokens": columns["tokens"][i],
                        "prevalence": float(est[t]),
                        "ci_low": float(lo[t]),
                        "ci_high": float(hi[t]),
                    }
                )
        return pd.DataFrame(rows).astype({"topic": "int64", "units": "int64", "tokens": "int64"})

    # ------------------------------------------------------------------ quality
    def quality(
        self,
        measures: Sequence[str] = COHERENCE_MEASURES,
        *,
        topn: int = TOPN,
        n_random: int = RANDOM_DRAWS,
    ) -> pd.DataFrame:
        """Coherence per topic and overall, topic diversity, and a random baseline.

        Parameters
        ----------
        measures : sequence of str, default ("c_npmi", "u_mass")
            gensim coherence measures; ``"c_v"`` is allowed but warns (random word sets
            beat trained models on it for Russian lemmas).
        topn : int, default 10
            Top terms per topic scored.
        n_random : int, default 10
            Draws of ``k`` frequency-weighted random word sets for the baseline.

        Returns
        -------
        pandas.DataFrame
            ``method, unit, k, scope, topic, measure, value, sd``. ``scope`` is ``topic``
            (one row per topic and coherence measure), ``model`` (mean over topics, ``sd``
            across topics, plus ``diversity``) or ``random_baseline`` (the same numbers for
            random word sets: mean over draws, ``sd`` across draws). A model whose
            coherence is not clearly above the baseline row has not found more than
            frequent words co-occurring by chance.
        """
        top = self.top_terms(topn)
        draws = random_topics(self.dtm, self.k, topn, n_random, seed=generator(self.seed))
        flat = [t for draw in draws for t in draw]
        scores = coherence(top + flat, self.dtm, measures)
        rows: list[dict[str, Any]] = []
        for t in range(self.k):
            for m in measures:
                rows.append(
                    {"scope": "topic", "topic": t, "measure": m, "value": scores[m][t], "sd": None}
                )
        for m in measures:
            own = scores[m][: self.k]
            rows.append(
                {
                    "scope": "model",
                    "topic": None,
                    "measure": m,
                    "value": float(np.mean(own)),
                    "sd": float(np.std(own, ddof=1)) if self.k > 1 else None,
                }
            )
        rows.append(
            {
                "scope": "model",
                "topic": None,
                "measure": "diversity",
                "value": diversity(top),
                "sd": None,
            }
        )
        for m in measures:
            per_draw = scores[m][self.k :].reshape(n_random, self.k).mean(axis=1)
            rows.append(
                {
                    "scope": "random_baseline",
                    "topic": None,
                    "measure": m,
                    "value": float(per_draw.mean()),
                    "sd": float(per_draw.std(ddof=1)) if n_random > 1 else None,
                }
            )
        div = np.array([diversity(d) for d in draws])
        rows.append(
            {
                "scope": "random_baseline",
                "topic": None,
                "measure": "diversity",
                "value": float(div.mean()),
                "sd": float(div.std(ddof=1)) if n_random > 1 else None,
            }
        )
        table = pd.DataFrame(rows)
        table.insert(0, "k", self.k)
        table.insert(0, "unit", self.unit)
        table.insert(0, "method", self.method)
        table["topic"] = table["topic"].astype("Int64")
        table["sd"] = table["sd"].astype(float)
        return table

    @cached_property
    def topic_quality(self) -> pd.DataFrame:
        """:meth:`quality` with the defaults (c_npmi, u_mass, diversity, random baseline)."""
        return self.quality()


def require_parsed(parsed: Parsed) -> None:
    """Raise :class:`~kzdiscourse.errors.InputError` unless ``parsed`` is a Parsed corpus."""
    if not isinstance(parsed, Parsed):
        raise InputError(
            f"topic models take a Parsed corpus, got {type(parsed).__name__}",
            hint="parse first: kzdiscourse.load_seeds().clean().parse()",
        )


@keyword_only(since="0.1.0", positional=4)
def fit_dtm(
    dtm: DocumentTerm,
    documents: pd.DataFrame,
    k: int,
    method: str = "lda",
    *,
    seed: int = 0,
    n_terms: int = 20,
    **options: Any,
) -> TopicModel:
    """Fit a model on an already built :class:`DocumentTerm` (used by :func:`fit`,
    ``select_k`` and ``stability`` so the vocabulary is built once)."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}", hint=f"use one of: {', '.join(METHODS)}")
    k, seed = check_k(k), check_seed(seed)
    n_fit = int((dtm.units["tokens"] > 0).sum())
    if k > min(n_fit, len(dtm.terms)):
        raise InputError(
            f"k={k} topics need at least {k} units with vocabulary tokens and {k} terms; "
            f"this corpus has {n_fit} such {dtm.unit} units and {len(dtm.terms)} terms",
            hint="lower k, use smaller units, or relax min_df/max_df",
        )
    fitted: Fitted = METHODS[method](dtm, int(k), int(seed), **options)
    return TopicModel(
        method=method,
        unit=dtm.unit,
        k=int(k),
        seed=int(seed),
        dtm=dtm,
        phi=fitted.phi,
        theta=fitted.theta,
        documents=documents.drop(columns="text", errors="ignore"),
        settings=fitted.settings,
        n_terms=n_terms,
        backend=fitted,
    )


@keyword_only(since="0.1.0", positional=4)
def fit(
    parsed: Parsed,
    k: int = 8,
    unit: str = "paragraph",
    method: str = "lda",
    *,
    seed: int = 0,
    pos: Sequence[str] = CONTENT_POS,
    min_df: float = 2,
    max_df: float = 0.5,
    min_length: int = 2,
    drop_stopwords: bool = True,
    n_terms: int = 20,
    **options: Any,
) -> TopicModel:
    """Fit a reproducible topic model on a parsed corpus.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    k : int, default 8
        Number of topics.
    unit : {"paragraph", "sentence", "document"}, default "paragraph"
        What one model "document" is. Paragraphs suit small corpora (two documents give
        too few units for document-level topics); use documents for large corpora.
    method : {"lda", "nmf"}, default "lda"
        gensim ``LdaModel`` (single process; see
        :func:`kzdiscourse.topics.backends.fit_lda` for the chunksize choice) or
        scikit-learn ``NMF`` on TF-IDF. Both give the same tables.
    seed : int, default 0
        ``random_state`` of the model and seed of the bootstrap and random baseline.
    pos, min_df, max_df, min_length, drop_stopwords
        Vocabulary filters, see :func:`kzdiscourse.topics.vocab.build_dtm`.
    n_terms : int, default 20
        Terms per topic in :attr:`TopicModel.topic_terms`.
    **options
        Passed to the backend: ``passes``, ``iterations``, ``chunksize``, ``alpha``,
        ``eta`` for LDA; ``max_iter``, ``init`` for NMF.

    Returns
    -------
    TopicModel

    Examples
    --------
    >>> import kzdiscourse as kzd
    >>> from kzdiscourse import topics
    >>> parsed = kzd.load_seeds().clean().parse()
    >>> model = topics.fit(parsed, k=4, unit="paragraph", seed=0)
    >>> model.topic_terms.columns.tolist()
    ['topic', 'rank', 'term', 'weight', 'relevance', 'relevance_rank']
    >>> prev = model.topic_prevalence(by="outlet", n_boot=200)
    >>> sorted(prev["group"].unique())
    ['ANKASAM', 'Dzen']
    >>> bool((prev.groupby("group")["prevalence"].sum().round(9) == 1).all())
    True
    """
    require_parsed(parsed)
    check_k(k)
    check_seed(seed)
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", hint=f"use one of: {', '.join(UNITS)}")
    dtm = build_dtm(
        parsed,
        unit,
        pos=pos,
        min_df=min_df,
        max_df=max_df,
        min_length=min_length,
        drop_stopwords=drop_stopwords,
    )
    return fit_dtm(dtm, parsed.documents, k, method, seed=seed, n_terms=n_terms, **options)
