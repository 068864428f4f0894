"""Cleaning removes boilerplate only where it stands (issue 13).

Body passages written to look like boilerplate survive every profile intact
(``tests/data/cleaning_precision.yaml``); boilerplate at the edges, prompts standing alone,
reference lists after their heading and teasers at the top still go; a removal from the body
or of a large share warns and has a line in ``coverage``."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
import yaml

from kzdiscourse import Corpus
from kzdiscourse.cleaning import clean_text
from kzdiscourse.cleaning.lines import REFERENCE_LINE
from kzdiscourse.cleaning.profiles import load_profiles
from kzdiscourse.errors import CleaningWarning, InputError
from kzdiscourse.measures.coverage import coverage

from conftest import DATA, rebuild_raw

PASSAGES = yaml.safe_load((DATA / "cleaning_precision.yaml").read_text("utf-8"))["passages"]
PROFILES = ["generic", "ankasam", "dzen"]

TITLE = "Казахстан и Европейский союз: итоги осени"
OPENING = (
    "Осенью 2025 года Казахстан и Европейский союз провели несколько раундов переговоров о "
    "транзите, сырьевых материалах и визовом режиме."
)
CLOSING = (
    "В целом эксперты оценивают динамику отношений как устойчивую, хотя асимметрия между "
    "сторонами сохраняется."
)


def article(*paragraphs: str) -> str:
    return "\n\n".join([TITLE, OPENING, *paragraphs, CLOSING]) + "\n"


def strict_clean(raw: str, **kwargs):
    """clean_text with CleaningWarning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", CleaningWarning)
        return clean_text(raw, **kwargs)


def text_rows(res) -> list[tuple[str, str]]:
    return [(r["reason"], r["text"].strip()) for r in res.removed if r["reason"] != "whitespace"]


# ------------------------------------------------------------------------- body passages


def test_the_passage_set_is_large_and_named():
    ids = [p["id"] for p in PASSAGES]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)


def test_the_passages_are_traps():
    """The passages hold what the rules look for: lines an edge rule matches (the survival
    test below fails if those rules applied in the body), numbered lists, repeats, links."""
    rules = [r for p in load_profiles().values() for r in p.rules if "body" not in r.zones]

    def lines(p: dict) -> list[str]:
        return [ln.strip() for ln in p["text"].split("\n") if ln.strip()]

    edge = {
        p["id"] for p in PASSAGES if any(r.regex.fullmatch(ln) for ln in lines(p) for r in rules)
    }
    assert {"subscribe_short_advice", "read_also_short", "comments_heading"} <= edge
    assert {"fifteen_minutes_line", "link_line_in_body"} <= edge
    assert any(REFERENCE_LINE.match(ln) for p in PASSAGES for ln in lines(p))
    repeats = [p["id"] for p in PASSAGES if len(lines(p)) > len(set(lines(p)))]
    assert len(repeats) >= 3, repeats


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("passage", PASSAGES, ids=[p["id"] for p in PASSAGES])
def test_a_body_passage_survives_intact(passage, profile):
    raw = article(passage["text"])
    start = raw.index(passage["text"])
    end = start + len(passage["text"])
    res = strict_clean(raw, profile=profile)
    assert passage["text"] in res.text
    assert [r for r in res.removed if r["start"] < end and r["end"] > start] == []
    assert res.body_removed_spans == 0 and not res.large_removal
    assert rebuild_raw(res.text, res.removed) == raw


def test_the_same_lines_at_the_edge_of_a_page_still_go():
    """The trap lines are boilerplate where boilerplate stands: after the last paragraph."""
    tail = [
        "Комментарии",
        "Читайте также доклад Еврокомиссии о санкционной политике.",
        "Подписывайтесь на рассылку санкционных списков ЕС.",
        "15 минут",
    ]
    raw = article() + "\n".join(tail) + "\n"
    res = strict_clean(raw, profile="generic")
    assert res.text == article().strip()
    assert text_rows(res) == [
        ("engagement_prompt", "Комментарии"),
        ("engagement_prompt", tail[1]),
        ("subscribe_prompt", tail[2]),
        ("engagement_prompt", "15 минут"),
    ]


# ------------------------------------------------------------------ boilerplate that goes


def test_edge_boilerplate_goes_without_a_warning():
    raw = (
        "https://dzen.ru/kznews\n5 мин\n1,2 тыс. прочитали\n\n"
        + article()
        + "\nПоделиться\nhttps://t.me/kznews\n"
        "Подписывайтесь на наш канал, чтобы не пропустить новости!\n"
    )
    res = strict_clean(raw, profile="generic")
    assert res.text == article().strip()
    assert text_rows(res) == [
        ("link_line", "https://dzen.ru/kznews"),
        ("engagement_prompt", "5 мин"),
        ("engagement_prompt", "1,2 тыс. прочитали"),
        ("share_button", "Поделиться"),
        ("link_line", "https://t.me/kznews"),
        ("subscribe_prompt", "Подписывайтесь на наш канал, чтобы не пропустить новости!"),
    ]
    assert res.body_removed_spans == 0


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Подпишитесь на наш канал!", "subscribe_prompt"),
        ("↗️ Подписывайтесь на канал, чтобы не пропустить новые статьи", "subscribe_prompt"),
        ("Поделиться", "share_button"),
        ("Читайте также:", "engagement_prompt"),
        ("Ставьте лайк!", "engagement_prompt"),
    ],
)
def test_a_prompt_standing_alone_in_the_body_goes_with_a_warning(line, reason):
    middle = "Переговоры о визовом режиме продолжатся в Брюсселе в январе следующего года."
    raw = article(line, middle)
    with pytest.warns(CleaningWarning, match=rf"inside the body of the text .*{reason}"):
        res = clean_text(raw, profile="generic")
    assert text_rows(res) == [(reason, line)]
    assert res.text == article(middle).strip()
    assert res.body_removed_spans == 1
    assert res.body_removed_chars == len(line) + 1  # the line and its newline


def test_a_reference_list_after_its_heading_goes():
    refs = (
        "Источники:\n"
        "[1] Еврокомиссия, «Стратегия ЕС для Центральной Азии», 2019.\n"
        "[2] Министерство иностранных дел РК, пресс-релиз от 12.11.2025."
    )
    raw = article() + "\n" + refs + "\n"
    res = strict_clean(raw, profile="generic")
    assert res.text == article().strip()
    assert [r for r, _ in text_rows(res)] == ["reference_heading"] + ["reference_list"] * 2
    assert [(r["ref_id"], r["title"]) for r in res.references] == [
        (1, "Стратегия ЕС для Центральной Азии"),
        (2, None),
    ]


def test_a_bibliographic_list_that_ends_the_page_goes_and_a_plain_one_stays():
    biblio = "[1] «Kazakhstan and the EU», Euractiv, 2025.\n[2] https://eeas.europa.eu/kz"
    res = strict_clean(article() + "\n" + biblio + "\n", profile="generic")
    assert [r for r, _ in text_rows(res)] == ["reference_list"] * 2
    plain = "[1] Транзит\n[2] Сырьё"
    res = strict_clean(article() + "\n" + plain + "\n", profile="generic")
    assert res.text.endswith(plain) and text_rows(res) == []


def test_footnote_markers_go_only_with_the_list_they_cite():
    body = "ЕС смягчил режим транзита угля через российские порты.[1] Об этом сообщил ТАСС.[2]"
    refs = "[1] «EU Grants Kazakhstan Transit Exemption», Caspian News.\n[2] ТАСС, 2025."
    res = strict_clean(article(body, "Продолжение статьи следует после перерыва.") + refs + "\n")
    assert [c["ref_id"] for c in res.citations] == [1, 2]
    assert "[1]" not in res.text and "[2]" not in res.text


def test_a_teaser_block_at_the_top_goes_and_a_repeat_in_the_body_stays():
    opening = (
        "К декабрю 2025 года отношения между Казахстаном и Европейским союзом вступили в "
        "фазу прагматичного сближения"
    )
    body = f"{opening}, в которой экономика важнее политики."
    refrain = "Главное — баланс, а не выбор между Москвой и Брюсселем."
    raw = f"{TITLE}\n\n{opening} …\n\n{TITLE}\n\n{body}\n\n{refrain}\n\n{CLOSING}\n\n{refrain}\n"
    res = strict_clean(raw, profile="generic")
    assert text_rows(res) == [("repeated_title", TITLE), ("teaser", f"{opening} …")]
    assert res.text == f"{TITLE}\n\n{body}\n\n{refrain}\n\n{CLOSING}\n\n{refrain}"


def test_a_repeated_paragraph_inside_the_body_stays():
    para = "Повтор абзаца, который автор сделал намеренно, чтобы подчеркнуть вывод."
    res = strict_clean(article(para, "Между повторами стоит другой абзац.", para))
    assert res.text.count(para) == 2


# ------------------------------------------------------------------------------- checks


def test_a_large_removal_warns_above_the_share():
    refs = "\n".join(
        f"[{k}] «Отчёт о транзите через Каспийское море, часть {k}», Caspian News, 2025."
        for k in range(1, 9)
    )
    raw = f"{TITLE}\n\nКороткая заметка о транзите угля через Каспий.\n\nИсточники:\n{refs}\n"
    with pytest.warns(CleaningWarning, match=r"removed \d+% of the text as text"):
        res = clean_text(raw, profile="generic")
    assert res.large_removal and res.removed_share > 0.5
    res = strict_clean(raw, profile="generic", max_removed_share=0.9)
    assert not res.large_removal


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "0.5", None, True])
def test_max_removed_share_is_checked_at_the_door(bad):
    with pytest.raises(InputError, match="max_removed_share"):
        clean_text("Текст.", max_removed_share=bad)
    corpus = Corpus.from_dataframe(pd.DataFrame({"doc_id": ["a"], "text": ["Текст статьи."]}))
    with pytest.raises(InputError, match="max_removed_share"):
        corpus.clean(max_removed_share=bad)


def test_corpus_clean_warns_once_and_coverage_has_a_line_per_document():
    clean_doc = article()
    prompt_doc = article("Подпишитесь на наш канал!", "Ещё один абзац о визовом диалоге с ЕС.")
    frame = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": [clean_doc, prompt_doc], "outlet": ["x", "x"]}
    )
    with pytest.warns(CleaningWarning) as caught:
        cleaned = Corpus.from_dataframe(frame).clean()
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "document 'b'" in message and "document 'a'" not in message
    info = cleaned.cleaning.set_index("doc_id")
    assert info.loc["b", "body_removed_spans"] == 1
    assert info.loc["b", "body_removed_chars"] == len("Подпишитесь на наш канал!\n")
    assert info.loc["a", "body_removed_spans"] == 0
    cov = coverage(cleaned.parse(), by="outlet")
    checks = cov[cov["category"] == "body_removal"]
    assert checks["doc_id"].tolist() == ["b"]
    assert checks["spans"].tolist() == [1] and checks["chars"].isna().all()
    assert checks["share"].iloc[0] == round(len("Подпишитесь на наш канал!\n") / len(prompt_doc), 6)
    # the character accounting still adds up to each text's length
    sums = cov.groupby("doc_id")["chars"].sum()
    assert sums.to_dict() == {"a": len(clean_doc), "b": len(prompt_doc)}
