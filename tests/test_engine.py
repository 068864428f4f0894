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
