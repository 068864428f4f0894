"""The fast tokenizer gives razdel's tokens exactly, and parsing the seeds gives the same
tables as before it (sentence and token ids are what gold annotations are keyed to)."""

from __future__ import annotations

import hashlib
import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from razdel import tokenize as razdel_tokenize

from kzdiscourse import nlp
from kzdiscourse.report import table_to_csv
from kzdiscourse.tokenizer import razdel_spans, segment_spans
from kzdiscourse.ud import read_conllu

from conftest import DATA, SHARED

SNAPSHOT = DATA / "seeds_parse"


def reference(text: str) -> list[tuple[int, int]]:
    return [(t.start, t.stop) for t in razdel_tokenize(text)]


def texts(text, spans):
    return [text[a:b] for a, b in spans]


# ------------------------------------------------------------------ hand-made cases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hyphen inside a word, and a number range
        ("военно-политический блок", ["военно-политический", "блок"]),
        ("в 2025-2027 годах", ["в", "2025-2027", "годах"]),
        # decimal comma and fraction join digits; a comma between words does not
        ("рост 4,8% и 1/2 доли", ["рост", "4,8", "%", "и", "1/2", "доли"]),
        # razdel's dash rule looks across the space at the atom before the dash
        ("1 -2", ["1", "-2"]),
        ("а -б", ["а", "-б"]),
        ("- б", ["-", "б"]),
        # ... and its float rule at the atom after the mark
        ("1. 5", ["1.", "5"]),
        # runs of sentence-final marks, double hyphens and smileys stay together
        (
            "Что?! Да... ну -- :) ;((",
            [
                "Что",
                "?!",
                "Да",
                "...",
                "ну",
                "--",
                ":)",
                ";((",
            ],
        ),
        # ":-)" is not a smiley for razdel: ":" + "-" is not a prefix its rule accepts
        ("а :-)", ["а", ":", "-", ")"]),
        ("Yahoo! пишет", ["Yahoo!", "пишет"]),
        # a letter of another script sticks to the letters around it (Kazakh, accents)
        ("Қазақстан және", ["Қазақстан", "және"]),
        ("Але\u0301ской", ["Але\u0301ской"]),
        # Latin and Cyrillic runs that touch are two tokens for razdel
        ("Kaзахстан", ["Ka", "захстан"]),
        # quotes and brackets are tokens of their own
        ("«Астана»,(ЕС).", ["«", "Астана", "»", ",", "(", "ЕС", ")", "."]),
        ("", []),
        (" \n\t ", []),
    ],
)
def test_hand_made_cases_match_razdel(text, expected):
    assert texts(text, reference(text)) == expected  # the reference itself, worked out by hand
    assert texts(text, razdel_spans(text)) == expected
    s, e, _ = segment_spans(text, [0], [len(text)])
    assert texts(text, zip(s.tolist(), e.tolist(), strict=True)) == expected


def test_segments_are_tokenised_as_if_alone():
    text = "цена 1 -2 млн; Yahoo!:) конец"
    cuts = [(0, 6), (6, 9), (10, 21), (22, 27)]  # "цена 1", " -2", "млн; Yahoo!", ":) ко"
    s, e, seg = segment_spans(text, [a for a, _ in cuts], [b for _, b in cuts])
    got = list(zip(s.tolist(), e.tolist(), seg.tolist(), strict=True))
    want = [(a + x, a + y, k) for k, (a, b) in enumerate(cuts) for x, y in reference(text[a:b])]
    assert got == want
    # " -2" alone has no atom before the dash, so "-" and "2" are two tokens
    assert texts(text, [(a, b) for a, b, k in got if k == 1]) == ["-", "2"]


# ------------------------------------------------------------------ parity at scale


def _ud_sentences() -> list[str]:
    files = sorted((SHARED / "data" / "ud").glob("*.conllu")) or [
        DATA / "ud" / "ru_gsd-ud-test.conllu"
    ]
    return [s.text for f in files for s in read_conllu(f)]


def test_every_ud_sentence_gets_razdels_tokens():
    sentences = _ud_sentences()
    disagree = [t for t in sentences if razdel_spans(t) != reference(t)]
    assert len(sentences) >= 600
    assert disagree == []
    # all sentences in one text, one segment each: the vectorised path
    joined = "\n".join(sentences)
    starts = np.cumsum([0] + [len(t) + 1 for t in sentences[:-1]])
    s, e, _ = segment_spans(joined, starts, starts + [len(t) for t in sentences])
    want = [
        (a + x, a + y)
        for a, t in zip(starts.tolist(), sentences, strict=True)
        for x, y in reference(t)
    ]
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == want


ALPHABET = (
    "абвЁёЯ zZyahooYAHOO019٣ \n\t.,!?…;:-‑–—−_/\\()[]{}«»“”„\"'‘’*=+@#$%&^`|~№<>"
    "ΔσәғқңөұүһіҚ\u0301\u00ad\u200b\u2028😀🇰🇿\U0001d7ceKſ"
)
nasty = st.text(alphabet=ALPHABET, max_size=60) | st.lists(
    st.sampled_from(
        [
            "yahoo!",
            ":)",
            ";((",
            "=)",
            ":-)",
            "1.5",
            "2,5",
            "3/4",
            "a-b",
            " -x",
            "x- ",
            "--",
            "**",
            "...",
            "?!",
            "Казахстан",
            "ЕС–Россия",
            "_",
            "1 .5",
            "№1",
            " ",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=nasty, cuts=st.lists(st.integers(0, 80), max_size=6))
def test_property_same_tokens_as_razdel(text, cuts):
    expected = reference(text)
    assert razdel_spans(text) == expected
    s, e, _ = segment_spans(text, [0], [len(text)])
    assert list(zip(s.tolist(), e.tolist(), strict=True)) == expected
    # random segments, each tokenised as if alone
    bounds = sorted({0, len(text), *[min(c, len(text)) for c in cuts]})
    pairs = list(itertools.pairwise(bounds))
    s, e, seg = segment_spans(text, [a for a, _ in pairs], [b for _, b in pairs])
    want = [(a + x, a + y, k) for k, (a, b) in enumerate(pairs) for x, y in reference(text[a:b])]
    assert list(zip(s.tolist(), e.tolist(), seg.tolist(), strict=True)) == want


# ------------------------------------------------------------------ the seeds, unchanged


# pipeline version 1's patterns (frozen copies): URLs and e-mails, dash-joined words
_V1_URL_HINT = re.compile(r"https?:|www\.|@")
_V1_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"”]*[^\s<>«»\"”.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_V1_DASH = re.compile(r"[–—]")
_V1_DASHED_WORDS = re.compile(r"[^\W\d_][\w-]*(?:[–—][^\W\d_][\w-]*)+")


def _old_tokenize(text: str) -> list[tuple[int, int]]:
    """kzdiscourse.nlp.tokenize as it was with razdel (pipeline version 1), for comparison."""
    if not _V1_URL_HINT.search(text):
        spans = reference(text)
    else:
        spans, pos = [], 0
        for m in _V1_URL.finditer(text):
            spans += [(pos + a, pos + b) for a, b in reference(text[pos : m.start()])]
            spans.append((m.start(), m.end()))
            pos = m.end()
        spans += [(pos + a, pos + b) for a, b in reference(text[pos:])]
    out = []
    for a, b in spans:
        token = text[a:b]
        if ("–" in token or "—" in token) and len(token) > 2 and _V1_DASHED_WORDS.fullmatch(token):
            cursor = a
            for m in _V1_DASH.finditer(token):
                out += [(cursor, a + m.start()), (a + m.start(), a + m.end())]
                cursor = a + m.end()
            out.append((cursor, b))
        else:
            out.append((a, b))
    return out


def test_tokenize_matches_the_razdel_pipeline_on_every_seed_sentence(parsed):
    for text in parsed.sentences["text"]:
        assert nlp.tokenize(text) == _old_tokenize(text), text


def test_seed_tables_are_unchanged(parsed):
    """Sentence and token ids and offsets, and the full tables' bytes, as version 1 made them."""
    info = json.loads((SNAPSHOT / "digest.json").read_text())
    assert info["pipeline_version"] == nlp.PIPELINE_VERSION
    sents = pd.read_csv(SNAPSHOT / "sentences.csv")
    toks = pd.read_csv(SNAPSHOT / "tokens.csv")
    pd.testing.assert_frame_equal(
        parsed.sentences[list(sents.columns)].reset_index(drop=True), sents, check_dtype=False
    )
    pd.testing.assert_frame_equal(
        parsed.tokens[list(toks.columns)].reset_index(drop=True), toks, check_dtype=False
    )
    for name, digest in info["sha256_csv"].items():
        table = getattr(parsed, name)
        assert hashlib.sha256(table_to_csv(table)).hexdigest() == digest, name
