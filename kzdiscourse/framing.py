"""Frames: which policy and domain frames a text uses, how often, and with which words.

The bundled frame dictionary ``frames_ru`` (``kzdiscourse/resources/frames_ru.yaml``) has
nine dimensions adapted from the Policy Frames Codebook (Boydstun et al. 2014) and six
domain frames of Kazakhstan–EU discourse; each is described in one line in the file and in
``Dictionary.from_resource("frames_ru").categories``. Matching is by lemma (see
:mod:`kzdiscourse.dictionary`): one token may count for several frames, never twice for one.

Metadiscourse (hedges, boosters, …) lives in :mod:`kzdiscourse.metadiscourse` and is
re-exported here as :func:`metadiscourse`.

Examples
--------
>>> from kzdiscourse import load_seeds
>>> from kzdiscourse import framing
>>> parsed = load_seeds().clean().parse()
>>> table = framing.frames(parsed, by="outlet", n_boot=200)
>>> row = table.query("group == 'Dzen' and frame == 'sanctions'")
>>> int(row["hits"].iloc[0])
0
>>> tests = framing.frame_tests(parsed, by="outlet")
>>> tests.loc[tests["frame"] == "energy_green_transition", "higher_in"].item()
'ANKASAM'
"""

from __future__ import annotations

import pandas as pd

from kzdiscourse import stats
from kzdiscourse.dictionary import Dictionary
from kzdiscourse.metadiscourse import metadiscourse, metadiscourse_evidence, metadiscourse_tests
from kzdiscourse.parsed import Parsed
from kzdiscourse.rates import compare_groups, rate_table

__all__ = [
    "EVIDENCE_COLUMNS",
    "describe_frames",
    "frame_dictionary",
    "frame_evidence",
    "frame_tests",
    "frames",
    "metadiscourse",
    "metadiscourse_evidence",
    "metadiscourse_tests",
]

#: Columns of :func:`frame_evidence`.
EVIDENCE_COLUMNS = [
    "doc_id",
    "group",
    "par_id",
    "sent_id",
    "frame",
    "hits",
    "terms",
    "entries",
    "sentence",
]


def frame_dictionary() -> Dictionary:
    """The bundled frame dictionary (``frames_ru``)."""
    return Dictionary.from_resource("frames_ru")


def _matches(parsed: Parsed, dictionary: Dictionary | None) -> tuple[Dictionary, pd.DataFrame]:
    d = dictionary if dictionary is not None else frame_dictionary()
    return d, d.match(parsed, scope="category")


def frames(
    parsed: Parsed,
    by: str = "outlet",
    *,
    dictionary: Dictionary | None = None,
    block: str = "sentence",
    seed: int = 0,
    n_boot: int = stats.BOOTSTRAP_REPLICATES,
) -> pd.DataFrame:
    """Frame hits per group: counts, rate per 1,000 tokens, share of sentences, 95% CIs.

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
        ``group, frame, documents, sentences, tokens, hits, per_1000, per_1000_ci_low,
        per_1000_ci_high, sentences_with, sentence_share, sentence_share_ci_low,
        sentence_share_ci_high, block, n_blocks``: one row per group and frame (zero rows
        kept), frames in dictionary order. Intervals are ``nan`` for a group with one block.
    """
    d, m = _matches(parsed, dictionary)
    return rate_table(
        m, parsed, by, list(d.categories), "frame", block=block, seed=seed, n_boot=n_boot
    )


def frame_tests(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """Log-likelihood (G²) test of each frame's frequency between groups.

    Two groups: first against second (sorted); more: each group against the rest. See
    :func:`kzdiscourse.rates.compare_groups` for the columns (``frame, group_a, group_b,
    hits_a, tokens_a, hits_b, tokens_b, per_1000_a, per_1000_b, g2, p_value, p_bh,
    log_ratio, higher_in``).
    """
    d, m = _matches(parsed, dictionary)
    rates = rate_table(m, parsed, by, list(d.categories), "frame", n_boot=0)
    return compare_groups(rates, "frame")


def evidence_by_sentence(
    matches: pd.DataFrame, parsed: Parsed, by: str, label: str
) -> pd.DataFrame:
    """Matches collapsed to one row per sentence and category, with the sentence text."""
    groups = parsed.groups(by)
    cols = ["doc_id", "group", "par_id", "sent_id", label, "hits", "terms", "entries", "sentence"]
    if matches.empty:
        return pd.DataFrame(columns=cols)
    order = {c: i for i, c in enumerate(dict.fromkeys(matches["category"]))}
    agg = (
        matches.groupby(["doc_id", "sent_id", "category"], sort=False)
        .agg(
            par_id=("par_id", "first"),
            hits=("text", "size"),
            terms=("text", " | ".join),
            entries=("entry", lambda s: " | ".join(dict.fromkeys(s))),
        )
        .reset_index()
        .rename(columns={"category": label})
    )
    sentences = parsed.sentences.set_index(["doc_id", "sent_id"])["text"]
    agg["sentence"] = sentences.reindex(
        pd.MultiIndex.from_frame(agg[["doc_id", "sent_id"]])
    ).to_numpy()
    agg["group"] = agg["doc_id"].map(groups)
    agg["_order"] = agg[label].map(order)
    agg = agg.sort_values(["doc_id", "sent_id", "_order"], kind="stable")
    return agg[cols].reset_index(drop=True)


def frame_evidence(
    parsed: Parsed, by: str = "outlet", *, dictionary: Dictionary | None = None
) -> pd.DataFrame:
    """The matched terms of every frame in every sentence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, group, par_id, sent_id, frame, hits, terms, entries, sentence``: one row
        per sentence and frame with at least one hit; ``terms`` are the matched surface
        strings and ``entries`` the dictionary patterns that matched them (each joined by
        ``" | "``). Sorted by ``doc_id``, ``sent_id``, then frame order.

    Examples
    --------
    >>> import pandas as pd
    >>> from kzdiscourse import Corpus
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Энергетическая безопасность ЕС и газ."]})
    >>> ev = frame_evidence(Corpus.from_dataframe(docs).parse(), by="doc_id")
    >>> for row in ev[["frame", "hits", "terms"]].values.tolist():
    ...     print(row)
    ['security_defence', 1, 'безопасность']
    ['energy_green_transition', 2, 'Энергетическая | газ']
    """
    d, m = _matches(parsed, dictionary)
    m = m.assign(category=pd.Categorical(m["category"], categories=list(d.categories)))
    m = m.sort_values(["doc_id", "sent_id", "category", "tok_start"], kind="stable")
    m["category"] = m["category"].astype(str)
    return evidence_by_sentence(m, parsed, by, "frame")


def frame_report_tables(
    parsed: Parsed, by: str, seed: int, *, block: str = "sentence"
) -> dict[str, pd.DataFrame]:
    """``frames``, ``frame_tests`` and ``frame_evidence`` from one dictionary pass."""
    d, m = _matches(parsed, None)
    rates = rate_table(m, parsed, by, list(d.categories), "frame", block=block, seed=seed)
    m2 = m.assign(category=pd.Categorical(m["category"], categories=list(d.categories)))
    m2 = m2.sort_values(["doc_id", "sent_id", "category", "tok_start"], kind="stable")
    m2["category"] = m2["category"].astype(str)
    return {
        "frames": rates,
        "frame_tests": compare_groups(rates, "frame"),
        "frame_evidence": evidence_by_sentence(m2, parsed, by, "frame"),
    }


def _p(value: float) -> str:
    from kzdiscourse.report import format_number

    return format_number(float(value), "p")


def describe_frames(tables: dict[str, pd.DataFrame], alpha: float = 0.05) -> list[str]:
    """Summary sentences generated from the ``frames`` and ``frame_tests`` tables.

    One sentence per group naming its most frequent frame (rate and 95% interval), then one
    per frame whose G² test has a Benjamini–Hochberg p below ``alpha`` (at most three, by p),
    or one saying that none does and naming the largest G².

    Examples
    --------
    >>> tests = pd.DataFrame({
    ...     "frame": ["economic", "security"], "group_a": ["A", "A"], "group_b": ["B", "B"],
    ...     "per_1000_a": [4.1, 2.0], "per_1000_b": [1.2, 2.2], "g2": [9.3, 0.1],
    ...     "p_value": [0.002, 0.8], "p_bh": [0.004, 0.8], "higher_in": ["A", "B"]})
    >>> describe_frames({"frames": pd.DataFrame(), "frame_tests": tests})
    ['Frame economic: 4.1 per 1,000 word tokens in A vs 1.2 in B (G² = 9.3, BH p = 0.004).']
    """
    out = []
    rates = tables["frames"]
    if len(rates):
        for group, rows in rates.groupby("group", sort=True):
            top = rows.sort_values(["per_1000", "frame"], ascending=[False, True]).iloc[0]
            if top["hits"] == 0:
                out.append(f"Frames: {group} uses none of the dictionary's frames.")
                continue
            ci = ""
            if pd.notna(top["per_1000_ci_low"]):
                ci = f", 95% CI {top['per_1000_ci_low']:.1f}–{top['per_1000_ci_high']:.1f}"
            out.append(
                f"Frames: {group}'s most frequent frame is {top['frame']}, "
                f"{top['per_1000']:.1f} per 1,000 word tokens{ci}."
            )
    tests = tables["frame_tests"]
    if tests.empty:
        return out
    ranked = tests.sort_values(["p_bh", "g2", "frame"], ascending=[True, False, True])
    significant = ranked[ranked["p_bh"] < alpha]
    for r in significant.head(3).itertuples(index=False):
        rest = "the rest" if r.group_b == "(rest)" else r.group_b
        out.append(
            f"Frame {r.frame}: {r.per_1000_a:.1f} per 1,000 word tokens in {r.group_a} vs "
            f"{r.per_1000_b:.1f} in {rest} (G² = {r.g2:.1f}, BH p = {_p(r.p_bh)})."
        )
    if significant.empty:
        r = tests.sort_values(["g2", "frame"], ascending=[False, True]).iloc[0]
        rest = "the rest" if r["group_b"] == "(rest)" else r["group_b"]
        out.append(
            f"Frames: no frame differs between groups at BH p < {alpha:g}; the largest "
            f"difference is {r['frame']}, {r['per_1000_a']:.1f} per 1,000 in {r['group_a']} "
            f"vs {r['per_1000_b']:.1f} in {rest} (G² = {r['g2']:.1f}, BH p = {_p(r['p_bh'])})."
        )
    elif len(significant) > 3:
        out.append(f"Frames: {len(significant) - 3} more frame tests at BH p < {alpha:g}.")
    return out
