"""Faults in tables of documents: CSV dialects, JSON Lines, Parquet, ids, texts."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest

from kzdiscourse import Corpus
from kzdiscourse.errors import (
    ColumnError,
    DuplicateIdError,
    EmptyTextError,
    EncodingError,
    InputError,
    LanguageError,
    MissingIdError,
)

from faultlib import RU, RU_2, RU_LONG, helpful


def csv_text(sep: str) -> str:
    return f'doc_id{sep}outlet{sep}text\na{sep}X{sep}"{RU.strip()}"\nb{sep}Y{sep}"{RU_2.strip()}"\n'


def test_csv_semicolon_separated(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(csv_text(";"), encoding="utf-8")
    corpus = Corpus.from_csv(path)
    assert corpus.doc_ids == ["a", "b"] and corpus.documents["outlet"].tolist() == ["X", "Y"]


def test_csv_tab_separated(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(csv_text("\t"), encoding="utf-8")
    assert Corpus.from_csv(path).documents["outlet"].tolist() == ["X", "Y"]


def test_csv_utf8_bom_before_the_header(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_bytes(codecs.BOM_UTF8 + csv_text(",").encode())
    assert Corpus.from_csv(path).doc_ids == ["a", "b"]  # "doc_id", not "\ufeffdoc_id"


def test_csv_in_cp1251(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_bytes(csv_text(";").replace(RU.strip(), RU_LONG.replace("\n", " ")).encode("cp1251"))
    with pytest.raises(EncodingError) as info:
        Corpus.from_csv(path)
    helpful(info.value, "cp1251", "docs.csv", "encoding='cp1251'")
    assert Corpus.from_csv(path, encoding="cp1251").documents["outlet"].tolist() == ["X", "Y"]


def test_csv_row_with_more_fields_than_the_header(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(f"doc_id,text\na,{RU.strip()},extra\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        Corpus.from_csv(path)
    helpful(info.value, "docs.csv", "sep=")


def test_csv_without_the_id_column(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(f'id,text\na,"{RU.strip()}"\n', encoding="utf-8")
    with pytest.raises(ColumnError) as info:
        Corpus.from_csv(path)
    helpful(info.value, "'doc_id'", "id, text", "id_col=")
    assert Corpus.from_csv(path, id_col="id").doc_ids == ["a"]


def test_csv_without_the_text_column(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(f'doc_id,body\na,"{RU.strip()}"\n', encoding="utf-8")
    with pytest.raises(ColumnError) as info:
        Corpus.from_csv(path)
    helpful(info.value, "'text'", "text_col=")


def test_jsonl_line_that_is_not_json(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"doc_id": "a", "text": "Текст."}\n{"doc_id": "b", "text": \n', "utf-8")
    with pytest.raises(InputError) as info:
        Corpus.from_jsonl(path)
    helpful(info.value, "line 2", "docs.jsonl")


def test_jsonl_line_that_is_not_an_object(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('["a", "Текст."]\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        Corpus.from_jsonl(path)
    helpful(info.value, "line 1", "list")


def test_parquet_file_that_is_not_parquet(tmp_path):
    path = tmp_path / "docs.parquet"
    path.write_text("doc_id,text\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        Corpus.from_parquet(path)
    helpful(info.value, "Parquet", "docs.parquet")


def test_duplicate_ids():
    frame = pd.DataFrame({"doc_id": ["a", "a"], "text": [RU, RU_2]})
    with pytest.raises(DuplicateIdError) as info:
        Corpus.from_dataframe(frame)
    helpful(info.value, "'a'", "unique")


def test_missing_id():
    frame = pd.DataFrame({"doc_id": ["a", None], "text": [RU, RU_2]})
    with pytest.raises(MissingIdError) as info:
        Corpus.from_dataframe(frame)
    helpful(info.value, "row", "id")


def test_empty_text():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [RU, "  \n "]})
    with pytest.raises(EmptyTextError) as info:
        Corpus.from_dataframe(frame)
    helpful(info.value, "'b'", "empty")


def test_text_that_is_not_a_string():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [RU, 42]})
    with pytest.raises(InputError) as info:
        Corpus.from_dataframe(frame)
    helpful(info.value, "'b'", "int")


def test_text_that_is_not_russian():
    frame = pd.DataFrame({"doc_id": ["en"], "text": ["Only English text here, nothing else."]})
    with pytest.raises(LanguageError) as info:
        Corpus.from_dataframe(frame)
    helpful(info.value, "'en'", "min_cyrillic_share=")
    assert Corpus.from_dataframe(frame, min_cyrillic_share=None).doc_ids == ["en"]


def test_html_page_instead_of_text(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"<!DOCTYPE html><html><body>" + RU.encode() + b"</body></html>")
    with pytest.raises(InputError) as info:
        Corpus.from_jsonl(path)
    helpful(info.value, "HTML page", "extract")


def test_something_else_than_a_dataframe():
    with pytest.raises(InputError) as info:
        Corpus.from_dataframe([{"doc_id": "a", "text": RU}])  # type: ignore[arg-type]
    helpful(info.value, "DataFrame", "list")


def test_metadata_column_named_like_a_reserved_one():
    frame = pd.DataFrame({"id": ["a"], "doc_id": ["x"], "text": [RU]})
    with pytest.raises(ColumnError) as info:
        Corpus.from_dataframe(frame, id_col="id")
    helpful(info.value, "doc_id", "rename")
