"""Faults in a folder's metadata table (metadata.csv)."""

from __future__ import annotations

import logging

import pytest

from kzdiscourse import Corpus
from kzdiscourse.errors import ColumnError, DuplicateIdError, InputError, MetadataMismatchError

from faultlib import RU, RU_2, helpful, write_folder

TEXTS = {"a.txt": RU, "b.txt": RU_2}


def folder_with(tmp_path, metadata: str | bytes, name: str = "metadata.csv"):
    return write_folder(tmp_path, {**TEXTS, name: metadata})


def test_metadata_separated_by_semicolons(tmp_path):
    # Excel in a Russian locale writes ';'
    corpus = Corpus.from_folder(folder_with(tmp_path, "doc_id;outlet\na;Тенгри\nb;Дзен\n"))
    assert corpus.documents["outlet"].tolist() == ["Тенгри", "Дзен"]


def test_metadata_in_cp1251(tmp_path):
    meta = "doc_id;outlet;title\na;Тенгри Ньюс;Казахстан и Европейский союз расширяют связи\n"
    meta += "b;Дзен;Центральная Азия выбирает партнёров в Европе и Китае\n"
    corpus = Corpus.from_folder(folder_with(tmp_path, meta.encode("cp1251")))
    assert corpus.documents["outlet"].tolist() == ["Тенгри Ньюс", "Дзен"]


def test_metadata_with_its_own_text_column(tmp_path):
    folder = folder_with(tmp_path, "doc_id,outlet,text\na,X,краткое\nb,Y,описание\n")
    with pytest.raises(ColumnError) as info:
        Corpus.from_folder(folder)
    message = helpful(info.value, "text column", "metadata.csv", "rename")
    assert "text_x" not in message


def test_metadata_without_doc_id(tmp_path):
    with pytest.raises(ColumnError) as info:
        Corpus.from_folder(folder_with(tmp_path, "file;outlet\na.txt;X\nb.txt;Y\n"))
    helpful(info.value, "no doc_id column", "file, outlet")  # the columns, split by ';'


def test_metadata_row_without_a_text(tmp_path):
    folder = folder_with(tmp_path, "doc_id,outlet\na,X\nb,Y\nc,Z\n")
    with pytest.raises(MetadataMismatchError) as info:
        Corpus.from_folder(folder)
    helpful(info.value, "'c'", "strict=False")


def test_text_without_a_metadata_row(tmp_path, caplog):
    folder = folder_with(tmp_path, "doc_id,outlet\na,X\n")
    with pytest.raises(MetadataMismatchError) as info:
        Corpus.from_folder(folder)
    helpful(info.value, "b.txt", "strict=False")
    with caplog.at_level(logging.WARNING):
        corpus = Corpus.from_folder(folder, strict=False)
    assert corpus.doc_ids == ["a", "b"] and "b.txt" in caplog.text  # kept, and said so


def test_metadata_file_name_in_capitals(tmp_path):
    corpus = Corpus.from_folder(folder_with(tmp_path, "doc_id,outlet\na,X\nb,Y\n", "METADATA.CSV"))
    assert corpus.documents["outlet"].tolist() == ["X", "Y"]


def test_metadata_lists_a_file_twice(tmp_path):
    folder = folder_with(tmp_path, "doc_id,file\na,a.txt\nb,a.txt\n")
    with pytest.raises(InputError) as info:
        Corpus.from_folder(folder)
    helpful(info.value, "a.txt", "twice")


def test_metadata_with_duplicate_ids(tmp_path):
    with pytest.raises(DuplicateIdError) as info:
        Corpus.from_folder(folder_with(tmp_path, "doc_id,outlet\na,X\na,Y\n"))
    helpful(info.value, "'a'", "metadata.csv")
