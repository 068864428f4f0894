"""Keyness of every group in one pass equals the group-by-group computation it replaced:
the DP of every (group, term) from one grouped pass (against the loop over groups), and
the reference looked up once (against one lookup per group), to the last bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kzdiscourse as kzd
from kzdiscourse.counts import TermMatrix, term_table
from kzdiscourse.keyness_statistics import two_sample_g2
from kzdiscourse.measures import keyness
from kzdiscourse.reference import general_russian
from kzdiscourse.stats import adjust_pvalues


def dispersions_group_by_group(matrix: TermMatrix):
    """The previous TermMatrix._all_dispersions: one pandas group-by per group."""
    occ_group = matrix.par_group[matrix.occ_par]
    order = np.argsort(occ_group, kind="stable")
    bounds = np.searchsorted(occ_group[order], np.arange(len(matrix.labels) + 1))
    terms, paragraphs, dps = [], [], []
    for g in range(len(matrix.labels)):
        rows = order[bounds[g] : bounds[g + 1]]
        t = matrix.occ_term[rows]
        c = matrix.occ_count[rows]
        s = matrix.par_size[matrix.occ_par[rows]] / matrix.group_size[g]
        f = pd.Series(c).groupby(t).transform("sum").to_numpy()
        part = pd.Series(np.abs(c / f - s) - s).groupby(t).sum()
        terms.append(part.index.to_numpy(dtype=np.int64))
        paragraphs.append(np.bincount(t, minlength=len(matrix.vocab))[terms[-1]])
        dps.append(np.maximum(0.5 * (1.0 + part.to_numpy()), 0.0))
    sizes = np.array([len(t) for t in terms])
    return {
        "term": np.concatenate(terms),
        "bounds": np.concatenate([[0], np.cumsum(sizes)]),
        "paragraphs": np.concatenate(paragraphs),
        "dp": np.concatenate(dps),
    }


def three_groups():
    # a: "уголь уголь" | "газ нефть"  (two paragraphs);  b: "газ газ нефть";  c: "уголь газ"
    # DP of уголь in a: s = (0.5, 0.5), v = (1, 0) -> 0.5; газ in b: v = s = 1 -> 0
    frame = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "text": ["Уголь уголь.\n\nГаз нефть.", "Газ газ нефть.", "Уголь газ."],
            "side": ["a", "b", "c"],
        }
    )
    parsed = kzd.Corpus.from_dataframe(frame).parse()
    return TermMatrix(term_table(parsed, "lemma"), parsed.groups("side"))


def test_three_groups_by_hand_and_against_the_loop():
    matrix = three_groups()
    assert matrix.vocab.tolist() == ["газ", "нефть", "уголь"]
    coal, gas = 2, 0
    assert matrix.dispersion(0, np.array([coal])) == (np.array([1]), np.array([0.5]))
    assert matrix.dispersion(1, np.array([gas])) == (np.array([1]), np.array([0.0]))
    paragraphs, dp = matrix.dispersion(2, np.array([0, 1, 2]))  # c lacks нефть
    assert paragraphs.tolist() == [1, 0, 1] and np.isnan(dp[1])
    ours, loop = matrix._target, dispersions_group_by_group(matrix)
    for name in ("term", "bounds", "paragraphs", "dp"):
        assert np.asarray(ours[name]).tolist() == np.asarray(loop[name]).tolist(), name
    assert ours["dp"].tobytes() == loop["dp"].tobytes()


@pytest.mark.parametrize("alpha_only", [False, True])
@pytest.mark.parametrize("corpus", ["parsed", "ud_documents"])
def test_documents_dispersions_equal_the_loop(corpus, alpha_only, request):
    parsed = request.getfixturevalue(corpus)
    matrix = TermMatrix(term_table(parsed, "lemma", alpha_only=alpha_only), parsed.groups("doc_id"))
    ours, loop = matrix._target, dispersions_group_by_group(matrix)
    assert len(matrix.labels) >= 2
    for name in ("term", "bounds", "paragraphs"):
        assert np.array_equal(ours[name], loop[name]), name
    assert ours["dp"].tobytes() == loop["dp"].tobytes()


@pytest.mark.parametrize("corpus", ["parsed", "ud_documents"])
def test_documents_reference_columns_equal_one_lookup_per_group(corpus, request):
    parsed = request.getfixturevalue(corpus)
    table = keyness.keyness_tests(parsed, by="doc_id", reference="general_russian")
    ref = general_russian()
    matrix = TermMatrix(term_table(parsed, "lemma", alpha_only=True), parsed.groups("doc_id"))
    groups = table["group"].unique().tolist()
    assert len(groups) >= 2
    for g in groups[:: max(1, len(groups) // 12)]:
        k = matrix.labels.index(g)
        own = matrix.counts[:, k].toarray().ravel()
        n = float(matrix.n_group[k])
        # what each group looked up before: its own terms and the frequent reference terms
        terms = sorted(set(matrix.vocab[own > 0].tolist()) | set(ref.frequent(3 / n)))
        rows = table[table["group"] == g].sort_values("term", kind="mergesort")
        assert rows["term"].tolist() == terms
        want = 1000.0 * ref.proportions(terms)
        assert rows["per_1000_ref"].to_numpy().tobytes() == want.tobytes()
        assert (
            rows["n"].to_numpy()
            == np.array(
                [
                    own[matrix.vocab.tolist().index(t)] if t in set(matrix.vocab.tolist()) else 0.0
                    for t in terms
                ]
            )
        ).all()


def test_documents_corrections_equal_the_whole_family_computed_term_by_term(ud_documents):
    # the family's p-values are computed once per distinct pooled count for the terms a
    # group does not use; recompute every family member directly and correct as before
    table = keyness.keyness_tests(ud_documents, by="doc_id")
    matrix = TermMatrix(term_table(ud_documents, "lemma"), ud_documents.groups("doc_id"))
    family = np.flatnonzero(matrix.pooled >= 3)
    big_n = float(matrix.n_group.sum())
    for k in (0, 13, 39):
        g = matrix.labels[k]
        own = matrix.counts[:, k].toarray().ravel()
        n = float(matrix.n_group[k])
        p = two_sample_g2(own[family], n, matrix.pooled[family] - own[family], big_n - n)
        assert (own[family] == 0).sum() > 2 * (own[family] > 0).sum()  # mostly unused
        bh = dict(zip(matrix.vocab[family], adjust_pvalues(p, "bh"), strict=True))
        bonf = dict(zip(matrix.vocab[family], adjust_pvalues(p, "bonferroni"), strict=True))
        rows = table[(table["group"] == g) & table["tested"]]
        assert len(rows) > 0 and (rows["family_size"] == family.size).all()
        want_bh = np.array([bh[t] for t in rows["term"]])
        want_bonf = np.array([bonf[t] for t in rows["term"]])
        assert rows["p_bh"].to_numpy().tobytes() == want_bh.tobytes()
        assert rows["p_bonferroni"].to_numpy().tobytes() == want_bonf.tobytes()


def test_documents_rows_in_the_order_of_a_term_sort_then_group_reference_z(ud_documents):
    # rows are no longer sorted by term before the (group, reference, z) sort: each group's
    # rows arrive in term order; the order must be what the two sorts gave
    from kzdiscourse.canonical import canonical

    table = keyness.keyness_tests(ud_documents, by="doc_id")
    resorted = table.sort_values("term", kind="mergesort")
    resorted = resorted.assign(_z=canonical(resorted["z"])).sort_values(
        ["group", "reference", "_z"], ascending=[True, True, False], kind="mergesort"
    )
    assert resorted.index.tolist() == list(range(len(table)))
    # ties in z within a group are broken by term
    tied = table[table.duplicated(["group", "z"], keep=False)]
    assert len(tied) > 100
    for _, rows in tied.groupby(["group", "z"], sort=False):
        assert rows["term"].tolist() == sorted(rows["term"].tolist())
