"""The word index behind dictionary matching: built once per corpus inside compare()."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

import kzdiscourse as kzd
from kzdiscourse import Dictionary
from kzdiscourse.word_index import WordIndex, shared_word_indexes, word_index


def test_compare_indexes_the_corpus_once_for_every_dictionary(parsed, monkeypatch):
    built: list[int] = []
    original = WordIndex.__init__

    def counting(self, tokens):
        built.append(id(tokens))
        original(self, tokens)

    monkeypatch.setattr(WordIndex, "__init__", counting)
    kzd.compare(parsed, measures=["frames", "metadiscourse", "actors"], by="outlet")
    assert built.count(id(parsed.tokens)) == 1  # three dictionaries, one index
    built.clear()
    d = Dictionary.from_resource("frames_ru")
    d.match(parsed), d.match(parsed)
    assert built.count(id(parsed.tokens)) == 2  # outside compare() nothing is kept


def test_shared_and_fresh_indexes_give_the_same_matches(parsed):
    dictionaries = [Dictionary.from_resource(n) for n in ("frames_ru", "actors_ru")]
    fresh = [d.match(parsed) for d in dictionaries]
    with shared_word_indexes():
        shared = [d.match(parsed) for d in dictionaries]
        with shared_word_indexes():  # nested: the outer indexes
            assert word_index(parsed.tokens) is word_index(parsed.tokens)
    for a, b in zip(fresh, shared, strict=True):
        assert len(a) > 0
        assert a.equals(b)


def test_the_index_holds_the_word_tokens_in_order(parsed):
    tokens = parsed.tokens
    index = WordIndex(tokens)
    words = tokens[~tokens["pos"].isin(["PUNCT", "SYM"])]
    assert len(index) == len(words)
    assert index.lemmas(index.positions()).tolist() == words["lemma"].astype(str).tolist()
    assert index.surface(index.positions()).tolist() == words["text"].astype(str).tolist()
    # one key per sentence: equal keys exactly where (doc_id, sent_id) is equal
    pairs = list(zip(words["doc_id"], words["sent_id"], strict=True))
    assert len(set(index.sent_key.tolist())) == len(set(pairs))
    same = index.sent_key[1:] == index.sent_key[:-1]
    assert np.array_equal(same, np.array([a == b for a, b in pairwise(pairs)]))
