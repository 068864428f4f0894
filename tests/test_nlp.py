"""Segmentation, tokenisation and lemmatisation: hand-made cases, the seeds and UD gold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kzdiscourse import Corpus
from kzdiscourse.nlp import Lemmatizer, lemmatize, sentenize, tokenize
from kzdiscourse.ud import lemma_accuracy, read_conllu, sentence_f1

from conftest import DATA, SHARED


def words(text):
    return [text[s:e] for s, e in tokenize(text)]


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        # inflected forms → dictionary lemma, lower case
        (["Казахстана", "Евросоюзом", "санкций"], ["казахстан", "евросоюз", "санкция"]),
        # ё is folded in lemmas, whichever spelling the text uses
        (["ещё", "еще", "ёлки", "партнёрства"], ["еще", "еще", "елка", "партнерство"]),
        # razdel splits "2025 г." into "г" + "."; gold tokenisations keep "г."
        (["г", "г.", "млрд", "тыс"], ["год", "год", "миллиард", "тысяча"]),
        # ordinals and numbers
        (["16-го", "12-й", "14,1", "2025–2027"], ["16-й", "12-й", "14,1", "2025–2027"]),
        # the modal "должен" rather than the rare adjective "должный"
        (["должна", "должны"], ["должен", "должен"]),
        # names the dictionary gets wrong
        (["Токаеву", "Касым-Жомарту"], ["токаев", "касым-жомарт"]),
        # a Latin "K" and "a" typed inside a Cyrillic word
        (["Kaзахстан"], ["казахстан"]),
        # Latin words and URLs are kept, lower-cased
        (["Glencore", "https://tass.ru/X"], ["glencore", "https://tass.ru/x"]),
    ],
)
def test_lemmatize_hand_made_cases(tokens, expected):
    assert lemmatize(tokens) == expected


def test_type_level_cache_analyses_each_form_once():
    lem = Lemmatizer()
    out = lem.analyze(["Казахстан", "казахстан", "КАЗАХСТАН", "ЕС", "ЕС"])
    assert out["lemma"] == ["казахстан"] * 3 + ["ес"] * 2
    assert len(lem) == 2  # two distinct lower-cased forms were analysed


def test_tokenize_keeps_urls_and_splits_dashed_actor_pairs():
    assert words("диалог ЕС–Центральная Азия") == ["диалог", "ЕС", "–", "Центральная", "Азия"]
    assert words("военно-политический блок") == ["военно-политический", "блок"]
    assert words("см. www.euronews.com/business, стр. 2") == [
        "см",
        ".",
        "www.euronews.com/business",
        ",",
        "стр",
        ".",
        "2",
    ]
    assert words("пишите на press@ankasam.org.") == ["пишите", "на", "press@ankasam.org", "."]


def test_sentenize_handles_abbreviations_and_quotes():
    text = "В 2025 г. ЕС ввёл санкции. Он сказал: «Это важно!» И ушёл."
    assert [text[s:e] for s, e in sentenize(text)] == [
        "В 2025 г. ЕС ввёл санкции.",
        "Он сказал: «Это важно!»",
        "И ушёл.",
    ]


def test_token_columns_on_the_seeds(parsed):
    toks = parsed.tokens
    assert list(toks.columns) == [
        "doc_id",
        "par_id",
        "sent_id",
        "tok_id",
        "start",
        "end",
        "text",
        "norm",
        "lemma",
        "pos",
        "tag",
        "is_alpha",
        "is_punct",
        "is_num",
        "is_stop",
        "script",
    ]
    row = toks[toks["text"] == "Астаны"].iloc[0]
    assert (row["lemma"], row["pos"], row["is_stop"]) == ("астана", "PROPN", False)
    assert toks.loc[toks["text"] == "и", "is_stop"].all()
    assert toks.loc[toks["text"] == ".", "pos"].eq("PUNCT").all()
    assert toks.loc[toks["text"] == "Glencore", "script"].eq("latin").all()
    # ids count from 0 within each document and are contiguous
    for _, group in toks.groupby("doc_id"):
        assert group["tok_id"].tolist() == list(range(len(group)))
    for _, group in parsed.sentences.groupby("doc_id"):
        assert group["sent_id"].tolist() == list(range(len(group)))


def test_offsets_index_into_the_cleaned_text(parsed):
    texts = parsed.documents.set_index("doc_id")["text"]
    for table in (parsed.paragraphs, parsed.sentences, parsed.tokens):
        for row in table.itertuples():
            assert texts[row.doc_id][row.start : row.end] == row.text


def test_the_seeds_parse_into_the_expected_sentences(parsed):
    sents = parsed.sentences
    dzen = sents[sents["doc_id"] == "dzen_2025_12"]["text"].tolist()
    assert dzen[0] == "Казахстан – ЕС в декабре 2025 года"
    assert dzen[-1] == "Союзом это назвать нельзя, но и формальным партнёрством — уже тоже."
    lead = sents[(sents["doc_id"] == "ankasam_2025_08") & (sents["role"] == "lead")]
    assert len(lead) == 3  # each lead bullet is one sentence


def test_uncleaned_corpus_gets_paragraphs_and_roles_from_the_text():
    frame = pd.DataFrame(
        {
            "doc_id": ["a"],
            "title": ["Казахстан и ЕС"],
            "text": ["Казахстан и ЕС\n\nПервый абзац. Второе предложение.\n\nТретий абзац."],
        }
    )
    parsed = Corpus.from_dataframe(frame).parse()
    assert parsed.paragraphs["role"].tolist() == ["title", "body", "body"]
    assert parsed.sentences["text"].tolist() == [
        "Казахстан и ЕС",
        "Первый абзац.",
        "Второе предложение.",
        "Третий абзац.",
    ]


@pytest.mark.slow
def test_parallel_parse_gives_identical_tables(cleaned, parsed):
    parallel = cleaned.parse(n_jobs=2)
    for name in ("paragraphs", "sentences", "tokens"):
        pd.testing.assert_frame_equal(getattr(parsed, name), getattr(parallel, name))


# ----------------------------------------------------------------------------- UD gold


def _gsd_test() -> Path:
    return DATA / "ud" / "ru_gsd-ud-test.conllu"


def test_lemma_accuracy_on_ud_gsd_test_holds():
    # GSD test is held out: the disambiguator is trained on Taiga train r2.7, GSD dev and
    # Poetry dev, its settings chosen by cross-validation on them. Measured (gold tokens,
    # ё→е, lower case, PUNCT/NUM/SYM and non-Cyrillic skipped): lemmas 0.9670 in context,
    # 0.9457 without; UPOS 0.9394 in context, 0.9136 without (round 6).
    gold = read_conllu(_gsd_test())
    result = lemma_accuracy(gold)
    without = lemma_accuracy(gold, disambiguate=False, lemmatizer=Lemmatizer())
    assert result["tokens"] == without["tokens"] > 8000
    assert result["accuracy"] >= 0.965
    assert without["accuracy"] >= 0.94
    assert result["accuracy"] - without["accuracy"] >= 0.015
    assert result["upos_accuracy"] - without["upos_accuracy"] >= 0.02


def test_sentence_boundaries_on_ud_gsd_test():
    result = sentence_f1(read_conllu(_gsd_test()))
    assert result["gold"] == 600
    assert result["f1"] >= 0.95  # measured 0.969


@pytest.mark.skipif(not (SHARED / "data" / "ud").is_dir(), reason="../shared not present")
def test_lemma_accuracy_on_taiga_dev_holds():
    # Taiga dev is held out; measured 0.95496 in context (round 6), 0.9306 without (GSD dev is
    # training data now, so it is not measured here)
    gold = read_conllu(SHARED / "data" / "ud" / "ru_taiga-ud-dev.conllu")
    assert lemma_accuracy(gold)["accuracy"] >= 0.953


def test_tokayev_in_every_case_has_one_lemma():
    forms = ["Токаев", "Токаева", "Токаеву", "Токаевым", "Токаеве"]
    assert lemmatize(forms) == ["токаев"] * 5
