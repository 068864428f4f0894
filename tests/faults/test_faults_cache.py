"""Faults in the parse cache: damaged, truncated, foreign, old and left-over entries,
concurrent writers, a read-only cache — always the tables of a parse without a cache."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

from kzdiscourse import Corpus, cache_entries, parquet_io
from kzdiscourse.cache import ParseCache
from kzdiscourse.errors import CacheError, CacheWarning

from faultlib import RU, RU_2, helpful, run_cli


def corpus(doc_id: str, text: str) -> Corpus:
    return Corpus.from_dataframe(pd.DataFrame({"doc_id": [doc_id], "text": [text]}))


A, B = corpus("a", RU), corpus("b", RU_2)


@pytest.fixture(scope="module")
def expected():
    return {"a": A.parse().tokens, "b": B.parse().tokens}


def entry_files(root: Path) -> dict[str, Path]:
    """Batch id → its folder, for the entries of a cache."""
    return {p.name.split(".")[0]: p.parent for p in root.glob("*/batch-*.keys.parquet")}


def two_entries(root: Path) -> tuple[str, str, Path]:
    """A cache holding one entry for A and one for B: (batch of A, batch of B, folder)."""
    cache = ParseCache(root)
    cache.parse(A)
    first = set(entry_files(root))
    cache.parse(B)
    (batch_a,) = first
    (batch_b,) = set(entry_files(root)) - first
    return batch_a, batch_b, entry_files(root)[batch_a]


def parse_warned(root: Path, data: Corpus) -> tuple[pd.DataFrame, ParseCache, str]:
    cache = ParseCache(root)
    with pytest.warns(CacheWarning) as record:
        tokens = cache.parse(data).tokens
    return tokens, cache, " ".join(str(r.message) for r in record)


def test_cache_entry_truncated(tmp_path, expected):
    batch_a, _, folder = two_entries(tmp_path)
    tokens_file = folder / f"{batch_a}.tokens.parquet"
    tokens_file.write_bytes(tokens_file.read_bytes()[:100])
    tokens, cache, message = parse_warned(tmp_path, A)
    assert tokens.equals(expected["a"]) and cache.last_stats["damaged"] == 1
    assert "checksum" in message and "cache verify" in message
    assert (cache_entries.verify(tmp_path)["status"] == "ok").all()  # replaced


def test_cache_entry_overwritten_by_another_entry(tmp_path, expected):
    batch_a, batch_b, folder = two_entries(tmp_path)
    for table in ("paragraphs", "sentences", "tokens"):  # valid files, wrong entry
        shutil.copy(folder / f"{batch_b}.{table}.parquet", folder / f"{batch_a}.{table}.parquet")
    tokens, cache, _ = parse_warned(tmp_path, A)
    assert tokens.equals(expected["a"]) and cache.last_stats["misses"] == 1


def test_cache_keys_file_of_another_entry(tmp_path, expected):
    batch_a, batch_b, folder = two_entries(tmp_path)
    shutil.copy(folder / f"{batch_b}.keys.parquet", folder / f"{batch_a}.keys.parquet")
    tokens, _, message = parse_warned(tmp_path, A)
    assert tokens.equals(expected["a"]) and "another entry" in message


def test_cache_entry_of_an_older_format(tmp_path, expected):
    batch_a, _, folder = two_entries(tmp_path)
    keys = folder / f"{batch_a}.keys.parquet"
    frame = parquet_io.read_frame(keys, {})
    parquet_io.write_frame(frame, keys)  # the keys without checksums, as before them
    tokens, _, message = parse_warned(tmp_path, A)
    assert tokens.equals(expected["a"]) and "older kzdiscourse" in message


def test_cache_written_by_two_writers_at_once(tmp_path, expected):
    errors: list[BaseException] = []
    results: list[pd.DataFrame] = []

    def writer() -> None:
        try:
            for _ in range(3):
                results.append(ParseCache(tmp_path).parse(A).tokens)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 6
    assert all(r.equals(expected["a"]) for r in results)
    assert (cache_entries.verify(tmp_path)["status"] == "ok").all()


def test_cache_two_writers_one_file(tmp_path, monkeypatch):
    """Another writer renames its file over the same path between our write and rename:
    with one shared temporary name the second rename failed; now each has its own."""
    target = tmp_path / "batch.tokens.parquet"
    real_replace = parquet_io.os.replace
    calls = []

    def interleaved(src, dst):
        calls.append(src)
        if len(calls) == 1:  # the other process writes the same file right now
            parquet_io.write_atomic(b"other", target)
        real_replace(src, dst)

    monkeypatch.setattr(parquet_io.os, "replace", interleaved)
    parquet_io.write_atomic(b"mine", target)
    assert target.read_bytes() == b"mine" and len(set(map(str, calls))) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["batch.tokens.parquet"]


def test_cache_that_cannot_be_written(tmp_path, monkeypatch, expected):
    ParseCache(tmp_path).parse(A)

    def read_only(data, path):
        raise PermissionError(30, "Read-only file system", str(path))

    monkeypatch.setattr(cache_entries, "write_atomic", read_only)
    cache = ParseCache(tmp_path)
    with pytest.warns(CacheWarning, match="cannot be written.*Read-only file system"):
        got = pd.concat([cache.parse(A).tokens, cache.parse(B).tokens], ignore_index=True)
    assert got.equals(pd.concat([expected["a"], expected["b"]], ignore_index=True))
    assert cache.last_stats["stored"] is False and cache.read_only
    assert len(entry_files(tmp_path)) == 1  # A's entry served, B's parse not stored


def test_cache_path_is_a_file(tmp_path):
    path = tmp_path / "cache"
    path.write_text("x")
    with pytest.raises(CacheError) as info:
        ParseCache(path)
    helpful(info.value, "is a file", "folder")


def test_cache_temporary_file_left_by_a_killed_writer(tmp_path, capsys, expected):
    _, _, folder = two_entries(tmp_path)
    leftover = folder / f".{next(iter(entry_files(tmp_path)))}.tokens.parquet.123.abcd1234.tmp"
    leftover.write_bytes(b"half")
    assert ParseCache(tmp_path).parse(A).tokens.equals(expected["a"])  # ignored
    code, out, err = run_cli(["cache", "verify", str(tmp_path)], capsys)
    assert code == 1 and "temporary" in out and "cache clear" in err


def test_cache_verify_on_the_command_line(tmp_path, capsys):
    batch_a, _, folder = two_entries(tmp_path)
    code, out, _ = run_cli(["cache", "verify", str(tmp_path)], capsys)
    assert code == 0 and out.startswith("2 entries ok (2 documents)")
    (folder / f"{batch_a}.sentences.parquet").write_bytes(b"PAR1 broken")
    code, out, _ = run_cli(["cache", "verify", str(tmp_path)], capsys)
    assert code == 1 and "damaged" in out and batch_a in out


def test_cache_clear_removes_only_cache_files(tmp_path, capsys):
    two_entries(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    code, out, _ = run_cli(["cache", "clear", str(tmp_path)], capsys)
    assert code == 0 and "1 other file(s) left" in out
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_cache_clear_on_a_folder_that_is_not_a_cache(tmp_path, capsys):
    (tmp_path / "thesis.tex").write_text("mine")
    code, _, err = run_cli(["cache", "clear", str(tmp_path)], capsys)
    assert code == 1 and "not a kzdiscourse parse cache" in err and "What to do:" in err
    assert (tmp_path / "thesis.tex").exists()
