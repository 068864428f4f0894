"""Faults met while cleaning and parsing: markup, profiles, engines, odd texts."""

from __future__ import annotations

import pandas as pd
import pytest

from kzdiscourse import Corpus
from kzdiscourse.errors import (
    EncodingError,
    InputError,
    KzDiscourseError,
    LanguageError,
    MarkupError,
    ParameterError,
)

from faultlib import RU, helpful, two_documents


def one(text: str) -> Corpus:
    # object columns: pandas' default string dtype cannot even hold an unpaired surrogate
    return Corpus.from_dataframe(pd.DataFrame({"doc_id": ["d"], "text": [text]}, dtype=object))


HTML = f'<div class="lead"><p>{RU}</p><a href="https://example.org">ссылка</a></div>'


def test_html_fragment_is_stripped_not_counted():
    corpus = one(HTML).clean()
    tokens = corpus.parse().tokens["text"].str.lower().tolist()
    assert "div" not in tokens and "class" not in tokens and "href" not in tokens
    assert "казахстан" in tokens and "ссылка" in tokens
    assert set(corpus.removed["reason"]) >= {"html_markup"}  # accounted for


def test_html_fragment_refused_when_asked():
    with pytest.raises(MarkupError) as info:
        one(HTML).clean(markup="error")
    helpful(info.value, "'d'", "html", "markup='strip'")


def test_unknown_cleaning_profile():
    with pytest.raises(KzDiscourseError) as info:
        two_documents().clean(profile="tass")
    helpful(info.value, "'tass'", "generic")


def test_cleaning_twice():
    with pytest.raises(InputError) as info:
        two_documents().clean().clean()
    helpful(info.value, "already cleaned", "once")


def test_removed_share_out_of_range():
    with pytest.raises(InputError) as info:
        two_documents().clean(max_removed_share=5)
    helpful(info.value, "max_removed_share", "(0, 1]")


def test_unknown_engine():
    with pytest.raises(InputError) as info:
        two_documents().parse(engine="spark")
    helpful(info.value, "'spark'", "'local'")


def test_cluster_client_without_dask_engine():
    with pytest.raises(InputError) as info:
        two_documents().parse(client=object())
    helpful(info.value, "client=", "engine='dask'")


def test_parse_with_zero_workers():
    with pytest.raises(ParameterError) as info:
        two_documents().parse(n_jobs=0)
    helpful(info.value, "n_jobs", "-1")


def test_text_of_numbers_and_punctuation_only():
    with pytest.raises(LanguageError) as info:
        one("2024 — 15 %, 3.5 (!!!) 7/8")
    helpful(info.value, "'d'", "min_cyrillic_share=")


def test_text_with_an_unpaired_surrogate():
    with pytest.raises(EncodingError) as info:
        one(RU + "\ud800")
    helpful(info.value, "'d'", "surrogate")
