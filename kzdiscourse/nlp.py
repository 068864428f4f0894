"""The lemmatiser: lemmas, part-of-speech tags and flags of word forms.

Lemmas and tags come from ``pymorphy3`` (OpenCorpora dictionary, C DAWG backend when
``pymorphy3[fast]`` is installed), corrected by ``resources/lemma_overrides.yaml``.
Lemmatisation is context-free: each distinct lower-cased word form is analysed once (the
type-level cache of a :class:`Lemmatizer`) and the result is mapped back to every token
with array indexing. Sentences and tokens come from :mod:`kzdiscourse.layout`
(:func:`sentenize` and :func:`tokenize` are re-exported here); how a corpus is parsed
(chunks, workers, caches) is :mod:`kzdiscourse.pipeline` and :mod:`kzdiscourse.engine`.

Conventions
-----------
- ``lemma`` is lower case with ``ё`` folded to ``е``; ``norm`` is the lower-cased,
  ё-folded word form. ``text`` keeps the form as written.
- ``pos`` is a Universal Dependencies UPOS tag mapped from pymorphy3's most probable
  analysis; ``tag`` is that analysis' OpenCorpora tag (for case, number, aspect, …).
- URLs and e-mail addresses are single tokens (``pos`` ``X``); numbers keep their form as
  lemma; ordinals like ``28-го`` get ``28-й``; Latin-script words are lower-cased.
- Words typed with look-alike letters of the other script (``Кaзахстан`` with a Latin
  ``a``, ``EC`` for ``ЕС`` among Russian words) are folded before tokenising
  (:mod:`kzdiscourse.scripts`): one token, ``text`` as written, ``norm`` and ``lemma`` from
  the folded form.

Examples
--------
>>> from kzdiscourse.nlp import lemmatize
>>> lemmatize(["Казахстан", "расширяет", "сотрудничество", "с", "Евросоюзом", "."])
['казахстан', 'расширять', 'сотрудничество', 'с', 'евросоюз', '.']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzdiscourse._deprecation import deprecated
from kzdiscourse.layout import URL_OR_EMAIL, sentenize, tokenize
from kzdiscourse.resources import load_resource
from kzdiscourse.scripts import CYRILLIC_LOWER as _CYR
from kzdiscourse.scripts import HOMOGLYPH_SET as _HOMOGLYPH_SET
from kzdiscourse.scripts import HOMOGLYPHS as _HOMOGLYPHS
from kzdiscourse.scripts import LATIN_LOWER as _LAT
from kzdiscourse.scripts import fold_word

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.parsed import Parsed

__all__ = [
    "PIPELINE_VERSION",
    "LemmaResources",
    "Lemmatizer",
    "analyzer_info",
    "default_lemmatizer",
    "lemmatize",
    "parse_corpus",
    "sentenize",
    "tokenize",
]

#: Bumped whenever the same text would get different sentences, tokens, lemmas or tags.
PIPELINE_VERSION = "2"

_ORDINAL = re.compile(r"^(\d+)-(?:[а-яё]{1,3})$")
_NUMERIC = re.compile(r"^[+-]?[\d\s.,:/–—-]*\d[\d\s.,:/–—-]*%?$")
_ALPHA = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")

_PYMORPHY_TO_UPOS = {
    "NOUN": "NOUN",
    "ADJF": "ADJ",
    "ADJS": "ADJ",
    "COMP": "ADJ",
    "VERB": "VERB",
    "INFN": "VERB",
    "PRTF": "VERB",
    "PRTS": "VERB",
    "GRND": "VERB",
    "NUMR": "NUM",
    "ADVB": "ADV",
    "NPRO": "PRON",
    "PRED": "ADV",
    "PREP": "ADP",
    "CONJ": "SCONJ",
    "PRCL": "PART",
    "INTJ": "INTJ",
}
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
_COORDINATING = frozenset({"и", "а", "но", "или", "либо", "да", "зато", "однако", "ни", "иль"})
_AUXILIARY = frozenset({"быть"})
_CYR_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")


# ------------------------------------------------------------------------------ resources


class LemmaResources:
    """What the lemmatiser loads once: pymorphy3's analyser, lemma overrides, stopwords.

    Each is loaded on first use and kept (after that, reading one is a plain attribute
    lookup); :meth:`clear` drops them (and the UPOS tags derived from analyses), so the
    next use loads them again. All lemmatisers share one instance (see
    :func:`default_lemmatizer`) unless given their own.

    Examples
    --------
    >>> resources = LemmaResources()
    >>> resources.form_overrides["млн"], resources.lemma_overrides["NOUN", "токай"]
    ('миллион', 'токаев')
    >>> "и" in resources.stopwords
    True
    """

    _LOADED = ("analyzer", "form_overrides", "lemma_overrides", "stopwords")

    def __init__(self) -> None:
        # UPOS depends only on the tag and on whether the lemma is auxiliary / coordinating
        self.upos_by_tag: dict[tuple[str, bool, bool], str] = {}

    @cached_property
    def analyzer(self) -> Any:
        """The ``pymorphy3.MorphAnalyzer`` for Russian."""
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang="ru")

    @cached_property
    def form_overrides(self) -> dict[str, str]:
        """Word form (lower case, ё folded, no final dot) → lemma, bypassing pymorphy3."""
        data = load_resource("lemma_overrides").data
        return {str(k): str(v) for k, v in (data.get("forms") or {}).items()}

    @cached_property
    def lemma_overrides(self) -> dict[tuple[str, str], str]:
        """``(pymorphy3 POS, lemma)`` → the lemma to use instead."""
        data = load_resource("lemma_overrides").data
        return {(str(r["pos"]), str(r["lemma"])): str(r["to"]) for r in data.get("lemmas") or []}

    @cached_property
    def stopwords(self) -> frozenset[str]:
        """The stopword list (``resources/stopwords_ru.yaml``)."""
        return frozenset(str(w) for w in load_resource("stopwords_ru").data["words"])

    def clear(self) -> None:
        """Drop everything loaded; the next use loads it again."""
        for name in self._LOADED:
            self.__dict__.pop(name, None)
        self.upos_by_tag.clear()


_RESOURCES = LemmaResources()


def analyzer_info() -> dict[str, str]:
    """Versions of the morphological analyser and its dictionary, and the DAWG backend.

    Returns
    -------
    dict
        ``pymorphy3``, ``pymorphy3_dicts_ru`` (package versions), ``dictionary_revision``
        (OpenCorpora revision), ``dawg_backend`` (``"DAWG2 (C)"`` or ``"DAWG-Python"``).
    """
    from importlib.metadata import PackageNotFoundError, version

    info: dict[str, str] = {}
    for pkg in ("pymorphy3", "pymorphy3-dicts-ru", "razdel"):
        try:
            info[pkg.replace("-", "_")] = version(pkg)
        except PackageNotFoundError:
            info[pkg.replace("-", "_")] = "not installed"
    meta = _RESOURCES.analyzer.dictionary.meta
    info["dictionary_revision"] = str(meta.get("source_revision", "unknown"))
    try:
        import dawg  # noqa: F401

        info["dawg_backend"] = "DAWG2 (C extension)"
    except ImportError:
        info["dawg_backend"] = "DAWG-Python (pure Python, ~6x slower)"
    return info


# ------------------------------------------------------------------------------ lemmatisation


def _fold(text: str) -> str:
    return text.replace("ё", "е")


def _fold_mixed(lower: str) -> str:
    """A lower-cased form with letters of both scripts, folded as the lemmatiser reads it."""
    if not (_LAT.search(lower) and _CYR.search(lower)):
        return lower
    if {ch for ch in lower if "a" <= ch <= "z"} <= _HOMOGLYPH_SET:
        return lower.translate(_HOMOGLYPHS)
    return fold_word(lower)


def _upos(tag: Any, lemma: str) -> str:
    pos = tag.POS
    if pos is None:
        return "X"
    if pos == "NOUN":
        return "PROPN" if _PROPER & tag.grammemes else "NOUN"
    if pos == "ADJF" and "Apro" in tag.grammemes:
        return "DET"
    if pos in ("VERB", "INFN") and lemma in _AUXILIARY:
        return "AUX"
    if pos == "CONJ":
        return "CCONJ" if lemma in _COORDINATING else "SCONJ"
    return _PYMORPHY_TO_UPOS.get(pos, "X")


def _is_punct(form: str) -> bool:
    return all(unicodedata.category(ch).startswith("P") for ch in form)


#: The analysis of one lower-cased form: lemma, pos, tag, norm, is_alpha, is_stop, script.
TypeRow = tuple[str, str, str, str, bool, bool, str]
_ROW_NAMES = ("lemma", "pos", "tag", "norm", "is_alpha", "is_stop", "script")


class Lemmatizer:
    """pymorphy3 lemmatiser with a cache of analysed word forms.

    Each distinct lower-cased form is analysed once; the most probable pymorphy3 analysis
    gives lemma, UPOS and tag (:meth:`reading`), then the corrections in
    ``resources/lemma_overrides.yaml`` apply. One instance can be reused across documents
    and corpora; :meth:`clear_cache` forgets the analysed forms.

    Parameters
    ----------
    resources : LemmaResources, optional
        Analyser and word lists; by default the ones every lemmatiser shares.

    Examples
    --------
    >>> lem = Lemmatizer()
    >>> lem.analyze(["Астаны", "санкций", "2025", "28-го", "Glencore"])["lemma"]
    ['астана', 'санкция', '2025', '28-й', 'glencore']
    >>> len(lem), lem.clear_cache(), len(lem)
    (5, None, 0)
    """

    def __init__(self, resources: LemmaResources | None = None) -> None:
        self.resources = resources if resources is not None else _RESOURCES
        self._cache: dict[str, TypeRow] = {}

    def __len__(self) -> int:
        return len(self._cache)

    def clear_cache(self) -> None:
        """Forget every analysed form (the next parse analyses them again)."""
        self._cache.clear()

    # -------------------------------------------------------------- one form
    def _analyze_form(self, lower: str) -> tuple[str, str, str]:
        """(lemma, upos, tag) of one lower-cased form."""
        if _CYR_WORD.fullmatch(lower):
            # the common case: Cyrillic letters (and hyphens); none of the checks below apply
            return self._dictionary(lower, lower)
        if not any(ch.isalnum() for ch in lower):
            if URL_OR_EMAIL.fullmatch(lower):
                return lower, "X", "URL"
            return lower, ("PUNCT" if _is_punct(lower) else "SYM"), "PNCT"
        if URL_OR_EMAIL.fullmatch(lower):
            return lower, "X", "URL"
        if any(ch.isdigit() for ch in lower):
            m = _ORDINAL.match(lower)
            if m:
                return f"{m.group(1)}-й", "ADJ", "ORD"
            if _NUMERIC.match(lower):
                return lower, "NUM", "NUMB"
            return _fold(lower), "X", "MIXED"
        has_cyr = bool(_CYR.search(lower))
        has_lat = bool(_LAT.search(lower))
        if has_lat and not has_cyr:
            return lower, "X", "LATN"
        form = lower
        if has_lat and has_cyr:
            latin = {ch for ch in lower if "a" <= ch <= "z"}
            if latin <= _HOMOGLYPH_SET:
                form = lower.translate(_HOMOGLYPHS)
            else:
                return _fold(lower), "X", "MIXED"
        return self._dictionary(lower, form)

    def _dictionary(self, lower: str, form: str) -> tuple[str, str, str]:
        """Form overrides, then the reading of pymorphy3's most probable analysis."""
        key = _fold(form).rstrip(".")
        forms = self.resources.form_overrides
        if key in forms:
            return forms[key], "NOUN", "Abbr"
        if not _CYR.search(form):  # letters of other scripts (Greek, Arabic, …)
            return lower, "X", "FRGN"
        return self.reading(self.resources.analyzer.parse(form)[0])

    def analyses(self, form: str) -> list[Any]:
        """pymorphy3's analyses of a lower-cased Cyrillic form, most probable first."""
        return self.resources.analyzer.parse(form)

    def reading(self, analysis: Any) -> tuple[str, str, str]:
        """``(lemma, upos, tag)`` of one pymorphy3 analysis, lemma overrides applied.

        Examples
        --------
        >>> lem = Lemmatizer()
        >>> [lem.reading(a) for a in lem.analyses("стали")[:2]]  # doctest: +NORMALIZE_WHITESPACE
        [('стать', 'VERB', 'VERB,perf,intr plur,past,indc'),
         ('сталь', 'NOUN', 'NOUN,inan,femn sing,gent')]
        """
        tag = analysis.tag
        tag_str = str(tag)
        lemma = _fold(analysis.normal_form)
        lemma = self.resources.lemma_overrides.get((tag.POS or "", lemma), lemma)
        key_upos = (tag_str, lemma in _AUXILIARY, lemma in _COORDINATING)
        memo = self.resources.upos_by_tag
        upos = memo.get(key_upos)
        if upos is None:
            upos = memo[key_upos] = _upos(tag, lemma)
        return lemma, upos, tag_str

    def analyze_type(self, lower: str) -> TypeRow:
        """The full analysis of one lower-cased form (not cached; see :meth:`rows`)."""
        lemma, pos, tag = self._analyze_form(lower)
        norm = _fold(_fold_mixed(lower))
        stop_words = self.resources.stopwords
        has_cyr = bool(_CYR.search(lower))
        has_lat = bool(_LAT.search(lower))
        script = (
            "mixed"
            if has_cyr and has_lat
            else "cyrillic"
            if has_cyr
            else "latin"
            if has_lat
            else "other"
        )
        return (
            lemma,
            pos,
            tag,
            norm,
            bool(_ALPHA.fullmatch(lower)),
            lemma in stop_words or norm in stop_words,
            script,
        )

    # -------------------------------------------------------------- many forms
    def analyze(self, forms: Sequence[str]) -> dict[str, list[Any]]:
        """Analyse word forms.

        Parameters
        ----------
        forms : sequence of str
            Tokens as written.

        Returns
        -------
        dict
            ``lemma``, ``pos``, ``tag``, ``is_stop`` lists, one entry per form.
        """
        features = self.token_features(list(forms))
        return {k: features[k].tolist() for k in ("lemma", "pos", "tag", "is_stop")}

    def token_features(self, forms: list[str]) -> dict[str, np.ndarray]:
        """Per-token feature arrays, computed once per distinct form.

        Parameters
        ----------
        forms : list of str
            Tokens as written.

        Returns
        -------
        dict of numpy.ndarray
            ``norm``, ``lemma``, ``pos``, ``tag``, ``is_alpha``, ``is_stop``, ``script``,
            each aligned with ``forms``.
        """
        # factorise the forms as written, lower-case each distinct one, factorise again:
        # string work is done per type, never per token
        raw_codes, raw_uniques = pd.factorize(pd.Series(forms, dtype=object))
        lowered = [str(u).lower() for u in raw_uniques]
        low_codes, low_uniques = pd.factorize(pd.Series(lowered, dtype=object))
        codes = low_codes[raw_codes] if len(forms) else np.zeros(0, dtype=np.int64)
        table = self.type_table(list(low_uniques))
        return {name: column[codes] for name, column in table.items()}

    def missing(self, forms: Iterable[str]) -> set[str]:
        """The lower-cased forms among ``forms`` not analysed yet."""
        cache = self._cache
        return {f for f in forms if f not in cache}

    def add(self, rows: Iterable[tuple[str, TypeRow]]) -> None:
        """Add analyses made elsewhere (``(form, row)`` pairs, e.g. from
        :func:`kzdiscourse.pipeline.analyze_forms`) to the cache."""
        self._cache.update(rows)

    def rows(self, uniques: Sequence[str]) -> list[TypeRow]:
        """The analyses of lower-cased forms (:meth:`analyze_type`), through the cache."""
        cache = self._cache
        rows = list(map(cache.get, uniques))  # one C-level pass when everything is cached
        for k, hit in enumerate(rows):
            if hit is None:
                form = uniques[k]
                hit = cache.get(form)  # the same form may occur twice in ``uniques``
                if hit is None:
                    hit = cache[form] = self.analyze_type(form)
                rows[k] = hit
        return rows  # type: ignore[return-value]

    def type_table(self, uniques: list[str]) -> dict[str, np.ndarray]:
        """Feature arrays of distinct lower-cased forms (analysing those not cached yet).

        Returns ``lemma``, ``pos``, ``tag``, ``norm``, ``is_alpha``, ``is_stop``,
        ``script`` arrays aligned with ``uniques``.
        """
        rows = self.rows(uniques)
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(_ROW_NAMES)
        table = {}
        for name, values in zip(_ROW_NAMES, columns, strict=True):
            array = np.empty(len(values), dtype=object)
            array[:] = values
            table[name] = array
        for flag in ("is_alpha", "is_stop"):
            table[flag] = table[flag].astype(bool)
        return table


_DEFAULT = Lemmatizer()


def default_lemmatizer() -> Lemmatizer:
    """The lemmatiser :func:`lemmatize` and an in-process parse use (one per process).

    Its cache of analysed forms lives as long as the process; ``clear_cache()`` empties it.

    Examples
    --------
    >>> default_lemmatizer() is default_lemmatizer()
    True
    """
    return _DEFAULT


def lemmatize(tokens: Sequence[str]) -> list[str]:
    """Lemmatise the tokens of one sentence, exactly as :meth:`Corpus.parse` does.

    Parameters
    ----------
    tokens : sequence of str
        Tokens as written (any tokenisation, e.g. gold UD tokens).

    Returns
    -------
    list of str
        One lemma per token (lower case, ё folded to е).

    Examples
    --------
    >>> lemmatize(["Ещё", "одна", "ёлка"])
    ['еще', 'один', 'елка']
    """
    return _DEFAULT.analyze(tokens)["lemma"]


@deprecated(since="0.1.0", replacement="Corpus.parse(n_jobs=..., engine=..., client=...)")
def parse_corpus(
    corpus: Corpus, n_jobs: int = 1, engine: str = "local", client: Any = None
) -> Parsed:
    """Parse a corpus into tidy tables (the same as :meth:`kzdiscourse.Corpus.parse`).

    Parameters
    ----------
    corpus : Corpus
    n_jobs, engine, client
        See :meth:`kzdiscourse.Corpus.parse`.

    Returns
    -------
    Parsed
    """
    return corpus.parse(n_jobs=n_jobs, engine=engine, client=client)
