"""Units and vocabulary for topic models: a document-term matrix from the tokens table.

The vocabulary is the **sorted** list of kept lemmas (Python string order, i.e. code
points), and units are ordered by ``doc_id`` order in the corpus, then ``par_id``, then
``sent_id``. Nothing here iterates a ``set`` or a dict keyed by strings to assign ids, so
term ids — and therefore the topics — do not depend on ``PYTHONHASHSEED``.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.topics.vocab import build_dtm
>>> dtm = build_dtm(load_seeds().clean().parse(), unit="paragraph")
>>> dtm.terms == sorted(dtm.terms), dtm.counts.shape[0] == len(dtm.units)
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from kzdiscourse.errors import InputError
from kzdiscourse.parsed import Parsed

__all__ = ["CONTENT_POS", "UNITS", "DocumentTerm", "build_dtm"]

#: Universal POS tags whose lemmas enter topic-model vocabularies by default.
CONTENT_POS: tuple[str, ...] = ("NOUN", "ADJ", "VERB", "PROPN")
#: Unit levels and the id columns that identify one unit.
UNITS: dict[str, tuple[str, ...]] = {
    "document": ("doc_id",),
    "paragraph": ("doc_id", "par_id"),
    "sentence": ("doc_id", "par_id", "sent_id"),
}
# letters, optionally joined by inner hyphens ("северо-запад"); drops "2025", "3-й", "км2"
_WORDLIKE = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")


@dataclass(frozen=True)
class DocumentTerm:
    """A unit × term count matrix with its row and column labels.

    Attributes
    ----------
    unit : str
        ``"document"``, ``"paragraph"`` or ``"sentence"``.
    units : pandas.DataFrame
        One row per unit, in corpus order: the id columns of :data:`UNITS` and
        ``tokens`` (kept vocabulary tokens in the unit; units with 0 are kept here but
        carry no topic information).
    terms : list of str
        The vocabulary, sorted.
    counts : scipy.sparse.csr_matrix
        ``len(units) × len(terms)`` integer counts.
    sequence_unit, sequence_term : numpy.ndarray
        Every kept token in text order: its unit row and its term id (for sliding-window
        coherence, which needs the words in the order they were written).
    vocabulary : pandas.DataFrame
        Every candidate lemma with ``term, tf, df, status`` (``kept``, ``min_df`` or
        ``max_df``): what the filters removed is listed, not lost.
    """

    unit: str
    units: pd.DataFrame
    terms: list[str]
    counts: sparse.csr_matrix
    vocabulary: pd.DataFrame
    sequence_unit: np.ndarray
    sequence_term: np.ndarray

    @property
    def term_frequency(self) -> np.ndarray:
        """Corpus frequency of each kept term."""
        return np.asarray(self.counts.sum(axis=0)).ravel()

    def texts(self) -> list[list[str]]:
        """Each unit as the list of its kept terms in text order (the reference texts for
        coherence)."""
        terms = np.asarray(self.terms, dtype=object)
        bounds = np.searchsorted(self.sequence_unit, np.arange(len(self.units) + 1))
        words = terms[self.sequence_term]
        return [words[bounds[i] : bounds[i + 1]].tolist() for i in range(len(self.units))]

    def bow(self) -> list[list[tuple[int, int]]]:
        """The gensim bag-of-words corpus: for each unit, ``(term_id, count)`` sorted by id."""
        csr = self.counts
        out = []
        for i in range(csr.shape[0]):
            lo, hi = csr.indptr[i], csr.indptr[i + 1]
            out.append(
                list(zip(csr.indices[lo:hi].tolist(), csr.data[lo:hi].tolist(), strict=True))
            )
        return out


def _threshold(value: float, n_units: int, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or value < 0:
        raise InputError(f"{name} must be a non-negative number, got {value!r}")
    if isinstance(value, float) and value <= 1.0:
        return value * n_units
    return float(value)


def build_dtm(
    parsed: Parsed,
    unit: str = "paragraph",
    *,
    pos: Sequence[str] = CONTENT_POS,
    min_df: float = 2,
    max_df: float = 0.5,
    min_length: int = 2,
    drop_stopwords: bool = True,
) -> DocumentTerm:
    """Build the unit × lemma count matrix a topic model is fitted on.

    Parameters
    ----------
    parsed : Parsed
        The parsed corpus.
    unit : {"document", "paragraph", "sentence"}, default "paragraph"
        What counts as one document for the model.
    pos : sequence of str, default ("NOUN", "ADJ", "VERB", "PROPN")
        Universal POS tags whose lemmas are kept.
    min_df : int or float, default 2
        Drop terms found in fewer units: an int is a count, a float ≤ 1 a share of units.
    max_df : int or float, default 0.5
        Drop terms found in more units (a share ≤ 1 as a float, or a count). 0.5 follows
        gensim's ``filter_extremes``: words in most units (the corpus's subject, e.g.
        "казахстан") say nothing about what distinguishes its themes.
    min_length : int, default 2
        Shortest lemma kept, in characters (2 keeps "ес", the EU).
    drop_stopwords : bool, default True
        Drop tokens flagged ``is_stop`` (the bundled ``stopwords_ru`` list).

    Returns
    -------
    DocumentTerm

    Raises
    ------
    InputError
        Unknown ``unit``, or no term survives the filters.
    """
    if unit not in UNITS:
        raise InputError(f"unknown unit {unit!r}", hint=f"use one of: {', '.join(UNITS)}")
    keys = list(UNITS[unit])
    tokens = parsed.tokens
    keep = tokens["pos"].isin(list(pos)).to_numpy(dtype=bool, copy=True)
    if drop_stopwords:
        keep &= ~tokens["is_stop"].to_numpy(dtype=bool)
    words = tokens.loc[keep, [*keys, "tok_id", "lemma"]]
    # lemma checks run once per distinct lemma; pd.factorize numbers lemmas by first
    # appearance (no hashing order leaks out: the vocabulary is sorted below)
    codes, uniques = pd.factorize(words["lemma"].astype(str), sort=False)
    uniques = np.asarray(uniques, dtype=object)
    valid = np.array(
        [len(u) >= min_length and _WORDLIKE.match(u) is not None for u in uniques], dtype=bool
    )
    row_ok = valid[codes] if len(codes) else np.zeros(0, dtype=bool)
    words = words.loc[row_ok]
    codes = codes[row_ok]
    valid_ids = np.flatnonzero(valid)
    order = sorted(range(valid_ids.size), key=lambda i: uniques[valid_ids[i]])  # str order
    candidates = uniques[valid_ids[order]] if order else np.array([], dtype=object)
    rank = np.full(len(uniques), -1, dtype=np.int64)
    rank[valid_ids[order]] = np.arange(len(order))
    cols = rank[codes]

    # units in corpus order (doc order as in documents, then ids); every unit is listed
    doc_order = {d: i for i, d in enumerate(parsed.doc_ids)}
    if unit == "document":
        units = parsed.documents[["doc_id"]].copy()
    elif unit == "paragraph":
        units = parsed.paragraphs[keys].copy()
    else:
        units = parsed.sentences[keys].copy()
    units["_doc"] = units["doc_id"].map(doc_order)
    units = units.sort_values(["_doc", *keys[1:]], kind="stable").reset_index(drop=True)
    units = units.drop(columns="_doc")
    n_units = len(units)
    if n_units == 0:
        raise InputError("the corpus has no units to fit a topic model on")

    row_index = (
        pd.MultiIndex.from_frame(units[keys]) if len(keys) > 1 else pd.Index(units["doc_id"])
    )
    row_key = pd.MultiIndex.from_frame(words[keys]) if len(keys) > 1 else pd.Index(words["doc_id"])
    rows = row_index.get_indexer(row_key)
    full = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n_units, len(candidates))
    )
    full.sum_duplicates()
    tf = np.asarray(full.sum(axis=0)).ravel()
    df = np.diff(full.tocsc().indptr)
    low = _threshold(min_df, n_units, "min_df")
    high = _threshold(max_df, n_units, "max_df")
    status = np.where(df < low, "min_df", np.where(df > high, "max_df", "kept"))
    vocabulary = pd.DataFrame({"term": candidates.tolist(), "tf": tf, "df": df, "status": status})
    kept = np.flatnonzero(status == "kept")
    if kept.size == 0:
        raise InputError(
            f"no term is left after min_df={min_df} and max_df={max_df} "
            f"({len(candidates)} candidate lemmas in {n_units} {unit} units)",
            hint="lower min_df, raise max_df, or use a smaller unit (paragraph or sentence)",
        )
    counts = full[:, kept].tocsr()
    counts.sort_indices()
    new_id = np.full(len(candidates), -1, dtype=np.int64)
    new_id[kept] = np.arange(kept.size)
    seq_term = new_id[cols]
    order = np.lexsort((words["tok_id"].to_numpy(), rows))
    order = order[seq_term[order] >= 0]
    units["tokens"] = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    return DocumentTerm(
        unit=unit,
        units=units,
        terms=candidates[kept].tolist(),
        counts=counts,
        vocabulary=vocabulary,
        sequence_unit=rows[order].astype(np.int64),
        sequence_term=seq_term[order],
    )
