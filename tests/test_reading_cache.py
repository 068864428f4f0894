"""The reading cache's shortcuts give what the plain computation gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse.disambiguation.readings import ReadingCache
from kzdiscourse.disambiguation.strings import is_word
from kzdiscourse.nlp import Lemmatizer

_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="аяёжйъ-.-a Z1Ёе\u0301", max_size=8))
def test_is_word_is_the_word_regex(text):
    assert is_word(text) == bool(_WORD.fullmatch(text))


def test_words_with_one_reading_are_kept_as_rows_and_built_on_request():
    # a word with one reading keeps no FormReadings until asked: the one built from its
    # rows is the one the cache gives every time, with the values of its rows
    lem = Lemmatizer()
    cache = ReadingCache(0.005)
    forms = ["стол", "стали", "книгами", ",", "2025", "того", "красивый"]
    ids = cache.ids(forms, lem.candidates)
    context, n_read, masks = cache.tables()
    for form, i in zip(forms, ids.tolist(), strict=True):
        entry = cache.entry(i)
        assert cache.get(form, lem.candidates) is entry
        assert list(entry.context) == context[i].tolist()
        assert len(entry.cand) == n_read[i] and entry.type_mask == masks[i]
    one = [
        cache.entry(i) for f, i in zip(forms, ids.tolist(), strict=True) if f in ("стол", "книгами")
    ]
    assert all(e.readings == () and not e.ambiguous for e in one)
    assert cache.entry(ids[1]).ambiguous  # стали: стать / сталь
    # the same forms in a fresh cache, asked one by one with get(), give the same rows
    fresh = ReadingCache(0.005)
    for form, i in zip(forms, ids.tolist(), strict=True):
        assert fresh.get(form, lem.candidates).context == cache.entry(i).context


def test_readings_added_by_ud_conventions_share_the_analysis_score():
    # "того" analysed only as the determiner тот: UD's pronoun то is added with the same
    # analysis, and each reading's share is out of the lemmatiser's own scores (0.9),
    # not out of the scores once the added reading is counted (which would halve both)
    tag = "ADJF,Subx,Apro,Anph neut,sing,gent"
    found = {"того": [("тот", "DET", tag, 0.9)]}
    entry = ReadingCache(0.005).get("того", found.__getitem__)
    assert [(r.lemma, r.upos, r.share) for r in entry.readings] == [
        ("тот", "DET", 1.0),
        ("то", "PRON", 1.0),
    ]
    assert entry.log_share.tolist() == [0.0, 0.0]
