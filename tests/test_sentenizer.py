"""The fast sentence splitter gives razdel's sentences exactly (razdel stays the reference)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from razdel import sentenize as razdel_sentenize

from kzdiscourse import load_seeds
from kzdiscourse.layout import segment_paragraphs
from kzdiscourse.sentenizer import sentence_spans
from kzdiscourse.ud import read_conllu

from conftest import DATA, SHARED


def reference(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.stop) for s in razdel_sentenize(text)]


def test_hand_made_cases():
    # worked out by hand from razdel's rules: an abbreviation (т.е., г.), initials,
    # a list item, a lower-case continuation, a closing quote, whitespace only
    cases = {
        "Т.е. это так. Да.": ["Т.е. это так.", "Да."],
        "В 2025 г. ЕС ввёл санкции. Нет.": ["В 2025 г. ЕС ввёл санкции.", "Нет."],
        "А. С. Пушкин пишет. Да.": ["А. С. Пушкин пишет.", "Да."],
        "1. Первое. 2. Второе.": ["1. Первое.", "2. Второе."],
        "Он сказал... и ушёл. Всё.": ["Он сказал... и ушёл.", "Всё."],
        "«Мы пришли.» Потом ушли.": ["«Мы пришли.»", "Потом ушли."],
    }
    for text, want in cases.items():
        assert [text[a:b] for a, b in sentence_spans(text)] == want
        assert sentence_spans(text) == reference(text)
    assert sentence_spans("   ") == reference("   ") == [(0, 0)]
    assert sentence_spans("") == reference("") == [(0, 0)]


def _ud_texts() -> list[str]:
    """Every UD sentence alone, and every UD document (its sentences joined by spaces)."""
    files = sorted((SHARED / "data" / "ud").glob("*.conllu")) or [
        DATA / "ud" / "ru_gsd-ud-test.conllu"
    ]
    docs: dict[str, list[str]] = {}
    for f in files:
        for s in read_conllu(f):
            docs.setdefault(s.doc_id, []).append(s.text)
    sentences = [t for texts in docs.values() for t in texts]
    return sentences + [" ".join(texts) for texts in docs.values()]


def test_every_ud_document_and_seed_paragraph_is_split_as_razdel_splits_it():
    texts = _ud_texts()
    for doc in load_seeds().documents["text"]:
        texts += [doc[a:b] for a, b in segment_paragraphs(doc)]
    assert len(texts) >= 600
    disagree = [t[:80] for t in texts if sentence_spans(t) != reference(t)]
    assert disagree == []


ALPHABET = "абвЁёЯ zZ019 \n\t.,!?…;:-–—_()[]{}«»“”„\"'‘’=гтдсвАВСIVXM§"
PIECES = [
    "т.е.",
    "т. е.",
    "г.",
    "др.",
    "и т.д.",
    "А.",
    "1.",
    "2)",
    "iv.",
    ":)",
    ";((",
    "=(",
    "...",
    "?!",
    "».",
    ".»",
    '."',
    '" ',
    ")",
    " — ",
    " – да",
    "Казахстан",
    "казахстан",
    " ",
    "\n",
]
texts = st.text(alphabet=ALPHABET, max_size=80) | st.lists(
    st.sampled_from(PIECES), max_size=16
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_property_same_sentences_as_razdel(text):
    assert sentence_spans(text) == reference(text)
