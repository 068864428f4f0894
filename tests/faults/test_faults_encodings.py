"""Faults in how a file's bytes are encoded: advice only when it reads as Russian."""

from __future__ import annotations

import codecs

import pytest

from kzdiscourse import Corpus
from kzdiscourse.errors import EncodingError

from faultlib import RU, RU_LONG, helpful, write_folder


def load(tmp_path, data: bytes, **kwargs) -> Corpus:
    return Corpus.from_folder(write_folder(tmp_path, {"doc.txt": data}), **kwargs)


def refused(tmp_path, data: bytes, **kwargs) -> EncodingError:
    with pytest.raises(EncodingError) as info:
        load(tmp_path, data, **kwargs)
    return info.value


def test_utf8_with_one_stray_byte(tmp_path):
    good = RU_LONG.encode()
    offset = good.index("Астана".encode())
    line = good[:offset].count(b"\n") + 1
    err = refused(tmp_path, good[:offset] + b"\xff" + good[offset:])
    message = helpful(err, "UTF-8", f"byte offset {offset}", f"line {line}", "doc.txt")
    # no encoding is advised: decoding the file as any of them gives mojibake
    assert "cp1251" not in message and "koi8" not in message.lower()


@pytest.mark.parametrize(
    ("fault", "encoding", "label"),
    [
        ("koi8r_file", "koi8-r", "KOI8-R"),
        ("cp1251_file", "cp1251", "cp1251"),
        ("cp866_file", "cp866", "cp866"),
        ("mac_cyrillic_file", "mac-cyrillic", "Mac Cyrillic"),
    ],
)
def test_a_file_in_a_cyrillic_code_page(tmp_path, fault, encoding, label):
    err = refused(tmp_path / fault, RU_LONG.encode(encoding))
    message = helpful(err, label, f"encoding='{encoding}'", "iconv")
    others = {"koi8-r", "cp1251", "cp866", "mac-cyrillic"} - {encoding}
    assert not any(f"encoding='{o}'" in message for o in others)
    # following the advice gives the text, not mojibake
    corpus = load(tmp_path / (fault + "_fixed"), RU_LONG.encode(encoding), encoding=encoding)
    assert corpus.documents["text"].iloc[0] == RU_LONG


def test_utf16_with_a_byte_order_mark(tmp_path):
    err = refused(tmp_path, RU.encode("utf-16"))
    helpful(err, "UTF-16", "encoding='utf-16'")
    assert load(tmp_path / "ok", RU.encode("utf-16"), encoding="utf-16").documents["text"][0] == RU


def test_utf16_without_a_byte_order_mark(tmp_path):
    err = refused(tmp_path, RU.encode("utf-16-le"))
    helpful(err, "UTF-16 little-endian", "encoding='utf-16-le'")


def test_double_encoded_mojibake(tmp_path):
    mojibake = RU_LONG.encode("utf-8").decode("cp1251").encode("utf-8")  # valid UTF-8
    err = refused(tmp_path, mojibake)
    helpful(err, "mojibake", "cp1251", "Казахстан")


def test_explicit_encoding_that_gives_mojibake(tmp_path):
    err = refused(tmp_path, RU_LONG.encode("utf-8"), encoding="cp1251")
    helpful(err, "does not read as Russian", "UTF-8", "encoding='utf-8'")


def test_unknown_encoding_name(tmp_path):
    err = refused(tmp_path, RU.encode(), encoding="cp9999")
    helpful(err, "unknown encoding", "cp9999")


def test_short_file_in_a_cyrillic_code_page(tmp_path):
    err = refused(tmp_path, "Мир и труд.".encode("cp1251"))
    message = helpful(err, "too little text", "Мир и труд.")
    assert "encoding='cp1251'" not in message  # shown, not advised


def test_binary_file_with_a_text_name(tmp_path):
    err = refused(tmp_path, bytes(range(256)) * 8)
    helpful(err, "binary", "text file")


def test_utf8_text_with_a_nul_byte(tmp_path):
    good = RU_LONG.encode()
    err = refused(tmp_path, good[:30] + b"\x00" + good[30:])
    helpful(err, "NUL", "byte offset 30")


def test_auto_encoding_per_file(tmp_path):
    files = {
        f"{name}.txt": RU_LONG.encode(name)
        for name in ("cp1251", "koi8-r", "cp866", "mac-cyrillic", "utf-8")
    }
    files["bom.txt"] = codecs.BOM_UTF8 + RU_LONG.encode()
    corpus = Corpus.from_folder(write_folder(tmp_path, files), encoding="auto")
    assert (corpus.documents["text"] == RU_LONG).all() and len(corpus) == 6
