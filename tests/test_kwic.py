"""kwic(): concordance lines for lemmas, word forms, globs and lemma sequences."""

from __future__ import annotations

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.errors import InputError
from kzdiscourse.kwic import KWIC_COLUMNS, kwic


def test_instrument_in_the_dzen_column(parsed):
    lines = kwic(parsed, "инструмент", window=5, by="outlet")
    assert lines.columns.tolist() == KWIC_COLUMNS
    # «инструмент» occurs twice, both in the Dzen column, never in the ANKASAM text
    assert lines["doc_id"].tolist() == ["dzen_2025_12", "dzen_2025_12"]
    assert set(lines["group"]) == {"Dzen"}
    first = lines.iloc[0]
    assert first["keyword"] == "инструмент" and first["match"] == "lemma"
    assert first["left"].endswith("Для ЕС это")
    assert first["right"].startswith("долгосрочного воздействия")
    # the context is the text as written, with its own spacing and punctuation
    text = parsed.documents.set_index("doc_id").loc["dzen_2025_12", "text"]
    assert f"{first['left']} {first['keyword']} {first['right']}" in text
    # sentence ids point at sentences that contain the keyword
    sents = parsed.sentences.set_index(["doc_id", "sent_id"])
    for r in lines.itertuples():
        assert "инструмент" in sents.loc[(r.doc_id, r.sent_id), "text"]


def test_lemma_form_and_glob(parsed):
    by_lemma = kwic(parsed, "многовекторный")
    assert len(by_lemma) == 6 and set(by_lemma["doc_id"]) == {"ankasam_2025_08"}
    by_form = kwic(parsed, "многовекторной", match="form")
    assert len(by_form) == 4 and set(by_form["match"]) == {"form"}
    assert set(by_form["keyword"].str.lower()) == {"многовекторной"}
    # a form never matches as a lemma
    assert kwic(parsed, "многовекторной", match="lemma").empty
    # a glob catches the adjective (ANKASAM) and the noun (Dzen)
    both = kwic(parsed, "многовектор*")
    assert sorted(set(both["doc_id"])) == ["ankasam_2025_08", "dzen_2025_12"]
    assert len(both) == 8


def test_multiword_and_window(parsed):
    lines = kwic(parsed, "Средний коридор", window=3)
    assert len(lines) == 1
    r = lines.iloc[0]
    assert r["keyword"] == "Средний коридор" and r["match"] == "lemma"
    assert r["right"] == "в обход России"  # three tokens
    assert r["pattern"] == "средний коридор"
    none = kwic(parsed, "инструмент", window=0)
    assert (none["left"] == "").all() and (none["right"] == "").all()


def test_context_stays_in_its_paragraph_and_yo_is_folded():
    frame = pd.DataFrame({"doc_id": ["d"], "text": ["Первый абзац.\n\nЕщё уголь есть."]})
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    lines = kwic(parsed, "еще", window=10)
    assert len(lines) == 1
    assert lines.iloc[0]["left"] == "" and lines.iloc[0]["right"] == "уголь есть."


def test_bad_input():
    frame = pd.DataFrame({"doc_id": ["d"], "text": ["Уголь есть."]})
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    with pytest.raises(InputError, match="empty term"):
        kwic(parsed, "  ")
    with pytest.raises(InputError, match="unknown match"):
        kwic(parsed, "уголь", match="stem")
    assert kwic(parsed, "нефть").empty
