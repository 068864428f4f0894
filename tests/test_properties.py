"""Property-based tests: offsets always point back into the text, and cleaning never loses
a character without a removed row."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzdiscourse import Corpus
from kzdiscourse.cleaning import clean_text
from kzdiscourse.errors import EmptyTextError

from conftest import rebuild_raw

WORDS = [
    "Казахстан",
    "ЕС",
    "Евросоюз",
    "сотрудничество",
    "не",
    "а",
    "многовекторность",
    "ёлка",
    "санкции",
    "Астана",
    "военно-политический",
    "ЕС–Россия",
    "2025",
    "14,1%",
    "г.",
    "т.е.",
    "Glencore",
    "👤",
    "🌐",
    "«",
    "»",
    "—",
    "(",
    ")",
    "[1]",
    "https://tass.ru/a/1",
    "Paylaş",
    "Подпишись",
    "Найти",
    "в",
    "Дзене",
    "…",
    "Але\u0301ской",
    "\u00ad",
    "Kaзахстан",
]
PUNCT = ["", ".", ",", "!", "?", ":", ";", "..."]

word = st.sampled_from(WORDS)
sentence = st.builds(
    lambda ws, p: " ".join(ws) + p, st.lists(word, min_size=1, max_size=12), st.sampled_from(PUNCT)
)
line = st.one_of(
    sentence,
    st.sampled_from(
        [
            "Paylaş",
            "Поделиться",
            "Найти в Дзене",
            "↗️ Подпишись на 🌐🌐🌐",
            "👤 Автор Статьи",
            "https://example.org/x",
            "🔥🔥",
            "Похожие материалы",
            "Анализ",
            "   ",
            "",
            "[1] Автор, “Заголовок”, Издание, https://example.org, (Дата обращения: 01.02.2025).",
            "[2] “Другой”, ТАСС, https://tass.ru/1",
        ]
    ),
    st.text(alphabet="абв где ЁёЙй.,!?\t -–—«»\u0301\u00ad🙂1[]", max_size=40),
)
page = st.builds(
    lambda lines, seps: "".join(ln + sep for ln, sep in zip(lines, seps, strict=False)),
    st.lists(line, min_size=1, max_size=14),
    st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", " \n"]), min_size=14, max_size=14),
)


# random pages put prompts inside the body on purpose: the warning is expected there
@pytest.mark.filterwarnings("ignore::kzdiscourse.errors.CleaningWarning")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=page, profile=st.sampled_from(["auto", "generic", "ankasam", "dzen"]))
def test_cleaning_accounts_for_every_character(raw, profile):
    res = clean_text(raw, profile=profile, metadata={"author": "Автор Статьи"})
    assert rebuild_raw(res.text, res.removed) == raw
    spans = sorted((r["start"], r["end"]) for r in res.removed)
    assert all(a < b for a, b in spans)
    assert all(prev[1] <= nxt[0] for prev, nxt in itertools.pairwise(spans))
    for s, e, _ in res.paragraphs:
        assert res.text[s:e].strip() == res.text[s:e] != ""
    for cit in res.citations:
        assert 0 <= cit["offset"] <= len(res.text)


# random pages put prompts inside the body on purpose: the warning is expected there
@pytest.mark.filterwarnings("ignore::kzdiscourse.errors.CleaningWarning")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=page)
def test_token_offsets_point_back_to_their_text(raw):
    if not any(ch.isalpha() and "а" <= ch.lower() <= "я" for ch in raw):
        return  # the loader rightly refuses texts without Cyrillic letters
    frame = pd.DataFrame({"doc_id": ["d"], "text": [raw]})
    try:
        corpus = Corpus.from_dataframe(frame, min_cyrillic_share=None).clean(profile="generic")
    except EmptyTextError as exc:  # the documented outcome when everything was boilerplate
        assert "removed the whole text" in str(exc)
        return
    parsed = corpus.parse()
    text = parsed.documents["text"].iloc[0]
    for table in (parsed.paragraphs, parsed.sentences, parsed.tokens):
        for row in table.itertuples():
            assert text[row.start : row.end] == row.text
            assert row.text == row.text.strip() and row.text
    sents = parsed.sentences.set_index("sent_id")
    for tok in parsed.tokens.itertuples():
        sent = sents.loc[tok.sent_id]
        assert sent.start <= tok.start < tok.end <= sent.end
    assert parsed.tokens["tok_id"].tolist() == list(range(len(parsed.tokens)))
