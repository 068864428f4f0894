"""The lemmatiser: lemmas, part-of-speech tags and flags of word forms.

Lemmas and tags come from ``pymorphy3`` (OpenCorpora dictionary, C DAWG backend when
``pymorphy3[fast]`` is installed), corrected by ``resources/lemma_overrides.yaml``
(:mod:`kzdiscourse.morphology` loads both). Each distinct lower-cased word form is
analysed once (the type-level cache of a :class:`Lemmatizer`) and the result is mapped
back to every token with array indexing; where a form has several readings (*стали*:
стать or сталь), :mod:`kzdiscourse.disambiguation` picks one from the token's context
(:meth:`Lemmatizer.in_context`), unless ``disambiguate=False``. Sentences and tokens come
from :mod:`kzdiscourse.layout` (:func:`sentenize` and :func:`tokenize` are re-exported
here); how a corpus is parsed (chunks, workers, caches) is :mod:`kzdiscourse.pipeline`
and :mod:`kzdiscourse.engine`.

Conventions
-----------
- ``lemma`` is lower case with ``ё`` folded to ``е``; ``norm`` is the lower-cased,
  ё-folded word form. ``text`` keeps the form as written.
- ``pos`` is a Universal Dependencies UPOS tag mapped from the chosen pymorphy3 analysis
  (the most probable one without context); ``tag`` is that analysis' OpenCorpora tag
  (for case, number, aspect, …).
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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzdiscourse._deprecation import deprecated
from kzdiscourse.disambiguation import Disambiguator, ReadingCache, default_disambiguator
from kzdiscourse.disambiguation.strings import is_word
from kzdiscourse.layout import URL_OR_EMAIL, sentenize, tokenize
from kzdiscourse.morphology import LemmaResources, analyzer_info, shared_resources
from kzdiscourse.scripts import CYRILLIC_LOWER as _CYR
from kzdiscourse.scripts import HOMOGLYPH_SET as _HOMOGLYPH_SET
from kzdiscourse.scripts import HOMOGLYPHS as _HOMOGLYPHS
from kzdiscourse.scripts import LATIN_LOWER as _LAT
from kzdiscourse.scripts import fold_word
from kzdiscourse.type_columns import TypeColumns

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.parsed import Parsed

__all__ = [
    "PIPELINE_VERSION",
    "Analysis",
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
PIPELINE_VERSION = "3"

_ORDINAL = re.compile(r"^(\d+)-(?:[а-яё]{1,3})$")
_NUMERIC = re.compile(r"^[+-]?[\d\s.,:/–—-]*\d[\d\s.,:/–—-]*%?$")
_ALPHA = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")

# combining acute and grave accents: stress marks
_STRESS_MARKS = re.compile("[\u0300\u0301]")

#: One analysis of a form: ``(lemma, upos, tag, score)`` (see :meth:`Lemmatizer.candidates`).
Analysis = tuple[str, str, str, float]


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


def _is_punct(form: str) -> bool:
    return all(unicodedata.category(ch).startswith("P") for ch in form)


#: The analysis of one lower-cased form: lemma, pos, tag, norm, is_alpha, is_stop, script.
TypeRow = tuple[str, str, str, str, bool, bool, str]
_ROW_NAMES = ("lemma", "pos", "tag", "norm", "is_alpha", "is_stop", "script")
_ROW_DTYPES = (object, object, object, object, bool, bool, object)


class Lemmatizer:
    """pymorphy3 lemmatiser with a cache of analysed word forms.

    Each distinct lower-cased form is analysed once; the most probable pymorphy3 analysis
    gives lemma, UPOS and tag (:meth:`reading`), then the corrections in
    ``resources/lemma_overrides.yaml`` apply. In context (:meth:`in_context`, what
    :meth:`Corpus.parse` does by default) a disambiguator picks another of the form's
    analyses where its neighbours call for it. One instance can be reused across
    documents and corpora; :meth:`clear_cache` forgets the analysed forms.

    Parameters
    ----------
    resources : LemmaResources, optional
        Analyser and word lists; by default the ones every lemmatiser shares.
    disambiguator : kzdiscourse.disambiguation.Disambiguator, optional
        The model that chooses among a form's analyses in context; by default the
        packaged one (loaded on first use).

    Examples
    --------
    >>> lem = Lemmatizer()
    >>> lem.analyze(["Астаны", "санкций", "2025", "28-го", "Glencore"])["lemma"]
    ['астана', 'санкция', '2025', '28-й', 'glencore']
    >>> len(lem), lem.clear_cache(), len(lem)
    (5, None, 0)
    """

    def __init__(
        self, resources: LemmaResources | None = None, disambiguator: Disambiguator | None = None
    ) -> None:
        self.resources = resources if resources is not None else shared_resources()
        self._cache: dict[str, TypeRow] = {}
        # the cached rows as numbered columns, for type_table
        self._columns = TypeColumns(_ROW_NAMES, _ROW_DTYPES)
        self._disambiguator = disambiguator
        self._readings: ReadingCache | None = None
        # type_table(keep=True): the readings of each form analysed go to self._readings
        self._keep = False

    def __len__(self) -> int:
        return len(self._cache)

    def clear_cache(self) -> None:
        """Forget every analysed form (the next parse analyses them again)."""
        self._cache.clear()
        self._columns.clear()
        self._readings = None

    @property
    def disambiguator(self) -> Disambiguator:
        """The model that chooses among a form's analyses in context."""
        if self._disambiguator is None:
            self._disambiguator = default_disambiguator()
        return self._disambiguator

    # -------------------------------------------------------------- one form
    def _analyze_form(self, lower: str) -> tuple[str, str, str]:
        """(lemma, upos, tag) of one lower-cased form: its most probable analysis.

        pymorphy3 is asked once; in :meth:`type_table` with ``keep``, all its analyses
        go straight into the disambiguator's cache of readings (:meth:`reading_cache`), so
        that they are neither asked for nor kept again."""
        if not self._keep:
            return self._candidates(lower, "first")[0][:3]
        found = self._candidates(lower, "readings")
        if len(found) == 1:  # as candidates() gives a form with one analysis
            found = [(*found[0][:3], 1.0)]
        self.reading_cache().add(lower, found)
        return found[0][:3]

    def reading_cache(self) -> ReadingCache:
        """The readings of the forms this lemmatiser has chosen among in context (or
        analysed for that), computed once per form."""
        if self._readings is None:
            self._readings = self.disambiguator.reading_cache()
        return self._readings

    def candidates(self, lower: str) -> list[Analysis]:
        """Every analysis of a lower-cased form, most probable first.

        ``(lemma, upos, tag, score)`` for each of pymorphy3's analyses (each through
        :meth:`reading`; ``score`` is pymorphy3's estimate of its probability), or the one
        analysis of a number, URL, punctuation mark, abbreviation or non-Cyrillic word
        (score 1.0). The first is the analysis the form gets without context.

        Examples
        --------
        >>> [(lemma, upos) for lemma, upos, _, _ in Lemmatizer().candidates("стали")][:2]
        [('стать', 'VERB'), ('сталь', 'NOUN')]
        """
        return self._candidates(lower, "all")

    def _candidates(self, lower: str, mode: str) -> list[Analysis]:
        """:meth:`candidates` with ``mode`` ``"first"`` (the first only), ``"all"`` or
        ``"readings"`` (all; when every analysis has the same lemma and part of speech,
        their lemma and UPOS are worked out once)."""
        if is_word(lower):
            # the common case: Cyrillic letters (and hyphens); none of the checks below apply
            return self._dictionary(lower, lower, mode)
        if lower.endswith(".") and is_word(lower.rstrip(".")):
            # a word with an abbreviation's period ("А.", "т." among gold tokens): parse()
            # splits the period off, so the word is analysed as parse() analyses it
            return self._candidates(lower.rstrip("."), mode)
        if _STRESS_MARKS.search(lower):
            # stress marks (во́дская, common in dictionaries and Wikipedia) are not letters
            bare = _STRESS_MARKS.sub("", lower)
            if bare:
                return self._candidates(bare, mode)
        if not any(ch.isalnum() for ch in lower):
            if URL_OR_EMAIL.fullmatch(lower):
                return [(lower, "X", "URL", 1.0)]
            return [(lower, ("PUNCT" if _is_punct(lower) else "SYM"), "PNCT", 1.0)]
        if URL_OR_EMAIL.fullmatch(lower):
            return [(lower, "X", "URL", 1.0)]
        if any(ch.isdigit() for ch in lower):
            m = _ORDINAL.match(lower)
            if m:
                return [(f"{m.group(1)}-й", "ADJ", "ORD", 1.0)]
            if _NUMERIC.match(lower):
                return [(lower, "NUM", "NUMB", 1.0)]
            return [(_fold(lower), "X", "MIXED", 1.0)]
        has_cyr = bool(_CYR.search(lower))
        has_lat = bool(_LAT.search(lower))
        if has_lat and not has_cyr:
            return [(lower, "X", "LATN", 1.0)]
        form = lower
        if has_lat and has_cyr:
            latin = {ch for ch in lower if "a" <= ch <= "z"}
            if latin <= _HOMOGLYPH_SET:
                form = lower.translate(_HOMOGLYPHS)
            else:
                return [(_fold(lower), "X", "MIXED", 1.0)]
        return self._dictionary(lower, form, mode)

    def _dictionary(self, lower: str, form: str, mode: str) -> list[Analysis]:
        """Form overrides, then the readings of pymorphy3's analyses of ``form``."""
        key = _fold(form).rstrip(".")
        forms = self.resources.form_overrides
        if key in forms:
            return [(forms[key], "NOUN", "Abbr", 1.0)]
        if not _CYR.search(form):  # letters of other scripts (Greek, Arabic, …)
            return [(lower, "X", "FRGN", 1.0)]
        parses = self.analyses(form)
        if mode == "first" or len(parses) == 1:
            return [(*self.reading(parses[0]), float(parses[0].score))]
        if mode == "readings" and len(parses) > 1:
            # the same reading key (LemmaResources.reading_key) for every analysis?
            parts = self.resources.parts_of_tag
            head = parses[0]
            normal_form, head_parts = head.normal_form, parts(head.tag)
            for p in parses[1:]:
                if p.normal_form != normal_form or parts(p.tag) != head_parts:
                    break
            else:
                # one (lemma, part of speech): the first analysis' lemma and UPOS serve all
                lemma, upos, tag = self.reading(head)
                rest = [(lemma, upos, str(p.tag), float(p.score)) for p in parses[1:]]
                return [(lemma, upos, tag, float(head.score)), *rest]
        out: list[Analysis] = []
        seen: set[tuple[str, str]] = set()
        for parse in parses:
            lemma, upos, tag = self.reading(parse)
            if (lemma, tag) not in seen:  # an analysis repeated with the same lemma and tag
                seen.add((lemma, tag))
                out.append((lemma, upos, tag, float(parse.score)))
        return out

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
        return self.resources.reading(analysis)

    def analyze_type(self, lower: str) -> TypeRow:
        """The full analysis of one lower-cased form (not cached; see :meth:`rows`)."""
        lemma, pos, tag = self._analyze_form(lower)
        stop_words = self.resources.stopwords
        if is_word(lower):  # Cyrillic letters and hyphens (most forms): no Latin to fold
            norm = lower.replace("ё", "е")
            return (
                lemma,
                pos,
                tag,
                norm,
                True,
                lemma in stop_words or norm in stop_words,
                "cyrillic",
            )
        norm = _fold(_fold_mixed(lower))
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
    def analyze(self, forms: Sequence[str], disambiguate: bool = True) -> dict[str, list[Any]]:
        """Analyse the tokens of one sentence.

        Parameters
        ----------
        forms : sequence of str
            Tokens as written, in order.
        disambiguate : bool, default True
            Choose among a form's analyses from the neighbouring tokens
            (:meth:`in_context`), as :meth:`Corpus.parse` does; ``False`` gives every form
            its most probable analysis whatever its context.

        Returns
        -------
        dict
            ``lemma``, ``pos``, ``tag``, ``is_stop`` lists, one entry per form.
        """
        forms = list(forms)
        raw_codes, raw_uniques = pd.factorize(pd.Series(forms, dtype=object))
        written = [str(u) for u in raw_uniques]
        low_codes, low_uniques = pd.factorize(pd.Series([w.lower() for w in written], dtype=object))
        lower = [str(u) for u in low_uniques]
        codes = low_codes[raw_codes] if forms else np.zeros(0, dtype=np.int64)
        table = self.type_table(lower, keep=disambiguate)
        if disambiguate and forms:
            sent = np.zeros(len(forms), dtype=np.int64)
            table, codes = self.in_context(table, lower, codes, written, raw_codes, sent)
        return {k: table[k][codes].tolist() for k in ("lemma", "pos", "tag", "is_stop")}

    def in_context(
        self,
        table: dict[str, np.ndarray],
        lower_forms: Sequence[str],
        lower_code: np.ndarray,
        forms: Sequence[str],
        form_code: np.ndarray,
        sent: np.ndarray,
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The type table of ``lower_forms`` extended with the analyses chosen in context,
        and each token's row of it (see
        :meth:`kzdiscourse.disambiguation.Disambiguator.in_context`; the readings of each
        form are computed once and cached with this lemmatiser's analyses)."""
        return self.disambiguator.in_context(
            table,
            (lower_forms, lower_code, forms, form_code, sent),
            readings=self.reading_cache(),
            candidates=self.candidates,
            stopwords=self.resources.stopwords,
        )

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

    def type_table(self, uniques: list[str], keep: bool = False) -> dict[str, np.ndarray]:
        """Feature arrays of distinct lower-cased forms (analysing those not cached yet).

        Returns ``lemma``, ``pos``, ``tag``, ``norm``, ``is_alpha``, ``is_stop``,
        ``script`` arrays aligned with ``uniques``. With ``keep``, the readings of the
        forms analysed now go to :meth:`reading_cache` from the same pymorphy3 analyses,
        so the disambiguator does not ask pymorphy3 again.
        """
        self._keep = keep
        try:
            ids = self._columns.ids(uniques, self._row)
        finally:
            self._keep = False
        return self._columns.take(ids)

    def _row(self, form: str) -> TypeRow:
        """The analysis of one lower-cased form, through the cache."""
        hit = self._cache.get(form)
        if hit is None:
            hit = self._cache[form] = self.analyze_type(form)
        return hit


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


def lemmatize(tokens: Sequence[str], disambiguate: bool = True) -> list[str]:
    """Lemmatise the tokens of one sentence, exactly as :meth:`Corpus.parse` does.

    Parameters
    ----------
    tokens : sequence of str
        Tokens of one sentence as written, in order (any tokenisation, e.g. gold UD
        tokens). For a list of unrelated words, pass ``disambiguate=False``.
    disambiguate : bool, default True
        Choose among a form's analyses from its neighbours
        (:mod:`kzdiscourse.disambiguation`); ``False`` gives each form its most probable
        analysis, as ``Corpus.parse(disambiguate=False)`` does.

    Returns
    -------
    list of str
        One lemma per token (lower case, ё folded to е).

    Examples
    --------
    >>> lemmatize(["Ещё", "одна", "ёлка"])
    ['еще', 'один', 'елка']
    """
    return _DEFAULT.analyze(tokens, disambiguate=disambiguate)["lemma"]


@deprecated(since="0.1.0", replacement="Corpus.parse(n_jobs=..., engine=..., client=...)")
def parse_corpus(
    corpus: Corpus,
    n_jobs: int = 1,
    engine: str = "local",
    client: Any = None,
    disambiguate: bool = True,
) -> Parsed:
    """Parse a corpus into tidy tables (the same as :meth:`kzdiscourse.Corpus.parse`).

    Parameters
    ----------
    corpus : Corpus
    n_jobs, engine, client, disambiguate
        See :meth:`kzdiscourse.Corpus.parse`.

    Returns
    -------
    Parsed
    """
    return corpus.parse(n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate)
