"""HTML/XML and Markdown in loaded texts (issue 13, part 4): detected, stripped into
``removed`` rows that still rebuild the raw text exactly, or refused on request."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdiscourse import Corpus
from kzdiscourse.cleaning import clean_text
from kzdiscourse.cleaning.markup import OffsetMap, apply_edits, detect_markup, markup_edits
from kzdiscourse.errors import InputError, MarkupError

from conftest import rebuild_raw

HTML = """<article class="post">
  <h2 class="title">ЕС и Казахстан подписали меморандум</h2>
  <!-- lead -->
  <p class="lead">Брюссель и Астана договорились о&nbsp;сотрудничестве в области <strong>критического сырья</strong>.</p>
  <script>window.dataLayer = window.dataLayer || [];</script>
  <p>По словам вице-президента Еврокомиссии, документ откроет путь к &laquo;новому этапу&raquo; отношений. <a href="https://ec.europa.eu/x" target="_blank">Текст меморандума</a> опубликован на сайте.</p>
  <ul><li>литий</li><li>редкоземельные металлы</li></ul>
</article>"""  # noqa: E501  (markup as scraped: long lines)

# the visible text, paragraph by paragraph (read off the fragment above)
HTML_TEXT = "\n\n".join(
    [
        "ЕС и Казахстан подписали меморандум",
        "Брюссель и Астана договорились о\u00a0сотрудничестве в области критического сырья.",
        "По словам вице-президента Еврокомиссии, документ откроет путь к «новому этапу» "
        "отношений. Текст меморандума опубликован на сайте.",
        "литий",
        "редкоземельные металлы",
    ]
)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<item><title>Токаев встретился с Мишелем</title><description>Президент Казахстана обсудил с председателем Европейского совета транзит через Каспий.</description></item>"""  # noqa: E501

MARKDOWN = """# Казахстан и ЕС: итоги года

**Главное:** стороны подписали [дорожную карту](https://eeas.europa.eu/roadmap) по транспорту.

> «Мы видим в Казахстане надёжного партнёра», — сказал *Жозеп Боррелль*.

![Фото: пресс-служба](https://img.example/1.jpg)

## Что дальше

Переговоры о визах продолжатся в `2026` году."""

MARKDOWN_TEXT = """Казахстан и ЕС: итоги года

Главное: стороны подписали дорожную карту по транспорту.

«Мы видим в Казахстане надёжного партнёра», — сказал Жозеп Боррелль.

Что дальше

Переговоры о визах продолжатся в 2026 году."""


def test_an_html_fragment_leaves_its_visible_text():
    res = clean_text(HTML, profile="generic", warn=False)
    assert res.markup == "html"
    assert res.text == HTML_TEXT
    assert rebuild_raw(res.text, res.removed) == HTML
    reasons = {r["reason"] for r in res.removed}
    assert reasons == {"html_markup", "html_entity", "whitespace"}
    entities = [(r["text"], r["replacement"]) for r in res.removed if r["reason"] == "html_entity"]
    assert entities == [("&nbsp;", "\u00a0"), ("&laquo;", "«"), ("&raquo;", "»")]
    script = [r["text"] for r in res.removed if r["text"].startswith("<script")]
    assert script == ["<script>window.dataLayer = window.dataLayer || [];</script>"]


def test_markup_words_are_not_counted_after_cleaning():
    corpus = Corpus.from_dataframe(pd.DataFrame({"doc_id": ["h"], "text": [HTML]}))
    cleaned = corpus.clean()
    assert cleaned.cleaning["markup"].tolist() == ["html"]
    norms = set(cleaned.parse().tokens["norm"])
    assert not norms & {"div", "class", "href", "article", "strong", "laquo", "nbsp", "script"}
    raw_norms = set(corpus.clean(markup="keep").parse().tokens["norm"])
    assert {"class", "href", "laquo"} <= raw_norms  # what markup="keep" leaves in


def test_xml_elements_end_lines():
    res = clean_text(RSS, profile="generic", warn=False)
    assert res.markup == "html"
    assert res.text.split("\n\n") == [
        "Токаев встретился с Мишелем",
        "Президент Казахстана обсудил с председателем Европейского совета транзит через Каспий.",
    ]
    assert rebuild_raw(res.text, res.removed) == RSS


def test_markdown_leaves_its_visible_text():
    res = clean_text(MARKDOWN, profile="generic", warn=False)
    assert res.markup == "markdown"
    assert res.text == MARKDOWN_TEXT
    assert rebuild_raw(res.text, res.removed) == MARKDOWN
    marks = [r["text"] for r in res.removed if r["reason"] == "markdown_markup"]
    assert marks[:5] == ["# ", "**", "**", "[", "](https://eeas.europa.eu/roadmap)"]
    assert "![Фото: пресс-служба](https://img.example/1.jpg)" in marks


@pytest.mark.parametrize(
    "text",
    [
        "При a<b и c>d рост составил 5 %.",
        "Компания AT&T не работает в Казахстане.",
        "Формула 3 * 4 = 12 и 2*3 и snake_case_name остаются.",
        "Хештег #Казахстан и #ЕС в соцсетях.",
        "Цены <5 % и >10 % встречаются в отчёте; <b and c> не тег.",
        "**Важно** — одна пометка ещё не Markdown.",
    ],
)
def test_plain_text_is_not_markup(text):
    assert detect_markup(text) == "none"
    res = clean_text(text, profile="generic")
    assert res.text == text and res.removed == []


def test_markup_error_names_the_document_and_the_line():
    frame = pd.DataFrame({"doc_id": ["ok", "page"], "text": ["Обычный текст.", HTML]})
    corpus = Corpus.from_dataframe(frame)
    with pytest.raises(MarkupError, match=r"html markup \(line 1: '<article") as err:
        corpus.clean(markup="error")
    assert err.value.doc_ids == ["page"]
    assert "markup='strip'" in str(err.value)
    with pytest.raises(MarkupError, match="markdown markup"):
        clean_text(MARKDOWN, markup="error")


def test_unknown_markup_mode_is_refused_at_the_door():
    corpus = Corpus.from_dataframe(pd.DataFrame({"doc_id": ["a"], "text": ["Текст."]}))
    with pytest.raises(InputError, match="markup mode"):
        corpus.clean(markup="remove")


def test_boilerplate_inside_markup_is_removed_around_its_tags():
    page = (
        "<h1>Казахстан и ЕС</h1>\n<p>Евросоюз и Казахстан подписали меморандум о сырьевых "
        'материалах и транспорте.</p>\n<p><a href="/related">Похожие материалы</a></p>'
    )
    res = clean_text(page, profile="ankasam", warn=False)
    rows = [(r["reason"], r["text"]) for r in res.removed if r["reason"] != "whitespace"]
    assert ("footer", "Похожие материалы") in rows
    assert ("html_markup", '<p><a href="/related">') in rows
    assert res.text.endswith("транспорте.")


def test_offset_map_inverts_the_edits():
    raw = "<p>Казахстан &amp; ЕС</p><br>Астана"
    edits = markup_edits(raw, detect_markup(raw))
    edited = apply_edits(raw, edits)
    assert edited == "\nКазахстан & ЕС\n\nАстана"
    omap = OffsetMap(edits)
    for pos, ch in enumerate(edited):
        start, end = omap.start(pos), omap.end(pos + 1)
        assert raw[start:end] == ch or raw[start:end] in ("<p>", "&amp;", "</p>", "<br>")


FRAGMENTS = [
    "Казахстан",
    "ЕС",
    "сотрудничество",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    '<a href="https://tass.ru/x">',
    "</a>",
    "<br>",
    "&laquo;",
    "&raquo;",
    "&nbsp;",
    "&amp;",
    "<!-- x -->",
    "**",
    "[ссылка](https://eeas.europa.eu/y)",
    "## ",
    "\n",
    "\n\n",
    "Поделиться",
    "[1]",
    ".",
    "Kaзахстан",
    "\u0301",
    "  ",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60),
    st.sampled_from(["generic", "ankasam", "dzen"]),
)
def test_cleaning_marked_up_text_always_rebuilds_the_raw_text(pieces, profile):
    raw = " ".join(pieces)
    res = clean_text(raw, profile=profile, warn=False)
    assert rebuild_raw(res.text, res.removed) == raw
    for row in res.removed:
        assert raw[row["start"] : row["end"]] == row["text"]
