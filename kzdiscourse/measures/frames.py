"""Frames: which policy and domain frames a text uses, how often, and with which words.

The bundled frame dictionary ``frames_ru`` (``kzdiscourse/resources/frames_ru.yaml``) has
nine dimensions adapted from the Policy Frames Codebook (Boydstun et al. 2014) and six
domain frames of Kazakhstan–EU discourse; each is described in one line in the file and in
``Dictionary.from_resource("frames_ru").categories``. Matching is by lemma (see
:mod:`kzdiscourse.dictionary`): one token may count for several frames, never twice for one.

The measure is a :class:`~kzdiscourse.measures.DictionaryMeasure`; its tables are
``frame_rates``, ``frame_tests`` and ``frame_evidence`` (columns in
:mod:`kzdiscourse.measures.dictionary_measure`), and each has a function of the same name.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse.measures import frames
>>> parsed = load_seeds().clean().parse()
>>> table = frames.frame_rates(parsed, by="outlet", n_boot=200)
>>> int(table.query("group == 'Dzen' and category == 'sanctions'")["n"].iloc[0])
0
>>> tests = frames.frame_tests(parsed, by="outlet")
>>> tests.loc[tests["category"] == "energy_green_transition", "higher_in"].item()
'ANKASAM'
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse import stats
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.measures.base import Tables
from kzdiscourse.measures.dictionary_measure import DictionaryMeasure, rates_figure
from kzdiscourse.parsed import Parsed

__all__ = [
    "MEASURE",
    "describe_frames",
    "frame_dictionary",
    "frame_evidence",
    "frame_rates",
    "frame_tests",
]

#: The frames measure of :func:`kzdiscourse.compare`.
MEASURE = DictionaryMeasure(
    "frames",
    "frames_ru",
    prefix="frame",
    noun="frame",
    heading="Frames",
    descriptions={
        "frame_rates": "Frame hits per group (frames_ru dictionary, lemma matching): count n, "
        "per 1,000 word tokens and share of sentences, with 95% bootstrap intervals over "
        "sentences.",
        "frame_tests": "Per-frame log-likelihood (G²) test between groups (two groups: first "
        "vs second; more: each vs the rest), p-value, Benjamini–Hochberg p and log ratio.",
        "frame_evidence": "The matched terms of each frame in each sentence, with the "
        "sentence text.",
    },
    figures=(
        rates_figure(
            "frame_rates", "frame_rates", title="Frames by group", what="Frames", headline=True,
            caption="Frame hits per 1,000 word tokens by group, most frequent frame on top, "
            "with 95% bootstrap intervals over sentences.",
        ),
    ),
)  # fmt: skip


def frame_dictionary() -> Dictionary:
    """The bundled frame dictionary (``frames_ru``)."""
    return Dictionary.from_resource("frames_ru")


def _measure(dictionary: Dictionary | None, block: str, n_boot: int) -> DictionaryMeasure:
    if dictionary is None and block == MEASURE.block and n_boot == MEASURE.n_boot:
        return MEASURE
    return DictionaryMeasure(
        "frames",
        dictionary if dictionary is not None else frame_dictionary(),
        prefix="frame",
        block=block,
        n_boot=n_boot,
    )


def frame_rates(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Frame hits per group: count, rate per 1,000 tokens, share of sentences, 95% CIs.

    Parameters
    ----------
    parsed : Parsed
    by : str, default "outlet"
        Metadata column defining the groups (``"doc_id"`` for one group per document).
    dictionary : Dictionary, optional
        A frame dictionary; the bundled ``frames_ru`` by default.
    block : {"sentence", "paragraph", "document"}, default "sentence"
        What the bootstrap resamples within each group; paragraphs give wider, more
        conservative intervals when neighbouring sentences share a frame.
    seed : int, default 0
    n_boot : int, default 2000

    Returns
    -------
    pandas.DataFrame
        ``group, category, documents, sentences, tokens, n, per_1000, ci_low, ci_high,
        sentences_with, sentence_share, sentence_share_ci_low, sentence_share_ci_high,
        block, n_blocks``: one row per group and frame (zero rows kept), frames in
        dictionary order. Intervals are ``nan`` for a group with one block.
    """
    m = _measure(dictionary, block, n_boot)
    return m.rates(m.matches(parsed), parsed, by=by, seed=seed)


def frame_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """Log-likelihood (G²) test of each frame's frequency between groups.

    Two groups: first against second (sorted); more: each group against the rest. Columns
    ``category, group_a, group_b, n_a, tokens_a, n_b, tokens_b, per_1000_a, per_1000_b, g2,
    p_value, p_bh, log_ratio, higher_in`` (see :func:`kzdiscourse.rates.compare_groups`).
    """
    m = _measure(dictionary, "sentence", 0)
    return m.tests(m.rates(m.matches(parsed), parsed, by=by, seed=0))


def frame_evidence(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """The matched terms of every frame in every sentence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, group, par_id, sent_id, category, n, terms, entries, sentence``: one row
        per sentence and frame with at least one hit; ``n`` hits, ``terms`` the matched
        surface strings and ``entries`` the dictionary patterns that matched them (each
        joined by ``" | "``). Sorted by ``doc_id``, ``sent_id``, then frame order.

    Examples
    --------
    >>> import pandas as pd
    >>> from kzdiscourse import Corpus
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Энергетическая безопасность ЕС и газ."]})
    >>> ev = frame_evidence(Corpus.from_dataframe(docs).parse(), by="doc_id")
    >>> for row in ev[["category", "n", "terms"]].values.tolist():
    ...     print(row)
    ['security_defence', 1, 'безопасность']
    ['energy_green_transition', 2, 'Энергетическая | газ']
    """
    m = _measure(dictionary, "sentence", 0)
    return m.evidence(m.matches(parsed), parsed, by=by)


def describe_frames(tables: Tables, alpha: float = 0.05) -> list[str]:
    """Summary sentences from the ``frame_rates`` and ``frame_tests`` tables.

    One sentence per group naming its most frequent frame (rate and 95% interval), then one
    per frame whose G² test has a Benjamini–Hochberg p below ``alpha`` (at most three, by p),
    or one saying that none does and naming the largest G².

    Examples
    --------
    >>> tests = pd.DataFrame({
    ...     "category": ["economic", "security"], "group_a": ["A", "A"],
    ...     "group_b": ["B", "B"], "n_a": [41, 20], "n_b": [12, 22],
    ...     "per_1000_a": [4.1, 2.0], "per_1000_b": [1.2, 2.2],
    ...     "g2": [9.3, 0.1], "p_value": [0.002, 0.8], "p_bh": [0.004, 0.8],
    ...     "higher_in": ["A", "B"]})
    >>> describe_frames({"frame_rates": pd.DataFrame(), "frame_tests": tests})
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Frame economic: 4.1 per 1,000 word tokens in A (41 hits) vs 1.2 in B (12) (G² = 9.3,
      BH p = 0.004).']
    """
    from kzdiscourse.measures.dictionary_measure import describe_rates

    return describe_rates(
        tables, rates="frame_rates", tests="frame_tests", noun="frame", heading="Frames",
        alpha=alpha,
    )  # fmt: skip
