"""Measures at scale: compare() on a ParsedDataset maps each part and reduces exactly.

Every table of compare() on a dataset (the corpus cut into parts on disk) must be
byte-identical, through the canonical CSV writer, to compare() on the same corpus in
memory: on the seeds (one document per part) and on a UD-built corpus cut into parts of
uneven size. The Dask run of the same dataset is in test_dask.py.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzdiscourse as kzd
from kzdiscourse import Corpus
from kzdiscourse.errors import InputError
from kzdiscourse.measures import DictionaryMeasure
from kzdiscourse.measures.base import FunctionMeasure
from kzdiscourse.measures.partials import concat_rows, maps_parts, run_whole
from kzdiscourse.measures.registry import REGISTRY
from kzdiscourse.report import table_to_csv
from kzdiscourse.store import write_dataset
from kzdiscourse.ud import read_conllu

from conftest import DATA

#: Where the UD corpus is cut: parts of 1, 8, 1, 15 and 15 documents.
UD_CUTS = (0, 1, 9, 10, 25, 40)


def ud_frame() -> pd.DataFrame:
    """40 documents of 3–9 UD sentences (GSD test set, in order), in three outlets."""
    sentences = [s.text for s in read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")]
    docs, at = [], 0
    for k in range(40):
        n = 3 + (k * 5) % 7
        docs.append(" ".join(sentences[at : at + n]))
        at += n
    return pd.DataFrame(
        {
            "doc_id": [f"ud{k:02d}" for k in range(len(docs))],
            "text": docs,
            "outlet": [("A", "B", "C")[k % 3] for k in range(len(docs))],
        }
    )


def write_ud_dataset(path) -> kzd.store.ParsedDataset:
    """The UD corpus written as a stream of parts cut at :data:`UD_CUTS`."""
    frame = ud_frame()
    chunks = (
        Corpus.from_dataframe(frame.iloc[a:b].reset_index(drop=True)) for a, b in pairwise(UD_CUTS)
    )
    return write_dataset(chunks, path)


def differing_tables(a: kzd.Report, b: kzd.Report) -> list[str]:
    assert list(a.tables) == list(b.tables)
    return [n for n in a.tables if table_to_csv(a.tables[n]) != table_to_csv(b.tables[n])]


@pytest.fixture(scope="module")
def seed_dataset(cleaned, tmp_path_factory):
    return write_dataset(cleaned, tmp_path_factory.mktemp("seeds"), chunksize=1)


@pytest.fixture(scope="module")
def ud_dataset(tmp_path_factory):
    return write_ud_dataset(tmp_path_factory.mktemp("ud"))


@pytest.fixture(scope="module")
def ud_parsed():
    return Corpus.from_dataframe(ud_frame()).parse()


# ---------------------------------------------------------------------- whole Reports


def test_the_seeds_by_outlet_on_a_dataset_give_the_in_memory_tables(seed_dataset, seed_report):
    assert seed_dataset.n_parts == 2
    report = kzd.compare(seed_dataset, by="outlet", seed=0)
    assert differing_tables(seed_report, report) == []
    assert report.summary_lines == seed_report.summary_lines
    assert report.manifest["parameters"]["input"] == {"kind": "dataset", "parts": 2}
    assert report.manifest["inputs"] == seed_report.manifest["inputs"]
    assert report.manifest["lemmatization"] == seed_report.manifest["lemmatization"]


@pytest.mark.slow
def test_the_seeds_by_document_on_a_dataset_give_the_in_memory_tables(seed_dataset, parsed):
    in_memory = kzd.compare(parsed, by="doc_id", seed=3)
    assert differing_tables(in_memory, kzd.compare(seed_dataset, by="doc_id", seed=3)) == []


@pytest.mark.slow
def test_ud_parts_of_uneven_size_give_the_in_memory_tables(ud_dataset, ud_parsed):
    assert [p["documents"] for p in ud_dataset.metadata["parts"]] == [1, 8, 1, 15, 15]
    in_memory = kzd.compare(ud_parsed, by="outlet", seed=1)
    on_disk = kzd.compare(ud_dataset, by="outlet", seed=1)
    assert differing_tables(in_memory, on_disk) == []
    # the comparison is not empty: every measure found something in these texts
    assert all(len(t) for t in on_disk.tables.values())


# ---------------------------------------------------------------------- the protocol


def test_every_builtin_measure_maps_parts():
    assert [m.name for m in REGISTRY.measures() if not maps_parts(m)] == []


CHEAP = ("summary", "coverage", "frames", "metadiscourse")


@pytest.fixture(scope="module")
def ud_whole(ud_parsed):
    """The CHEAP measures' tables of the UD corpus in memory, made once."""
    return {n: run_whole(REGISTRY.get(n), ud_parsed, by="outlet", seed=5) for n in CHEAP}


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cuts=st.sets(st.integers(1, 39), max_size=6))
def test_any_cut_of_a_corpus_reduces_to_the_tables_of_the_whole(ud_parsed, ud_whole, cuts):
    bounds = [0, *sorted(cuts), 40]
    ids = ud_parsed.doc_ids
    parts = [ud_parsed.subset(ids[a:b]) for a, b in pairwise(bounds)]
    for name, whole in ud_whole.items():
        m = REGISTRY.get(name)
        reduced = m.reduce([m.map_part(p, by="outlet") for p in parts], by="outlet", seed=5)
        for table in whole:
            assert table_to_csv(whole[table]) == table_to_csv(reduced[table]), (name, table)


def sentence_counts(parsed, *, by, seed):
    groups = parsed.groups(by)
    n = parsed.sentences["doc_id"].map(groups).value_counts().sort_index()
    return pd.DataFrame({"group": n.index.tolist(), "sentences": n.to_numpy()})


def count_part(part, *, by):
    return sentence_counts(part, by=by, seed=0)


def add_counts(partials, *, by, seed):
    joined = concat_rows(partials)
    out = joined.groupby("group", sort=True)["sentences"].sum()
    return pd.DataFrame({"group": out.index.tolist(), "sentences": out.to_numpy()})


def test_a_function_measure_without_map_and_reduce_is_refused_on_a_dataset(seed_dataset):
    plain = FunctionMeasure.from_function(sentence_counts)
    with pytest.raises(InputError, match="sentence_counts") as info:
        kzd.compare(seed_dataset, measures=["summary", plain])
    assert "map_part" in info.value.hint and "to_parsed()" in info.value.hint
    # on the corpus in memory it runs as before
    assert kzd.compare(seed_dataset.to_parsed(), measures=[plain])["sentence_counts"].shape == (
        2,
        2,
    )


def test_a_function_measure_with_map_and_reduce_runs_on_a_dataset(seed_dataset, parsed):
    scalable = FunctionMeasure.from_function(
        sentence_counts, map_part=count_part, reduce=add_counts
    )
    assert maps_parts(scalable)
    table = kzd.compare(seed_dataset, measures=[scalable])["sentence_counts"]
    # the seeds' sentences, counted from the parsed tables by hand: one document per outlet
    expected = parsed.sentences.groupby("doc_id").size()
    assert table.set_index("group")["sentences"].to_dict() == {
        "ANKASAM": int(expected["ankasam_2025_08"]),
        "Dzen": int(expected["dzen_2025_12"]),
    }
    # in memory, run() is the reduce of one part: the same table
    assert table.equals(kzd.compare(parsed, measures=[scalable])["sentence_counts"])


def test_a_map_without_a_reduce_is_an_input_error():
    with pytest.raises(InputError, match="without the other"):
        FunctionMeasure.from_function(sentence_counts, map_part=count_part)


def test_a_users_dictionary_measure_maps_parts_too(seed_dataset, parsed):
    words = kzd.Dictionary.from_dict({"energy": ["энергетический", "энергетика"], "gas": ["газ"]})
    energy = DictionaryMeasure("energy", words)
    on_disk = kzd.compare(seed_dataset, measures=[energy])
    in_memory = kzd.compare(parsed, measures=[energy])
    assert differing_tables(in_memory, on_disk) == []
    assert on_disk["energy_rates"].set_index("group").loc["ANKASAM", "n"].tolist()[0] == 13


def test_concat_rows_keeps_the_dtypes_of_parts_with_rows():
    a = pd.DataFrame({"doc_id": ["x"], "n": [1]})
    empty = pd.DataFrame(columns=["doc_id", "n"])
    joined = concat_rows([empty, a, empty, a])
    assert joined["n"].dtype == "int64" and joined.index.tolist() == [0, 1]
    assert concat_rows([empty, empty]).columns.tolist() == ["doc_id", "n"]
