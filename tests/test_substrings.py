"""kzdiscourse.substrings numbers spans exactly as pandas.factorize does on their slices."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse.layout import tokenize_sentences
from kzdiscourse.scripts import fold_lookalikes
from kzdiscourse.substrings import factorize_spans, span_strings


def reference(text, starts, ends, folded=None):
    """The numbering pipeline.segment_documents made before: one Python slice per span."""
    keys = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    if folded is not None and folded is not text:
        keys = [
            k if folded[a:b] == k else (k, folded[a:b])
            for k, a, b in zip(keys, starts, ends, strict=True)
        ]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object))
    return codes.tolist(), list(uniques)


def tokens_of(text):
    folded = fold_lookalikes(text).text
    starts, ends, _ = tokenize_sentences(folded, [0], [len(text)])
    return folded, starts, ends


def test_forms_in_order_of_first_appearance_with_cyrillic_latin_and_emoji():
    text = "ЕС и ЕС; café 🙂 и café. Ёж"
    folded, starts, ends = tokens_of(text)
    codes, keys = factorize_spans(text, starts, ends, folded=folded)
    assert keys == ["ЕС", "и", ";", "café", "🙂", ".", "Ёж"]
    assert codes.tolist() == [0, 1, 0, 2, 3, 4, 1, 3, 5, 6]
    assert (codes.tolist(), keys) == reference(text, starts.tolist(), ends.tolist(), folded)


def test_a_folded_token_is_keyed_by_the_written_and_the_folded_form():
    # "EC" in Latin letters next to Cyrillic words folds to "ЕС": a form of its own,
    # distinct from the Cyrillic "ЕС" written as such
    text = "Казахстан и EC, Казахстан и ЕС"
    folded, starts, ends = tokens_of(text)
    assert folded != text
    codes, keys = factorize_spans(text, starts, ends, folded=folded)
    assert ("EC", "ЕС") in keys and "ЕС" in keys
    assert (codes.tolist(), keys) == reference(text, starts.tolist(), ends.tolist(), folded)


def test_a_text_without_utf8_form_takes_the_python_path():
    text = "abc \ud800 abc"  # a lone surrogate: str.encode("utf-8") fails
    codes, keys = factorize_spans(text, [0, 4, 6], [3, 5, 9])
    assert codes.tolist() == [0, 1, 0] and keys == ["abc", "\ud800"]


def test_no_spans():
    codes, keys = factorize_spans("текст", [], [])
    assert codes.dtype == np.int64 and codes.tolist() == [] and keys == []
    assert (
        span_strings("", np.array([], dtype=np.int64), np.array([], dtype=np.int64)).to_pylist()
        == []
    )


# letters of several scripts and widths (1-4 UTF-8 bytes), look-alikes, spaces, marks
_ALPHABET = st.sampled_from(list("аеоскрхАЕОСКРХaeockpxAEOCKPXёЁ éß€🙂 .,-—\n"))


@settings(max_examples=60, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_same_numbering_as_pandas_on_the_slices(text):
    folded, starts, ends = tokens_of(text)
    got_codes, got_keys = factorize_spans(text, starts, ends, folded=folded)
    assert (got_codes.tolist(), got_keys) == reference(text, starts.tolist(), ends.tolist(), folded)
    strings = span_strings(text, starts, ends).to_pylist()
    assert strings == [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
