"""Context disambiguation of pymorphy3's readings: hand-checked sentences, invariants on UD
gold text, the packaged model file, training determinism and the parse plumbing."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdiscourse import Corpus
from kzdiscourse.cache import ParseCache
from kzdiscourse.disambiguation import (
    default_disambiguator,
    lemmatization_info,
    load_model,
    save_model,
)
from kzdiscourse.disambiguation.model import MODEL_FILE, best_rows
from kzdiscourse.disambiguation.readings import (
    ReadingCache,
    agreement_mask,
    string_hash,
    ud_conventions,
)
from kzdiscourse.disambiguation.training import (
    new_model,
    train_logit,
    train_perceptron,
    training_data,
)
from kzdiscourse.nlp import Lemmatizer, lemmatize
from kzdiscourse.report import table_to_csv
from kzdiscourse.ud import read_conllu

from conftest import DATA


@pytest.mark.parametrize(
    ("sentence", "word", "without", "with_context"),
    [
        # possessive «его/их/ее» before a noun (DET, lemma kept) vs the personal pronoun
        ("Его книга лежит на столе .", "Его", ("он", "PRON"), ("его", "DET")),
        ("Я видел его вчера .", "его", ("он", "PRON"), ("он", "PRON")),
        ("Их дом стоит у реки .", "Их", ("они", "PRON"), ("их", "DET")),
        ("Ее брат приехал .", "Ее", ("она", "PRON"), ("ее", "DET")),
        # «стоит» of a house is «стоять», not «стоить» (to cost)
        ("Их дом стоит у реки .", "стоит", ("стоить", "VERB"), ("стоять", "VERB")),
        # «пришли» after a subject is «прийти», not the imperative of «прислать»
        ("Мы уже пришли .", "пришли", ("прислать", "VERB"), ("прийти", "VERB")),
        # «мыл» is the verb «мыть», not a form of «мыло» (soap)
        ("Он мыл руки .", "мыл", ("мыло", "NOUN"), ("мыть", "VERB")),
        # «этом» before a noun is the determiner «этот»
        ("В этом году цены выросли .", "этом", ("это", "PRON"), ("этот", "DET")),
        # «все» before a plural noun is «весь»
        ("Все люди пришли .", "Все", ("все", "PART"), ("весь", "DET")),
        # unambiguous readings are never touched
        ("Они стали сильнее .", "стали", ("стать", "VERB"), ("стать", "VERB")),
        # a preposition's variants share its lemma (UD writes «во», «об»): a dictionary
        # pattern «в …» or «отношение с» matches «во …», «отношения со …»
        ("Во время визита он молчал .", "Во", ("в", "ADP"), ("в", "ADP")),
        ("Он говорил об этом .", "об", ("о", "ADP"), ("о", "ADP")),
        ("Отношения со странами ЕС .", "со", ("с", "ADP"), ("с", "ADP")),
        # UD's conventions, in context only: the substantive «то» / «все» is a pronoun,
        # the determiner stays «тот» / «весь» …
        ("Он говорил о том , что устал .", "том", ("тот", "DET"), ("то", "PRON")),
        ("В том году цены выросли .", "том", ("тот", "DET"), ("тот", "DET")),
        ("Это важно прежде всего для бизнеса .", "всего", ("весь", "DET"), ("все", "PRON")),
        # … and a short superlative is its own lemma
        ("Это лучшие практики .", "лучшие", ("хороший", "ADJ"), ("лучший", "ADJ")),
        # a woman's surname and patronymic are her own (UD), a man's genitive stays his
        (
            "Брифинг Марии Захаровой прошёл вчера .",
            "Захаровой",
            ("захаров", "PROPN"),
            ("захарова", "PROPN"),
        ),
        (
            "Анна Алексеевна вошла в комнату .",
            "Алексеевна",
            ("алексеевич", "PROPN"),
            ("алексеевна", "PROPN"),
        ),
        (
            "Заявление Лаврова вызвало критику .",
            "Лаврова",
            ("лавров", "PROPN"),
            ("лавров", "PROPN"),
        ),
        # a comparative adverb is the positive adverb, or its own lemma where UD keeps it
        ("Такие встречи проходят всё чаще .", "чаще", ("частый", "ADJ"), ("часто", "ADV")),
        ("Он приехал раньше всех .", "раньше", ("ранний", "ADJ"), ("раньше", "ADV")),
        # … but never a positive the dictionary does not mean: «скорее» (rather) ≠ «скоро»
        (
            "Речь идёт скорее о расширении влияния .",
            "скорее",
            ("скорее", "SCONJ"),
            ("скорее", "ADV"),
        ),
    ],
)
def test_context_changes_the_reading_where_it_should(sentence, word, without, with_context):
    tokens = sentence.split()
    k = tokens.index(word)
    lem = Lemmatizer()
    plain = lem.analyze(tokens, disambiguate=False)
    chosen = lem.analyze(tokens)
    assert (plain["lemma"][k], plain["pos"][k]) == without
    assert (chosen["lemma"][k], chosen["pos"][k]) == with_context


def test_ud_conventions_on_hand_made_analyses():
    # prepositions are left alone: «со» stays «с»
    prep = [
        ("с", "ADP", "PREP Vpre", 0.99),
        ("со", "NOUN", "NOUN,inan,femn,Fixd,Abbr sing,nomn", 0.01),
    ]
    assert ud_conventions("со", prep) == (prep, False)
    # a masculine form of «тот» gets no «то»; plural forms of «весь» get «все»
    masc = [("тот", "DET", "ADJF,Subx,Apro,Anph masc,sing,gent", 1.0)]
    assert ud_conventions("того", masc) == (masc, False)
    plural = [("весь", "DET", "ADJF,Subx,Apro plur,gent", 1.0)]
    assert ud_conventions("всех", plural)[0][1] == ("все", "PRON", plural[0][2], 1.0)
    # a superlative off the list keeps pymorphy3's lemma (UD is not consistent there)
    newest = [("новый", "ADJ", "ADJF,Supr,Qual plur,gent", 1.0)]
    assert ud_conventions("новейших", newest) == (newest, False)
    assert ud_conventions("худших", [("плохой", "ADJ", "ADJF,Supr,Qual plur,gent", 1.0)])[0] == [
        ("худший", "ADJ", "ADJF,Supr,Qual plur,gent", 1.0)
    ]
    # a feminine surname or patronymic gets the woman's lemma; a masculine one is left alone
    fem = "NOUN,anim,femn,Sgtm,Surn sing,gent"
    assert ud_conventions("захаровой", [("захаров", "PROPN", fem, 1.0)]) == (
        [("захарова", "PROPN", fem, 1.0)],
        True,
    )
    masc = [("захаров", "PROPN", "NOUN,anim,masc,Sgtm,Surn sing,gent", 1.0)]
    assert ud_conventions("захарова", masc) == (masc, False)
    assert ud_conventions("вишневской", [("вишневский", "PROPN", fem, 1.0)])[0][0][0] == (
        "вишневская"
    )
    patr = "NOUN,anim,femn,Patr sing,nomn"
    assert ud_conventions("ивановна", [("иванович", "PROPN", patr, 1.0)])[0][0][0] == "ивановна"
    # a comparative keeps the adjective and gains the adverbs: the positive and itself …
    comp = [("частый", "ADJ", "COMP,Qual", 1.0)]
    assert [a[:2] for a in ud_conventions("чаще", comp)[0]] == [
        ("частый", "ADJ"),
        ("часто", "ADV"),
        ("чаще", "ADV"),
    ]
    # … but no positive where pymorphy3 has the form as a lemma (скорее: rather, not скоро)
    rather = [("скорее", "SCONJ", "CONJ,Prnt", 0.5), ("скорый", "ADJ", "COMP,Qual", 0.5)]
    assert [a[0] for a in ud_conventions("скорее", rather)[0]] == ["скорее", "скорый", "скорее"]


def test_a_word_with_an_abbreviation_period_is_analysed_as_parse_sees_it():
    # parse() splits the period off ("А. С. Пушкин" → А . С . Пушкин); gold tokens keep it
    lem = Lemmatizer()
    assert lem.analyze(["А.", "С.", "Пушкин"], disambiguate=False)["lemma"][:2] == ["а", "с"]
    assert lemmatize(["и", "т.", "д."], disambiguate=False)[1:] == ["так", "далее"]
    assert lemmatize(["в", "2020", "г."], disambiguate=False)[2] == "год"


def test_without_context_every_form_gets_its_first_analysis():
    tokens = ["Он", "мыл", "руки", ",", "а", "их", "дом", "стоит", "у", "реки", "уже", "давно", "."]
    lem = Lemmatizer()
    first = [lem.reading(lem.analyses(t.lower())[0])[0] for t in tokens]
    assert lemmatize(tokens, disambiguate=False) == first


@pytest.fixture(scope="module")
def gsd_sentences():
    return read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_every_chosen_reading_is_one_of_pymorphy3s(gsd_sentences, data):
    sent = data.draw(st.sampled_from(gsd_sentences))
    forms = [t[0] for t in sent.tokens]
    lem = Lemmatizer()
    out = lem.analyze(forms)
    for form, lemma, pos, tag in zip(forms, out["lemma"], out["pos"], out["tag"], strict=True):
        found = lem.candidates(form.lower())
        # pymorphy3's analyses, or the readings UD's conventions add to them
        allowed = {a[:3] for a in found} | {a[:3] for a in ud_conventions(form.lower(), found)[0]}
        assert (lemma, pos, tag) in allowed


def test_gold_token_sentences_are_independent_of_their_neighbours(gsd_sentences):
    # a sentence is lemmatised the same alone or after another one: context stops at the
    # sentence boundary
    a, b = gsd_sentences[3], gsd_sentences[4]
    forms_a = [t[0] for t in a.tokens]
    forms_b = [t[0] for t in b.tokens]
    lem = Lemmatizer()
    lower = [f.lower() for f in forms_a + forms_b]
    codes, uniques = pd.factorize(pd.Series(lower, dtype=object))
    fcodes, funiques = pd.factorize(pd.Series(forms_a + forms_b, dtype=object))
    table = lem.type_table([str(u) for u in uniques], keep=True)
    sent = np.repeat([0, 1], [len(forms_a), len(forms_b)])
    table, rows = lem.in_context(
        table, [str(u) for u in uniques], codes, [str(u) for u in funiques], fcodes, sent
    )
    together = table["lemma"][rows].tolist()
    assert together == lem.analyze(forms_a)["lemma"] + lem.analyze(forms_b)["lemma"]


# ambiguous forms (two parts of speech, UD conventions, a superlative), forms with one
# reading and a punctuation mark
_FORMS = ["стали", "мира", "уже", "того", "всего", "лучших", "её", "стол", "книга", ","]


def test_reading_hashes_are_the_hashed_attributes():
    # Reading.hashes hashes the tag-level attributes once per tag; it must give exactly
    # the hashes of Reading.attributes, which the model was trained on
    lem = Lemmatizer()
    cache = ReadingCache(0.005)
    checked = 0
    for form in _FORMS:
        entry = cache.get(form, lem.candidates)
        for rank, reading in enumerate(entry.readings):
            for freq in ((5.1, 0.0), (2.3, -1.2), (0.0, -4.0)):
                expected = [
                    string_hash(f"{k}={v}") for k, v in reading.attributes(form, rank, freq).items()
                ]
                assert reading.hashes(form, rank, freq) == expected
                checked += 1
    assert checked > 30


def test_reading_cache_tables_hold_each_forms_values():
    lem = Lemmatizer()
    cache = ReadingCache(0.005)
    first = cache.ids(_FORMS[:4], lem.candidates)
    cache.tables()  # rows filled for the first forms, then more forms arrive
    ids = cache.ids(_FORMS[::-1], lem.candidates)
    assert ids[::-1][:4].tolist() == first.tolist()
    assert sorted(ids.tolist()) == list(range(len(_FORMS)))
    context, n_read, masks = cache.tables()
    for form, i in zip(_FORMS[::-1], ids.tolist(), strict=True):
        entry = cache.get(form, lem.candidates)
        assert entry is cache.entry(i)
        assert context[i].tolist() == list(entry.context)
        assert n_read[i] == len(entry.cand)
        assert masks[i] == entry.type_mask
    assert n_read[ids[_FORMS[::-1].index("стали")]] >= 2
    assert n_read[ids[_FORMS[::-1].index("книга")]] == 0


def test_agreement_masks():
    # a feminine singular nominative noun agrees with a feminine past-tense verb only
    noun = agreement_mask("NOUN,inan,femn sing,nomn")
    assert noun & agreement_mask("VERB,perf,intr femn,sing,past,indc")
    assert not noun & agreement_mask("VERB,perf,intr masc,sing,past,indc")
    # a plural adjective in the genitive agrees with a plural genitive noun
    assert agreement_mask("ADJF,Qual plur,gent") & agreement_mask("NOUN,inan,masc plur,gent")


def test_best_rows_takes_the_first_of_equal_scores():
    scores = np.array([1.0, 3.0, 3.0, 0.5, -1.0, 2.0])
    start = np.array([0, 3, 4, 6])
    assert best_rows(scores, start).tolist() == [1, 3, 5]


# ---------------------------------------------------------------------- the packaged model


def test_packaged_model_records_its_training_data():
    model = default_disambiguator()
    info = model.info
    files = {(t["treebank"], t["split"]): t for t in info["treebanks"]}
    # no test split, and neither held-out set (GSD test, Taiga dev)
    assert set(files) == {
        ("UD_Russian-Taiga", "train"),
        ("UD_Russian-GSD", "dev"),
        ("UD_Russian-Poetry", "dev"),
    }
    taiga = files["UD_Russian-Taiga", "train"]
    assert taiga["commit"] == "445b06171246417ae52da5b989d6ee619c112177"
    assert taiga["sentences"] == 3138 and taiga["tokens"] == 43557
    # the GSD dev file is the one in ../shared (and tests/data has GSD test only)
    assert files["UD_Russian-GSD", "dev"]["sha256"] == (
        "e3e3d4e8d1d7544e531b2b81ae64257efacc97f93276ce6d2ce52fd1de052fa2"
    )
    # the digest names the weights the file holds
    assert info["weights_digest"] == hashlib.sha256(model.weights.tobytes()).hexdigest()
    assert lemmatization_info()["weights_digest"] == info["weights_digest"]


def test_model_file_round_trips_to_the_same_bytes(tmp_path):
    from importlib import resources

    packaged = resources.files("kzdiscourse.resources").joinpath(MODEL_FILE).read_bytes()
    with zipfile.ZipFile(io.BytesIO(packaged)) as zf:
        assert sorted(zf.namelist()) == ["index.npy", "meta.json", "value.npy"]
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
    model = load_model()
    out = tmp_path / "model.zip"
    save_model(out, model.weights, model.meta)
    assert out.read_bytes() == packaged


def test_a_model_for_other_templates_is_refused(tmp_path):
    from kzdiscourse.errors import ResourceError

    model = load_model()
    out = tmp_path / "model.zip"
    save_model(out, model.weights, {**model.meta, "templates_digest": "0" * 64})
    with pytest.raises(ResourceError, match="retrain"):
        load_model(out)


# ---------------------------------------------------------------------------- training

_SAMPLE = """# text = Его книга лежит на столе.
1\tЕго\tего\tDET\t_\t_\t2\tdet\t_\t_
2\tкнига\tкнига\tNOUN\t_\t_\t3\tnsubj\t_\t_
3\tлежит\tлежать\tVERB\t_\t_\t0\troot\t_\t_
4\tна\tна\tADP\t_\t_\t5\tcase\t_\t_
5\tстоле\tстол\tNOUN\t_\t_\t3\tobl\t_\tSpaceAfter=No
6\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_

# text = Я видел его вчера.
1\tЯ\tя\tPRON\t_\t_\t2\tnsubj\t_\t_
2\tвидел\tвидеть\tVERB\t_\t_\t0\troot\t_\t_
3\tего\tон\tPRON\t_\t_\t2\tobj\t_\t_
4\tвчера\tвчера\tADV\t_\t_\t2\tadvmod\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_

# text = Все люди пришли домой.
1\tВсе\tвесь\tDET\t_\t_\t2\tdet\t_\t_
2\tлюди\tчеловек\tNOUN\t_\t_\t3\tnsubj\t_\t_
3\tпришли\tприйти\tVERB\t_\t_\t0\troot\t_\t_
4\tдомой\tдомой\tADV\t_\t_\t3\tadvmod\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_
"""


def test_gold_readings_match_lemma_and_upos():
    sentences = read_conllu(_SAMPLE)
    data = training_data(sentences, new_model(bits=16, min_share=0.005))
    tokens = data.batch.tokens.tolist()
    gold = {
        (tokens[k], r.lemma, r.upos)
        for k, r, g in zip(
            data.batch.row_token.tolist(), data.batch.readings, data.gold, strict=True
        )
        if g
    }
    # token 0 «Его» (DET его), token 8 «его» (PRON он), token 11 «Все» (DET весь),
    # token 13 «пришли» (VERB прийти)
    assert {(0, "его", "DET"), (8, "он", "PRON"), (11, "весь", "DET")} <= gold
    assert (13, "прийти", "VERB") in gold
    assert data.usable.all()


def test_training_is_deterministic_and_learns_the_sample():
    sentences = read_conllu(_SAMPLE)
    model = new_model(bits=16, min_share=0.005)
    data = training_data(sentences, model)
    w1, b1 = train_logit(model, [data], l2=0.1)
    w2, b2 = train_logit(model, [data], l2=0.1)
    assert np.array_equal(w1, w2) and b1 == b2
    p1 = train_perceptron(model, [data], epochs=3, seed=7)
    assert np.array_equal(p1, train_perceptron(model, [data], epochs=3, seed=7))
    model.weights, model.share_weight = w1, b1
    lem = Lemmatizer(disambiguator=model)
    for sent in sentences:
        forms = [t[0] for t in sent.tokens]
        assert lem.analyze(forms)["lemma"] == [t[1].lower() for t in sent.tokens]


# ------------------------------------------------------------------------------ parsing


def test_parse_records_and_honours_disambiguate(cleaned):
    part = cleaned.subset(cleaned.doc_ids[:1])
    on = part.parse()
    off = part.parse(disambiguate=False)
    assert on.lemmatization["disambiguation"] is True
    assert off.lemmatization == {"disambiguation": False}
    same = ["doc_id", "par_id", "sent_id", "tok_id", "start", "end", "text", "norm", "is_alpha"]
    pd.testing.assert_frame_equal(on.tokens[same], off.tokens[same])
    changed = on.tokens["lemma"] != off.tokens["lemma"]
    assert changed.any()
    # only forms with several readings change, or whose reading UD's conventions rewrite
    lem = Lemmatizer()
    for form in on.tokens.loc[changed, "text"].str.lower().unique():
        found = lem.candidates(form)
        assert len({a[:2] for a in found}) > 1 or ud_conventions(form, found)[1], form


def test_parse_cache_keys_differ_with_disambiguation(tmp_path):
    assert ParseCache.fingerprint(True) != ParseCache.fingerprint(False)
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["Их дом стоит у реки."]})
    corpus = Corpus.from_dataframe(frame)
    cache = ParseCache(tmp_path)
    on = corpus.parse(cache=cache)
    off = corpus.parse(cache=cache, disambiguate=False)
    assert cache.last_stats["misses"] == 1  # not served the other setting's parse
    assert on.tokens["lemma"].tolist()[:3] == ["их", "дом", "стоять"]
    assert off.tokens["lemma"].tolist()[:3] == ["они", "дом", "стоить"]


# ------------------------------------------------------------------- every engine, both ways


@pytest.fixture(scope="module")
def ud_sample() -> Corpus:
    """The first 240 GSD test sentences without stress marks, 8 to a document (stress marks
    are the one place where version 3 without context differs from version 2 by design)."""
    sentences = [
        s.text
        for s in read_conllu(DATA / "ud" / "ru_gsd-ud-test.conllu")
        if not re.search("[\u0300\u0301]", s.text)
    ][:240]
    docs = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    frame = pd.DataFrame({"doc_id": [f"d{k:02d}" for k in range(len(docs))], "text": docs})
    return Corpus.from_dataframe(frame)


def _digest(frame: pd.DataFrame) -> str:
    return hashlib.sha256(table_to_csv(frame)).hexdigest()


def test_without_context_the_tables_are_those_of_version_2(cleaned, ud_sample):
    # digests of the tokens tables that main made before disambiguation was merged
    info = json.loads((DATA / "seeds_parse" / "digest.json").read_text("utf-8"))
    before = info["without_context"]["sha256_csv"]
    assert _digest(cleaned.parse(disambiguate=False).tokens) == before["seeds_tokens"]
    assert _digest(ud_sample.parse(disambiguate=False).tokens) == before["ud_sample_tokens"]
    # … and with context they are not (the flag reaches the lemmatiser)
    assert _digest(ud_sample.parse().tokens) != before["ud_sample_tokens"]


@pytest.mark.parametrize("disambiguate", [True, False])
def test_every_engine_gives_the_same_tables(ud_sample, cleaned, tmp_path, disambiguate):
    from concurrent.futures import Future

    from kzdiscourse.engine import concat_tables, iter_parse, work_items
    from kzdiscourse.store import write_dataset

    reference = ud_sample.parse(disambiguate=disambiguate)

    def same(tables) -> None:
        for name, table in zip(("paragraphs", "sentences", "tokens"), tables, strict=True):
            pd.testing.assert_frame_equal(table, getattr(reference, name), check_exact=True)

    def submit(fn, *args):  # the worker path (per-call caches, analyses passed along), here
        future = Future()
        future.set_result(fn(*args))
        return future

    items = list(work_items(ud_sample))
    kw = {"disambiguate": disambiguate, "chunk_chars": 1500}  # about two documents a chunk
    same(concat_tables(iter_parse(items, lemmatizer=Lemmatizer(), **kw)))
    same(concat_tables(iter_parse(items, lemmatizer=Lemmatizer(), submit=submit, **kw)))
    # the parse cache: every document a miss, then every one a hit
    cache = ParseCache(tmp_path / "cache")
    for misses in (len(items), 0):
        got = ud_sample.parse(cache=cache, disambiguate=disambiguate)
        assert cache.last_stats["misses"] == misses
        same((got.paragraphs, got.sentences, got.tokens))
        assert got.lemmatization == reference.lemmatization
    # the streaming dataset writer
    ds = write_dataset(ud_sample, tmp_path / "ds", chunksize=7, disambiguate=disambiguate)
    back = ds.to_parsed()
    same((back.paragraphs, back.sentences, back.tokens))
    assert back.lemmatization == reference.lemmatization
    assert ds.metadata["parameters"]["disambiguate"] is disambiguate
    assert reference.lemmatization["disambiguation"] is disambiguate


@pytest.mark.slow
def test_two_worker_processes_give_the_same_tables_both_ways(ud_sample):
    from kzdiscourse.engine import concat_tables, iter_parse, work_items

    items = list(work_items(ud_sample))
    for disambiguate in (True, False):
        kw = {"disambiguate": disambiguate, "chunk_chars": 1500}
        serial = concat_tables(iter_parse(items, lemmatizer=Lemmatizer(), **kw))
        pooled = concat_tables(iter_parse(items, lemmatizer=Lemmatizer(), n_jobs=2, **kw))
        for a, b in zip(serial, pooled, strict=True):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
