"""Metadiscourse: the context rules on hand-made sentences, footnote citations, rates by
hand, and the two seed texts."""

from __future__ import annotations

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.measures.metadiscourse import (
    CATEGORIES,
    metadiscourse_evidence,
    metadiscourse_matches,
    metadiscourse_rates,
    metadiscourse_tests,
)


def markers(*texts: str) -> list[tuple[int, str, str]]:
    frame = pd.DataFrame({"doc_id": ["d"], "text": [" ".join(texts)]})
    m = metadiscourse_matches(kzd.Corpus.from_dataframe(frame).parse())
    return [(int(r.sent_id), r.category, r.text) for r in m.itertuples()]


def test_ochevidno_hedge_when_parenthetical_booster_otherwise():
    assert markers(
        "Он, очевидно, прав.",
        "Очевидно, что ЕС прав.",
        "Это очевидно.",
        "Очевидно, Астана ждёт.",
        "Очевидное преимущество.",
    ) == [
        (0, "hedges", "очевидно"),
        (1, "boosters", "Очевидно"),
        (2, "boosters", "очевидно"),
        (3, "hedges", "Очевидно"),
        (4, "boosters", "Очевидное"),
    ]


def test_konechno_is_concessive_before_a_contrast():
    assert markers("Конечно, это так.", "Конечно, это выгодно, однако рискованно.") == [
        (0, "boosters", "Конечно"),
        (1, "concessive", "Конечно"),
    ]
    assert markers("Разумеется, сделка выгодна, но опасна.") == [
        (0, "concessive", "Разумеется"),
        (0, "attitude_markers", "опасна"),
    ]


def test_moch_hedges_only_as_epistemic_modal():
    assert markers(
        "Казахстан может столкнуться с давлением.",
        "Казахстан не может игнорировать Россию.",
        "Мы можем это сделать.",
        "Это может быть правдой.",
        "Сделка могла бы сорваться.",
    ) == [
        (0, "hedges", "может"),
        (2, "self_mention", "Мы"),  # «можем»: 1st person, ability, not a hedge
        (3, "hedges", "может быть"),  # one hedge, not two
        (4, "hedges", "могла"),
    ]


def test_reporting_factive_and_directive_verbs_need_their_form():
    assert markers(
        "Министр заявил о переговорах.",
        "Надо заявить об этом.",
        "Данные показали, что рост есть.",
        "Он показал фильм.",
        "Отметим, что это сложно.",
        "Подпишитесь на канал!",
        "Согласно докладу, рост есть.",
    ) == [
        (0, "evidentials", "заявил"),
        (2, "boosters", "показали"),
        (4, "engagement", "Отметим"),
        (5, "engagement", "Подпишитесь"),
        (6, "evidentials", "Согласно"),
    ]


def test_questions_to_the_reader_are_engagement_quoted_ones_are_not():
    assert markers("А вы как думаете?", "«Что дальше?»") == [
        (0, "engagement", "вы"),
        (0, "engagement", "?"),
    ]


def test_first_person_epistemic_verbs():
    assert markers("Я полагаю, что так.", "Он полагает, что так.") == [
        (0, "self_mention", "Я"),
        (0, "hedges", "полагаю"),
    ]


def test_rates_by_hand():
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            # a: 7 word tokens, 2 sentences, hedges «вероятно», «возможно» in sentence 0
            # b: 4 word tokens, 1 sentence, no marker
            "text": ["Вероятно, это возможно. Мы идём домой сейчас.", "Это просто новость дня."],
        }
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    t = metadiscourse_rates(parsed, by="doc_id", n_boot=100).set_index(["group", "category"])
    assert t.index.get_level_values("category").unique().tolist() == CATEGORIES
    assert t.loc[("a", "hedges"), ["n", "tokens"]].tolist() == [2, 7]
    assert t.loc[("a", "hedges"), "per_1000"] == pytest.approx(2000 / 7)
    assert t.loc[("a", "hedges"), "sentence_share"] == pytest.approx(0.5)
    assert t.loc[("a", "self_mention"), "n"] == 1
    assert t.loc[("b", "hedges"), ["n", "tokens"]].tolist() == [0, 4]
    tests = metadiscourse_tests(parsed, by="doc_id").set_index("category")
    assert tests.loc["hedges", "higher_in"] == "a"


def test_ankasam_footnotes_are_evidentials_in_the_sentence_they_follow(parsed):
    ev = metadiscourse_evidence(parsed, by="outlet")
    notes = ev[ev["entry"] == "<footnote>"]
    assert notes["doc_id"].unique().tolist() == ["ankasam_2025_08"]
    assert notes["text"].tolist() == [f"[{i}]" for i in range(1, 10)]
    # read off the cleaned text: each marker closes the sentence before it
    assert notes["sent_id"].tolist() == [11, 15, 24, 27, 30, 33, 37, 40, 43]
    assert set(notes["category"]) == {"evidentials"}


def test_seed_markers_a_reader_finds(parsed):
    ev = metadiscourse_evidence(parsed, by="outlet")
    found = {(r.doc_id[:4], r.sent_id, r.category, r.text) for r in ev.itertuples()}
    expected = {
        ("anka", 46, "hedges", "вероятно"),  # «Вместе с тем вероятно, что …»
        ("anka", 26, "evidentials", "Согласно"),  # «Согласно заявлению Москвы …»
        ("anka", 27, "hedges", "по крайней мере"),
        ("anka", 16, "boosters", "свидетельствует"),  # «… свидетельствует о том, что …»
        ("anka", 48, "hedges", "могут"),  # «… могут пройти новое испытание»
        ("dzen", 3, "boosters", "окончательно"),
        ("dzen", 6, "boosters", "строго"),  # «носит строго инструментальный характер»
        ("dzen", 15, "hedges", "скорее"),
        ("dzen", 23, "hedges", "может быть"),
    }
    assert expected <= found
    # «Этот шаг продемонстрировал способность …» shows nothing «что»-like: not a booster
    assert ("anka", 11, "boosters", "продемонстрировал") not in found
    t = metadiscourse_rates(parsed, by="outlet", n_boot=100).set_index(["group", "category"])
    assert t.loc[("Dzen", "evidentials"), "n"] == 0
    assert t.loc[("Dzen", "self_mention"), "n"] == 0
    assert t.loc[("ANKASAM", "evidentials"), "n"] >= 10  # 9 footnotes + «Согласно»
