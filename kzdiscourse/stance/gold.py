"""Hand-annotated stance data shipped with kzdiscourse.

Two files live in ``kzdiscourse/gold/`` (see its ``README.md`` for how they were made):

* ``seed_stance.csv`` — every sentence of the two cleaned and parsed seed texts, coded by
  hand: ``doc_id, sent_id, text, label, secondary, rationale``.
* ``stance_testset.csv`` — an independent set of sentences written for testing, not taken
  from or paraphrased from the seeds: ``item_id, text, label, secondary, rationale,
  phenomenon``.
* ``seed_stance_coder2.csv`` and ``stance_testset_coder2.csv`` — a second, independent
  coding of the same sentences (labels, secondary, rationale; no text), for reliability.

Both are read as text (no type guessing); an empty ``secondary`` becomes ``<NA>``.

Examples
--------
>>> from kzdiscourse.stance import load_seed_gold, load_testset
>>> gold = load_seed_gold()
>>> gold.groupby("doc_id").size().to_dict()
{'ankasam_2025_08': 58, 'dzen_2025_12': 30}
>>> test = load_testset()
>>> len(test) >= 60
True
"""

from __future__ import annotations

import io
from importlib import resources

import pandas as pd

from kzdiscourse.errors import ResourceError
from kzdiscourse.stance.labels import STANCE_LABELS

__all__ = ["load_second_coding", "load_seed_gold", "load_testset", "load_ud_external"]

_SEED_FILE = "seed_stance.csv"
_TESTSET_FILE = "stance_testset.csv"
_SEED_COLUMNS = ("doc_id", "sent_id", "text", "label", "secondary", "rationale")
_TESTSET_COLUMNS = ("item_id", "text", "label", "secondary", "rationale", "phenomenon")
_UD_FILE = "ud_external.csv"
_UD_COLUMNS = ("treebank", "sent_id", "text", "label", "secondary", "rationale")
_SEED_CODER2 = ("seed_stance_coder2.csv", ("doc_id", "sent_id", "label", "secondary", "rationale"))
_TESTSET_CODER2 = ("stance_testset_coder2.csv", ("item_id", "label", "secondary", "rationale"))


def _read(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    ref = resources.files("kzdiscourse").joinpath("gold", name)
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ResourceError(
            f"the bundled gold file {name!r} is missing from this installation",
            source=str(ref),
            hint="reinstall kzdiscourse from a wheel or a full source checkout",
        ) from err
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if tuple(frame.columns) != columns:
        raise ResourceError(
            f"gold file {name!r} has columns {list(frame.columns)}, expected {list(columns)}",
            source=str(ref),
        )
    bad = sorted((set(frame["label"]) | (set(frame["secondary"]) - {""})) - set(STANCE_LABELS))
    if bad:
        raise ResourceError(
            f"gold file {name!r} uses labels outside the codebook: {bad}",
            source=str(ref),
            hint=f"use only {list(STANCE_LABELS)}",
        )
    frame["secondary"] = frame["secondary"].replace("", pd.NA).astype("string")
    return frame


def load_seed_gold() -> pd.DataFrame:
    """The hand-coded stance of every sentence of the two seed texts.

    Returns
    -------
    pandas.DataFrame
        One row per sentence of ``load_seeds().clean().parse().sentences``, sorted by
        ``doc_id, sent_id``, with columns ``doc_id``, ``sent_id`` (int), ``text``, ``label``,
        ``secondary`` (string, ``<NA>`` when the sentence has a single stance) and
        ``rationale`` (one line, citing the codebook rule that decided the label).

    Examples
    --------
    >>> gold = load_seed_gold()
    >>> list(gold.columns)
    ['doc_id', 'sent_id', 'text', 'label', 'secondary', 'rationale']
    >>> sorted(set(gold["label"]))
    ['balance', 'instrumental', 'none', 'pro_eu']
    """
    frame = _read(_SEED_FILE, _SEED_COLUMNS)
    frame["sent_id"] = frame["sent_id"].astype(int)
    return frame.sort_values(["doc_id", "sent_id"], kind="mergesort").reset_index(drop=True)


def load_testset() -> pd.DataFrame:
    """The independent stance test set: sentences written for testing, coded by hand.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, sorted by ``item_id``, with columns ``item_id``, ``text``,
        ``label``, ``secondary`` (string, ``<NA>`` if none), ``rationale`` and
        ``phenomenon`` (what the item tests: ``negation``, ``contrast``,
        ``hedged_forecast``, ``participle_main``, ``russia_only``, ``china_only``,
        ``eu_names_factual``, ``eu_only``, ``pro_russia`` or ``plain``).

    Examples
    --------
    >>> test = load_testset()
    >>> test.loc[test["phenomenon"] == "negation", "label"].nunique() > 1
    True
    """
    frame = _read(_TESTSET_FILE, _TESTSET_COLUMNS)
    return frame.sort_values("item_id", kind="mergesort").reset_index(drop=True)


def load_ud_external() -> pd.DataFrame:
    """External stance set 1: real UD Russian sentences about countries and blocs, coded by hand.

    179 sentences from UD_Russian-Taiga (dev) and UD_Russian-GSD (dev, test), CC BY-SA 4.0,
    selected by a documented keyword filter on international politics
    (``benchmarks/ud_external_select.py``) and coded by reading, before any scorer was run
    on them. None of them presents Kazakhstan's (or any country's) relations with the
    EU/West in a codebook light, so every label is ``none``: the set measures how often a
    scorer invents a stance on unseen encyclopaedic, news-like and social-media text that
    names the EU, Russia, the USA, China or NATO.

    Returns
    -------
    pandas.DataFrame
        ``treebank``, ``sent_id`` (the treebank's id), ``text``, ``label``, ``secondary``
        (``<NA>`` throughout) and ``rationale``, in treebank file order.

    Examples
    --------
    >>> ud = load_ud_external()
    >>> len(ud), sorted(set(ud["treebank"]))
    (179, ['ru_gsd-ud-dev', 'ru_gsd-ud-test', 'ru_taiga-ud-dev'])
    """
    return _read(_UD_FILE, _UD_COLUMNS)


def load_second_coding(which: str = "seeds") -> pd.DataFrame:
    """The second, independent coding of the seed sentences or of the test set.

    Parameters
    ----------
    which : {"seeds", "testset"}
        The seed sentences (keyed by ``doc_id, sent_id``) or the test set (``item_id``).

    Returns
    -------
    pandas.DataFrame
        Key columns, ``label``, ``secondary`` and ``rationale``; join it to
        :func:`load_seed_gold` / :func:`load_testset` to compare the codings, e.g. with
        :func:`kzdiscourse.stance.krippendorff_alpha`.

    Examples
    --------
    >>> from kzdiscourse.stance import krippendorff_alpha
    >>> both = load_seed_gold().merge(load_second_coding("seeds"), on=["doc_id", "sent_id"])
    >>> 0 < krippendorff_alpha(both[["label_x", "label_y"]]) <= 1
    True
    """
    if which not in ("seeds", "testset"):
        raise ValueError("which must be 'seeds' or 'testset'")
    name, columns = _SEED_CODER2 if which == "seeds" else _TESTSET_CODER2
    frame = _read(name, columns)
    if which == "seeds":
        frame["sent_id"] = frame["sent_id"].astype(int)
        return frame.sort_values(["doc_id", "sent_id"], kind="mergesort").reset_index(drop=True)
    return frame.sort_values("item_id", kind="mergesort").reset_index(drop=True)
