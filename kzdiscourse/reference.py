"""Reference frequency lists for keyness: a user's table or general Russian (wordfreq).

A :class:`Reference` answers one question: how often is a term used in the reference
language or corpus? It holds either *counts* with a known token total (another corpus:
keyness then compares two samples) or *proportions* only (a frequency list whose corpus size
is unknown, such as wordfreq's: keyness then tests the texts against known rates, the limit
of the two-sample test as the reference grows without bound).

General Russian
---------------
:func:`general_russian` reads the Russian list of the ``wordfreq`` package (data CC BY-SA
4.0; it ships inside the wheel, nothing is downloaded). wordfreq lists *word forms*, with
``ё`` kept apart from ``е``. We fold ``ё`` to ``е``, keep alphabetic forms only (numbers,
punctuation and digit strings such as ``"00"`` are dropped) and renormalise so that the
alphabetic forms sum to 1, because keyness counts alphabetic tokens only when it compares
against this list. A lemma's frequency is the sum of the frequencies of the forms that
:mod:`kzdiscourse.nlp` lemmatises to that lemma, exactly as a corpus token would be
lemmatised. To avoid lemmatising all 700,000 forms on every run, the candidate forms of a
lemma are generated first (its pymorphy3 paradigm, the forms seen in the corpus and the
forms of ``lemma_overrides.yaml``), then each candidate is lemmatised and counted only if
it maps back to the lemma; an ambiguous form such as «стали» therefore goes to the one
lemma the corpus side would give it, never to two.

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

from kzdiscourse.errors import InputError, KzDiscourseError

__all__ = ["GeneralRussian", "Reference", "general_russian"]

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

    def frequent_many(self, min_proportions: Iterable[float]) -> list[list[str]]:
        """:meth:`frequent` for several thresholds (one list per threshold, in order)."""
        return [self.frequent(t) for t in min_proportions]

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
def _wordfreq_forms(wordlist: str) -> tuple[dict[str, float], str]:
    """Alphabetic, ё-folded wordfreq forms → proportion (renormalised), and a label."""
    try:
        import wordfreq
    except ImportError as err:  # pragma: no cover - wordfreq is a dependency
        raise KzDiscourseError(
            "general-Russian keyness needs the wordfreq package",
            hint="pip install wordfreq",
        ) from err
    from importlib.metadata import version

    from kzdiscourse.scripts import CYRILLIC_LOWER, HOMOGLYPH_SET, HOMOGLYPHS, LATIN_LOWER

    raw = wordfreq.get_frequency_dict("ru", wordlist=wordlist)
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


def _prefixed(sorted_forms: list[str], prefix: str) -> list[str]:
    import bisect

    lo = bisect.bisect_left(sorted_forms, prefix)
    hi = bisect.bisect_left(sorted_forms, prefix + "\U0010ffff")
    return sorted_forms[lo:hi]


def _candidate_forms(lemma: str) -> set[str]:
    from kzdiscourse.nlp import default_lemmatizer

    resources = default_lemmatizer().resources
    forms_override, lemma_override = resources.form_overrides, resources.lemma_overrides
    sources = {lemma}
    sources.update(src for (_pos, src), to in lemma_override.items() if to == lemma)
    out = {lemma}
    morph = resources.analyzer
    for src in sources:
        for parse in morph.parse(src):
            if parse.normal_form.replace("ё", "е") == src:
                out.update(f.word.replace("ё", "е") for f in parse.lexeme)
    out.update(form for form, to in forms_override.items() if to == lemma)
    return out


class GeneralRussian(Reference):
    """General Russian from wordfreq, lemmatised on demand (see the module docstring).

    Lemma proportions are computed the first time a lemma is asked for and kept.
    """

    def __init__(
        self,
        wordlist: str = "large",
        extra_forms: Mapping[str, Iterable[str]] = (),
        forms: Mapping[str, float] | None = None,
    ):
        if forms is None:
            forms, label = _wordfreq_forms(wordlist)
        else:  # a given form → proportion table (tests, or another list of forms)
            forms, label = dict(forms), "general Russian (given forms)"
        object.__setattr__(self, "name", label)
        object.__setattr__(self, "freq", pd.Series(dtype=float))
        object.__setattr__(self, "total", None)
        object.__setattr__(self, "alpha_only", True)
        object.__setattr__(self, "_forms", forms)
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "_sorted", sorted(forms))
        object.__setattr__(self, "_extra", {k: set(v) for k, v in dict(extra_forms).items()})

    def __hash__(self) -> int:
        return id(self)

    def _lemma_props(self, lemmas: list[str]) -> dict[str, float]:
        from kzdiscourse.nlp import default_lemmatizer

        cache: dict[str, float] = self._cache  # type: ignore[attr-defined]
        todo = [t for t in dict.fromkeys(lemmas) if t not in cache]
        if todo:
            forms: dict[str, float] = self._forms  # type: ignore[attr-defined]
            extra: dict[str, set[str]] = self._extra  # type: ignore[attr-defined]
            ordered: list[str] = self._sorted  # type: ignore[attr-defined]
            wanted: dict[str, set[str]] = {}
            for lemma in todo:
                cands = _candidate_forms(lemma) | extra.get(lemma, set())
                if len(lemma) >= 5:
                    # forms outside the lemma's own paradigm that pymorphy3 still maps to
                    # it (e.g. «торгово» → торговый) share its first letters
                    prefix = lemma[: max(len(lemma) - 2, 4)]
                    limit = len(lemma) + 1
                    cands.update(f for f in _prefixed(ordered, prefix) if len(f) <= limit)
                wanted[lemma] = {f for f in cands if f in forms}
            all_forms = sorted(set().union(*wanted.values())) if wanted else []
            lemma_of = dict(
                zip(
                    all_forms,
                    default_lemmatizer().token_features(all_forms)["lemma"].tolist(),
                    strict=True,
                )
            )
            for lemma in todo:
                cache[lemma] = float(
                    sum(forms[f] for f in sorted(wanted[lemma]) if lemma_of[f] == lemma)
                )
        return {t: cache[t] for t in lemmas}

    def proportions(self, terms: Iterable[str]) -> np.ndarray:
        terms = list(terms)
        props = self._lemma_props(terms)
        return np.array([props[t] for t in terms], dtype=float)

    def frequent(self, min_proportion: float) -> list[str]:
        """Lemmas with at least ``min_proportion``; candidates come from the lemmas of
        forms with at least a tenth of it (a lemma is rarely spread over ten forms of
        equal weight)."""
        from kzdiscourse.nlp import default_lemmatizer

        by_share, shares = self._by_share()
        # the forms with at least a tenth of min_proportion: a prefix of the descending list
        top = sorted(by_share[: int(np.searchsorted(-shares, -min_proportion / 10, "right"))])
        lemmas = (
            sorted(set(default_lemmatizer().token_features(top)["lemma"].tolist())) if top else []
        )
        props = self._lemma_props(lemmas)
        return [t for t in lemmas if props[t] >= min_proportion and _ALPHA_FORM.fullmatch(t)]

    def frequent_many(self, min_proportions: Iterable[float]) -> list[list[str]]:
        """:meth:`frequent` for several thresholds at once: the candidate forms of the
        lowest threshold are lemmatised once, and a lemma qualifies for threshold ``t``
        when one of its forms has at least ``t / 10`` and the lemma ``t`` (the same lists
        as calling :meth:`frequent` threshold by threshold)."""
        from kzdiscourse.nlp import default_lemmatizer

        thresholds = [float(t) for t in min_proportions]
        if not thresholds:
            return []
        by_share, shares = self._by_share()
        n = int(np.searchsorted(-shares, -min(thresholds) / 10, "right"))
        if n == 0:
            return [[] for _ in thresholds]
        forms = by_share[:n]
        lemmas = default_lemmatizer().token_features(forms)["lemma"].tolist()
        best: dict[str, float] = {}
        for lemma, share in zip(lemmas, shares[:n].tolist(), strict=True):
            best.setdefault(lemma, share)  # forms come by descending share
        names = sorted(best)
        props = self._lemma_props(names)
        keep = [t for t in names if _ALPHA_FORM.fullmatch(t)]
        return [[t for t in keep if best[t] >= m / 10 and props[t] >= m] for m in thresholds]

    def _by_share(self) -> tuple[list[str], np.ndarray]:
        """The forms by descending proportion, and their proportions (built once)."""
        cached = getattr(self, "_share_order", None)
        if cached is None:
            forms: dict[str, float] = self._forms  # type: ignore[attr-defined]
            ordered = sorted(forms.items(), key=lambda item: (-item[1], item[0]))
            cached = ([f for f, _ in ordered], np.array([p for _, p in ordered], dtype=float))
            object.__setattr__(self, "_share_order", cached)
        return cached

    def floor(self) -> float:
        forms: dict[str, float] = self._forms  # type: ignore[attr-defined]
        return 0.5 * min(forms.values())


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
