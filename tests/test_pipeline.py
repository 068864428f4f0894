"""The parse pipeline on plain tables, its caches, and the import paths kept from before."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from kzdiscourse import Corpus
from kzdiscourse.cache import ParseCache, parse_tables
from kzdiscourse.engine import WorkerCaches
from kzdiscourse.nlp import LemmaResources, Lemmatizer, default_lemmatizer
from kzdiscourse.pipeline import work_items

#: last_stats of a cache call that found no damaged entry and stored its new parses
CLEAN = {"damaged": 0, "stored": True}

TABLES = ("paragraphs", "sentences", "tokens")


def _assert_tables_equal(got, parsed) -> None:
    for name, frame in zip(TABLES, got, strict=True):
        pd.testing.assert_frame_equal(frame, getattr(parsed, name), obj=name)


def test_parse_tables_on_the_documents_table_equals_corpus_parse(cleaned, parsed):
    got = parse_tables(cleaned.documents, cleaned.paragraphs)
    _assert_tables_equal(got, parsed)


def test_parse_tables_through_a_cache_equals_the_parse_and_counts_hits(tmp_path, cleaned, parsed):
    cache = ParseCache(tmp_path)
    _assert_tables_equal(parse_tables(cleaned.documents, cleaned.paragraphs, cache=cache), parsed)
    assert cache.last_stats == {"documents": 2, "hits": 0, "misses": 2, **CLEAN}
    again = parse_tables(cleaned.documents, cleaned.paragraphs, cache=tmp_path)
    _assert_tables_equal(again, parsed)


def test_work_items_read_the_same_from_a_corpus_or_its_tables(cleaned, seeds):
    assert list(work_items(cleaned)) == list(work_items(cleaned.documents, cleaned.paragraphs))
    raw = list(work_items(seeds.documents))
    assert [item[2] for item in raw] == [None, None]  # no layout: inferred where parsed
    cleaned_items = list(work_items(cleaned))
    assert all(item[2] for item in cleaned_items)  # the layout from cleaning travels along


def test_a_raw_corpus_parses_the_same_through_tables_and_corpus(seeds):
    _assert_tables_equal(parse_tables(seeds.documents), seeds.parse())


def test_the_lemmatiser_cache_can_be_cleared_and_fills_again_with_the_same_rows():
    lem = Lemmatizer()
    first = lem.analyze(["Санкции", "ввели", "ЕС"])
    assert len(lem) == 3
    lem.clear_cache()
    assert len(lem) == 0
    assert lem.analyze(["Санкции", "ввели", "ЕС"]) == first
    assert first["lemma"] == ["санкция", "ввести", "ес"]


def test_resources_reload_after_clear_and_lemmas_do_not_change():
    resources = LemmaResources()
    lem = Lemmatizer(resources)
    before = lem.analyze(["Токаев", "млн", "стали"])
    analyzer = resources.analyzer
    resources.clear()
    assert resources.upos_by_tag == {}
    lem.clear_cache()
    assert lem.analyze(["Токаев", "млн", "стали"]) == before
    assert resources.analyzer is not analyzer  # loaded again
    # the overrides apply: the president, not the wine region; the abbreviation's lemma
    assert before["lemma"][:2] == ["токаев", "миллион"]


def test_reading_turns_any_pymorphy3_analysis_into_lemma_upos_tag():
    lem = Lemmatizer()
    analyses = lem.analyses("стали")
    readings = {lem.reading(a)[:2] for a in analyses}
    assert {("стать", "VERB"), ("сталь", "NOUN")} <= readings
    assert lem.analyze(["стали"])["lemma"] == [lem.reading(analyses[0])[0]]


def test_worker_caches_keep_the_last_calls_and_clear():
    caches = WorkerCaches(limit=2)
    a = caches.get("a")
    assert caches.get("a") is a and caches.get(None) is default_lemmatizer()
    caches.get("b")
    caches.get("c")
    assert "a" not in caches and len(caches) == 2
    caches.clear()
    assert len(caches) == 0 and caches.get("a") is not a


def test_parse_corpus_is_a_deprecated_alias_of_corpus_parse(cleaned, parsed):
    from kzdiscourse.nlp import parse_corpus

    with pytest.warns(DeprecationWarning, match=r"use Corpus\.parse"):
        got = parse_corpus(cleaned)
    _assert_tables_equal([got.paragraphs, got.sentences, got.tokens], parsed)


def test_old_import_paths_still_work():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from kzdiscourse.corpus import MIN_CYRILLIC_SHARE, cyrillic_share  # noqa: F401
        from kzdiscourse.engine import (  # noqa: F401
            Segmented,
            analyze_forms,
            assemble,
            concat_tables,
            segment_documents,
            work_items,
        )
        from kzdiscourse.nlp import PIPELINE_VERSION, sentenize, tokenize  # noqa: F401
        from kzdiscourse.store import (  # noqa: F401
            dtypes_of,
            pipeline_fingerprint,
            read_frame,
            restore,
            write_frame,
        )
    from kzdiscourse import layout, pipeline

    assert sentenize is layout.sentenize and tokenize is layout.tokenize
    assert segment_documents is pipeline.segment_documents


def test_store_reads_a_corpus_by_its_tables_not_its_class(tmp_path, cleaned, parsed):
    """A corpus subclass (or any object with the Corpus tables) is written like a Corpus."""
    from dataclasses import dataclass

    from kzdiscourse.store import write_dataset

    @dataclass(frozen=True)
    class Tagged(Corpus):
        tag: str = "x"

    tagged = Tagged(**{f: getattr(cleaned, f) for f in cleaned.__dataclass_fields__})
    ds = write_dataset(tagged, tmp_path / "ds")
    pd.testing.assert_frame_equal(ds.to_parsed().tokens, parsed.tokens)
