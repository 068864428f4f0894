"""The stance measure's fast paths give what the previous implementations gave.

* the evidence ranking read block by block (:mod:`kzdiscourse.stance.contributions`)
  against the previous path — every block stacked into one CSR (``to_csr``), every
  positive contribution sorted — on the feature blocks of the seeds and of 600 UD
  sentences, with coefficients that force ties;
* ``framing_columns`` (each distinct lemma / text / tag tested once) against its previous
  token-by-token version, kept here as the oracle;
* ``plain_tokens`` returns a table it made as it is (so the dictionaries matched on it share
  one word index).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from kzdiscourse.stance.contributions import positive_contributions
from kzdiscourse.stance.features import StackedBlocks, sentence_table
from kzdiscourse.stance.framing_cues import (
    CAP,
    EVENT_WORDS,
    TRANSACTIONAL_CONSTRUCTIONS,
    TRANSACTIONAL_WORDS,
    framing_columns,
)
from kzdiscourse.stance.ranking import kth_largest
from kzdiscourse.stance.scorers import get_scorer
from kzdiscourse.stance.units import plain_tokens


def _ranked_by_stacking(blocks, coef, which, top):
    """The previous evidence ranking: one CSR of all blocks, every positive contribution
    sorted per row (largest first, ties by column), the first ``top`` kept."""
    x = blocks.to_csr()
    x.sort_indices()
    row = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    contrib = x.data * coef[which[row], x.indices]
    keep = contrib > 0
    return _top(row[keep], x.indices[keep].astype(np.int64), x.data[keep], contrib[keep], top)


def _top(row, col, value, contrib, top):
    order = np.lexsort((col, -contrib, row))
    row, col, value, contrib = row[order], col[order], value[order], contrib[order]
    first = np.r_[0, np.flatnonzero(np.diff(row)) + 1] if len(row) else np.zeros(0, int)
    rank = np.arange(len(row)) - np.repeat(first, np.diff(np.r_[first, len(row)])) + 1
    sel = rank <= top
    return pd.DataFrame(
        {
            "row": row[sel],
            "col": col[sel],
            "rank": rank[sel],
            "value": value[sel],
            "contribution": contrib[sel],
        }
    )


def _coefficients(n_features: int, seed: int, ties: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if ties:  # a few distinct values: many equal contributions within a sentence
        return rng.choice([-1.0, -0.5, 0.0, 0.25, 0.5, 1.0], size=(4, n_features))
    return rng.normal(size=(4, n_features))


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("top", [1, 5])
def test_block_ranking_equals_ranking_the_stacked_matrix(parsed, ud_documents, ties, top):
    model = get_scorer(None)
    for corpus in (parsed, ud_documents):
        table = sentence_table(corpus, lexicon=model.lexicon)
        blocks = model.features_.transform_blocks(table)
        coef = _coefficients(blocks.shape[1], seed=top, ties=ties)
        which = np.random.default_rng(1).integers(0, 4, blocks.shape[0])
        row, col, value, _, contrib = positive_contributions(blocks.parts, coef, which, top)
        fast = _top(row, col, value, contrib, top)
        expected = _ranked_by_stacking(blocks, coef, which, top)
        assert len(expected) > blocks.shape[0] * min(top, 2) // 2  # real evidence
        pd.testing.assert_frame_equal(fast, expected, check_exact=True)


@pytest.mark.parametrize("seed", range(4))
def test_equal_contributions_across_blocks_rank_as_in_the_stacked_matrix(seed):
    # small values and coefficients: the same contribution in several blocks of one row,
    # exactly at the threshold of the block ranked before
    rng = np.random.default_rng(seed)
    n = 200

    def block(cols, density):
        values = rng.choice([1.0, 2.0], size=(n, cols)) * (rng.random((n, cols)) < density)
        return values

    parts = [
        sp.csr_matrix(block(7, 0.3)),
        block(3, 0.8),
        sp.csr_matrix(block(12, 0.5)),
        block(2, 1),
    ]
    blocks = StackedBlocks(parts)
    coef = rng.choice([-1.0, 0.5, 1.0], size=(3, blocks.shape[1]))
    which = rng.integers(0, 3, n)
    for top in (1, 3, 5):
        row, col, value, _, contrib = positive_contributions(parts, coef, which, top)
        pd.testing.assert_frame_equal(
            _top(row, col, value, contrib, top),
            _ranked_by_stacking(blocks, coef, which, top),
            check_exact=True,
        )


def test_the_model_evidence_is_the_stacked_ranking_of_its_labels(ud_documents):
    model = get_scorer(None)
    table = sentence_table(ud_documents, lexicon=model.lexicon)
    scores, evidence = model.score_with_evidence(table)
    # the label's coefficients are what the model ranks: a contribution and its value
    # give the coefficient back, so the ranking can be rebuilt from the stacked matrix
    labels = scores["label"].to_numpy()
    assert (evidence["contribution"] > 0).all()
    # the context stage's row is not a column of the matrix: its contribution is its coef
    context = evidence["feature"] == "<context>"
    assert (evidence.loc[context, "contribution"] == evidence.loc[context, "coef"]).all()
    evidence = evidence.loc[~context]
    x = model.features_.transform(table).tocsr()
    names = np.asarray(model.features_.feature_names_, dtype=object)
    got = evidence.assign(col=pd.Index(names).get_indexer(evidence["feature"]))
    assert (got["col"] >= 0).all()
    row = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]]).get_indexer(
        pd.MultiIndex.from_frame(got[["doc_id", "sent_id"]])
    )
    assert np.array_equal(np.asarray(x[row, got["col"].to_numpy()]).ravel(), got["value"])
    assert (got["label"].to_numpy() == labels[row]).all()
    assert np.array_equal(got["contribution"], got["value"] * got["coef"])


def test_kth_largest_counts_repeats_and_marks_short_rows():
    # row 0: 3, 3, 1 -> 2nd largest 3 (repeats count); row 1: one entry -> -inf;
    # row 2: no entries -> -inf; row 3: 2, 5 -> 2
    row = np.array([0, 0, 0, 1, 3, 3])
    value = np.array([3.0, 1.0, 3.0, 9.0, 2.0, 5.0])
    assert kth_largest(row, value, 2, 4).tolist() == [3.0, -np.inf, -np.inf, 2.0]


_YEAR = re.compile(r"^(19|20)\d\d$")
_MONTHS = frozenset(
    (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
    )
)


def _words(text):
    return frozenset(text.replace("ё", "е").split())


def _framing_token_by_token(tokens, row, n):
    """The previous framing_columns: every token's strings converted and tested."""
    lemma = tokens["lemma"].astype(str).str.lower().str.replace("ё", "е").to_numpy(dtype=object)
    text = tokens["text"].astype(str).to_numpy(dtype=object)
    pos = tokens["pos"].astype(str).to_numpy(dtype=object)
    codes, uniques = pd.factorize(lemma)
    uniques = np.asarray(uniques, dtype=object)

    def member(words):
        return np.r_[np.array([u in words for u in uniques], dtype=bool), False][codes]

    def count(mask):
        return np.minimum(np.bincount(row[mask], minlength=n).astype(float), CAP)

    out = {f"tr_{name}": count(member(words)) for name, words in TRANSACTIONAL_WORDS.items()}
    same_unit = np.r_[row[1:] == row[:-1], False]
    construction = np.zeros(len(lemma), bool)
    for first, second in TRANSACTIONAL_CONSTRUCTIONS:
        construction |= member(_words(first)) & np.r_[member(_words(second))[1:], False] & same_unit
    out["tr_construction"] = count(construction)
    for name, words in EVENT_WORDS.items():
        out[f"ev_{name}"] = count(member(words))
    year = np.array([bool(_YEAR.match(t)) for t in text], dtype=bool)
    out["ev_date"] = count(member(_MONTHS) | year)
    out["ev_number"] = count((pos == "NUM") & ~year)
    out["ev_no_cue"] = np.zeros(n)
    out["ev_no_cue_report"] = np.zeros(n)
    return out


def test_framing_columns_equal_the_token_by_token_version(parsed, ud_documents):
    for corpus in (parsed, ud_documents):
        for tokens in (corpus.tokens, plain_tokens(corpus.tokens)):
            row = pd.MultiIndex.from_frame(tokens[["doc_id", "sent_id"]]).factorize()[0]
            n = int(row.max()) + 1
            fast, slow = framing_columns(tokens, row, n), _framing_token_by_token(tokens, row, n)
            assert list(fast) == list(slow)
            for col in slow:
                assert np.array_equal(fast[col], slow[col]), col
            assert sum(v.sum() for v in slow.values()) > 0  # the cues do fire


def test_plain_tokens_returns_its_own_table_as_it_is(ud_documents):
    plain = plain_tokens(ud_documents.tokens)
    assert plain is not ud_documents.tokens
    assert plain_tokens(plain) is plain
    assert all(plain[c].dtype == object for c in ("doc_id", "lemma", "text", "pos"))
    shifted = plain.set_index(plain.index + 1)  # not a 0-based range: converted again
    assert plain_tokens(shifted) is not shifted
