"""engine="dask": the same per-chunk function on a dask.distributed cluster, same tables."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse import Corpus
from kzdiscourse.errors import InputError, MissingDependencyError
from kzdiscourse.ud import read_conllu

from conftest import DATA, ROOT


def test_importing_kzdiscourse_never_imports_dask():
    code = (
        "import sys, kzdiscourse, kzdiscourse.cluster, kzdiscourse.engine;"
        "kzdiscourse.load_seeds().clean().parse();"
        "bad = sorted(m for m in ('dask', 'distributed') if m in sys.modules);"
        "assert not bad, bad"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr


def test_unknown_engine_and_a_client_without_dask_are_input_errors(cleaned):
    with pytest.raises(InputError, match="unknown engine 'spark'"):
        cleaned.parse(engine="spark")
    with pytest.raises(InputError, match="engine='dask'"):
        cleaned.parse(client=object())
    with pytest.raises(InputError, match="unknown engine"):
        kzd.compare(cleaned, engine="ray")


def test_a_missing_dask_install_names_the_extra(cleaned, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with pytest.raises(MissingDependencyError, match=r"kzdiscourse\[dask\]") as info:
        cleaned.parse(engine="dask")
    assert isinstance(info.value, ImportError)


# ------------------------------------------------------------------ on a LocalCluster


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip(
        "distributed", reason='dask.distributed is not installed (pip install "kzdiscourse[dask]")'
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def ud_corpus() -> Corpus:
    sentences = [s.text for s in read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")][:160]
    docs = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    frame = pd.DataFrame({"doc_id": [f"d{k:02d}" for k in range(len(docs))], "text": docs})
    return Corpus.from_dataframe(frame)


def assert_same_tables(a, b) -> None:
    for name in ("documents", "paragraphs", "sentences", "tokens"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


@pytest.mark.slow
def test_the_seeds_parse_to_the_same_tables_on_two_dask_workers(client, cleaned, parsed):
    assert_same_tables(cleaned.parse(engine="dask", client=client), parsed)


@pytest.mark.slow
def test_many_chunks_over_two_workers_give_the_local_tables(client, ud_corpus):
    from kzdiscourse.cluster import dask_submit
    from kzdiscourse.engine import concat_tables, iter_parse, work_items
    from kzdiscourse.nlp import Lemmatizer

    local = concat_tables(iter_parse(work_items(ud_corpus), lemmatizer=Lemmatizer()))
    with dask_submit(client) as (submit, workers):
        assert workers == 2
        # about two documents per chunk: ten chunks, analyses passed between the workers
        lem = Lemmatizer()
        remote = concat_tables(
            iter_parse(
                work_items(ud_corpus),
                chunk_chars=1500,
                lemmatizer=lem,
                submit=submit,
                workers=workers,
            )
        )
    for a, b in zip(local, remote, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    # every analysis made on the cluster came back into the calling process's cache
    assert lem.missing(set(remote[2]["text"].str.lower())) == set()
    assert_same_tables(ud_corpus.parse(engine="dask", client=client), ud_corpus.parse())


@pytest.mark.slow
def test_the_disambiguate_flag_reaches_the_workers(client, ud_corpus):
    # with context (the default) the tests above compare the cluster's tables with the
    # local ones; without it, too, and the two settings do differ on this sample
    off = ud_corpus.parse(engine="dask", client=client, disambiguate=False)
    assert_same_tables(off, ud_corpus.parse(disambiguate=False))
    assert off.lemmatization == {"disambiguation": False}
    on = ud_corpus.parse(engine="dask", client=client)
    assert not on.tokens["lemma"].equals(off.tokens["lemma"])


@pytest.mark.slow
def test_compare_passes_the_engine_through(client, cleaned):
    measures = ["summary", "coverage"]
    local = kzd.compare(cleaned, measures=measures)
    remote = kzd.compare(cleaned, measures=measures, engine="dask", client=client)
    assert remote.manifest["parameters"]["engine"] == "dask"
    assert list(remote.tables) == list(local.tables)
    for name, table in local.tables.items():
        pd.testing.assert_frame_equal(remote.tables[name], table, check_exact=True)


@pytest.mark.slow
def test_compare_on_a_dataset_maps_its_parts_on_the_workers(client, tmp_path):
    from distributed import get_task_stream
    from test_measures_at_scale import differing_tables, write_ud_dataset

    dataset = write_ud_dataset(tmp_path / "ud")  # 40 documents in parts of 1 to 15
    # every measure but stance, whose model takes each new worker ~7 s to load; its map
    # is the same function on a dataset here (test_measures_at_scale.py)
    chosen = [n for n in kzd.measures.names() if n != "stance"]
    in_memory = kzd.compare(dataset.to_parsed(), by="outlet", seed=1, measures=chosen)
    with get_task_stream(client) as stream:
        remote = kzd.compare(
            dataset, by="outlet", seed=1, measures=chosen, engine="dask", client=client
        )
    assert differing_tables(in_memory, remote) == []
    # one map task per part ran on the cluster, on both workers' side of it
    maps = [t for t in stream.data if "map_stored_part" in str(t["key"])]
    assert len(maps) == dataset.n_parts == 5
    assert remote.manifest["parameters"]["input"] == {"kind": "dataset", "parts": 5}


@pytest.mark.slow
def test_without_a_client_the_current_one_is_used(client, cleaned, parsed):
    with client.as_current():
        assert_same_tables(cleaned.parse(engine="dask"), parsed)


@pytest.mark.slow
def test_the_parse_cache_parses_its_misses_on_the_cluster(client, cleaned, parsed, tmp_path):
    from kzdiscourse.cache import ParseCache

    cache = ParseCache(tmp_path / "cache")
    first = cleaned.parse(cache=cache, engine="dask", client=client)
    assert cache.last_stats["misses"] == len(cleaned.documents)
    assert_same_tables(first, parsed)
    again = cleaned.parse(cache=cache, engine="dask", client=client)  # all hits: no cluster work
    assert cache.last_stats["misses"] == 0
    assert_same_tables(again, parsed)


@pytest.mark.slow
def test_stance_scores_on_the_cluster_equal_the_local_scores(client, parsed, ud_corpus):
    from kzdiscourse import stance
    from kzdiscourse.cluster import map_documents
    from kzdiscourse.stance.profile import get_scorer

    local = stance.score(parsed)
    remote = stance.score(parsed, engine="dask", client=client)
    pd.testing.assert_frame_equal(remote, local, check_exact=True)
    # one task per document: the same rows, joined back in corpus order, for both scorers
    for method in ("lexicon", "classifier"):
        scorer = get_scorer(method)
        split = map_documents(
            parsed, scorer.score_sentences, engine="dask", client=client, chunk_chars=1
        )
        pd.testing.assert_frame_equal(split, scorer.score_sentences(parsed), check_exact=True)
    ud = ud_corpus.parse()
    split = map_documents(
        ud, get_scorer(None).score_sentences, engine="dask", client=client, chunk_chars=2000
    )
    pd.testing.assert_frame_equal(split, stance.score(ud), check_exact=True)
