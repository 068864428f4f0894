"""Boilerplate removal on the seeds (expectations from reading the raw pages) and on
hand-made pages."""

from __future__ import annotations

import hashlib
import json
import re
import warnings

import pandas as pd
import pytest

from kzdiscourse.cleaning import clean_text, detect_profile
from kzdiscourse.errors import CleaningWarning, KzDiscourseError

from conftest import DATA, rebuild_raw

SEEDS_CLEANING = DATA / "seeds_cleaning"

# Strings that only occur in boilerplate of the two raw pages (checked by reading them).
BOILERPLATE = [
    "Paylaş",
    "Эта статья также доступна",
    "Türkçe",
    "Похожие материалы",
    "MAMEDOV",
    "Эргун Мамедов",
    "Кютахья",  # author bio
    "Дата обращения",
    "http",
    "Caspian News",  # reference list
    "Найти в Дзене",
    "NOWости",
    "Подпишись",
    "👤",
    "🌐",
    "Антон Михайлов",
]
FOOTNOTE = re.compile(r"\[\d+\]")
DZEN_OPENING = "К декабрю 2025 года отношения между Казахстаном и Европейским союзом"


def test_auto_picks_the_site_profiles(cleaned):
    assert cleaned.cleaning.set_index("doc_id")["profile"].to_dict() == {
        "ankasam_2025_08": "ankasam",
        "dzen_2025_12": "dzen",
    }


def test_no_boilerplate_left_in_any_sentence(parsed):
    for sent in parsed.sentences.itertuples():
        for marker in BOILERPLATE:
            assert marker not in sent.text, (sent.doc_id, sent.sent_id, marker)
        assert not FOOTNOTE.search(sent.text), (sent.doc_id, sent.sent_id)
        assert sent.text.strip() != "Анализ"


def test_the_dzen_opening_and_title_appear_once(cleaned, parsed):
    text = cleaned.documents.set_index("doc_id").loc["dzen_2025_12", "text"]
    assert text.count(DZEN_OPENING) == 1
    assert text.count("Казахстан – ЕС в декабре 2025 года") == 1
    assert text.startswith("Казахстан – ЕС в декабре 2025 года\n\nК декабрю 2025 года")
    dzen = parsed.sentences[parsed.sentences["doc_id"] == "dzen_2025_12"]
    assert dzen["text"].str.contains(DZEN_OPENING, regex=False).sum() == 1


def test_roles_follow_the_page_structure(parsed):
    roles = parsed.paragraphs.groupby("doc_id")["role"].value_counts().to_dict()
    # ANKASAM: a title, three lead bullets, fourteen body paragraphs (counted in the raw page)
    assert roles[("ankasam_2025_08", "title")] == 1
    assert roles[("ankasam_2025_08", "lead")] == 3
    assert roles[("ankasam_2025_08", "body")] == 14
    # Dzen: the title once, nine body paragraphs
    assert roles[("dzen_2025_12", "title")] == 1
    assert roles[("dzen_2025_12", "body")] == 9
    assert ("dzen_2025_12", "lead") not in roles
    pars = parsed.paragraphs.set_index(["doc_id", "par_id"])["text"]
    assert pars[("ankasam_2025_08", 0)].startswith("Казахстанская Транзитная Стратегия")
    assert pars[("ankasam_2025_08", 1)].startswith("Казахстан благодаря своей многовекторной")
    assert pars[("ankasam_2025_08", 3)].startswith("Сохраняя структурные связи с Россией")
    assert pars[("ankasam_2025_08", 4)].startswith("В условиях усиления глобальной")
    assert pars[("ankasam_2025_08", 17)].startswith("Казахстан, благодаря своей")


def test_ankasam_references_are_kept_with_all_entries(cleaned):
    refs = cleaned.references
    assert refs["doc_id"].unique().tolist() == ["ankasam_2025_08"]
    assert refs["ref_id"].tolist() == list(range(1, 10))
    assert refs["url"].str.startswith("https://").all()
    assert (refs["accessed"] == "2025-08-08").all()
    by_id = refs.set_index("ref_id")
    assert by_id.loc[1, "authors"] == "Vusala Abbasova"
    assert by_id.loc[1, "publisher"] == "Caspian News"
    assert by_id.loc[4, "publisher"] == "TASS"
    assert by_id.loc[7, "url"].startswith("https://www.euractiv.com/")  # raw has "Ehttps://"
    assert by_id.loc[7, "publisher"] == "Euractiv"
    assert pd.isna(by_id.loc[2, "authors"])
    assert by_id.loc[6, "title"] == "Kazakhstan Targets 20% E-Commerce Share by 2030"


def test_footnote_markers_become_citations_at_sentence_ends(cleaned):
    cits = cleaned.citations
    assert cits["ref_id"].tolist() == list(range(1, 10))
    text = cleaned.documents.set_index("doc_id").loc["ankasam_2025_08", "text"]
    for offset in cits["offset"]:
        assert text[offset - 1] == "."  # each marker followed a sentence-final period


def test_the_seeds_are_cleaned_as_before_precise_cleaning(cleaned):
    """Issue 13: the precise rules remove exactly the rows main removed before them."""
    want = pd.read_csv(SEEDS_CLEANING / "removed.csv", keep_default_na=False)
    got = cleaned.removed[list(want.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert (cleaned.removed["replacement"] == "").all()
    digest = json.loads((SEEDS_CLEANING / "digest.json").read_text("utf-8"))
    texts = cleaned.documents.set_index("doc_id")["text"]
    assert {k: hashlib.sha256(t.encode()).hexdigest() for k, t in texts.items()} == digest["texts"]
    old_columns = ["doc_id", "profile", "raw_chars", "clean_chars"]
    for name, sha in digest["sha256_csv"].items():
        table = getattr(cleaned, name)
        table = table[old_columns] if name == "cleaning" else table
        assert hashlib.sha256(table.to_csv(index=False).encode()).hexdigest() == sha, name
    info = cleaned.cleaning.set_index("doc_id")
    assert (info["body_removed_spans"] == 0).all() and not info["large_removal"].any()
    assert (info["markup"] == "none").all()


def test_cleaning_the_seeds_warns_about_nothing(seeds):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CleaningWarning)
        seeds.clean()


def test_every_removed_span_is_accounted_for(seeds, cleaned):
    raw = seeds.documents.set_index("doc_id")["text"]
    clean = cleaned.documents.set_index("doc_id")["text"]
    for doc_id in seeds.doc_ids:
        rows = cleaned.removed[cleaned.removed["doc_id"] == doc_id].to_dict("records")
        assert rebuild_raw(clean[doc_id], rows) == raw[doc_id]
        assert len(raw[doc_id]) - len(clean[doc_id]) == sum(r["end"] - r["start"] for r in rows)


def test_removal_reasons_match_what_the_pages_contain(cleaned):
    reasons = cleaned.removed.groupby("doc_id")["reason"].apply(set).to_dict()
    assert reasons["ankasam_2025_08"] == {
        "rubric",
        "share_button",
        "language_note",
        "footnote_marker",
        "reference_list",
        "author_name",
        "author_bio",
        "footer",
        "stress_mark",
        "whitespace",
    }
    assert reasons["dzen_2025_12"] == {
        "site_header",
        "channel_name",
        "repeated_title",
        "teaser",
        "author_line",
        "subscribe_prompt",
        "whitespace",
    }
    removed = cleaned.removed.set_index("reason")
    assert removed.loc["author_bio", "text"].startswith("Эргун Мамедов завершил обучение")
    assert removed.loc["teaser", "text"].rstrip().endswith("приобретает более")


def test_stress_accent_is_removed_inside_a_name(cleaned):
    text = cleaned.documents.set_index("doc_id").loc["ankasam_2025_08", "text"]
    assert "Алеской Симкич" in text


# ----------------------------------------------------------------------------- hand-made


def test_generic_profile_removes_links_emoji_and_prompts():
    raw = (
        "Заголовок заметки\n\n"
        "Первый абзац о сотрудничестве Казахстана и ЕС.\n"
        "https://example.org/news/1\n"
        "🔥🔥🔥\n\n\n\n"
        "Второй абзац о транзите через Каспий.\n"
        "https://t.me/kznews\n"
        "Поделиться\n"
        "Подписывайтесь на наш канал, чтобы не пропустить новости!\n"
    )
    res = clean_text(raw, profile="generic")
    # a link line inside the body is the author's text; at the end it is boilerplate
    assert res.text == (
        "Заголовок заметки\n\nПервый абзац о сотрудничестве Казахстана и ЕС.\n"
        "https://example.org/news/1\n\nВторой абзац о транзите через Каспий."
    )
    assert {r["reason"] for r in res.removed} == {
        "link_line",
        "symbol_line",
        "share_button",
        "subscribe_prompt",
        "whitespace",
    }
    # the link line is a paragraph of its own (a short line without final punctuation)
    assert [role for _, _, role in res.paragraphs] == ["title", "body", "heading", "body"]
    assert rebuild_raw(res.text, res.removed) == raw


def test_teaser_at_the_top_is_removed_and_a_repeat_in_the_body_kept():
    opening = "Европейский союз и Казахстан обсуждают новые маршруты поставок через Каспийское море"
    raw = (
        f"{opening} и …\n\n"
        f"{opening} и Южный Кавказ. Это важно для обеих сторон.\n\n"
        "Повтор абзаца, который скопировался дважды при сохранении страницы.\n\n"
        "Повтор абзаца, который скопировался дважды при сохранении страницы.\n"
    )
    res = clean_text(raw, profile="generic")
    reasons = [r["reason"] for r in res.removed if r["reason"] != "whitespace"]
    assert reasons == ["teaser"]
    assert res.text.count(opening) == 1
    assert res.text.count("Повтор абзаца") == 2  # not the teaser shape: the author's text
    assert rebuild_raw(res.text, res.removed) == raw


def test_hard_wrapped_lines_join_into_one_paragraph():
    raw = "Казахстан продолжает многовекторную\nполитику и расширяет связи\nс ЕС.\nНовый абзац."
    res = clean_text(raw, profile="generic")
    assert [res.text[s:e] for s, e, _ in res.paragraphs] == [
        "Казахстан продолжает многовекторную\nполитику и расширяет связи\nс ЕС.",
        "Новый абзац.",
    ]


def test_inline_bracket_numbers_stay_without_a_reference_list():
    raw = "В таблице [2] приведены данные за 2024 год.\nЕщё один абзац текста."
    res = clean_text(raw, profile="auto")
    assert res.text == raw
    assert res.removed == []


def test_profile_detection_from_metadata_and_content():
    assert detect_profile("Текст.", {"url": "https://dzen.ru/a/xyz"}) == "dzen"
    assert detect_profile("Текст.", {"outlet": "ankasam"}) == "ankasam"
    assert detect_profile("Анализ\n\nЗаголовок\n\nPaylaş\n\nТекст.") == "ankasam"
    assert detect_profile("Обычный текст без примет сайта.") == "generic"


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(KzDiscourseError, match="unknown cleaning profile"):
        clean_text("Текст.", profile="nope")


def test_cleaning_twice_is_refused(cleaned):
    with pytest.raises(KzDiscourseError, match="already cleaned"):
        cleaned.clean()
