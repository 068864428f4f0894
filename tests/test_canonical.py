"""The canonical text form of floats: what every written table carries, on every machine."""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kzdiscourse.canonical import (
    RELATIVE_TOLERANCE,
    SIGNIFICANT_DIGITS,
    canonical,
    canonical_float,
    canonical_table,
    ranking,
)
from kzdiscourse.report import format_number, table_to_csv, table_to_latex, table_to_markdown

#: The two values of one stance_profile cell on two CPUs (issue 13).
ON_AVX512, ON_AVX2 = 0.22261187967223123, 0.22261187967220758

finite = st.floats(allow_nan=False, allow_infinity=False)


def test_the_two_machines_of_the_issue_write_the_same_text():
    table = lambda v: pd.DataFrame({"group": ["ANKASAM"], "value": [v]})  # noqa: E731
    assert table_to_csv(table(ON_AVX512)) == table_to_csv(table(ON_AVX2))
    assert table_to_csv(table(ON_AVX512)) == b"group,value\nANKASAM,0.22261188\n"


def test_rounding_rules_worked_by_hand():
    assert canonical_float(1 / 3) == 0.33333333
    assert canonical_float(2 / 3) == 0.66666667
    assert canonical_float(123.456789012) == 123.45679
    assert canonical_float(-0.000123456789) == -0.00012345679
    assert canonical_float(6.02214076e23 * 1.0000000001) == 6.0221408e23
    assert canonical_float(1e-300 / 3) == 3.3333333e-301
    # counts stay exact, however many digits; beyond 2**53 every float is integral
    assert canonical_float(123456789.0) == 123456789.0
    assert canonical_float(123456789.4) == 123456789.0  # to units, not to 123456790
    assert canonical_float(9999999.94) == 9999999.9
    assert canonical_float(9999999.96) == 10000000.0
    assert canonical_float(float(2**53 + 2)) == 9.0071993e15
    assert math.copysign(1.0, canonical_float(-0.0)) == 1.0
    assert math.isnan(canonical_float(float("nan")))
    assert canonical_float(float("-inf")) == float("-inf")


@given(finite)
def test_canonical_is_idempotent_close_and_short(x):
    c = canonical_float(x)
    assert canonical_float(c) == c
    if x == 0:
        assert c == 0
        return
    assert abs(c - x) <= 0.5 * RELATIVE_TOLERANCE * abs(x) * 1.0000001
    if not 1e7 <= abs(c) < 2.0**53:  # there: rounded to units, so counts stay exact
        digits = repr(c).split("e")[0].replace("-", "").replace(".", "").strip("0")
        assert len(digits) <= SIGNIFICANT_DIGITS


@given(finite, st.integers(min_value=1, max_value=8))
def test_a_last_bits_difference_moves_the_text_by_one_unit_at_most_and_keeps_the_order(x, n):
    y = x
    for _ in range(n):
        y = math.nextafter(y, math.inf)
    if not math.isfinite(y) or min(abs(x), abs(y)) < sys.float_info.min:
        return  # around zero a relative form cannot absorb an absolute difference
    cx, cy = canonical_float(x), canonical_float(y)
    assert cx <= cy  # monotone: rounding never reverses two values
    # equal, or neighbours: one unit in the 8th significant digit apart
    assert cy - cx <= RELATIVE_TOLERANCE * max(abs(cx), abs(cy)) * (1 + 1e-9)


def test_arrays_and_tables():
    assert canonical([0.1 + 0.2, np.nan, -0.0]).tolist()[::2] == [0.3, 0.0]
    assert canonical(np.zeros((2, 0))).shape == (2, 0)
    table = pd.DataFrame(
        {
            "term": ["газ", "виза"],
            "n": np.array([3, 4], dtype="int64"),
            "share": [0.1 + 0.2, 1 / 3],
            "nullable": pd.array([2 / 3, None], dtype="Float64"),
            "mixed": pd.Series([1 / 7, "x"], dtype=object),
            "flag": [True, False],
        }
    )
    out = canonical_table(table)
    assert out.dtypes.to_dict() == table.dtypes.to_dict()
    assert out["share"].tolist() == [0.3, 0.33333333]
    assert out["nullable"][0] == 0.66666667 and out["nullable"].isna().tolist() == [False, True]
    assert out["mixed"].tolist() == [0.14285714, "x"]
    assert table["share"][0] == 0.1 + 0.2  # the input is not changed
    expected = (
        "term,n,share,nullable,mixed,flag\nгаз,3,0.3,0.66666667,0.14285714,True\n"
        "виза,4,0.33333333,,x,False\n"
    )
    assert table_to_csv(table) == expected.encode()


def test_reader_rounding_starts_from_the_canonical_value():
    # 0.0625 is exactly halfway at 3 decimals: one bit more would round up, unless the
    # canonical value (0.0625 again) is what gets rounded
    up = math.nextafter(0.0625, 1.0)
    assert f"{up:.3f}" == "0.063" and f"{0.0625:.3f}" == "0.062"
    assert format_number(up) == format_number(0.0625) == "0.062"
    p = 0.00012345
    assert format_number(math.nextafter(p, 1.0), "p_value") == format_number(p, "p_value")
    table = pd.DataFrame({"share": [up]})
    assert "0.062" in table_to_markdown(table)
    assert "0.062" in table_to_latex(table, "Shares", "s")


def test_ranking_ties_values_equal_as_written_and_breaks_them_by_key():
    weights = [0.014035653531018467, 0.014035653531018469, 0.02, 0.01]
    terms = ["экономический", "безопасность", "визовый", "газ"]
    order = ranking(weights, terms)
    # the first two are one bit apart: equal as written, so "безопасность" comes first
    assert order.tolist() == [2, 1, 0, 3]
    swapped = ranking([weights[1], weights[0], *weights[2:]], terms)
    assert swapped.tolist() == order.tolist()  # the last bits do not matter
    assert ranking([2.0, 1.0, 2.0]).tolist() == [0, 2, 1]  # no key: by position
    assert ranking([2.0, 1.0, np.nan], descending=False).tolist() == [1, 0, 2]
