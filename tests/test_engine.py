"""The engine's output does not depend on chunk size, on n_jobs, or on what was cached."""

from __future__ import annotations

import pandas as pd
import pytest

from kzdiscourse import Corpus
from kzdiscourse.engine import (
    analyze_forms,
    concat_tables,
    iter_parse,
    segment_documents,
    work_items,
)
from kzdiscourse.nlp import Lemmatizer
from kzdiscourse.ud import read_conllu

from conftest import DATA


@pytest.fixture(scope="module")
def ud_corpus() -> Corpus:
    sentences = [s.text for s in read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")][:240]
    docs = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    frame = pd.DataFrame({"doc_id": [f"d{k:02d}" for k in range(len(docs))], "text": docs})
    return Corpus.from_dataframe(frame)


def tables(corpus: Corpus, **kwargs):
    return concat_tables(iter_parse(work_items(corpus), lemmatizer=Lemmatizer(), **kwargs))


def test_chunk_size_does_not_change_the_tables(ud_corpus):
    whole = tables(ud_corpus)
    small = tables(ud_corpus, chunk_chars=1500)  # about two documents per chunk
    for a, b in zip(whole, small, strict=True):
        pd.testing.assert_frame_equal(a, b)
    # text and id columns hold Python strings (object), the type-level ones Arrow strings
    assert whole[2]["doc_id"].dtype == object and whole[2]["text"].dtype == object
    assert whole[1]["text"].dtype == object and str(whole[2]["lemma"].dtype) == "str"
    # ids restart in every document and offsets point back into its text
    toks = whole[2]
    assert (toks.groupby("doc_id")["tok_id"].min() == 0).all()
    texts = ud_corpus.documents.set_index("doc_id")["text"]
    assert all(texts[r.doc_id][r.start : r.end] == r.text for r in toks.itertuples())


@pytest.mark.slow
def test_two_workers_give_the_same_tables_over_many_chunks(ud_corpus):
    serial = tables(ud_corpus, chunk_chars=1500)
    parallel = tables(ud_corpus, n_jobs=2, chunk_chars=1500)
    for a, b in zip(serial, parallel, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_worker_functions_are_pure():
    item = ("d", "ЕС ввёл санкции. Астана ответила — «нет».", None, None)
    first, again = segment_documents([item]), segment_documents([item])
    assert first.forms == again.forms and (first.tok_start == again.tok_start).all()
    assert first.forms[:4] == ["ЕС", "ввёл", "санкции", "."]
    rows = dict(analyze_forms(["ввёл", "санкции"]))
    assert rows == dict(analyze_forms(["санкции", "ввёл"]))
    assert rows["санкции"][0] == "санкция" and rows["ввёл"][0] == "ввести"


def test_an_empty_chunk_list_gives_empty_tables_with_the_columns():
    _, sentences, tokens = concat_tables([])
    assert list(sentences.columns)[:3] == ["doc_id", "par_id", "sent_id"]
    assert "lemma" in tokens.columns and len(tokens) == 0


def test_a_worker_cache_lives_for_one_parse_call_and_learns_from_the_others():
    from kzdiscourse import engine

    chunk = [("d", "ЕС ввёл санкции. ЕС ввёл пошлины.", None, None)]
    first = engine.parse_chunk(chunk, session="call-1")
    assert [f for f, _ in first.analysed] == [".", "ввёл", "ес", "пошлины", "санкции"]
    # the same call meets the same forms again: nothing new to analyse
    assert engine.parse_chunk(chunk, session="call-1").analysed == []
    # a new call starts cold, except for analyses passed along from other workers
    rows = dict(first.analysed)
    known = engine._columns(["ввёл", "ес"], [rows["ввёл"], rows["ес"]])
    again = engine.parse_chunk(chunk, session="call-2", known=known)
    assert [f for f, _ in again.analysed] == [".", "пошлины", "санкции"]
    for a, b in zip(first.frames, again.frames, strict=True):
        pd.testing.assert_frame_equal(a, b)
    # a worker keeps the caches of the last few calls only
    for k in range(engine._WORKER_SESSIONS + 1):
        engine.parse_chunk(chunk, session=f"later-{k}")
    assert "call-1" not in engine._sessions
    assert len(engine._sessions) == engine._WORKER_SESSIONS


def test_with_a_submit_function_the_parent_only_collects_finished_chunks(ud_corpus):
    """Any ``submit`` (here: run at once, in this process) gives the same tables."""
    from concurrent.futures import Future

    from kzdiscourse import engine

    calls = []

    def submit(fn, *args):
        calls.append(fn)
        future = Future()
        future.set_result(fn(*args))
        return future

    lem = Lemmatizer()
    serial = tables(ud_corpus, chunk_chars=1500)
    got = concat_tables(
        iter_parse(work_items(ud_corpus), chunk_chars=1500, lemmatizer=lem, submit=submit)
    )
    assert calls and set(calls) == {engine.parse_chunk}
    for a, b in zip(serial, got, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert lem.missing(set(got[2]["text"].str.lower())) == set()


def test_the_ramp_starts_with_smaller_chunks_and_keeps_every_document_in_order():
    from kzdiscourse.engine import chunked

    items = [(f"d{k}", "я" * 99, None, None) for k in range(10)]  # 100 characters each
    sizes = [len(c) for c in chunked(items, chunk_chars=800, ramp=1)]
    assert sizes == [1, 2, 4, 3]  # limits 100, 200, 400, then 800
    assert [len(c) for c in chunked(items, chunk_chars=800)] == [8, 2]
    flat = [item[0] for c in chunked(items, chunk_chars=800, ramp=2) for item in c]
    assert flat == [item[0] for item in items]
