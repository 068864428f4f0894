"""Dictionary: loading (native YAML, quanteda YAML, LIWC .dic), lemma/glob/multi-word
matching, the overlap rule, and agreement with a brute-force oracle."""

from __future__ import annotations

import fnmatch
import hashlib

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzdiscourse as kzd
from kzdiscourse.dictionary import MATCH_COLUMNS, Dictionary
from kzdiscourse.errors import ColumnError, InputError, ResourceError


def parse(*texts: str):
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    return kzd.Corpus.from_dataframe(frame).parse()


def hits(d: Dictionary, parsed, scope: str = "category") -> dict[str, int]:
    return d.match(parsed, scope=scope)["category"].value_counts().to_dict()


def test_one_lemma_entry_catches_every_inflected_form():
    parsed = parse("Санкции против России. Санкциями не запугать. О санкциях говорят все.")
    m = Dictionary.from_dict({"sanctions": ["санкция"]}).match(parsed)
    assert m["text"].tolist() == ["Санкции", "Санкциями", "санкциях"]
    assert m["sent_id"].tolist() == [0, 1, 2]
    assert set(m["lemmas"]) == {"санкция"}


def test_multi_word_entries_match_inflected_lemma_sequences():
    parsed = parse("Европейский союз и Европейского союза. Союз писателей молчит.")
    d = Dictionary.from_dict({"eu": ["европейский союз"], "union": ["союз"]})
    m = d.match(parsed)
    eu = m[m["category"] == "eu"]
    assert eu["text"].tolist() == ["Европейский союз", "Европейского союза"]
    assert eu["n_tokens"].tolist() == [2, 2]
    # scope="category": each category resolves its own overlaps, so «союз» counts for
    # "union" three times; scope="dictionary": the longer EU matches take two of them
    assert hits(d, parsed) == {"eu": 2, "union": 3}
    assert hits(d, parsed, scope="dictionary") == {"eu": 2, "union": 1}


def test_globs_star_and_question_mark():
    parsed = parse("Евросоюз, Еврокомиссия и Европа. Евразия далеко. Нефть и нефтяной рынок.")
    assert hits(Dictionary.from_dict({"eu": ["евро*"]}), parsed) == {"eu": 3}
    m = Dictionary.from_dict({"oil": ["нефт?"]}).match(parsed)
    assert m["text"].tolist() == ["Нефть"]  # «?» is one character: not нефтяной


def test_longest_match_wins_and_nothing_counts_twice():
    parsed = parse(
        "Энергетическая безопасность важна. Безопасность и энергетический сектор растут."
    )
    d = Dictionary.from_dict(
        {"x": ["энергетический безопасность", "безопасность", "энергетический"]}
    )
    m = d.match(parsed)
    assert m["text"].tolist() == ["Энергетическая безопасность", "Безопасность", "энергетический"]


def test_overlap_ties_go_to_the_earlier_start_then_the_earlier_entry():
    parsed = parse("Центральная Азия регион сотрудничества.")
    # two 2-word entries overlap on «Азия»: the one starting first wins, whatever the order
    d = Dictionary.from_dict({"x": ["азия регион", "центральный азия"]})
    assert d.match(parsed)["entry"].tolist() == ["центральный азия"]
    # a longer match beats an earlier shorter one
    d = Dictionary.from_dict({"x": ["центральный азия", "азия регион сотрудничество"]})
    assert d.match(parsed)["entry"].tolist() == ["азия регион сотрудничество"]
    # same span, same length: the entry listed first
    d = Dictionary.from_dict({"x": ["евро*", "европа"]})
    assert d.match(parse("Европа."))["entry"].tolist() == ["евро*"]


def test_multi_word_matches_stay_inside_a_sentence_and_skip_punctuation():
    d = Dictionary.from_dict({"x": ["союз договор"], "b": ["очевидный что"]})
    parsed = parse("Это союз. Договор подписан. Очевидно, что так.")
    m = d.match(parsed)
    assert m["category"].tolist() == ["b"]
    assert m["text"].tolist() == ["Очевидно, что"]


def test_match_columns_offsets_and_tokens_table_input():
    parsed = parse("Мы видим Европейского союза позицию.")
    d = Dictionary.from_dict({"eu": ["европейский союз"]})
    m = d.match(parsed)
    assert m.columns.tolist() == MATCH_COLUMNS
    row = m.iloc[0]
    text = parsed.documents["text"].iloc[0]
    assert text[row["start"] : row["end"]] == row["text"] == "Европейского союза"
    assert (row["tok_start"], row["tok_end"]) == (2, 3)
    from_tokens = d.match(parsed.tokens)
    assert from_tokens["text"].tolist() == ["Европейского союза"]  # joined by spaces
    assert from_tokens[["tok_start", "tok_end"]].values.tolist() == [[2, 3]]
    assert d.count(parsed).to_dict("records") == [{"doc_id": "d0", "category": "eu", "hits": 1}]


def test_bad_input_raises_library_errors():
    d = Dictionary.from_dict({"x": ["газ"]})
    with pytest.raises(InputError):
        d.match("not a corpus")
    with pytest.raises(ColumnError):
        d.match(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(InputError):
        d.match(parse("Газ."), scope="nowhere")
    with pytest.raises(ResourceError):
        Dictionary.from_dict({"x": "газ"})
    with pytest.raises(ResourceError):
        Dictionary.from_dict({"x": []})
    assert d.match(parse("Мир.")).empty


def test_native_yaml_keeps_version_sha256_descriptions_and_extra_fields(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nversion: '2.1'\ndescription: test\ncategories:\n"
        "  energy:\n    description: Energy words.\n"
        "    entries: [газ, {pattern: уголь, weight: 2}]\n"
        "  eu: [ЕС, Евросоюз]\n",
        encoding="utf-8",
    )
    d = Dictionary.load(path)
    assert (d.name, d.version) == ("mine", "2.1")
    assert d.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert d.categories == {"energy": "Energy words.", "eu": ""}
    assert d.entries["entry"].tolist() == ["газ", "уголь", "ес", "евросоюз"]  # normalised
    assert d.entries.loc[d.entries["entry"] == "уголь", "weight"].item() == 2
    assert d.manifest_record()["version"] == "2.1"


def test_bundled_resource_carries_the_resource_version_and_hash():
    from kzdiscourse.resources import load_resource

    d = Dictionary.from_resource("frames_ru")
    res = load_resource("frames_ru")
    assert (d.version, d.sha256) == (res.version, res.sha256)
    assert all(desc for desc in d.categories.values())  # every frame documented


def test_quanteda_yaml_import_flattens_nested_keys(tmp_path):
    path = tmp_path / "dict.yml"
    path.write_text(
        "economy:\n  trade:\n    - торговля\n    - экспорт*\n  growth: [экономический рост]\n"
        "eu: [ес, евросоюз]\n",
        encoding="utf-8",
    )
    d = Dictionary.load(path)
    assert list(d.categories) == ["economy.trade", "economy.growth", "eu"]
    parsed = parse("Торговля и экспортные поставки ускоряют экономический рост ЕС.")
    assert hits(d, parsed) == {"economy.trade": 2, "economy.growth": 1, "eu": 1}


def test_liwc_dic_import_with_tabs_spaces_and_multi_word_patterns(tmp_path):
    path = tmp_path / "small.dic"
    path.write_text(
        "%\n1\teu\n2\teconomy\n%\nевро*\t1\nторговля 2\nэкономический рост\t2\nсанкция\t1 2\n",
        encoding="utf-8",
    )
    d = Dictionary.load(path)
    assert d.categories == {"eu": "", "economy": ""}
    by_cat = d.entries.groupby("category")["entry"].apply(list).to_dict()
    assert by_cat == {
        "eu": ["евро*", "санкция"],
        "economy": ["торговля", "экономический рост", "санкция"],
    }
    parsed = parse("Санкции Евросоюза бьют по торговле и экономическому росту.")
    assert hits(d, parsed) == {"eu": 2, "economy": 3}


def test_liwc_without_header_or_with_unknown_id_is_a_resource_error(tmp_path):
    bad = tmp_path / "bad.dic"
    bad.write_text("газ\t1\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="%"):
        Dictionary.load(bad)
    bad.write_text("%\n1\tx\n%\nгаз\t7\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="unknown category id"):
        Dictionary.load(bad)
    with pytest.raises(ResourceError):
        Dictionary.load(tmp_path / "x.txt")


# ------------------------------------------------------------------ oracle
def naive_match(sentences: list[list[str]], entries: list[tuple[str, str]], scope: str):
    """The documented rule, brute force: every candidate, then longest/earliest/category/
    entry order, greedy."""
    cats = list(dict.fromkeys(c for c, _ in entries))
    cands = []
    for s_idx, lemmas in enumerate(sentences):
        for order, (cat, entry) in enumerate(entries):
            pats = entry.split(" ")
            for i in range(len(lemmas) - len(pats) + 1):
                if all(fnmatch.fnmatchcase(lemmas[i + k], p) for k, p in enumerate(pats)):
                    cands.append((s_idx, i, len(pats), cats.index(cat), order, cat, entry))
    key = (lambda c: c[3]) if scope == "category" else (lambda c: 0)
    cands.sort(key=lambda c: (key(c), -c[2], c[0], c[1], c[3], c[4]))
    taken, out = set(), []
    for c in cands:
        cells = {(key(c), c[0], c[1] + k) for k in range(c[2])}
        if not cells & taken:
            taken |= cells
            out.append((c[0], c[1], c[2], c[5], c[6]))
    return sorted(out)


VOCAB = ["газ", "нефть", "уголь", "рынок", "европа", "евросоюз"]


@settings(max_examples=40, deadline=None)
@given(
    sentences=st.lists(
        st.lists(st.sampled_from(VOCAB), min_size=1, max_size=8), min_size=1, max_size=4
    ),
    raw_entries=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.lists(st.sampled_from([*VOCAB, "евро*", "???ь", "*"]), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=6,
    ),
    scope=st.sampled_from(["category", "dictionary"]),
)
def test_matcher_agrees_with_a_brute_force_oracle(sentences, raw_entries, scope):
    entries = list(dict.fromkeys((c, " ".join(p)) for c, p in raw_entries))
    mapping: dict[str, list[str]] = {}
    for c, e in entries:
        mapping.setdefault(c, []).append(e)
    d = Dictionary.from_dict(mapping)
    ordered = list(zip(d.entries["category"], d.entries["entry"], strict=True))
    rows = []
    for s_idx, lemmas in enumerate(sentences):
        for t_idx, lemma in enumerate(lemmas):
            rows.append((s_idx, t_idx, lemma))
    tok_id = list(range(len(rows)))
    tokens = pd.DataFrame(
        {
            "doc_id": "d",
            "sent_id": [r[0] for r in rows],
            "tok_id": tok_id,
            "start": tok_id,
            "end": [t + 1 for t in tok_id],
            "lemma": [r[2] for r in rows],
            "pos": "NOUN",
        }
    )
    got = d.match(tokens, scope=scope)
    first_tok = {s: min(i for i, r in enumerate(rows) if r[0] == s) for s in range(len(sentences))}
    mine = sorted(
        (
            int(r.sent_id),
            int(r.tok_start) - first_tok[int(r.sent_id)],
            int(r.n_tokens),
            r.category,
            r.entry,
        )
        for r in got.itertuples()
    )
    assert mine == naive_match(sentences, ordered, scope)
