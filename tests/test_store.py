"""Streaming loaders, the Parquet dataset of a parse, chunk-wise counts and the parse cache.

The corpus here is the two seeds cut into a dozen documents (by paragraphs), so that each
group spans several chunks and reductions across chunks are really exercised.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdiscourse import Corpus, nlp
from kzdiscourse import engine as engine_module
from kzdiscourse.cache import ParseCache
from kzdiscourse.corpus import cyrillic_share
from kzdiscourse.counts import corpus_summary, term_counts
from kzdiscourse.errors import (
    ColumnError,
    DuplicateIdError,
    EmptyTextError,
    InputError,
    InputPathError,
    MetadataMismatchError,
)
from kzdiscourse.measures.keyness import keyness_tests
from kzdiscourse.measures.summary import corpus_summary as summary_in_memory
from kzdiscourse.store import META_FILE, TABLES, ParsedDataset, write_dataset

#: last_stats of a cache call that found no damaged entry and stored its new parses
CLEAN = {"damaged": 0, "stored": True}


@pytest.fixture(scope="module")
def pieces(cleaned) -> Corpus:
    """The cleaned seeds cut into documents of 3 paragraphs, with two metadata columns."""
    rows = []
    for doc_id, text, outlet in zip(
        cleaned.documents["doc_id"], cleaned.documents["text"], cleaned.documents["outlet"],
        strict=True,
    ):  # fmt: skip
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        for k in range(0, len(paragraphs), 3):
            body = "\n\n".join(paragraphs[k : k + 3])
            if cyrillic_share(body) >= 0.5:
                rows.append({"doc_id": f"{doc_id}_{k:03d}", "text": body, "outlet": outlet})
    frame = pd.DataFrame(rows)
    frame["half"] = ["first" if i % 2 == 0 else "second" for i in range(len(frame))]
    return Corpus.from_dataframe(frame)


@pytest.fixture(scope="module")
def pieces_parsed(pieces):
    return pieces.parse()


def assert_parsed_equal(left, right) -> None:
    for table in TABLES:
        a, b = getattr(left, table), getattr(right, table)
        if a is None or b is None:
            assert a is None and b is None, table
            continue
        pd.testing.assert_frame_equal(a, b, obj=table)


def test_fixture_groups_span_several_documents(pieces):
    counts = pieces.documents["outlet"].value_counts()
    assert len(pieces) >= 8 and counts.min() >= 3


# ------------------------------------------------------------------------------ streaming


@pytest.mark.parametrize("chunksize", [1, 2, 5])
def test_iter_parquet_chunks_add_up_to_the_eager_load(tmp_path, pieces, chunksize):
    path = pieces.to_parquet(tmp_path / "c.parquet")
    eager = Corpus.from_parquet(path)
    chunks = list(Corpus.iter_parquet(path, chunksize=chunksize))
    assert [len(c) for c in chunks[:-1]] == [chunksize] * (len(chunks) - 1)
    assert 1 <= len(chunks[-1]) <= chunksize
    for name in ("documents", "sources"):
        whole = pd.concat([getattr(c, name) for c in chunks], ignore_index=True)
        pd.testing.assert_frame_equal(whole, getattr(eager, name))


def test_iter_parquet_reads_a_folder_of_parts_in_sorted_order(tmp_path, pieces):
    folder = tmp_path / "ds"
    folder.mkdir()
    docs = pieces.documents
    # written out of order on purpose: part names, not creation order, decide
    docs.iloc[5:].to_parquet(folder / "part-1.parquet", index=False)
    docs.iloc[:5].to_parquet(folder / "part-0.parquet", index=False)
    ids = [d for c in Corpus.iter_parquet(folder, chunksize=3) for d in c.doc_ids]
    assert ids == pieces.doc_ids


def test_iter_parquet_catches_duplicate_ids_across_chunks(tmp_path, pieces):
    frame = pieces.documents.copy()
    frame.loc[4, "doc_id"] = frame.loc[0, "doc_id"]
    frame.to_parquet(tmp_path / "d.parquet", index=False)
    stream = Corpus.iter_parquet(tmp_path / "d.parquet", chunksize=2)
    first = [next(stream), next(stream)]  # ids 0-3 are fine
    assert sum(len(c) for c in first) == 4
    with pytest.raises(DuplicateIdError) as err:
        next(stream)
    assert err.value.doc_ids == [frame.loc[0, "doc_id"]]


def test_iter_parquet_errors_name_the_file_and_document(tmp_path, pieces):
    frame = pieces.documents.copy()
    frame.loc[3, "text"] = "   "
    path = tmp_path / "e.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(EmptyTextError) as err:
        list(Corpus.iter_parquet(path, chunksize=2))
    assert err.value.doc_ids == [frame.loc[3, "doc_id"]] and str(path) in str(err.value)
    with pytest.raises(ColumnError, match="body"):
        Corpus.iter_parquet(path, text_col="body")
    with pytest.raises(InputError, match="chunksize"):
        Corpus.iter_parquet(path, chunksize=0)
    with pytest.raises(InputPathError):
        Corpus.iter_parquet(tmp_path / "missing.parquet")
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="Parquet"):
        list(Corpus.iter_parquet(tmp_path / "junk.parquet"))


def test_iter_folder_equals_from_folder(tmp_path, pieces):
    for doc_id, text in zip(pieces.doc_ids, pieces.documents["text"], strict=True):
        (tmp_path / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    meta = pieces.documents.drop(columns=["text"])
    meta.to_csv(tmp_path / "metadata.csv", index=False)
    eager = Corpus.from_folder(tmp_path)
    chunks = list(Corpus.iter_folder(tmp_path, chunksize=4))
    assert [len(c) for c in chunks] == [4, 4, len(pieces) - 8][: len(chunks)]
    for name in ("documents", "sources"):
        whole = pd.concat([getattr(c, name) for c in chunks], ignore_index=True)
        pd.testing.assert_frame_equal(whole, getattr(eager, name))


def test_iter_folder_checks_the_metadata_before_reading_any_text(tmp_path):
    (tmp_path / "a.txt").write_text("Казахстан и Европейский союз.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("doc_id,outlet\na,X\nb,Y\n", encoding="utf-8")
    with pytest.raises(MetadataMismatchError):
        Corpus.iter_folder(tmp_path)  # raised on the call, before iteration


# ------------------------------------------------------------------------------ dataset


def test_dataset_round_trip_equals_the_in_memory_parse(tmp_path, pieces, pieces_parsed):
    ds = write_dataset(pieces, tmp_path / "ds", chunksize=3)
    assert ds.n_parts == -(-len(pieces) // 3)
    assert [p["name"] for p in ds.metadata["parts"]][:2] == ["part-00000", "part-00001"]
    assert sum(p["documents"] for p in ds.metadata["parts"]) == len(pieces)
    assert ds.metadata["tokens"] == len(pieces_parsed.tokens)
    assert ds.metadata["fingerprint"]["pipeline_version"] == nlp.PIPELINE_VERSION
    assert_parsed_equal(ParsedDataset(tmp_path / "ds").to_parsed(), pieces_parsed)
    # every part holds whole documents, the same ones in every table
    for part in ds.iter_parsed():
        ids = set(part.documents["doc_id"])
        assert set(part.tokens["doc_id"]) == ids == set(part.sentences["doc_id"])


def test_dataset_from_a_cleaned_stream(tmp_path, seeds, parsed):
    path = seeds.to_parquet(tmp_path / "raw.parquet")
    stream = (c.clean() for c in Corpus.iter_parquet(path, chunksize=1))
    ds = write_dataset(stream, tmp_path / "ds")
    assert ds.n_parts == 2 and "cleaning" in ds.tables
    back = ds.to_parsed()
    for table in ("paragraphs", "sentences", "tokens", "removed", "citations", "cleaning"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(parsed, table), obj=table)


def test_dataset_is_byte_identical_across_writes(tmp_path, seeds):
    corpus = seeds.clean()
    for name in ("a", "b"):
        write_dataset(corpus, tmp_path / name, chunksize=1)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    assert files_a == files_b and len(files_a) == 1 + 2 * len(TABLES)
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_dataset_reads_selected_columns(tmp_path, seeds):
    ds = write_dataset(seeds.clean(), tmp_path / "ds", chunksize=1)
    frames = list(ds.iter_table("tokens", ["doc_id", "lemma"]))
    assert [f.columns.tolist() for f in frames] == [["doc_id", "lemma"]] * 2
    assert [f["doc_id"].unique().tolist() for f in frames] == [[d] for d in seeds.doc_ids]
    assert "text" not in ds.metadata_table().columns
    assert ds.groups("outlet").to_dict() == {"ankasam_2025_08": "ANKASAM", "dzen_2025_12": "Dzen"}


def test_dataset_refuses_bad_targets_and_inputs(tmp_path, seeds):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(InputPathError, match="not empty"):
        write_dataset(seeds, tmp_path / "busy")
    with pytest.raises(InputPathError, match="not empty"):  # not ours: never deleted
        write_dataset(seeds, tmp_path / "busy", overwrite=True)
    assert (tmp_path / "busy" / "notes.txt").exists()
    write_dataset(seeds, tmp_path / "ds", chunksize=1)
    write_dataset(seeds, tmp_path / "ds", chunksize=2, overwrite=True)
    assert ParsedDataset(tmp_path / "ds").n_parts == 1
    a, b = seeds.subset(["ankasam_2025_08"]), seeds.subset(["dzen_2025_12"])
    with pytest.raises(DuplicateIdError):
        write_dataset([a, a], tmp_path / "dup")
    with pytest.raises(InputError, match="cleaned"):
        write_dataset([a.clean(), b], tmp_path / "mixed")
    with pytest.raises(InputPathError, match=META_FILE):
        ParsedDataset(tmp_path / "mixed")  # the failed write left no metadata file


# ------------------------------------------------------------------------------ counts


@pytest.mark.parametrize("by", ["outlet", "half", "doc_id"])
def test_summary_from_chunks_equals_the_in_memory_summary(tmp_path, pieces, pieces_parsed, by):
    ds = write_dataset(pieces, tmp_path / "ds", chunksize=3)
    expected = summary_in_memory(pieces_parsed, by=by)
    pd.testing.assert_frame_equal(corpus_summary(ds, by=by), expected)
    pd.testing.assert_frame_equal(corpus_summary(pieces_parsed, by=by), expected)


@pytest.mark.parametrize("by", ["outlet", "half"])
def test_term_counts_from_chunks_equal_keyness_counts(tmp_path, pieces, pieces_parsed, by):
    ds = write_dataset(pieces, tmp_path / "ds", chunksize=4)
    counts = term_counts(ds, by=by)
    pd.testing.assert_frame_equal(counts, term_counts(pieces_parsed, by=by))
    table = keyness_tests(pieces_parsed, by=by)
    for group, rows in table.groupby("group"):
        own = rows.loc[rows["n"] > 0].set_index("term")["n"].astype("int64").sort_index()
        mine = counts.loc[counts["group"] == group].set_index("term")["freq"].sort_index()
        pd.testing.assert_series_equal(mine, own, check_names=False)
        assert mine.sum() == rows["total"].iloc[0]
    bigrams = term_counts(ds, by=by, unit="bigram", drop_stopwords=True)
    pd.testing.assert_frame_equal(
        bigrams, term_counts(pieces_parsed, by=by, unit="bigram", drop_stopwords=True)
    )


def test_term_counts_on_a_hand_made_corpus(tmp_path):
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": ["Кот видит кота.", "Кот спит.", "Собака спит."],
            "kind": ["X", "X", "Y"],
        }
    )
    ds = write_dataset(Corpus.from_dataframe(frame), tmp_path / "ds", chunksize=1)
    got = term_counts(ds, by="kind")
    expected = {
        ("X", "видеть"): 1,
        ("X", "кот"): 3,
        ("X", "спать"): 1,
        ("Y", "собака"): 1,
        ("Y", "спать"): 1,
    }
    assert dict(zip(zip(got["group"], got["term"], strict=True), got["freq"], strict=True)) == (
        expected
    )
    summary = corpus_summary(ds, by="kind").set_index(["level", "group"])
    # X: 5 words, 4 forms (кот, видит, кота, спит), 3 lemmas; Y: 2, 2, 2; all: 7 words,
    # 5 forms, 4 lemmas (спать is shared)
    assert summary.loc[("group", "X"), ["tokens", "types", "lemmas"]].tolist() == [5, 4, 3]
    assert summary.loc[("group", "Y"), ["tokens", "types", "lemmas"]].tolist() == [2, 2, 2]
    corpus_row = summary.xs("corpus", level="level")
    assert corpus_row[["tokens", "types", "lemmas", "sentences"]].iloc[0].tolist() == [7, 5, 4, 3]


# ------------------------------------------------------------------------------ cache


@pytest.fixture
def count_segmented(monkeypatch):
    """Count the documents the engine segments (i.e. actually parses)."""
    seen: list[str] = []
    real = engine_module.segment_documents

    def counting(docs):
        seen.extend(item[0] for item in docs)
        return real(docs)

    monkeypatch.setattr(engine_module, "segment_documents", counting)
    return seen


def test_cache_reuses_parses_and_equals_an_uncached_parse(
    tmp_path, pieces, pieces_parsed, count_segmented
):
    cache = ParseCache(tmp_path / "cache")
    first = pieces.parse(cache=cache)
    assert cache.last_stats == {"documents": len(pieces), "hits": 0, "misses": len(pieces), **CLEAN}
    assert len(count_segmented) == len(pieces)
    assert_parsed_equal(first, pieces_parsed)
    count_segmented.clear()
    second = pieces.parse(cache=tmp_path / "cache")  # a new cache object on the same folder
    assert count_segmented == []
    assert_parsed_equal(second, pieces_parsed)
    assert not list((tmp_path / "cache").rglob("*.pkl")) and not list(
        (tmp_path / "cache").rglob("*.pickle")
    )


def test_cache_parses_only_the_misses(tmp_path, pieces, pieces_parsed, count_segmented):
    cache = ParseCache(tmp_path / "cache")
    some = pieces.doc_ids[::3]
    pieces.subset(some).parse(cache=cache)
    count_segmented.clear()
    again = cache.parse(pieces)
    assert cache.last_stats["hits"] == len(some)
    assert cache.last_stats["misses"] == len(pieces) - len(some)
    assert len(count_segmented) == len(pieces) - len(some)
    assert_parsed_equal(again, pieces_parsed)


def test_cache_serves_a_corpus_in_another_order(tmp_path, pieces, count_segmented):
    cache = ParseCache(tmp_path / "cache")
    cache.parse(pieces)
    backwards = Corpus.from_dataframe(pieces.documents.iloc[::-1].reset_index(drop=True))
    count_segmented.clear()
    got = cache.parse(backwards)
    assert count_segmented == [] and cache.last_stats["hits"] == len(pieces)
    assert_parsed_equal(got, backwards.parse())


def test_cache_key_is_the_text_not_the_id(tmp_path, count_segmented):
    text = "Астана сохраняет баланс между Москвой и Брюсселем."
    frame = pd.DataFrame({"doc_id": ["x", "y", "z"], "text": [text, text, text + " Да."]})
    corpus = Corpus.from_dataframe(frame)
    cache = ParseCache(tmp_path / "cache")
    got = cache.parse(corpus)
    assert cache.last_stats == {"documents": 3, "hits": 0, "misses": 2, **CLEAN}
    assert len(count_segmented) == 2  # x and y share one parse
    assert_parsed_equal(got, corpus.parse())
    cache.parse(corpus)
    assert cache.last_stats == {"documents": 3, "hits": 3, "misses": 0, **CLEAN}


def test_cache_is_invalidated_by_the_pipeline_version(
    tmp_path, seeds, parsed, monkeypatch, count_segmented
):
    cleaned = seeds.clean()
    cache = ParseCache(tmp_path / "cache")
    cache.parse(cleaned)
    cache.parse(cleaned)
    assert cache.last_stats["misses"] == 0
    monkeypatch.setattr(nlp, "PIPELINE_VERSION", nlp.PIPELINE_VERSION + "-changed")
    count_segmented.clear()
    again = cache.parse(cleaned)
    assert cache.last_stats == {"documents": 2, "hits": 0, "misses": 2, **CLEAN}
    assert len(count_segmented) == 2
    assert_parsed_equal(again, parsed)
    # raw and cleaned versions of a document differ in text and layout: separate entries
    cache.parse(seeds)
    assert cache.last_stats["misses"] == 2


def test_write_dataset_through_the_cache(tmp_path, pieces, pieces_parsed, count_segmented):
    cache = ParseCache(tmp_path / "cache")
    write_dataset(pieces, tmp_path / "a", chunksize=5, cache=cache)
    count_segmented.clear()
    ds = write_dataset(pieces, tmp_path / "b", chunksize=5, cache=cache)
    assert count_segmented == []
    assert_parsed_equal(ds.to_parsed(), pieces_parsed)


def _split(parsed, cuts: list[int]):
    """The parsed corpus as consecutive chunks of whole documents, cut before ``cuts``."""
    from dataclasses import replace

    ids = parsed.doc_ids
    bounds = [0, *sorted(set(cuts)), len(ids)]
    for a, b in itertools.pairwise(bounds):
        if a == b:
            continue
        keep = set(ids[a:b])
        yield replace(
            parsed,
            **{
                t: getattr(parsed, t)
                .loc[lambda f, k=keep: f["doc_id"].isin(k)]
                .reset_index(drop=True)
                for t in TABLES
                if getattr(parsed, t) is not None
            },
        )


@pytest.mark.slow
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cuts=st.lists(st.integers(min_value=1, max_value=20), max_size=6))
def test_counts_do_not_depend_on_where_the_chunks_are_cut(pieces_parsed, cuts):
    cuts = [c for c in cuts if c < len(pieces_parsed.doc_ids)]
    for by in ("outlet", "half"):
        pd.testing.assert_frame_equal(
            term_counts(_split(pieces_parsed, cuts), by=by), term_counts(pieces_parsed, by=by)
        )
        pd.testing.assert_frame_equal(
            corpus_summary(_split(pieces_parsed, cuts), by=by),
            summary_in_memory(pieces_parsed, by=by),
        )
