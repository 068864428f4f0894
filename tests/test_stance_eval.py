"""evaluate() and krippendorff_alpha() on cases whose values were worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score, f1_score

from kzdiscourse.errors import ColumnError, InputError
from kzdiscourse.stance import evaluate, krippendorff_alpha, load_seed_gold

# --- evaluate(): six sentences worked by hand ------------------------------------------
#
# gold: pro_eu pro_eu balance instrumental none none
# pred: pro_eu balance balance instrumental none pro_eu
#
#            predicted: pro_eu balance instr none   support
# gold pro_eu              1      1       0    0      2
#      balance             0      1       0    0      1
#      instrumental        0      0       1    0      1
#      none                1      0       0    1      2
# n_predicted              2      2       1    1
#
# precision = 1/2, 1/2, 1, 1; recall = 1/2, 1, 1, 1/2
# F1 = 1/2, 2/3, 1, 2/3 -> macro-F1 = (17/6)/4 = 17/24
# accuracy p_o = 4/6; chance p_e = (2*2 + 1*2 + 1*1 + 2*1)/36 = 9/36 = 1/4
# kappa = (2/3 - 1/4) / (3/4) = 5/9
# alpha: pooled values pro_eu 4, balance 3, instrumental 2, none 3 (n = 12); two disagreeing
#   units give 4 off-diagonal coincidences; sum_{c!=k} n_c n_k = 144 - (16+9+4+9) = 106;
#   alpha = 1 - 11 * 4 / 106 = 31/53

GOLD6 = ["pro_eu", "pro_eu", "balance", "instrumental", "none", "none"]
PRED6 = ["pro_eu", "balance", "balance", "instrumental", "none", "pro_eu"]


def test_evaluate_hand_worked_example():
    ev = evaluate(PRED6, GOLD6)
    table = ev.per_label.set_index("label")
    assert list(table.index) == ["pro_eu", "balance", "instrumental", "none"]
    assert table["support"].tolist() == [2, 1, 1, 2]
    assert table["n_predicted"].tolist() == [2, 2, 1, 1]
    assert table["precision"].tolist() == pytest.approx([1 / 2, 1 / 2, 1, 1])
    assert table["recall"].tolist() == pytest.approx([1 / 2, 1, 1, 1 / 2])
    assert table["f1"].tolist() == pytest.approx([1 / 2, 2 / 3, 1, 2 / 3])
    assert ev.macro_f1 == pytest.approx(17 / 24)
    assert ev.accuracy == pytest.approx(4 / 6)
    assert ev.kappa == pytest.approx(5 / 9)
    assert ev.alpha == pytest.approx(31 / 53)
    assert ev.n == 6


def test_evaluate_confusion_tables():
    ev = evaluate(PRED6, GOLD6)
    wide = ev.confusion_matrix()
    assert wide.loc["pro_eu"].tolist() == [1, 1, 0, 0]
    assert wide.loc["none"].tolist() == [1, 0, 0, 1]
    assert int(wide.to_numpy().sum()) == 6
    assert list(ev.confusion.columns) == ["gold", "predicted", "n"]
    assert len(ev.confusion) == 16  # every pair, zeros included
    assert list(ev.summary["measure"]) == [
        "n",
        "accuracy",
        "macro_f1",
        "cohen_kappa",
        "krippendorff_alpha",
    ]


def test_label_never_predicted_has_zero_precision_and_counts_in_macro_f1():
    # gold: balance none none none; pred: none none none none
    # balance: P = 0 (never predicted), R = 0, F1 = 0; none: P = 3/4, R = 1, F1 = 6/7
    # pro_eu and instrumental occur nowhere and are left out of the macro average
    ev = evaluate(["none"] * 4, ["balance", "none", "none", "none"])
    table = ev.per_label.set_index("label")
    assert table.loc["balance", "precision"] == 0
    assert table.loc["none", "f1"] == pytest.approx(6 / 7)
    assert ev.macro_f1 == pytest.approx((0 + 6 / 7) / 2)
    # p_o = 3/4, p_e = (1*0 + 3*4)/16 = 3/4 -> kappa = 0
    assert ev.kappa == pytest.approx(0.0)


def test_binary_case_where_kappa_and_alpha_are_known():
    # 10 units: both "a" 5, a/b 1, b/a 1, both "b" 3 -> each coder 6 a, 4 b
    # kappa: p_o = 0.8, p_e = .6^2 + .4^2 = .52, kappa = .28/.48 = 7/12 (= Scott's pi here)
    # alpha: n = 20, n_a = 12, n_b = 8, off-diagonal coincidences 4,
    #        alpha = 1 - 19 * 4 / (2 * 12 * 8) = 1 - 76/192 = 29/48
    coder1 = list("aaaaaa" + "bbbb")
    coder2 = list("aaaaab" + "bbba")
    ev = evaluate(coder2, coder1, labels=["a", "b"])
    assert ev.kappa == pytest.approx(7 / 12)
    assert ev.alpha == pytest.approx(29 / 48)
    assert krippendorff_alpha([coder1, coder2]) == pytest.approx(29 / 48)


def test_evaluate_aligns_tables_on_keys_not_on_order():
    gold = load_seed_gold()
    shuffled = gold.sample(frac=1.0, random_state=3)
    ev = evaluate(shuffled, gold)
    assert ev.macro_f1 == 1.0 and ev.kappa == 1.0 and ev.alpha == 1.0
    # flip one sentence's label: exactly one error
    wrong = gold.copy()
    first = wrong.index[0]
    wrong.loc[first, "label"] = "none" if gold.loc[first, "label"] != "none" else "pro_eu"
    assert evaluate(wrong.sample(frac=1.0, random_state=1), gold).accuracy == pytest.approx(
        (len(gold) - 1) / len(gold)
    )


def test_evaluate_aligns_series_on_index():
    gold = pd.Series(["balance", "none"], index=["s1", "s2"])
    pred = pd.Series(["none", "balance", "pro_eu"], index=["s2", "s1", "extra"])
    assert evaluate(pred, gold).accuracy == 1.0


def test_evaluate_rejects_bad_input():
    gold = load_seed_gold()
    with pytest.raises(InputError, match="no prediction"):
        evaluate(gold.iloc[1:], gold)
    with pytest.raises(InputError, match="outside the label set"):
        evaluate(["pro-eu"], ["pro_eu"])
    with pytest.raises(InputError, match="gold labels"):
        evaluate(["none", "none"], ["none"])
    with pytest.raises(InputError, match="missing"):
        evaluate([None], ["none"])
    with pytest.raises(ColumnError):
        evaluate(gold.drop(columns="label"), gold)
    with pytest.raises(ColumnError):
        evaluate(gold[["label"]], gold[["label"]])
    with pytest.raises(InputError, match="same kind"):
        evaluate(gold, gold["label"].tolist())
    with pytest.raises(InputError, match="duplicate"):
        evaluate(pd.concat([gold, gold.iloc[:1]]), gold)


label_lists = st.lists(st.sampled_from(["pro_eu", "balance", "instrumental", "none"]), min_size=1)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_evaluate_agrees_with_scikit_learn(data):
    gold = data.draw(label_lists)
    pred = data.draw(
        st.lists(
            st.sampled_from(["pro_eu", "balance", "instrumental", "none"]),
            min_size=len(gold),
            max_size=len(gold),
        )
    )
    ev = evaluate(pred, gold)
    present = sorted(set(gold) | set(pred))
    assert ev.macro_f1 == pytest.approx(
        f1_score(gold, pred, labels=present, average="macro", zero_division=0)
    )
    if len(set(gold) | set(pred)) > 1:
        expected = cohen_kappa_score(gold, pred)
        assert ev.kappa == pytest.approx(expected) or (
            math.isnan(ev.kappa) and math.isnan(expected)
        )


# --- Krippendorff's alpha ----------------------------------------------------------------
#
# Krippendorff's textbook example (4 observers, 12 units, "." = missing):
#   A: 1 2 3 3 2 1 4 1 2 . . .
#   B: 1 2 3 3 2 2 4 1 2 5 . 3
#   C: . 3 3 3 2 3 4 2 2 5 1 .
#   D: 1 2 3 3 2 4 4 1 2 5 1 .
# Unit 12 has one value and is not pairable; n = 40 pairable values.
# Coincidences by hand (o_ck = sum_u n_uc n_uk / (m_u - 1), diagonal n_uc (n_uc - 1)/(m_u - 1)):
#   o11 = 3 (u1) + 2 (u8) + 2 (u11) = 7     o22 = 2 (u2) + 4 (u5) + 4 (u9) = 10
#   o33 = 4 + 4 = 8    o44 = 4    o55 = 3
#   o12 = 1/3 (u6) + 1 (u8) = 4/3   o23 = 1 (u2) + 1/3 (u6) = 4/3
#   o13 = o14 = o24 = o34 = 1/3 (u6)
#   n_c = 9, 13, 10, 5, 3
# nominal: sum of off-diagonal o = 40 - 32 = 8; sum_{c!=k} n_c n_k = 1600 - 384 = 1216
#   alpha = 1 - 39 * 8 / 1216 = 1 - 312/1216 = 0.743
# interval: sum o_ck (c-k)^2 = 2 * (4/3 + 4/3 + 1/3*4 + 1/3*4 + 1/3*9 + 1/3) = 52/3
#   sum n_c n_k (c-k)^2 = 2 * 2240 = 4480; alpha = 1 - 39 * (52/3) / 4480 = 1 - 676/4480 = 0.849
# (Krippendorff reports .743 and .849 for this data.)

N = None
TEXTBOOK = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_alpha_textbook_example_nominal_and_interval():
    assert krippendorff_alpha(TEXTBOOK) == pytest.approx(1 - 312 / 1216)
    assert round(krippendorff_alpha(TEXTBOOK), 3) == 0.743
    assert krippendorff_alpha(TEXTBOOK, level="interval") == pytest.approx(1 - 676 / 4480)
    assert round(krippendorff_alpha(TEXTBOOK, level="interval"), 3) == 0.849


def test_alpha_accepts_arrays_and_frames_with_nan():
    array = np.array([[np.nan if v is None else v for v in row] for row in TEXTBOOK])
    assert krippendorff_alpha(array) == pytest.approx(1 - 312 / 1216)
    frame = pd.DataFrame({f"coder{i}": row for i, row in enumerate(TEXTBOOK)})  # units as rows
    assert krippendorff_alpha(frame) == pytest.approx(1 - 312 / 1216)


def test_alpha_string_labels_and_degenerate_cases():
    codes = [["pro_eu", "none", "balance"], ["pro_eu", "none", "balance"]]
    assert krippendorff_alpha(codes) == 1.0
    assert math.isnan(krippendorff_alpha([["none", "none"], ["none", "none"]]))
    with pytest.raises(InputError):
        krippendorff_alpha([["none", "none"]])
    with pytest.raises(InputError):
        krippendorff_alpha([["a", None], [None, "b"]])  # no unit coded twice
    with pytest.raises(InputError):
        krippendorff_alpha([["a"], ["b"]], level="interval")
    with pytest.raises(InputError):
        krippendorff_alpha([["a"], ["b"]], level="ordinal")
    with pytest.raises(InputError):
        krippendorff_alpha([["a", "b"], ["a"]])


codings_strategy = st.integers(min_value=2, max_value=4).flatmap(
    lambda coders: st.integers(min_value=2, max_value=12).flatmap(
        lambda units: st.lists(
            st.lists(st.sampled_from(["x", "y", "z", None]), min_size=units, max_size=units),
            min_size=coders,
            max_size=coders,
        )
    )
)


def _defined(codings):
    try:
        value = krippendorff_alpha(codings)
    except InputError:
        return None
    return None if math.isnan(value) else value


@settings(max_examples=80, deadline=None)
@given(codings_strategy, st.permutations(["x", "y", "z"]))
def test_alpha_invariant_to_relabelling_and_coder_order(codings, perm):
    base = _defined(codings)
    if base is None:
        return
    mapping = dict(zip(["x", "y", "z"], perm, strict=True))
    relabelled = [[mapping.get(v) if v is not None else None for v in row] for row in codings]
    assert krippendorff_alpha(relabelled) == pytest.approx(base)
    assert krippendorff_alpha(codings[::-1]) == pytest.approx(base)
    # a unit coded by one coder only is not pairable and changes nothing
    extra = [[*row, ("x" if i == 0 else None)] for i, row in enumerate(codings)]
    assert krippendorff_alpha(extra) == pytest.approx(base)
    assert base <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=2))
def test_alpha_two_coders_equals_corrected_scotts_pi(pairs):
    # With two coders and no missing values, 1 - alpha = (2N - 1)/(2N) * (1 - pi) where
    # Scott's pi uses the pooled label distribution of both coders.
    first, second = [p[0] for p in pairs], [p[1] for p in pairs]
    n_units = len(pairs)
    pooled = pd.Series(first + second).value_counts(normalize=True)
    p_e = float((pooled**2).sum())
    if p_e == 1.0:
        return
    p_o = sum(a == b for a, b in pairs) / n_units
    pi = (p_o - p_e) / (1 - p_e)
    expected = 1 - (2 * n_units - 1) / (2 * n_units) * (1 - pi)
    assert krippendorff_alpha([first, second]) == pytest.approx(expected)


def test_accuracy_with_secondary_counts_the_secondary_label():
    gold = pd.DataFrame(
        {
            "item_id": ["a", "b", "c", "d"],
            "label": ["pro_eu", "balance", "instrumental", "none"],
            "secondary": ["balance", None, "pro_eu", None],
        }
    )
    pred = pd.DataFrame(
        {"item_id": ["d", "c", "b", "a"], "label": ["none", "balance", "pro_eu", "balance"]}
    )
    # a: balance = secondary (lenient hit); b: wrong; c: wrong (secondary is pro_eu); d: hit
    ev = evaluate(pred, gold)
    measures = ev.summary.set_index("measure")["value"]
    assert measures["accuracy"] == pytest.approx(1 / 4)
    assert measures["accuracy_with_secondary"] == pytest.approx(2 / 4)
    # plain sequences carry no secondary labels, so the row is absent
    assert "accuracy_with_secondary" not in set(evaluate(["none"], ["none"]).summary["measure"])
