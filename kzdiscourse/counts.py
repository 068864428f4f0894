"""Count-based tables computed chunk by chunk, for corpora stored on disk.

A measure that only needs counts does not need every token in memory at once: per-chunk
counts are summed, and distinct-value counts are reduced through the set of distinct
``(group, value)`` pairs (bounded by the vocabulary, not by the corpus). The functions here
accept a :class:`~kzdiscourse.Parsed` (one chunk), a
:class:`~kzdiscourse.store.ParsedDataset` (read part by part, only the columns needed) or
any iterable of ``Parsed`` chunks, and give exactly the numbers of the in-memory functions
(:func:`kzdiscourse.measures.summary.corpus_summary`; the ``n``/``total`` of
:func:`kzdiscourse.measures.keyness.keyness_tests`). A document never spans two chunks.
:func:`term_table` is the term occurrence table keyness counts.

Examples
--------
>>> import tempfile
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.counts import corpus_summary, term_counts
>>> from kzdiscourse.store import write_dataset
>>> corpus = load_seeds().clean()
>>> ds = write_dataset(corpus, tempfile.mkdtemp(), chunksize=1)
>>> from_disk = corpus_summary(ds, by="outlet")
>>> from kzdiscourse.measures.summary import corpus_summary as in_memory
>>> from_disk.equals(in_memory(corpus.parse(), by="outlet"))
True
>>> term_counts(ds, by="outlet").columns.tolist()
['group', 'term', 'freq']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed, document_groups

if TYPE_CHECKING:
    from kzdiscourse.store import ParsedDataset

__all__ = ["UNITS", "TermMatrix", "corpus_summary", "term_counts", "term_table"]

#: What :func:`term_table` counts: lemmas, or adjacent lemma pairs within a sentence.
UNITS = ("lemma", "bigram")

_SUMMARY_READ = {
    "tokens": ["doc_id", "norm", "lemma", "pos"],
    "paragraphs": ["doc_id"],
    "sentences": ["doc_id"],
    "references": ["doc_id"],
    "citations": ["doc_id"],
    "removed": ["doc_id"],
}
_TERMS_READ = {
    "tokens": ["doc_id", "par_id", "sent_id", "tok_id", "lemma", "pos", "is_alpha", "is_stop"],
    "paragraphs": ["doc_id"],
    "sentences": ["doc_id"],
    "references": ["doc_id"],
    "citations": ["doc_id"],
    "removed": ["doc_id"],
}


def _chunks(source: Parsed | ParsedDataset | Iterable[Parsed], read: dict) -> Iterator[Parsed]:
    from kzdiscourse.store import ParsedDataset

    if isinstance(source, Parsed):
        yield source
    elif isinstance(source, ParsedDataset):
        for k in range(source.n_parts):
            # documents: metadata only (the texts are the bulk of the table)
            names = source.metadata["parts"][k]["dtypes"]["documents"]
            columns = {**read, "documents": [c for c in names if c != "text"]}
            yield source.parsed_part(k, columns)
    else:
        yield from source


def corpus_summary(
    source: Parsed | ParsedDataset | Iterable[Parsed], by: str = "outlet"
) -> pd.DataFrame:
    """:func:`kzdiscourse.measures.summary.corpus_summary`, reduced over chunks.

    Parameters
    ----------
    source : Parsed, ParsedDataset or iterable of Parsed
        The corpus, whole or in chunks (each document in one chunk).
    by : str, default "outlet"
        Metadata column that defines the groups.

    Returns
    -------
    pandas.DataFrame
        The same table, row for row and value for value, as the in-memory function.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> from kzdiscourse.store import corpus_chunks
    >>> chunks = [c.parse() for c in corpus_chunks(load_seeds().clean(), 1)]
    >>> table = corpus_summary(chunks, by="outlet")
    >>> table.loc[table["level"] == "corpus", "documents"].item()
    2
    """
    from kzdiscourse.measures.summary import map_summary, reduce_summary

    return reduce_summary([map_summary(chunk, by=by) for chunk in _chunks(source, _SUMMARY_READ)])


def term_table(
    parsed: Parsed,
    unit: str = "lemma",
    alpha_only: bool = False,
    drop_stopwords: bool = False,
) -> pd.DataFrame:
    """One row per counted term occurrence: ``doc_id, par_id, sent_id, tok_id, term``.

    Words and numbers count (punctuation and symbols do not); ``alpha_only`` keeps
    alphabetic words only. A bigram is two adjacent counted tokens of one sentence
    (``"lemma lemma"``), so punctuation or a dropped stop word between them breaks it;
    ``tok_id`` is that of its first token.

    Examples
    --------
    >>> from kzdiscourse import load_seeds
    >>> parsed = load_seeds().clean().parse()
    >>> term_table(parsed, "bigram")["term"].iloc[0]
    'казахстанский транзитный'
    """
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", hint=f"use one of {UNITS}")
    tok = parsed.tokens
    mask = ~tok["pos"].isin(["PUNCT", "SYM"])
    if alpha_only:
        mask &= tok["is_alpha"].astype(bool)
    if drop_stopwords:
        mask &= ~tok["is_stop"].astype(bool)
    words = tok.loc[mask, ["doc_id", "par_id", "sent_id", "tok_id", "lemma"]].reset_index(drop=True)
    if unit == "lemma":
        return words.rename(columns={"lemma": "term"})
    nxt = words.shift(-1)
    pair = (
        (nxt["doc_id"] == words["doc_id"])
        & (nxt["sent_id"] == words["sent_id"])
        & (nxt["tok_id"] == words["tok_id"] + 1)
    )
    out = words.loc[pair, ["doc_id", "par_id", "sent_id", "tok_id"]].copy()
    out["term"] = words.loc[pair, "lemma"] + " " + nxt.loc[pair, "lemma"]
    for col in ("par_id", "sent_id", "tok_id"):
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)


def term_counts(
    source: Parsed | ParsedDataset | Iterable[Parsed],
    by: str = "outlet",
    *,
    unit: str = "lemma",
    alpha_only: bool = False,
    drop_stopwords: bool = False,
) -> pd.DataFrame:
    """How often each lemma (or lemma bigram) occurs in each group, reduced over chunks.

    The counts are those :func:`kzdiscourse.measures.keyness.keyness_tests` tests (its
    ``n`` column, and ``total`` summed per group), computed with :func:`term_table` on each
    chunk.

    Parameters
    ----------
    source : Parsed, ParsedDataset or iterable of Parsed
        The corpus, whole or in chunks (each document in one chunk).
    by : str, default "outlet"
        Metadata column that defines the groups.
    unit : {"lemma", "bigram"}
        As in :func:`term_table` (a bigram never crosses a sentence, so never a chunk).
    alpha_only, drop_stopwords : bool
        As in :func:`term_table`.

    Returns
    -------
    pandas.DataFrame
        ``group, term, freq`` (int64), one row per group and term that occurs in it,
        sorted by group and term.

    Examples
    --------
    >>> import pandas as pd
    >>> from kzdiscourse import Corpus
    >>> frame = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Кот видит кота.", "Кот спит."],
    ...                       "kind": ["X", "Y"]})
    >>> chunks = [Corpus.from_dataframe(frame.iloc[[k]]).parse() for k in (0, 1)]
    >>> term_counts(chunks, by="kind").values.tolist()
    [['X', 'видеть', 1], ['X', 'кот', 2], ['Y', 'кот', 1], ['Y', 'спать', 1]]
    """
    parts: list[pd.Series] = []
    for chunk in _chunks(source, _TERMS_READ):
        if chunk.documents.empty:
            continue
        groups = document_groups(chunk.documents, by)
        terms = term_table(chunk, unit, alpha_only=alpha_only, drop_stopwords=drop_stopwords)
        terms["group"] = terms["doc_id"].map(groups.to_dict())
        parts.append(terms.groupby(["group", "term"]).size())
        # fold as we go so memory holds one vocabulary-sized table, not one per chunk
        if len(parts) > 1:
            parts = [pd.concat(parts).groupby(level=[0, 1]).sum()]
    if not parts:
        return pd.DataFrame({"group": [], "term": [], "freq": pd.Series(dtype="int64")})
    counts = parts[0].rename("freq").reset_index()
    counts["group"] = counts["group"].astype(object)
    counts["term"] = counts["term"].astype(object)
    counts["freq"] = counts["freq"].astype("int64")
    return counts.sort_values(["group", "term"], kind="mergesort").reset_index(drop=True)


class TermMatrix:
    """How often each term occurs in each group and paragraph: the counts keyness tests.

    Built once from a term occurrence table (:func:`term_table` with ``doc_id`` and
    ``par_id``); every group's counts, paragraph counts and Gries' DP then come from sparse
    matrices, so the cost grows with the occurrences plus terms × groups, not with their
    product times the paragraphs.

    Parameters
    ----------
    terms : pandas.DataFrame
        ``doc_id, par_id, term``, one row per occurrence.
    groups : pandas.Series
        ``doc_id`` → group label (every document of ``terms``).

    Attributes
    ----------
    vocab : numpy.ndarray
        The terms, sorted.
    labels : list of str
        The groups, sorted.
    counts : scipy.sparse.csc_matrix of shape (terms, groups)
    n_group : numpy.ndarray
        Counted units per group.
    pooled : numpy.ndarray
        Count of every term in the whole corpus.

    Examples
    --------
    >>> terms = pd.DataFrame({"doc_id": ["a", "a", "b"], "par_id": [0, 1, 0],
    ...                       "term": ["газ", "газ", "нефть"]})
    >>> m = TermMatrix(terms, pd.Series({"a": "A", "b": "B"}))
    >>> m.vocab.tolist(), m.counts.toarray().tolist(), m.n_group.tolist()
    (['газ', 'нефть'], [[2.0, 0.0], [0.0, 1.0]], [2.0, 1.0])
    >>> m.dispersion(0, np.array([0]))   # газ is spread like the text in A: DP 0
    (array([2]), array([0.]))
    """

    def __init__(self, terms: pd.DataFrame, groups: pd.Series) -> None:
        from scipy import sparse

        self.labels = sorted(set(groups.tolist()))
        term_code, vocab = pd.factorize(terms["term"], sort=True)
        self.vocab = np.asarray(vocab, dtype=object)
        # paragraphs ranked as the string "doc_id\x1fpar_id" sorts (the order DP sums in)
        pars = terms[["doc_id", "par_id"]].drop_duplicates()
        key = pars["doc_id"].astype(str) + "\x1f" + pars["par_id"].astype(str)
        pars = pars.assign(rank=key.rank(method="first").astype(np.int64) - 1)
        par_rank = pd.MultiIndex.from_frame(pars[["doc_id", "par_id"]])
        par_code = pars["rank"].to_numpy()[
            par_rank.get_indexer(pd.MultiIndex.from_frame(terms[["doc_id", "par_id"]]))
        ]
        n_par = len(pars)
        group_of = {g: i for i, g in enumerate(self.labels)}
        par_group = np.empty(n_par, np.int64)
        par_group[pars["rank"].to_numpy()] = pars["doc_id"].map(groups).map(group_of).to_numpy()
        self.par_size = np.bincount(par_code, minlength=n_par).astype(float)
        self.par_group = par_group
        cell, count = np.unique(term_code.astype(np.int64) * n_par + par_code, return_counts=True)
        self.occ_term, self.occ_par = cell // n_par, cell % n_par  # sorted by term, paragraph
        self.occ_count = count.astype(float)
        n_v, n_g = len(self.vocab), len(self.labels)
        occ_group = par_group[self.occ_par]
        self.counts = sparse.csc_matrix(
            (self.occ_count, (self.occ_term, occ_group)), shape=(n_v, n_g)
        )
        self.counts.sum_duplicates()
        self.n_group = np.asarray(self.counts.sum(axis=0)).ravel()
        self.pooled = np.asarray(self.counts.sum(axis=1)).ravel()
        self.group_size = np.bincount(par_group, weights=self.par_size, minlength=n_g)
        self._occ_by_group = np.argsort(occ_group, kind="stable")
        self._occ_bounds = np.searchsorted(occ_group[self._occ_by_group], np.arange(n_g + 1))
        self._target = self._all_dispersions(occ_group)

    def _all_dispersions(self, occ_group: Any) -> Any:
        """Paragraph count and DP of every (term, group) with an occurrence, all groups in
        one grouped pass over the occurrences ordered group by group (each (group, term)
        sums its occurrences in paragraph order, as a group-by-group loop would)."""
        rows = self._occ_by_group
        n_v = len(self.vocab)
        group = occ_group[rows].astype(np.int64)
        t = self.occ_term[rows].astype(np.int64)
        c = self.occ_count[rows]
        s = self.par_size[self.occ_par[rows]] / self.group_size[group]
        key = group * n_v + t
        f = pd.Series(c).groupby(key).transform("sum").to_numpy()
        by_key = pd.Series(np.abs(c / f - s) - s).groupby(key)
        part = by_key.sum()
        keys = part.index.to_numpy(dtype=np.int64)
        sizes = np.bincount(keys // n_v, minlength=len(self.labels)) if n_v else np.zeros(0)
        return {
            "term": keys % n_v if n_v else np.empty(0, np.int64),
            "bounds": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            "paragraphs": by_key.size().to_numpy(dtype=np.int64),
            "dp": np.maximum(0.5 * (1.0 + part.to_numpy()), 0.0),
        }

    def dispersion(self, group: int, term_codes: Any) -> tuple[Any, Any]:
        """(paragraphs, DP) of ``term_codes`` within group ``group``; 0 and ``nan`` for a
        term the group does not use."""
        t = self._target
        lo, hi = t["bounds"][group], t["bounds"][group + 1]
        own = t["term"][lo:hi]
        at = np.searchsorted(own, term_codes)
        found = (at < own.size) & (own[np.minimum(at, own.size - 1)] == term_codes)
        paragraphs = np.where(found, t["paragraphs"][lo:hi][np.minimum(at, hi - lo - 1)], 0)
        dp = np.where(found, t["dp"][lo:hi][np.minimum(at, hi - lo - 1)], np.nan)
        return paragraphs.astype(np.int64), dp

    def rest_dispersion(self, group: int, term_codes: Any) -> tuple[Any, Any]:
        """(paragraphs, DP) of ``term_codes`` (sorted) over every paragraph outside ``group``.

        With two groups this is the other group's own dispersion. With more, Σ|v_i − s_i|
        over the rest is the sum over all paragraphs minus the group's own, both at the
        rest's normalisation: with ``r_i = c_i / p_i`` (the term's share of paragraph
        ``i``), ``|c_i/F − p_i/T| = (p_i/F)|r_i − F/T|``, summed from prefix sums of the
        paragraphs sorted by ``r`` (one binary search per term)."""
        if len(self.labels) == 2:
            return self.dispersion(1 - group, term_codes)
        own_pars, _ = self.dispersion(group, term_codes)
        total_pars = self._paragraphs_all()[term_codes]
        f_rest = (
            self.pooled[term_codes] - np.asarray(self.counts[term_codes, group].todense())[:, 0]
        )
        t_rest = self.group_size.sum() - self.group_size[group]
        x = np.where(f_rest > 0, f_rest / t_rest, 0.0)
        s_all, p_all = self._abs_sums(term_codes, x)
        s_own, p_own = self._own_abs_sums(group, term_codes, x)
        with np.errstate(invalid="ignore", divide="ignore"):
            dp = 0.5 * (1.0 + (s_all - s_own) / f_rest - (p_all - p_own) / t_rest)
        dp = np.where(f_rest > 0, np.maximum(dp, 0.0), np.nan)
        return (total_pars - own_pars).astype(np.int64), dp

    def _paragraphs_all(self) -> Any:
        if not hasattr(self, "_paragraphs_of_term"):
            self._paragraphs_of_term = np.bincount(self.occ_term, minlength=len(self.vocab))
        return self._paragraphs_of_term

    def _sorted_by_share(self) -> dict[str, Any]:
        if not hasattr(self, "_by_share"):
            p = self.par_size[self.occ_par]
            r = self.occ_count / p
            order = np.lexsort((r, self.occ_term))
            starts = np.searchsorted(self.occ_term[order], np.arange(len(self.vocab) + 1))
            p_sorted, c_sorted = p[order], self.occ_count[order]
            self._by_share = {
                "r": r[order],
                "starts": starts,
                "cum_p": np.concatenate([[0.0], np.cumsum(p_sorted)]),
                "cum_c": np.concatenate([[0.0], np.cumsum(c_sorted)]),
            }
        return self._by_share

    def _abs_sums(self, term_codes: Any, x: Any) -> tuple[Any, Any]:
        """Σ p_i |r_i − x| and Σ p_i over every paragraph using each term."""
        s = self._sorted_by_share()
        lo, hi = s["starts"][term_codes], s["starts"][term_codes + 1]
        # rows of the term with r <= x: a binary search within the term's run
        key = term_codes * 2.0 + x  # r <= 1 < 2, so runs do not overlap
        split = np.searchsorted(self.occ_term_sorted_key(), key, side="right")
        split = np.clip(split, lo, hi)
        cp, cc = s["cum_p"], s["cum_c"]
        below_p, below_c = cp[split] - cp[lo], cc[split] - cc[lo]
        above_p, above_c = cp[hi] - cp[split], cc[hi] - cc[split]
        return x * below_p - below_c + above_c - x * above_p, cp[hi] - cp[lo]

    def occ_term_sorted_key(self) -> Any:
        """``2 · term + r`` of the occurrences sorted by term and share (a search key)."""
        s = self._sorted_by_share()
        if "key" not in s:
            terms = np.repeat(np.arange(len(self.vocab)), np.diff(s["starts"]))
            s["key"] = terms * 2.0 + s["r"]
        return s["key"]

    def _own_abs_sums(self, group: int, term_codes: Any, x: Any) -> tuple[Any, Any]:
        """Σ p_i |r_i − x| and Σ p_i over the group's own paragraphs using each term."""
        mine = self._occ_by_group[self._occ_bounds[group] : self._occ_bounds[group + 1]]
        t, par, c = self.occ_term[mine], self.occ_par[mine], self.occ_count[mine]
        where = np.searchsorted(term_codes, t)
        inside = (where < term_codes.size) & (
            term_codes[np.minimum(where, term_codes.size - 1)] == t
        )
        p = self.par_size[par[inside]]
        slot = where[inside]
        r = c[inside] / p
        s_own = np.bincount(slot, weights=p * np.abs(r - x[slot]), minlength=term_codes.size)
        p_own = np.bincount(slot, weights=p, minlength=term_codes.size)
        return s_own, p_own
