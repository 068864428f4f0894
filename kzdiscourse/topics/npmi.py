"""c_npmi topic coherence from sliding-window counts made in one numpy pass.

gensim's ``CoherenceModel(coherence="c_npmi")`` slides a window of 10 tokens over every
unit's kept vocabulary tokens and counts, in Python, the windows in which each word and
each pair of words occur (``WordOccurrenceAccumulator``). This module counts the same
windows with arrays and a sparse product and applies gensim's formula in gensim's order of
operations, so the coherences are gensim's to the last bit (tested against
``CoherenceModel`` on the seeds and on UD sentences).

What is counted, exactly as gensim does:

- a unit of ``n`` tokens has ``max(1, n - window + 1)`` windows (a unit shorter than the
  window, even an empty one, is one window); the number of windows of the corpus is the
  denominator of every probability;
- gensim keeps the set of words "in" the window up to date as the window slides: the word
  that leaves on the left is dropped, then the word that enters on the right is added.
  A word that leaves on the left while it also occurs further right in the window is
  therefore dropped until it enters again; the counts here reproduce that, because they
  replay the same drop and add events for every word (the state of a word in a window is
  the last event before it);
- the co-occurrence count of two words is the number of windows holding both, the
  occurrence count of a word the number of windows holding it.

Then for every ordered pair of distinct top words ``(w', w*)`` of a topic (gensim's
``s_one_one`` segmentation), with ``N`` windows and ``ε = 1e-12``::

    npmi = log(((c(w', w*) / N) + ε) / ((c(w') / N) * (c(w*) / N)))
           / -log(c(w', w*) / N + ε)

and the topic's coherence is the mean over its pairs (Röder et al. 2015; Bouma 2009).

Examples
--------
>>> seq_unit = np.array([0, 0, 0, 0, 1, 1])
>>> seq_term = np.array([0, 1, 0, 2, 0, 1])
>>> n_windows, counts = window_counts(seq_unit, seq_term, 2, [0, 1, 2], window=3)
>>> n_windows  # unit 0: windows (0, 1, 0) and (1, 0, 2); unit 1, shorter: one window
3
>>> counts.tolist()  # term 0 left on the left of (0, 1, 0): gensim drops it from (1, 0, 2)
[[2, 2, 0], [2, 3, 1], [0, 1, 1]]
>>> npmi_per_topic([[1, 2], [0, 2]], n_windows, counts, [0, 1, 2]).round(4).tolist()
[0.0, -0.9456]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

__all__ = ["EPSILON", "WINDOW", "npmi_per_topic", "window_counts"]

#: gensim's default window for c_npmi (``SLIDING_WINDOW_SIZES["c_npmi"]``).
WINDOW = 10
#: gensim's ``direct_confirmation_measure.EPSILON``.
EPSILON = 1e-12


def window_counts(
    sequence_unit: np.ndarray,
    sequence_term: np.ndarray,
    n_units: int,
    relevant: Sequence[int] | np.ndarray,
    *,
    window: int = WINDOW,
) -> tuple[int, np.ndarray]:
    """Windows of the corpus and, for the ``relevant`` terms, how many windows hold each
    term and each pair of terms (gensim's sliding-window counts).

    Parameters
    ----------
    sequence_unit, sequence_term : numpy.ndarray
        Every kept token in text order: its unit row (non-decreasing) and its term id
        (:attr:`~kzdiscourse.topics.vocab.DocumentTerm.sequence_unit` and ``sequence_term``).
    n_units : int
        Number of units, including units with no kept token (each is one window).
    relevant : sequence of int
        Distinct term ids to count, in the order of the rows of the result.
    window : int, default 10
        Window length in tokens.

    Returns
    -------
    tuple of (int, numpy.ndarray)
        The number of windows, and an ``r × r`` int64 matrix (``r = len(relevant)``): on
        the diagonal the windows holding the term, off it the windows holding both.
    """
    unit = np.asarray(sequence_unit, dtype=np.int64)
    term = np.asarray(sequence_term, dtype=np.int64)
    relevant = np.asarray(relevant, dtype=np.int64)
    if window < 1:
        raise ValueError(f"window must be a positive number of tokens, got {window}")
    if len(np.unique(relevant)) != len(relevant):
        raise ValueError("relevant term ids must be distinct")
    lengths = np.bincount(unit, minlength=n_units)
    windows_of = np.maximum(1, lengths - window + 1)  # per unit
    first_window = np.concatenate([[0], np.cumsum(windows_of)[:-1]])
    n_windows = int(windows_of.sum())
    unit_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])

    column = np.full(int(max(term.max(initial=-1), relevant.max(initial=-1))) + 1, -1)
    column[relevant] = np.arange(len(relevant))
    token_column = column[term]
    kept = np.flatnonzero(token_column >= 0)
    u = unit[kept]
    col = token_column[kept]
    position = kept - unit_start[u]
    last = windows_of[u] - 1  # index of the unit's last window

    # Every occurrence at position p is added when it enters on the right (window
    # p - window + 1, or the first window) and dropped when it leaves on the left (window
    # p + 1, if the unit has one). A word's state in a window is its last event there;
    # at one window the drop comes before the add, as in gensim.
    add_at = np.maximum(0, position - window + 1)
    drops = position + 1 <= last
    ev_unit = np.concatenate([u, u[drops]])
    ev_col = np.concatenate([col, col[drops]])
    ev_time = np.concatenate([add_at, position[drops] + 1])
    ev_add = np.concatenate([np.ones(len(u), dtype=np.int8), np.zeros(int(drops.sum()), np.int8)])
    ev_last = np.concatenate([last, last[drops]])
    order = np.lexsort((ev_add, ev_time, ev_col, ev_unit))
    ev_unit, ev_col, ev_time, ev_add, ev_last = (
        a[order] for a in (ev_unit, ev_col, ev_time, ev_add, ev_last)
    )
    # an add holds the word from its window up to the word's next event in the unit
    same_next = np.zeros(len(ev_unit), dtype=bool)
    same_next[:-1] = (ev_unit[1:] == ev_unit[:-1]) & (ev_col[1:] == ev_col[:-1])
    end = ev_last + 1
    end[:-1] = np.where(same_next[:-1], ev_time[1:], end[:-1])
    is_add = ev_add == 1
    start = first_window[ev_unit[is_add]] + ev_time[is_add]
    span = (end[is_add] - ev_time[is_add]).astype(np.int64)
    held_col = ev_col[is_add]

    total = int(span.sum())
    rows = np.repeat(start - np.cumsum(span) + span, span) + np.arange(total)
    cols = np.repeat(held_col, span)
    held = sparse.csr_matrix(
        (np.ones(total, dtype=np.int64), (rows, cols)), shape=(n_windows, len(relevant))
    )
    counts = (held.T @ held).toarray().astype(np.int64)
    return n_windows, counts


def npmi_per_topic(
    topics: Sequence[Sequence[int]],
    n_windows: int,
    counts: np.ndarray,
    relevant: Sequence[int] | np.ndarray,
) -> np.ndarray:
    """c_npmi of each topic from :func:`window_counts`, in gensim's order of operations.

    Parameters
    ----------
    topics : sequence of sequence of int
        Each topic's top term ids (every one among ``relevant``).
    n_windows, counts :
        What :func:`window_counts` returned for ``relevant``.
    relevant : sequence of int
        The term id of each row of ``counts``.

    Returns
    -------
    numpy.ndarray
        One coherence per topic: the mean NPMI over the topic's ordered pairs of distinct
        positions (``nan`` for a topic of fewer than two terms, as in gensim).
    """
    row_of = {int(t): i for i, t in enumerate(relevant)}
    num_docs = float(n_windows)
    out = np.empty(len(topics), dtype=float)
    for k, topic in enumerate(topics):
        try:
            rows = np.array([row_of[int(t)] for t in topic], dtype=np.int64)
        except KeyError as err:
            raise ValueError(f"topic {k} has term id {err.args[0]} outside `relevant`") from None
        m = len(rows)
        first, second = np.nonzero(~np.eye(m, dtype=bool))  # (w', w*) in gensim's order
        w_prime, w_star = rows[first], rows[second]
        co_occur = counts[w_prime, w_star]
        with np.errstate(divide="ignore", invalid="ignore"):
            numerator = (co_occur / num_docs) + EPSILON
            denominator = (counts[w_prime, w_prime] / num_docs) * (
                counts[w_star, w_star] / num_docs
            )
            ratio = np.log(numerator / denominator)
            sims = ratio / (-np.log(co_occur / num_docs + EPSILON))
            out[k] = np.mean(sims) if m > 1 else np.nan
    return out
