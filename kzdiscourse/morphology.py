"""pymorphy3 and the word lists the lemmatiser loads, and UPOS tags from pymorphy3's.

:class:`LemmaResources` holds what is loaded once per process (the analyser, the lemma
overrides of ``resources/lemma_overrides.yaml``, the stopwords) and turns one pymorphy3
analysis into ``(lemma, upos, tag)``; :func:`analyzer_info` gives the versions the
manifest and the parse cache record. The lemmatiser itself (its cache of analysed forms,
and the choice in context) is :mod:`kzdiscourse.nlp`.

Examples
--------
>>> upos_of(shared_resources().analyzer.parse("быть")[0].tag, "быть")
'AUX'
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from kzdiscourse.resources import load_resource

__all__ = ["LemmaResources", "analyzer_info", "reading_key", "shared_resources", "upos_of"]

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


class LemmaResources:
    """What the lemmatiser loads once: pymorphy3's analyser, lemma overrides, stopwords.

    Each is loaded on first use and kept (after that, reading one is a plain attribute
    lookup); :meth:`clear` drops them (and the UPOS tags derived from analyses), so the
    next use loads them again. All lemmatisers share one instance
    (:func:`shared_resources`) unless given their own. :meth:`reading` turns one
    pymorphy3 analysis into the lemmatiser's ``(lemma, upos, tag)``.

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
        # per tag string: its part of speech, whether a proper name, whether pronominal
        self.tag_parts: dict[str, tuple[str | None, bool, bool]] = {}

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
        self.tag_parts.clear()

    def reading(self, analysis: Any) -> tuple[str, str, str]:
        """``(lemma, upos, tag)`` of one pymorphy3 analysis, lemma overrides applied.

        Examples
        --------
        >>> resources = shared_resources()
        >>> resources.reading(resources.analyzer.parse("стали")[1])
        ('сталь', 'NOUN', 'NOUN,inan,femn sing,gent')
        """
        tag = analysis.tag
        tag_str = str(tag)
        lemma = analysis.normal_form.replace("ё", "е")
        lemma = self.lemma_overrides.get((self.parts_of_tag(tag)[0] or "", lemma), lemma)
        key_upos = (tag_str, lemma in _AUXILIARY, lemma in _COORDINATING)
        memo = self.upos_by_tag
        upos = memo.get(key_upos)
        if upos is None:
            upos = memo[key_upos] = upos_of(tag, lemma)
        return lemma, upos, tag_str

    def reading_key(self, analysis: Any) -> tuple[str, str | None, bool, bool]:
        """:func:`reading_key` of an analysis, with the parts that depend on the tag
        worked out once per tag.

        Examples
        --------
        >>> resources = shared_resources()
        >>> [resources.reading_key(a) for a in resources.analyzer.parse("стали")[:2]]
        [('стать', 'VERB', False, False), ('сталь', 'NOUN', False, False)]
        """
        return (analysis.normal_form, *self.parts_of_tag(analysis.tag))

    def parts_of_tag(self, tag: Any) -> tuple[str | None, bool, bool]:
        """A pymorphy3 tag's part of speech, whether it is a proper name and whether it is
        pronominal (:func:`reading_key` bar the lemma), worked out once per tag: the same
        tuple for every analysis with that tag.

        Examples
        --------
        >>> shared_resources().parts_of_tag(shared_resources().analyzer.parse("астаны")[0].tag)
        ('NOUN', True, False)
        """
        key = str(tag)
        parts = self.tag_parts.get(key)
        if parts is None:
            grammemes = tag.grammemes
            parts = self.tag_parts[key] = (
                tag.POS,
                bool(_PROPER & grammemes),
                "Apro" in grammemes,
            )
        return parts


_SHARED = LemmaResources()


def shared_resources() -> LemmaResources:
    """The resources every lemmatiser uses unless given its own (one per process)."""
    return _SHARED


def reading_key(analysis: Any) -> tuple[str, str | None, bool, bool]:
    """What decides the lemma and UPOS of a pymorphy3 analysis: its lemma, part of speech,
    and whether it is a proper name and pronominal (analyses with the same key have the
    same :meth:`LemmaResources.reading`, bar the tag)."""
    tag = analysis.tag
    grammemes = tag.grammemes
    return analysis.normal_form, tag.POS, bool(_PROPER & grammemes), "Apro" in grammemes


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
    meta = _SHARED.analyzer.dictionary.meta
    info["dictionary_revision"] = str(meta.get("source_revision", "unknown"))
    try:
        import dawg  # noqa: F401

        info["dawg_backend"] = "DAWG2 (C extension)"
    except ImportError:
        info["dawg_backend"] = "DAWG-Python (pure Python, ~6x slower)"
    return info


def upos_of(tag: Any, lemma: str) -> str:
    """The UPOS tag of a pymorphy3 tag (and its lemma: *быть* is AUX, *и* CCONJ)."""
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
