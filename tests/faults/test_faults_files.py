"""Faults in a folder of texts: names, links, permissions, other formats, subfolders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kzdiscourse as kz
from kzdiscourse import Corpus
from kzdiscourse.errors import InputPathError, SkippedFileWarning

from faultlib import RU, RU_2, helpful, write_folder


def load_warned(folder: Path, **kwargs) -> tuple[Corpus, str]:
    """Load a folder that must skip something: the corpus and the one warning's text."""
    with pytest.warns(SkippedFileWarning) as record:
        corpus = Corpus.from_folder(folder, **kwargs)
    assert len(record) == 1
    return corpus, str(record[0].message)


def skipped_as(corpus: Corpus, name: str) -> str:
    rows = corpus.skipped[corpus.skipped["file"].str.endswith(name)]
    assert len(rows) == 1, corpus.skipped
    return rows["reason"].iloc[0]


def test_uppercase_extension(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU, "B.TXT": RU_2, "c.Txt": RU})
    corpus = Corpus.from_folder(folder)
    assert sorted(corpus.doc_ids) == ["B", "a", "c"] and corpus.skipped.empty


def test_broken_link(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU})
    os.symlink(folder / "gone.txt", folder / "b.txt")
    corpus, message = load_warned(folder)
    assert corpus.doc_ids == ["a"] and skipped_as(corpus, "b.txt") == "broken_link"
    assert "b.txt (broken_link)" in message and "Corpus.skipped" in message
    # the Report's manifest names what the folder load left out, and why
    manifest = kz.compare(corpus, by="doc_id", measures=["summary"]).manifest
    assert [(Path(r["file"]).name, r["reason"]) for r in manifest["skipped"]] == [
        ("b.txt", "broken_link")
    ]


def test_unreadable_file(tmp_path, monkeypatch):
    folder = write_folder(tmp_path, {"a.txt": RU, "locked.txt": RU_2})
    os.chmod(folder / "locked.txt", 0)
    if os.geteuid() == 0:  # root reads anything: refuse the open as the file system would
        real_open = Path.open

        def deny(self, *args, **kwargs):
            if self.name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", deny)
    corpus, _ = load_warned(folder)
    assert corpus.doc_ids == ["a"] and skipped_as(corpus, "locked.txt") == "unreadable"
    assert "Permission denied" in corpus.skipped["detail"].iloc[0]


def test_hidden_copy_of_a_text(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU, "._a.txt": b"\x00\x05\x16\x07\x00\x02"})
    corpus, _ = load_warned(folder)
    assert corpus.doc_ids == ["a"] and skipped_as(corpus, "._a.txt") == "hidden"


def test_document_in_another_format(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU, "b.docx": b"PK\x03\x04", "README.md": "x"})
    corpus, message = load_warned(folder)
    assert skipped_as(corpus, "b.docx") == "other_format"
    assert "README.md" not in message  # notes beside the texts are not reported


def test_folder_named_like_a_text(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU, "b.txt/inner.txt": RU_2})
    corpus, _ = load_warned(folder)
    assert corpus.doc_ids == ["a"] and skipped_as(corpus, "b.txt") == "not_a_file"


def test_named_pipe_in_the_folder(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU})
    os.mkfifo(folder / "pipe.txt")
    corpus, _ = load_warned(folder)  # never opened: opening a pipe would block
    assert skipped_as(corpus, "pipe.txt") == "not_a_file"


def test_subfolder_of_texts(tmp_path):
    folder = write_folder(tmp_path, {"a.txt": RU, "more/b.txt": RU_2})
    corpus, _ = load_warned(folder)
    assert skipped_as(corpus, "more") == "subfolder" and "**/" in corpus.skipped["detail"][0]
    assert sorted(Corpus.from_folder(folder, pattern="**/*.txt").doc_ids) == ["a", "b"]


def test_folder_without_texts(tmp_path):
    folder = write_folder(tmp_path, {"notes.docx": b"PK"})
    with pytest.raises(InputPathError) as info:
        Corpus.from_folder(folder)
    helpful(info.value, "no files matching '*.txt'", "notes.docx (other_format)", "pattern=")


def test_missing_folder(tmp_path):
    with pytest.raises(InputPathError) as info:
        Corpus.from_folder(tmp_path / "nowhere")
    helpful(info.value, "no such folder", "nowhere")


def test_file_given_as_a_folder(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(RU, encoding="utf-8")
    with pytest.raises(InputPathError) as info:
        Corpus.from_folder(path)
    helpful(info.value, "expected a folder", "from_csv")
