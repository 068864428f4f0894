"""Loading and validation: every bad input gets a named, actionable error."""

from __future__ import annotations

import hashlib
import json
import logging

import pandas as pd
import pytest

from kzdiscourse import Corpus, load_seeds
from kzdiscourse.errors import (
    ColumnError,
    DuplicateIdError,
    EmptyTextError,
    EncodingError,
    InputError,
    InputPathError,
    KzDiscourseError,
    LanguageError,
    MetadataMismatchError,
    MissingIdError,
)
from kzdiscourse.seeds import seeds_path

RU = "Казахстан расширяет сотрудничество с Европейским союзом в сфере энергетики."
RU2 = "Астана сохраняет баланс между Москвой и Брюсселем."


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


# ----------------------------------------------------------------------------- seeds


def test_seeds_have_short_ids_and_the_metadata_from_sources(seeds):
    assert seeds.doc_ids == ["ankasam_2025_08", "dzen_2025_12"]
    meta = seeds.documents.set_index("doc_id")
    assert meta.loc["ankasam_2025_08", "outlet"] == "ANKASAM"
    assert meta.loc["ankasam_2025_08", "genre"] == "analytical"
    assert meta.loc["ankasam_2025_08", "original_language"] == "tr"
    assert meta.loc["ankasam_2025_08", "author"] == "Ergün Mamedov"
    assert meta.loc["dzen_2025_12", "outlet"] == "Dzen"
    assert meta.loc["dzen_2025_12", "channel"] == "NOWости"
    assert meta.loc["dzen_2025_12", "genre"] == "column"
    assert meta.loc["dzen_2025_12", "date"] == "2025-12"
    for col in (
        "title",
        "outlet",
        "genre",
        "author",
        "date",
        "language",
        "original_language",
        "url",
    ):
        assert col in seeds.metadata_columns


def test_seed_sources_hash_the_file_bytes(seeds):
    for row in seeds.sources.itertuples():
        assert row.source.startswith(str(seeds_path()))
        with open(row.source, "rb") as fh:
            assert row.sha256 == hashlib.sha256(fh.read()).hexdigest()
    assert seeds.sources["chars"].tolist() == [len(t) for t in seeds.documents["text"]]


def test_seed_files_are_unchanged_copies_of_the_shared_seeds():
    from conftest import SHARED

    shared = SHARED / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared is not present")
    for name in ("000_70395a5882c1ba14.txt", "002_28388f6ca8c12a31.txt"):
        assert (seeds_path() / name).read_bytes() == (shared / name).read_bytes()


# ----------------------------------------------------------------------------- folder


def test_folder_without_metadata_uses_file_stems(tmp_path):
    write(tmp_path, "b.txt", RU2)
    write(tmp_path, "a.txt", RU)
    corpus = Corpus.from_folder(tmp_path)
    assert corpus.doc_ids == ["a", "b"]  # sorted by file name, deterministic
    assert corpus.metadata_columns == []


def test_folder_metadata_maps_files_to_ids(tmp_path):
    write(tmp_path, "x1.txt", RU)
    write(tmp_path, "x2.txt", RU2)
    write(tmp_path, "metadata.csv", "doc_id,file,outlet\nfirst,x1.txt,A\nsecond,x2.txt,B\n")
    corpus = Corpus.from_folder(tmp_path)
    assert corpus.doc_ids == ["first", "second"]
    assert corpus.documents["outlet"].tolist() == ["A", "B"]


def test_text_without_metadata_row_is_an_error_naming_the_file(tmp_path):
    write(tmp_path, "a.txt", RU)
    write(tmp_path, "b.txt", RU2)
    write(tmp_path, "metadata.csv", "doc_id,outlet\na,X\n")
    with pytest.raises(MetadataMismatchError) as err:
        Corpus.from_folder(tmp_path)
    assert "b.txt" in str(err.value)
    assert "What to do" in str(err.value)


def test_metadata_row_without_text_is_an_error_naming_the_id(tmp_path):
    write(tmp_path, "a.txt", RU)
    write(tmp_path, "metadata.csv", "doc_id,outlet\na,X\nghost,Y\n")
    with pytest.raises(MetadataMismatchError) as err:
        Corpus.from_folder(tmp_path)
    assert err.value.doc_ids == ["ghost"]


def test_non_strict_keeps_texts_without_metadata_and_warns(tmp_path, caplog):
    write(tmp_path, "a.txt", RU)
    write(tmp_path, "b.txt", RU2)
    write(tmp_path, "metadata.csv", "doc_id,outlet\na,X\n")
    with caplog.at_level(logging.WARNING, logger="kzdiscourse"):
        corpus = Corpus.from_folder(tmp_path, strict=False)
    assert corpus.doc_ids == ["a", "b"]
    assert pd.isna(corpus.documents.set_index("doc_id").loc["b", "outlet"])
    assert any("b.txt" in r.getMessage() for r in caplog.records)


def test_cp1251_file_is_detected_and_named(tmp_path):
    write(tmp_path, "legacy.txt", RU, encoding="cp1251")
    with pytest.raises(EncodingError) as err:
        Corpus.from_folder(tmp_path)
    message = str(err.value)
    assert "cp1251" in message and "legacy.txt" in message
    # and the suggested fix works
    corpus = Corpus.from_folder(tmp_path, encoding="cp1251")
    assert corpus.documents["text"].iloc[0] == RU


def test_utf16_file_is_detected(tmp_path):
    write(tmp_path, "wide.txt", RU, encoding="utf-16")
    with pytest.raises(EncodingError, match="UTF-16"):
        Corpus.from_folder(tmp_path)


def test_utf8_bom_is_accepted(tmp_path):
    write(tmp_path, "bom.txt", "\ufeff" + RU)
    assert Corpus.from_folder(tmp_path).documents["text"].iloc[0] == RU


def test_empty_file_is_an_error_naming_it(tmp_path):
    write(tmp_path, "full.txt", RU)
    write(tmp_path, "blank.txt", "  \n\n ")
    with pytest.raises(EmptyTextError) as err:
        Corpus.from_folder(tmp_path)
    assert err.value.doc_ids == ["blank"]
    assert "blank.txt" in str(err.value)


def test_non_russian_text_is_an_error_unless_disabled(tmp_path):
    write(tmp_path, "ru.txt", RU)
    write(tmp_path, "en.txt", "The European Union and Kazakhstan signed a memorandum.")
    with pytest.raises(LanguageError) as err:
        Corpus.from_folder(tmp_path)
    assert err.value.doc_ids == ["en"]
    assert len(Corpus.from_folder(tmp_path, min_cyrillic_share=None)) == 2


def test_missing_folder_and_file_errors_are_file_not_found(tmp_path):
    with pytest.raises(InputPathError):
        Corpus.from_folder(tmp_path / "nope")
    with pytest.raises(FileNotFoundError):
        Corpus.from_csv(tmp_path / "nope.csv")


def test_line_endings_and_unicode_are_normalised(tmp_path):
    decomposed = "Астана и\u0306 Евросоюз.\r\nВторая строка."  # й as и + combining breve
    write(tmp_path, "crlf.txt", decomposed)
    text = Corpus.from_folder(tmp_path).documents["text"].iloc[0]
    assert "\r" not in text
    assert "й" in text and "\u0306" not in text


# ----------------------------------------------------------------------------- frames


def test_dataframe_duplicate_ids_are_listed():
    frame = pd.DataFrame({"doc_id": ["a", "b", "a", "b", "c"], "text": [RU] * 5})
    with pytest.raises(DuplicateIdError) as err:
        Corpus.from_dataframe(frame)
    assert err.value.doc_ids == ["a", "b"]
    assert isinstance(err.value, ValueError) and isinstance(err.value, KzDiscourseError)


@pytest.mark.parametrize("bad", [None, float("nan"), "", "  "])
def test_dataframe_missing_id(bad):
    frame = pd.DataFrame({"doc_id": ["a", bad], "text": [RU, RU2]})
    with pytest.raises(MissingIdError, match="row"):
        Corpus.from_dataframe(frame)


def test_dataframe_missing_text_column_lists_columns():
    with pytest.raises(ColumnError, match="body"):
        Corpus.from_dataframe(pd.DataFrame({"doc_id": ["a"], "body": [RU]}))


def test_dataframe_nan_text_is_empty_text_error():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [RU, None]})
    with pytest.raises(EmptyTextError) as err:
        Corpus.from_dataframe(frame)
    assert err.value.doc_ids == ["b"]


def test_csv_jsonl_parquet_round_trip(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b"], "text": [RU, RU2], "outlet": ["X", "Y"]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as fh:
        for rec in frame.to_dict("records"):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    from_csv = Corpus.from_csv(tmp_path / "c.csv")
    from_jsonl = Corpus.from_jsonl(tmp_path / "c.jsonl")
    from_csv.to_parquet(tmp_path / "c.parquet")
    from_parquet = Corpus.from_parquet(tmp_path / "c.parquet")
    for corpus in (from_csv, from_jsonl, from_parquet):
        assert corpus.documents.astype(str).to_dict("list") == frame.astype(str).to_dict("list")


def test_jsonl_bad_line_is_reported_by_number(tmp_path):
    (tmp_path / "bad.jsonl").write_text(
        json.dumps({"doc_id": "a", "text": RU}, ensure_ascii=False) + "\n{oops\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="line 2"):
        Corpus.from_jsonl(tmp_path / "bad.jsonl")


def test_csv_custom_columns(tmp_path):
    (tmp_path / "c.csv").write_text(f"id;body\n7;{RU}\n", encoding="utf-8")
    corpus = Corpus.from_csv(tmp_path / "c.csv", id_col="id", text_col="body", sep=";")
    assert corpus.doc_ids == ["7"]


def test_subset_keeps_order_and_rejects_unknown_ids():
    corpus = load_seeds()
    assert corpus.subset(["dzen_2025_12"]).doc_ids == ["dzen_2025_12"]
    with pytest.raises(InputError, match="unknown"):
        corpus.subset(["nope"])


def test_parsed_subsets_put_back_together_give_the_whole(parsed):
    ids = parsed.doc_ids
    parts = [parsed.subset([d]) for d in ids]
    for name in ("documents", "paragraphs", "sentences", "tokens", "removed", "references"):
        joined = pd.concat([getattr(p, name) for p in parts], ignore_index=True)
        pd.testing.assert_frame_equal(joined, getattr(parsed, name), check_exact=True)
    assert parsed.subset(reversed(ids)).doc_ids == ids  # corpus order, not argument order
    with pytest.raises(InputError, match="unknown doc_id"):
        parsed.subset(["no_such_doc"])
