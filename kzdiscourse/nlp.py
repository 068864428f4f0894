"""Sentence splitting, tokenisation, lemmatisation and part-of-speech tags.

Sentences and tokens come from ``razdel``; lemmas and tags from ``pymorphy3`` (OpenCorpora
dictionary, C DAWG backend when ``pymorphy3[fast]`` is installed). Lemmatisation is
context-free: each distinct lower-cased word form in the corpus is analysed once (a
type-level cache) and the result is mapped back to every token with array indexing.

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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzdiscourse.resources import load_resource
from kzdiscourse.scripts import CYRILLIC_LOWER as _CYR
from kzdiscourse.scripts import HOMOGLYPH_SET as _HOMOGLYPH_SET
from kzdiscourse.scripts import HOMOGLYPHS as _HOMOGLYPHS
from kzdiscourse.scripts import LATIN_LOWER as _LAT
from kzdiscourse.scripts import fold_lookalikes, fold_word
from kzdiscourse.tokenizer import segment_spans

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.disambiguation import Disambiguator
    from kzdiscourse.parsed import Parsed

__all__ = [
    "PIPELINE_VERSION",
    "Lemmatizer",
    "analyses",
    "analyzer_info",
    "default_lemmatizer",
    "lemmatization_info",
    "lemmatize",
    "parse_corpus",
    "sentenize",
    "tokenize",
]

#: Bumped whenever the same text would get different sentences, tokens, lemmas or tags.
PIPELINE_VERSION = "3"

_PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"”]*[^\s<>«»\"”.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_PROTECT_HINT = re.compile(r"https?:|www\.|@")
_DASH = re.compile(r"[–—]")
_DASHED_WORDS = re.compile(r"[^\W\d_][\w-]*(?:[–—][^\W\d_][\w-]*)+")
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
# UPOS depends only on the tag and on whether the lemma is auxiliary / coordinating
_UPOS_BY_TAG: dict[tuple[str, bool, bool], str] = {}
_CYR_WORD = re.compile(r"[а-яё]+(?:-[а-яё]+)*")
# combining acute and grave accents: stress marks
_STRESS_MARKS = re.compile("[\u0300\u0301]")


# ------------------------------------------------------------------------------ segmentation


def sentenize(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (razdel), as ``(start, end)`` offsets.

    Examples
    --------
    >>> text = "ЕС ввёл санкции. Казахстан добился исключения."
    >>> [text[s:e] for s, e in sentenize(text)]
    ['ЕС ввёл санкции.', 'Казахстан добился исключения.']
    """
    from razdel import sentenize as _razdel_sentenize

    return [(s.start, s.stop) for s in _razdel_sentenize(text)]


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token spans of ``text``.

    razdel's tokens (computed by :mod:`kzdiscourse.tokenizer`, which reproduces razdel's
    boundaries exactly, only faster), with two corrections: URLs and e-mail addresses
    stay whole, and a word pair joined by an en or em dash (``ЕС–Россия``) is split into
    the two words and the dash, so each actor is its own token. Hyphenated words
    (``военно-политический``) and number ranges (``2025–2027``) stay whole. Boundaries are
    found on the text with its look-alike letters folded
    (:func:`kzdiscourse.scripts.fold_lookalikes`), so ``Кaзахстан`` is one token.

    Examples
    --------
    >>> text = "См. https://tass.ru/x и диалог ЕС–Россия."
    >>> [text[s:e] for s, e in tokenize(text)]
    ['См', '.', 'https://tass.ru/x', 'и', 'диалог', 'ЕС', '–', 'Россия', '.']
    >>> text = "Кaзахстан и EC"  # a Latin "a" inside, Latin "EC"
    >>> [text[s:e] for s, e in tokenize(text)]
    ['Кaзахстан', 'и', 'EC']
    """
    starts, ends, _ = _tokenize_sentences(fold_lookalikes(text).text, [0], [len(text)])
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _tokenize_sentences(
    text: str, sent_starts: Sequence[int], sent_ends: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of many sentences of ``text``: each as :func:`tokenize` gives it alone.

    Returns token starts, ends (offsets into ``text``) and the index of each token's
    sentence, in text order.
    """
    seg_s: list[int] = []
    seg_e: list[int] = []
    seg_sent: list[int] = []
    url_s: list[int] = []
    url_e: list[int] = []
    url_sent: list[int] = []
    hint = _PROTECT_HINT.search
    for k, (a, b) in enumerate(zip(sent_starts, sent_ends, strict=True)):
        if hint(text, a, b) is None:
            seg_s.append(a)
            seg_e.append(b)
            seg_sent.append(k)
            continue
        # URLs and e-mails are single tokens; razdel sees the pieces between them
        pos = a
        for m in _PROTECTED.finditer(text, a, b):
            seg_s.append(pos)
            seg_e.append(m.start())
            seg_sent.append(k)
            url_s.append(m.start())
            url_e.append(m.end())
            url_sent.append(k)
            pos = m.end()
        seg_s.append(pos)
        seg_e.append(b)
        seg_sent.append(k)
    tok_s, tok_e, tok_seg = segment_spans(text, seg_s, seg_e)
    tok_sent = np.asarray(seg_sent, dtype=np.int64)[tok_seg] if len(tok_seg) else tok_seg
    if url_s:
        tok_s = np.concatenate([tok_s, np.asarray(url_s, dtype=np.int64)])
        tok_e = np.concatenate([tok_e, np.asarray(url_e, dtype=np.int64)])
        tok_sent = np.concatenate([tok_sent, np.asarray(url_sent, dtype=np.int64)])
        order = np.argsort(tok_s, kind="stable")
        tok_s, tok_e, tok_sent = tok_s[order], tok_e[order], tok_sent[order]
    if "–" in text or "—" in text:
        tok_s, tok_e, tok_sent = _split_dashed(text, tok_s, tok_e, tok_sent)
    return tok_s, tok_e, tok_sent


def _split_dashed(
    text: str, tok_s: np.ndarray, tok_e: np.ndarray, tok_sent: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split tokens like ``ЕС–Россия`` (words joined by an en/em dash) into three."""
    dashes = np.array([m.start() for m in _DASH.finditer(text)], dtype=np.int64)
    if not len(dashes) or not len(tok_s):
        return tok_s, tok_e, tok_sent
    # tokens that contain a dash (a token with a dash inside is longer than 2 characters)
    owner = np.searchsorted(tok_s, dashes, side="right") - 1
    owner = owner[(owner >= 0) & (dashes < tok_e[np.maximum(owner, 0)])]
    candidates = [k for k in np.unique(owner).tolist() if tok_e[k] - tok_s[k] > 2]
    pieces: dict[int, list[tuple[int, int]]] = {}
    for k in candidates:
        start, end = int(tok_s[k]), int(tok_e[k])
        token = text[start:end]
        if not _DASHED_WORDS.fullmatch(token):
            continue
        parts = []
        cursor = start
        for m in _DASH.finditer(token):
            parts.append((cursor, start + m.start()))
            parts.append((start + m.start(), start + m.end()))
            cursor = start + m.end()
        parts.append((cursor, end))
        pieces[k] = parts
    if not pieces:
        return tok_s, tok_e, tok_sent
    split = sorted(pieces)
    counts = np.ones(len(tok_s), dtype=np.int64)
    counts[split] = [len(pieces[k]) for k in split]
    first = np.cumsum(counts) - counts
    new_s, new_e = np.repeat(tok_s, counts), np.repeat(tok_e, counts)
    for k in split:
        for j, (a, b) in enumerate(pieces[k]):
            new_s[first[k] + j] = a
            new_e[first[k] + j] = b
    return new_s, new_e, np.repeat(tok_sent, counts)


# ------------------------------------------------------------------------------ lemmatisation


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _overrides() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    data = load_resource("lemma_overrides").data
    forms = {str(k): str(v) for k, v in (data.get("forms") or {}).items()}
    lemmas = {(str(r["pos"]), str(r["lemma"])): str(r["to"]) for r in data.get("lemmas") or []}
    return forms, lemmas


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(str(w) for w in load_resource("stopwords_ru").data["words"])


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
    meta = _morph().dictionary.meta
    info["dictionary_revision"] = str(meta.get("source_revision", "unknown"))
    try:
        import dawg  # noqa: F401

        info["dawg_backend"] = "DAWG2 (C extension)"
    except ImportError:
        info["dawg_backend"] = "DAWG-Python (pure Python, ~6x slower)"
    return info


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


def analyses(lower: str, every: bool = True) -> list[tuple[str, str, str, float]]:
    """Every analysis of a lower-cased word form, most probable first.

    The analyses the lemmatiser chooses from: ``(lemma, upos, tag, score)`` for each of
    pymorphy3's analyses (in its order, with the corrections of
    ``resources/lemma_overrides.yaml``; an analysis repeated with the same lemma and tag
    is listed once), or the single analysis of a number, URL, punctuation mark,
    abbreviation or non-Cyrillic word. ``score`` is pymorphy3's estimate of the
    analysis' probability (1.0 for a single analysis). The first analysis is the one
    :meth:`Lemmatizer.analyze` gives without context.

    Parameters
    ----------
    lower : str
        A lower-cased word form.
    every : bool, default True
        ``False`` returns the first analysis only (quicker).

    Returns
    -------
    list of (str, str, str, float)

    Examples
    --------
    >>> [(lemma, upos) for lemma, upos, _, _ in analyses("стали")][:2]
    [('стать', 'VERB'), ('сталь', 'NOUN')]
    """
    return _analyses(lower, "all" if every else "first")


def _analyses(lower: str, mode: str) -> list[tuple[str, str, str, float]]:
    """:func:`analyses` with ``mode`` ``"first"``, ``"all"`` or ``"readings"`` (all; when
    every analysis has the same lemma and part of speech, the lemma and UPOS are worked
    out once, and a tag repeated with another lemma spelling may be listed twice)."""
    if _CYR_WORD.fullmatch(lower):
        # the common case: Cyrillic letters (and hyphens); none of the checks below apply
        return _dictionary(lower, lower, mode)
    if _STRESS_MARKS.search(lower):
        # stress marks (во́дская, common in dictionaries and Wikipedia) are not letters
        bare = _STRESS_MARKS.sub("", lower)
        if bare:
            return _analyses(bare, mode)
    if not any(ch.isalnum() for ch in lower):
        if _PROTECTED.fullmatch(lower):
            return [(lower, "X", "URL", 1.0)]
        return [(lower, ("PUNCT" if _is_punct(lower) else "SYM"), "PNCT", 1.0)]
    if _PROTECTED.fullmatch(lower):
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
    return _dictionary(lower, form, mode)


def _dictionary(lower: str, form: str, mode: str) -> list[tuple[str, str, str, float]]:
    """Lemma overrides, then pymorphy3's analyses of ``form`` (``mode`` as for
    :func:`_analyses`)."""
    forms, lemma_map = _overrides()
    key = _fold(form).rstrip(".")
    if key in forms:
        return [(forms[key], "NOUN", "Abbr", 1.0)]
    if not _CYR.search(form):  # letters of other scripts (Greek, Arabic, …)
        return [(lower, "X", "FRGN", 1.0)]
    parses = _morph().parse(form)
    if mode == "readings" and len(parses) > 1:
        reading = _reading_key(parses[0])
        if all(_reading_key(p) == reading for p in parses[1:]):
            # one (lemma, part of speech): the first analysis' lemma and UPOS serve all
            lemma, upos, tag_str, score = _analysis(parses[0], lemma_map)
            rest = [(lemma, upos, str(p.tag), float(p.score)) for p in parses[1:]]
            return [(lemma, upos, tag_str, score), *rest]
    out: list[tuple[str, str, str, float]] = []
    seen: set[tuple[str, str]] = set()
    for parse in parses if mode != "first" else parses[:1]:
        found = _analysis(parse, lemma_map)
        key = (found[0], found[2])  # lemma and tag
        if key in seen:
            continue
        seen.add(key)
        out.append(found)
    return out


def _analysis(parse: Any, lemma_map: dict[tuple[str, str], str]) -> tuple[str, str, str, float]:
    """(lemma, upos, tag, score) of one pymorphy3 analysis, with the lemma overrides."""
    tag = parse.tag
    tag_str = str(tag)
    lemma = _fold(parse.normal_form)
    lemma = lemma_map.get((tag.POS or "", lemma), lemma)
    key_upos = (tag_str, lemma in _AUXILIARY, lemma in _COORDINATING)
    upos = _UPOS_BY_TAG.get(key_upos)
    if upos is None:
        upos = _UPOS_BY_TAG[key_upos] = _upos(tag, lemma)
    return lemma, upos, tag_str, float(parse.score)


def _reading_key(parse: Any) -> tuple[str, str | None, bool, bool]:
    """What decides a pymorphy3 analysis' (lemma, UPOS): lemma, POS, proper, pronominal."""
    tag = parse.tag
    grammemes = tag.grammemes
    return parse.normal_form, tag.POS, bool(_PROPER & grammemes), "Apro" in grammemes


class Lemmatizer:
    """pymorphy3 lemmatiser with a cache of analysed word forms.

    Each distinct lower-cased form is analysed once; the most probable pymorphy3 analysis
    gives lemma, UPOS and tag, then the corrections in ``resources/lemma_overrides.yaml``
    apply. One instance can be reused across documents and corpora.

    Examples
    --------
    >>> lem = Lemmatizer()
    >>> lem.analyze(["Астаны", "санкций", "2025", "28-го", "Glencore"])["lemma"]
    ['астана', 'санкция', '2025', '28-й', 'glencore']
    """

    def __init__(self, disambiguator: Disambiguator | None = None) -> None:
        self._cache: dict[str, tuple[str, str, str, str, bool, bool, str]] = {}
        # every analysis of the forms analysed by the last type_table call
        self._analyses: dict[str, list[tuple[str, str, str, float]]] = {}
        self._single: set[str] = set()  # … of those with a single analysis
        self._keep = False
        self._disambiguator = disambiguator

    @property
    def disambiguator(self) -> Disambiguator:
        """The model that chooses among a form's readings in context (by default the
        packaged one, :func:`kzdiscourse.disambiguation.default_disambiguator`)."""
        if self._disambiguator is None:
            from kzdiscourse.disambiguation import default_disambiguator

            self._disambiguator = default_disambiguator()
        return self._disambiguator

    def __len__(self) -> int:
        return len(self._cache)

    def _analyze_form(self, lower: str) -> tuple[str, str, str]:
        """(lemma, upos, tag) of one lower-cased form: its most probable analysis.

        pymorphy3 is asked once; when :meth:`type_table` is asked to keep them, all its
        analyses are kept for :meth:`readings_of` (the disambiguator's input)."""
        if not self._keep:
            return _analyses(lower, "first")[0][:3]
        found = _analyses(lower, "readings")
        if len(found) > 1:
            self._analyses[lower] = found
        else:
            self._single.add(lower)
        return found[0][:3]

    def clear(self) -> None:
        """Forget every analysed form."""
        self._cache.clear()
        self._analyses.clear()
        self._single.clear()

    def readings_of(self, lower: str) -> list[tuple[str, str, str, float]] | None:
        """The analyses of a form analysed by the last :meth:`type_table` call (as
        :func:`analyses` gives them), or ``None`` for any other form."""
        found = self._analyses.get(lower)
        if found is not None:
            return found
        if lower in self._single:
            row = self._cache[lower]
            return [(row[0], row[1], row[2], 1.0)]
        return None

    def analyze(self, forms: Sequence[str], disambiguate: bool = True) -> dict[str, list[Any]]:
        """Analyse the tokens of one sentence.

        Parameters
        ----------
        forms : sequence of str
            Tokens as written, in order.
        disambiguate : bool, default True
            Choose among a form's readings from the neighbouring tokens
            (:mod:`kzdiscourse.disambiguation`), as :meth:`Corpus.parse` does; ``False``
            gives every form its most probable analysis whatever its context.

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
        """The type table extended with the readings chosen in context, and new codes.

        The disambiguator (:mod:`kzdiscourse.disambiguation`) picks a reading for each
        token whose form has several; each distinct (form, reading) picked becomes a row
        appended to the table (``lemma``, ``pos``, ``tag`` and ``is_stop`` of the reading,
        the form's other columns), and those tokens point to it. String work stays per
        type: the caller still maps rows to tokens by array indexing.

        Parameters
        ----------
        table : dict of numpy.ndarray
            From :meth:`type_table` for ``lower_forms``.
        lower_forms, lower_code : list of str, numpy.ndarray
            Distinct lower-cased forms and each token's entry (its row of ``table``).
        forms, form_code : list of str, numpy.ndarray
            Distinct forms as written and each token's entry.
        sent : numpy.ndarray
            Each token's sentence number (tokens in text order).

        Returns
        -------
        table : dict of numpy.ndarray
        codes : numpy.ndarray
            Each token's row of the returned table.
        """
        choice = self.disambiguator.choose(
            lower_forms, lower_code, forms, form_code, sent, known=self.readings_of
        )
        if not len(choice.tokens):
            return table, lower_code
        used, inverse = np.unique(choice.reading, return_inverse=True)
        types = choice.table_type[used]
        picked = [choice.table[i] for i in used.tolist()]
        extended = {name: np.concatenate([column, column[types]]) for name, column in table.items()}
        n = len(lower_forms)
        stop_words = _stopwords()
        norms = table["norm"][types].tolist()
        for k, (r, norm) in enumerate(zip(picked, norms, strict=True)):
            extended["lemma"][n + k] = r.lemma
            extended["pos"][n + k] = r.upos
            extended["tag"][n + k] = r.tag
            extended["is_stop"][n + k] = r.lemma in stop_words or norm in stop_words
        codes = np.array(lower_code, dtype=np.int64, copy=True)
        codes[choice.tokens] = n + inverse.ravel()
        return extended, codes

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

    def add(self, rows: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        """Add analyses made elsewhere (``(form, row)`` pairs from
        :func:`kzdiscourse.engine.analyze_forms`) to the cache."""
        self._cache.update(rows)  # type: ignore[arg-type]

    def type_table(self, uniques: list[str], keep: bool = False) -> dict[str, np.ndarray]:
        """Feature arrays of distinct lower-cased forms (analysing those not cached yet).

        With ``keep``, every analysis of the forms analysed now is kept (until the next
        call) for :meth:`readings_of`, which the disambiguator reads.

        Returns ``lemma``, ``pos``, ``tag``, ``norm``, ``is_alpha``, ``is_stop``,
        ``script`` arrays aligned with ``uniques``.
        """
        self._analyses.clear()
        self._single.clear()
        self._keep = keep
        cache = self._cache
        rows = list(map(cache.get, uniques))  # one C-level pass when everything is cached
        for k, hit in enumerate(rows):
            if hit is None:
                form = uniques[k]
                hit = cache.get(form)  # the same form may occur twice in ``uniques``
                if hit is None:
                    hit = cache[form] = self._type_row(form)
                rows[k] = hit
        names = ("lemma", "pos", "tag", "norm", "is_alpha", "is_stop", "script")
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        table = {}
        for name, values in zip(names, columns, strict=True):
            array = np.empty(len(values), dtype=object)
            array[:] = values
            table[name] = array
        for flag in ("is_alpha", "is_stop"):
            table[flag] = table[flag].astype(bool)
        return table

    def _type_row(self, lower: str) -> tuple[str, str, str, str, bool, bool, str]:
        lemma, pos, tag = self._analyze_form(lower)
        norm = _fold(_fold_mixed(lower))
        stop_words = _stopwords()
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


_DEFAULT = Lemmatizer()


def default_lemmatizer() -> Lemmatizer:
    """The lemmatiser (and word-form cache) that :func:`lemmatize` and
    :meth:`Corpus.parse` use in this process."""
    return _DEFAULT


def lemmatization_info(disambiguate: bool = True) -> dict[str, Any]:
    """How lemmas and tags are chosen, for manifests and cache keys.

    Parameters
    ----------
    disambiguate : bool, default True
        Whether readings are chosen in context.

    Returns
    -------
    dict
        ``disambiguation`` (bool) and, when it is on, the packaged model's description:
        training treebanks (repository, commit, file, sentences, tokens, SHA-256), data
        and weights digests and settings.

    Examples
    --------
    >>> info = lemmatization_info()
    >>> info["disambiguation"], info["treebanks"][0]["treebank"]
    (True, 'UD_Russian-Taiga')
    >>> lemmatization_info(disambiguate=False)
    {'disambiguation': False}
    """
    if not disambiguate:
        return {"disambiguation": False}
    from kzdiscourse.disambiguation import default_disambiguator

    return {"disambiguation": True, **default_disambiguator().info}


def lemmatize(tokens: Sequence[str], disambiguate: bool = True) -> list[str]:
    """Lemmatise the tokens of one sentence, exactly as :meth:`Corpus.parse` does.

    Parameters
    ----------
    tokens : sequence of str
        Tokens of one sentence as written, in order (any tokenisation, e.g. gold UD
        tokens). For a list of unrelated words, pass ``disambiguate=False``.
    disambiguate : bool, default True
        Choose among a form's readings from its neighbours
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


# ------------------------------------------------------------------------------ parsing


def parse_corpus(
    corpus: Corpus,
    n_jobs: int = 1,
    engine: str = "local",
    client: Any = None,
    disambiguate: bool = True,
) -> Parsed:
    """Parse a corpus into tidy tables (the engine behind :meth:`Corpus.parse`).

    Parameters
    ----------
    corpus : Corpus
        Cleaned or raw corpus. A cleaned corpus brings its paragraph layout and roles;
        otherwise paragraphs and roles are inferred from the text.
    n_jobs : int, default 1
        Worker processes (joblib, ``loky`` backend); ``-1`` uses every core. Documents are
        split into contiguous chunks, so the output is identical for any ``n_jobs``.
    engine : {"local", "dask"}, default "local"
        ``"dask"`` runs the same per-chunk function on a ``dask.distributed`` cluster
        (:mod:`kzdiscourse.cluster`).
    client : distributed.Client, optional
        The cluster for ``engine="dask"``.
    disambiguate : bool, default True
        Choose among a form's readings in context (:mod:`kzdiscourse.disambiguation`);
        ``False`` gives each form its most probable analysis (as before pipeline version 3).

    Returns
    -------
    Parsed

    See Also
    --------
    kzdiscourse.engine : how the work is split and where each step runs.
    """
    from kzdiscourse.cluster import parse_items
    from kzdiscourse.engine import work_items
    from kzdiscourse.parsed import Parsed

    paragraphs, sentences, tokens = parse_items(
        work_items(corpus), n_jobs=n_jobs, engine=engine, client=client, disambiguate=disambiguate
    )
    return Parsed(
        documents=corpus.documents.reset_index(drop=True),
        paragraphs=paragraphs,
        sentences=sentences,
        tokens=tokens,
        sources=corpus.sources,
        removed=corpus.removed,
        references=corpus.references,
        citations=corpus.citations,
        cleaning=corpus.cleaning,
        lemmatization=lemmatization_info(disambiguate),
    )
