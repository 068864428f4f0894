"""Actors: variants and inflections, mention rates and co-mentions by hand, and the
case-based agency approximation on hand-made sentences and the seeds."""

from __future__ import annotations

import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.agency import resolve_method
from kzdiscourse.errors import InputError
from kzdiscourse.measures import actors


def parse(*texts: str, by: list[str] | None = None):
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    if by is not None:
        frame["outlet"] = by
    return kzd.Corpus.from_dataframe(frame).parse()


def roles(text: str, method: str = "case") -> list[tuple[str, str, str, str]]:
    ev = actors.actor_evidence(parse(text), by="doc_id", method=method)
    return [(r.category, r.relation, r.role, r.verb) for r in ev.itertuples()]


def test_kazakhstan_signs_with_the_eu():
    assert roles("Казахстан подписал соглашение с ЕС.") == [
        ("kazakhstan", "subject", "agent", "подписать"),
        ("eu", "oblique", "patient", "подписать"),
    ]


def test_indeclinable_subject_and_inanimate_object():
    assert roles("ЕС рассматривает Казахстан как партнёра.") == [
        ("eu", "subject", "agent", "рассматривать"),
        ("kazakhstan", "object", "patient", "рассматривать"),
    ]
    assert roles("ЕС традиционно декларирует ценности.")[0][:2] == ("eu", "subject")


def test_passive_agent_oblique_possessor_modifier():
    assert roles("Санкции были введены Европейским союзом против России.") == [
        ("eu", "agent_instrumental", "agent", "ввести"),
        ("russia", "oblique", "patient", "ввести"),
    ]
    assert roles("Отношения Казахстана с Китаем развиваются.") == [
        ("kazakhstan", "possessor", "other", ""),
        ("china", "oblique", "patient", "развиваться"),
    ]
    assert roles("Казахстанские компании работают в Европе.") == [
        ("kazakhstan", "modifier", "other", ""),
        ("eu", "oblique", "patient", "работать"),
    ]
    # a dash compound is an attribute of the noun before it, not a participant
    assert [r[1] for r in roles("Диалог ЕС–Центральная Азия продолжился.")] == [
        "modifier",
        "modifier",
    ]


def test_conjuncts_share_the_relation():
    assert roles("Это воспринимается Москвой и Пекином как игра.") == [
        ("russia", "agent_instrumental", "agent", "восприниматься"),
        ("china", "agent_instrumental", "agent", "восприниматься"),
    ]


def test_multi_word_names_count_once_in_every_form():
    parsed = parse(
        "Представитель Соединённых Штатов Америки прибыл. Касым-Жомарт Токаев встретил "
        "Владимира Путина. Европейскому союзу и Центральной Азии это выгодно."
    )
    m = actors.actor_rates(parsed, by="doc_id", n_boot=50).set_index("category")
    assert m.loc[["usa", "kazakhstan", "russia", "eu", "central_asia"], "n"].tolist() == [
        1,
        1,
        1,
        1,
        1,
    ]
    ev = actors.actor_evidence(parsed, by="doc_id", method="case").set_index("category")
    assert ev.loc["kazakhstan", "relation"] == "subject"
    assert ev.loc["russia", "relation"] == "object"


def test_mentions_and_comentions_by_hand():
    # 3 sentences; word tokens: 4 + 2 + 5 = 11
    parsed = parse("Москва и Пекин спорят. Брюссель молчит. Астана, Москва и Брюссель говорят.")
    m = actors.actor_rates(parsed, by="doc_id", n_boot=50).set_index("category")
    assert m.loc["russia", ["n", "tokens", "sentences_with"]].tolist() == [2, 11, 2]
    assert m.loc["russia", "per_1000"] == pytest.approx(2000 / 11)
    assert m.loc["eu", "sentence_share"] == pytest.approx(2 / 3)
    c = actors.actor_comentions(parsed, by="doc_id").set_index(["actor_a", "actor_b"])
    assert c.loc[("russia", "china"), "both"] == 1
    assert c.loc[("eu", "russia"), "both"] == 1
    assert c.loc[("kazakhstan", "eu"), "both"] == 1
    assert c.loc[("russia", "russia"), "both"] == 2
    assert c.loc[("eu", "russia"), "jaccard"] == pytest.approx(1 / 3)  # 1 of 3 sentences
    n = len(actors.actor_dictionary().categories)
    assert len(c) == n * (n + 1) // 2  # full upper triangle, zeros kept


def test_agency_table_and_method_column(parsed):
    t = actors.actor_agency(parsed, by="outlet", method="case")
    assert set(t["method"]) == {"case"}
    assert (t["agent"] + t["patient"] + t["other"] == t["mentions"]).all()
    dzen = t[t["group"] == "Dzen"].set_index("category")
    # «воспринимается Москвой и Пекином» — the only Chinese agent in the column
    assert dzen.loc["china", "agent_instrumental"] == 1
    ev = actors.actor_evidence(parsed, by="outlet", method="case")
    dz25 = ev[(ev["doc_id"] == "dzen_2025_12") & (ev["sent_id"] == 25)]
    assert dz25[["category", "relation"]].values.tolist() == [
        ["eu", "modifier"],  # «европейского присутствия»
        ["russia", "agent_instrumental"],
        ["china", "agent_instrumental"],
    ]
    verbs = actors.actor_verbs(parsed, by="outlet", method="case")
    assert {"group", "category", "role", "verb", "n", "method"} == set(verbs.columns)
    with pytest.raises(InputError):
        actors.actor_agency(parsed, method="magic")


def test_seed_mentions(parsed):
    m = actors.actor_rates(parsed, by="outlet", n_boot=50).set_index(["group", "category"])
    # China appears only in the Dzen column («с Китаем», «Пекином»)
    assert m.loc[("ANKASAM", "china"), "n"] == 0
    assert m.loc[("Dzen", "china"), "n"] == 2
    # «Соединённых Штатов Америки (США)»: two mentions in one ANKASAM sentence
    assert m.loc[("ANKASAM", "usa"), ["n", "sentences_with"]].tolist() == [2, 1]


HAND_MADE = [
    (
        "Казахстан подписал соглашение с ЕС.",
        [
            ("kazakhstan", "subject", "agent", "подписать"),
            ("eu", "oblique", "patient", "подписать"),
        ],
    ),
    (
        "ЕС рассматривает Казахстан как партнёра.",
        [
            ("eu", "subject", "agent", "рассматривать"),
            ("kazakhstan", "object", "patient", "рассматривать"),
        ],
    ),
    (
        "Санкции были введены Европейским союзом против России.",
        [
            ("eu", "agent_instrumental", "agent", "ввести"),
            ("russia", "oblique", "patient", "ввести"),
        ],
    ),
    (
        "Это воспринимается Москвой и Пекином как игра.",
        [
            ("russia", "agent_instrumental", "agent", "восприниматься"),
            ("china", "agent_instrumental", "agent", "восприниматься"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HAND_MADE)
def test_syntax_method_on_hand_made_sentences(text, expected):
    pytest.importorskip("slovnet")
    pytest.importorskip("natasha")
    assert roles(text, method="syntax") == expected


def test_syntax_method_gets_passive_subjects_and_says_so(parsed):
    pytest.importorskip("slovnet")
    pytest.importorskip("natasha")
    assert roles("Казахстан воспринимается Брюсселем как партнёр.", method="syntax")[0] == (
        "kazakhstan",
        "passive_subject",
        "patient",
        "восприниматься",
    )
    t = actors.actor_agency(parsed, by="outlet", method="syntax")
    assert set(t["method"]) == {"syntax"}
    with pytest.warns(DeprecationWarning, match='method="auto"'):
        assert resolve_method("auto") == "syntax"
    # the dash rule holds for both methods: «в конфликте ЕС–Россия»
    ev = actors.actor_evidence(parsed, by="outlet", method="syntax")
    row = ev[(ev["doc_id"] == "ankasam_2025_08") & (ev["sent_id"] == 27)]
    assert row.loc[row["text"] == "Россия", "relation"].item() == "modifier"


# ---------------------------------------------------------------------------- one method


def test_syntax_is_the_default_method_and_is_named_in_tables_and_manifest(parsed):
    pytest.importorskip("slovnet")
    assert actors.MEASURE.method == "syntax"
    t = actors.actor_agency(parsed, by="outlet")
    assert set(t["method"]) == {"syntax"}
    descriptions = {spec.name: spec.description for spec in actors.MEASURE.tables}
    for name in ("actor_agency", "actor_verbs", "actor_evidence"):
        assert "dependency parse (method syntax)" in descriptions[name]
        assert "case rules" not in descriptions[name]
    report = kzd.compare(parsed, by="outlet", measures=["actors"])
    assert report.manifest["parameters"]["measure_parameters"] == {
        "actors": {"agency_method": "syntax"}
    }
    assert report.tables["actor_agency"].equals(t)


def test_auto_is_deprecated_and_means_syntax(parsed):
    pytest.importorskip("slovnet")
    with pytest.warns(DeprecationWarning, match='method="auto"'):
        auto = actors.actor_agency(parsed, by="outlet", method="auto")
    assert auto.equals(actors.actor_agency(parsed, by="outlet", method="syntax"))
    with pytest.raises(InputError, match='method="case"'):
        actors.actor_agency(parsed, by="outlet", method="spacy")


def test_a_missing_parser_is_an_error_naming_the_case_method(monkeypatch):
    from kzdiscourse import syntax
    from kzdiscourse.errors import MissingDependencyError

    monkeypatch.setattr(syntax, "available", lambda: False)
    syntax._model.cache_clear()
    try:
        with pytest.raises(MissingDependencyError, match='method="case"'):
            roles("Казахстан подписал соглашение с ЕС.", method="syntax")
        # the case rules need no parser: chosen explicitly, they still work
        assert roles("Казахстан подписал соглашение с ЕС.", method="case")[0][2] == "agent"
    finally:
        syntax._model.cache_clear()


def test_agent_and_patient_shares_are_of_the_actors_mentions(parsed):
    t = actors.actor_agency(parsed, by="outlet", method="case")
    seen = t[t["mentions"] > 0]
    assert (seen["agent_share"] == seen["agent"] / seen["mentions"]).all()
    assert (seen["patient_share"] == seen["patient"] / seen["mentions"]).all()
    assert (seen["agent"] + seen["patient"] + seen["other"] == seen["mentions"]).all()
    assert t.loc[t["mentions"] == 0, "agent_share"].isna().all()


def test_agency_counts_every_group_and_actor_pair_as_a_per_pair_count_would():
    # counted in one pass over the evidence; checked against a count pair by pair
    import numpy as np

    from kzdiscourse.agency import RELATIONS
    from kzdiscourse.measures.actors import agency_counts

    rng = np.random.default_rng(3)
    n = 400
    relations = [*RELATIONS, "none"]
    ev = pd.DataFrame(
        {
            "group": rng.choice(["A", "B", "C"], n),
            "category": rng.choice(["eu", "usa", "china"], n),
            "role": rng.choice(["agent", "patient", "other"], n),
            "relation": rng.choice(relations, n),
        }
    )
    groups, actors = ["A", "B", "C", "D"], ["usa", "eu", "china", "russia"]
    table = agency_counts(ev, groups, actors, "case").set_index(["group", "category"])
    assert list(table.index) == [(g, a) for g in groups for a in actors]
    for g in groups:
        for a in actors:
            rows = ev[(ev["group"] == g) & (ev["category"] == a)]
            got = table.loc[(g, a)]
            assert got["mentions"] == len(rows)
            assert got["agent"] == (rows["role"] == "agent").sum()
            assert got["patient"] == (rows["role"] == "patient").sum()
            assert got["other"] == (rows["role"] == "other").sum()
            for r in RELATIONS:
                assert got[r] == (rows["relation"] == r).sum()
            if len(rows):
                assert got["agent_share"] == (rows["role"] == "agent").sum() / len(rows)
            else:
                assert np.isnan(got["agent_share"]) and np.isnan(got["patient_share"])
