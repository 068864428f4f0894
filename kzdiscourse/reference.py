"""Reference frequency lists for keyness: a user's table or general Russian (wordfreq).

A :class:`Reference` answers one question: how often is a term used in the reference
language or corpus? It holds either *counts* with a known token total (another corpus:
keyness then compares two samples) or *proportions* only (a frequency list whose corpus size
is unknown, such as wordfreq's: keyness then tests the texts against known rates, the limit
of the two-sample test as the reference grows without bound).

General Russian
---------------
:func:`general_russian` is the Russian list of the ``wordfreq`` package (data CC BY-SA 4.0)
turned into lemma frequencies. wordfreq lists *word forms*, with ``ё`` kept apart from
``е``. We fold ``ё`` to ``е``, keep alphabetic forms only (numbers, punctuation and digit
strings such as ``"00"`` are dropped), renormalise so that the alphabetic forms sum to 1
(keyness counts alphabetic tokens only when it compares against this list), lemmatise
every form with :mod:`kzdiscourse.nlp` exactly as a corpus token is lemmatised, and sum the
proportions per lemma (:func:`lemma_proportions`). An ambiguous form such as «стали»
therefore goes to the one lemma the corpus side gives it, never to two.

For the default list (``large``, about 700,000 forms) this is done once, when the package
is built (``python benchmarks/build_general_russian.py``), and shipped as
``resources/general_russian_lemmas.tsv.gz`` (about 300,000 lemmas, CC BY-SA 4.0 like its
source), so a keyness run reads a table instead of lemmatising hundreds of thousands of
forms on its first call. The file's first line records the wordfreq version and list, the
lemmatiser's versions and the lemmas of the 2,000 most frequent forms; a test lemmatises
those forms again and fails, naming the build script, when the lemmatiser has changed
since the file was built. Other lists (``small``) and a table of forms given by the caller
are lemmatised on first use, by the same function.

Examples
--------
>>> ref = Reference.from_counts({"санкция": 30, "уголь": 10}, name="toy")
>>> ref.total, ref.proportions(["санкция", "нефть"]).round(2).tolist()
(40.0, [0.75, 0.0])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from kzdiscourse.errors import InputError

__all__ = [
    "SHIPPED_FILE",
    "GeneralRussian",
    "Reference",
    "general_russian",
    "lemma_proportions",
    "shipped_table",
    "wordfreq_forms",
]

_ALPHA_FORM = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True, eq=False)
class Reference:
    """A reference frequency table of terms (lemmas, or ``"lemma lemma"`` bigrams).

    Attributes
    ----------
    name : str
        How tables name this reference (the ``reference`` column).
    freq : pandas.Series
        Term → count (if ``total`` is set) or proportion.
    total : float or None
        Token total of a count table; ``None`` for a table of proportions.
    alpha_only : bool
        Whether the list covers alphabetic words only (keyness then counts only
        alphabetic tokens of the texts).
    """

    name: str
    freq: pd.Series = field(repr=False)
    total: float | None = None
    alpha_only: bool = False

    @classmethod
    def from_counts(
        cls,
        counts: Mapping[str, float] | pd.Series | pd.DataFrame,
        name: str = "reference",
        total: float | None = None,
        lemmatize: bool = False,
    ) -> Reference:
        """A reference corpus given as counts per term.

        Parameters
        ----------
        counts : mapping, Series or DataFrame
            Term → count; a DataFrame needs columns ``term`` and ``freq``.
        name : str
            Label for the ``reference`` column.
        total : float, optional
            Token total of the reference corpus; the sum of the counts by default.
        lemmatize : bool, default False
            Lemmatise the terms (word forms) with :func:`kzdiscourse.nlp.lemmatize` and
            sum the counts per lemma.
        """
        series = _as_series(counts, lemmatize)
        if (series < 0).any():
            raise InputError(f"reference {name!r} has negative counts")
        tot = float(series.sum()) if total is None else float(total)
        if tot <= 0:
            raise InputError(f"reference {name!r} has no tokens")
        return cls(name=name, freq=series, total=tot)

    @classmethod
    def from_proportions(
        cls,
        proportions: Mapping[str, float] | pd.Series | pd.DataFrame,
        name: str = "reference",
        lemmatize: bool = False,
    ) -> Reference:
        """A reference frequency list of relative frequencies (corpus size unknown)."""
        series = _as_series(proportions, lemmatize)
        if (series < 0).any() or series.sum() > 1 + 1e-9:
            raise InputError(
                f"reference {name!r}: proportions must be non-negative and sum to at most 1",
                hint="pass counts with Reference.from_counts instead",
            )
        return cls(name=name, freq=series, total=None)

    @property
    def is_counts(self) -> bool:
        """True for a count table (two-sample comparison)."""
        return self.total is not None

    def counts(self, terms: Iterable[str]) -> np.ndarray:
        """Counts of ``terms`` (0 when absent); only for count tables."""
        if self.total is None:
            raise InputError(f"reference {self.name!r} holds proportions, not counts")
        return self.freq.reindex(list(terms)).fillna(0.0).to_numpy(dtype=float)

    def proportions(self, terms: Iterable[str]) -> np.ndarray:
        """Relative frequencies of ``terms`` (0 when absent)."""
        values = self.freq.reindex(list(terms)).fillna(0.0).to_numpy(dtype=float)
        return values / self.total if self.total is not None else values

    def frequent(self, min_proportion: float) -> list[str]:
        """Terms whose relative frequency is at least ``min_proportion``."""
        props = self.freq / self.total if self.total is not None else self.freq
        return sorted(props.index[props >= min_proportion].astype(str).tolist())

    def floor(self) -> float:
        """A small proportion for terms the reference lacks (half its rarest term)."""
        positive = self.freq[self.freq > 0]
        if positive.empty:
            return 1e-9
        smallest = float(positive.min())
        return 0.5 * (smallest / self.total if self.total is not None else smallest)


def _as_series(data: Mapping[str, float] | pd.Series | pd.DataFrame, lemmatize: bool) -> pd.Series:
    if isinstance(data, pd.DataFrame):
        missing = {"term", "freq"} - set(data.columns)
        if missing:
            from kzdiscourse.errors import ColumnError

            raise ColumnError(
                f"reference table lacks column(s) {sorted(missing)}",
                hint="give a DataFrame with columns 'term' and 'freq', or a dict",
            )
        series = pd.Series(data["freq"].to_numpy(dtype=float), index=data["term"].astype(str))
    else:
        series = pd.Series(dict(data), dtype=float)
    series.index = [str(t).lower().replace("ё", "е") for t in series.index]
    if lemmatize:
        from kzdiscourse.nlp import lemmatize as _lemmatize

        series.index = _lemmatize(list(series.index), disambiguate=False)  # not a sentence
    return series.groupby(level=0).sum().sort_index()


# ------------------------------------------------------------------------------ wordfreq


@lru_cache(maxsize=2)
def wordfreq_forms(wordlist: str) -> tuple[dict[str, float], str]:
    """Alphabetic, ё-folded wordfreq forms → proportion (renormalised), and a label."""
    from importlib.metadata import version

    from kzdiscourse.scripts import CYRILLIC_LOWER, HOMOGLYPH_SET, HOMOGLYPHS, LATIN_LOWER
    from kzdiscourse.wordlists import russian_frequencies

    raw = russian_frequencies(wordlist)
    folded: dict[str, float] = {}
    alpha = _ALPHA_FORM.fullmatch
    for form, prop in raw.items():
        if not form.isalpha() and ("-" not in form or not alpha(form)):
            continue
        key = form.replace("ё", "е") if "ё" in form else form
        if not key.isascii() and LATIN_LOWER.search(key) and CYRILLIC_LOWER.search(key):
            # Latin look-alikes inside a Cyrillic word, read as Cyrillic like nlp does
            latin = {ch for ch in key if "a" <= ch <= "z"}
            if latin <= HOMOGLYPH_SET:
                key = key.translate(HOMOGLYPHS)
        folded[key] = folded.get(key, 0.0) + prop
    total = sum(folded.values())
    label = f"general Russian (wordfreq {version('wordfreq')} ru {wordlist})"
    return {k: v / total for k, v in folded.items()}, label


def lemma_proportions(forms: Mapping[str, float]) -> dict[str, float]:
    """Proportion per lemma: every form lemmatised as a corpus token is, proportions summed.

    Parameters
    ----------
    forms : mapping of str to float
        Alphabetic, ``ё``-folded form → proportion (as :func:`wordfreq_forms` makes them).

    Returns
    -------
    dict of str to float
        Lemma → proportion, lemmas sorted; the forms are summed in sorted order, so the
        result does not depend on the order of ``forms``.

    Examples
    --------
    >>> lemma_proportions({"газа": 0.25, "газ": 0.5, "нефть": 0.25})
    {'газ': 0.75, 'нефть': 0.25}
    """
    from kzdiscourse.nlp import default_lemmatizer

    ordered = sorted(forms)
    lemmas = default_lemmatizer().token_features(ordered)["lemma"] if ordered else []
    out: dict[str, float] = {}
    for form, lemma in zip(ordered, lemmas, strict=True):
        out[str(lemma)] = out.get(str(lemma), 0.0) + forms[form]
    return dict(sorted(out.items()))


#: The shipped lemma table of wordfreq's ``large`` Russian list.
SHIPPED_FILE = "general_russian_lemmas.tsv.gz"


def shipped_table() -> tuple[dict, pd.Series]:
    """The shipped general-Russian lemma table: its header (a dict) and lemma → proportion.

    Examples
    --------
    >>> header, props = shipped_table()
    >>> header["wordlist"], bool(props["и"] > 0.02)
    ('large', True)
    """
    import gzip
    import json
    from importlib import resources

    raw = (resources.files("kzdiscourse.resources") / SHIPPED_FILE).read_bytes()
    first, _, body = gzip.decompress(raw).decode("utf-8").partition("\n")
    header = json.loads(first)
    # one split and one float conversion over the whole body: 3× faster than read_csv
    fields = body.rstrip("\n").replace("\n", "\t").split("\t")
    proportions = np.array(fields[1::2], dtype=float)  # Python's exact float parsing
    return header, pd.Series(proportions, index=pd.Index(fields[0::2], dtype=object))


class GeneralRussian(Reference):
    """General Russian lemma frequencies from wordfreq (see the module docstring).

    Parameters
    ----------
    wordlist : {"large", "small"}
        wordfreq's list; ``large`` is read from the shipped lemma table.
    extra_forms : mapping, optional
        Deprecated and ignored: every form of the list is lemmatised.
    forms : mapping of str to float, optional
        A form → proportion table to use instead of wordfreq's (lemmatised on creation).
    """

    def __init__(
        self,
        wordlist: str = "large",
        extra_forms: Mapping[str, Iterable[str]] = (),
        forms: Mapping[str, float] | None = None,
    ):
        if extra_forms:
            from kzdiscourse._deprecation import warn_deprecated

            warn_deprecated(
                "GeneralRussian(extra_forms=...)",
                "0.1.0",
                replacement="nothing: every form of the list is lemmatised",
            )
        if forms is not None:  # a given form → proportion table (tests, or another list)
            forms = dict(forms)
            props = pd.Series(lemma_proportions(forms), dtype=float)
            label, smallest = "general Russian (given forms)", min(forms.values())
        elif wordlist == "large":
            header, props = shipped_table()
            label, smallest = header["label"], float(header["min_form_proportion"])
        else:
            forms, label = wordfreq_forms(wordlist)
            props = pd.Series(lemma_proportions(forms), dtype=float)
            smallest = min(forms.values())
        object.__setattr__(self, "name", label)
        object.__setattr__(self, "freq", props)
        object.__setattr__(self, "total", None)
        object.__setattr__(self, "alpha_only", True)
        object.__setattr__(self, "_smallest", float(smallest))

    def __hash__(self) -> int:
        return id(self)

    def frequent(self, min_proportion: float) -> list[str]:
        """Alphabetic lemmas with at least ``min_proportion``, sorted."""
        props = self.freq
        found = props.index[props.to_numpy() >= min_proportion].astype(str)
        return sorted(t for t in found if _ALPHA_FORM.fullmatch(t))

    def floor(self) -> float:
        """Half the proportion of the list's rarest form."""
        return 0.5 * self._smallest  # type: ignore[attr-defined]


@lru_cache(maxsize=2)
def general_russian(wordlist: str = "large") -> GeneralRussian:
    """General Russian lemma frequencies from the wordfreq package (proportions).

    Parameters
    ----------
    wordlist : {"large", "small"}
        wordfreq's list: ``large`` has about 700,000 Russian forms, ``small`` the most
        frequent ones.

    Returns
    -------
    GeneralRussian
        One shared instance per word list, so lemma frequencies computed once are kept
        for the rest of the process.

    Examples
    --------
    >>> ref = general_russian()
    >>> p_and, p_coal = ref.proportions(["и", "уголь"])
    >>> bool(p_and > 100 * p_coal > 0)
    True
    """
    return GeneralRussian(wordlist)
