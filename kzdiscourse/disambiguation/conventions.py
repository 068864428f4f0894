"""UD Russian's lemma conventions that are not choices among pymorphy3's analyses.

The UD treebanks lemmatise some words differently from pymorphy3's dictionary: the
substantive pronouns *то* and *все*, superlatives as words of their own, a woman's surname
and patronymic as her own name, comparatives as adverbs. :func:`ud_conventions` rewrites
or adds the readings for them, once per distinct form
(:mod:`kzdiscourse.disambiguation.readings` calls it), and the model chooses among the
readings in context. Derived from the training files (docs/lemmas.md, round 6).

Examples
--------
>>> feminine_name("васильев", "NOUN,anim,femn,Sgtm,Surn sing,datv")
'васильева'
"""

from __future__ import annotations

import re
from functools import lru_cache

from kzdiscourse.wordlists import russian_frequencies

__all__ = [
    "OWN_SUPERLATIVES",
    "SUBSTANTIVE_PRONOUNS",
    "Analysis",
    "comparative_adverbs",
    "feminine_name",
    "ud_conventions",
]

#: ``(lemma, upos, tag, score)``, as :meth:`kzdiscourse.nlp.Lemmatizer.candidates` gives
#: them (this package does not import the lemmatiser: it sits below it).
Analysis = tuple[str, str, str, float]


@lru_cache(maxsize=1 << 14)
def _grammemes(tag: str) -> frozenset[str]:
    return frozenset(tag.replace(" ", ",").split(","))


@lru_cache(maxsize=1 << 14)
def _pos_of(tag: str) -> str:
    head = tag.split(" ", 1)[0].split(",", 1)[0]
    return head if head.isupper() else "X"


#: Pronominal adjectives whose substantive use UD lemmatises as a pronoun of its own:
#: ``lemma: (pronoun, grammemes any of which the tag must have)`` (*до того*, *в том*,
#: *тем самым* → то; *для всех*, *всем известно*, *прежде всего* → все).
SUBSTANTIVE_PRONOUNS = {
    "тот": ("то", ("neut",)),
    "весь": ("все", ("neut", "plur")),
}


#: Superlatives that UD (like Russian dictionaries) lemmatises as words of their own, not
#: as forms of the positive adjective pymorphy3 gives: their stems (*лучш-ий*, not
#: хороший; *высш-ий*, not высокий).
OWN_SUPERLATIVES = frozenset(
    {"лучш", "худш", "высш", "низш", "меньш", "больш", "ближайш", "малейш"}
    | {f"наи{stem}" for stem in ("лучш", "худш", "высш", "низш", "меньш", "больш")}
)
_ADJ_ENDING = re.compile(
    "(?:ими|ыми|ого|его|ому|ему|ая|яя|ое|ее|ые|ие|ых|их|ым|им|ой|ей|ую|юю|ом|ем|ий|ый)$"
)


_FEMININE_SURNAME = (
    (re.compile("(?:ский|цкий|ской|цкой)$"), 2, "ая"),  # Вишневский → Вишневская
    (re.compile("(?:ов|ев|ёв|ин|ын)$"), 0, "а"),  # Захаров → Захарова
    (re.compile("[^аеиоуыэюяь]ой$"), 2, "ая"),  # Толстой → Толстая
)


def feminine_name(lemma: str, tag: str) -> str | None:
    """The lemma UD gives a feminine surname or patronymic that pymorphy3 lemmatises to
    the masculine: the woman's own name (*Захаровой* → Захарова, not Захаров;
    *Алексеевна* → Алексеевна, not Алексеевич), or ``None``.

    Examples
    --------
    >>> feminine_name("захаров", "NOUN,anim,femn,Sgtm,Surn sing,gent")
    'захарова'
    >>> feminine_name("алексеевич", "NOUN,anim,femn,Patr sing,nomn")
    'алексеевна'
    >>> feminine_name("захаров", "NOUN,anim,masc,Sgtm,Surn sing,gent") is None
    True
    """
    grammemes = _grammemes(tag)
    if "femn" not in grammemes:
        return None
    if "Patr" in grammemes:
        if lemma.endswith(("ович", "евич")):
            return lemma[:-2] + "на"
        return None
    if "Surn" in grammemes:
        for pattern, cut, ending in _FEMININE_SURNAME:
            if pattern.search(lemma):
                return (lemma[:-cut] if cut else lemma) + ending
    return None


def comparative_adverbs(lower: str, lemma: str, lexicalised: bool = False) -> tuple[str, ...]:
    """The adverb lemmas UD gives a comparative that pymorphy3 lemmatises to the
    adjective: the positive adverb (*чаще* → часто, *быстрее* → быстро) and the
    comparative itself (*раньше, позже, дальше*, which UD keeps as adverbs of their own);
    the model chooses among them and the adjective (*сильнее* → сильный) in context.
    No positive adverb when pymorphy3 lexicalises the form (``lexicalised``: it has an
    analysis whose lemma is the form, as *скорее* "rather", *лучше*, *больше*), nor when
    it is not a word of general Russian (*ранний* → not *ранно*).

    Examples
    --------
    >>> comparative_adverbs("чаще", "частый")
    ('часто', 'чаще')
    >>> comparative_adverbs("раньше", "ранний"), comparative_adverbs("скорее", "скорый", True)
    (('раньше',), ('скорее',))
    """
    if lemma[-2:] not in ("ый", "ий", "ой") or len(lemma) < 4:
        return ()
    positive = lemma[:-2] + "о"
    if lexicalised or positive == lower or positive not in russian_frequencies("best"):
        return (lower,)
    return (positive, lower)


def ud_conventions(lower: str, found: list[Analysis]) -> tuple[list[Analysis], bool]:
    """The analyses of a form with the readings UD's lemma conventions add, and whether
    any was added or changed.

    - A superlative of :data:`OWN_SUPERLATIVES` is its own lemma: *лучших* → лучший.
    - A neuter (or plural) form of *тот* or *весь* may also be the substantive pronoun
      *то* or *все* (UPOS PRON), next to the determiner (:data:`SUBSTANTIVE_PRONOUNS`);
      the model chooses between them in context.
    - A comparative also has the adverb readings of :func:`comparative_adverbs` next to
      the adjective (*чаще* → частый, часто or чаще).
    - A feminine surname or patronymic is the woman's name (:func:`feminine_name`).

    Examples
    --------
    >>> ud_conventions("лучших", [("хороший", "ADJ", "ADJF,Supr,Qual plur,gent", 1.0)])
    ([('лучший', 'ADJ', 'ADJF,Supr,Qual plur,gent', 1.0)], True)
    >>> ud_conventions("того", [("тот", "DET", "ADJF,Subx,Apro,Anph neut,sing,gent", 0.9)])[0]
    [('тот', 'DET', 'ADJF,Subx,Apro,Anph neut,sing,gent', 0.9), \
('то', 'PRON', 'ADJF,Subx,Apro,Anph neut,sing,gent', 0.9)]
    """
    out: list[Analysis] = []
    changed = False
    lexicalised = any(a[0] == lower for a in found)
    for lemma, upos, tag, score in found:
        pos = _pos_of(tag)
        if pos == "ADJF" and "Supr" in _grammemes(tag):
            stem = _ADJ_ENDING.sub("", lower)
            if stem in OWN_SUPERLATIVES and lemma != stem + "ий":
                out.append((stem + "ий", upos, tag, score))
                changed = True
                continue
        if pos == "COMP" and upos == "ADJ":
            out.append((lemma, upos, tag, score))
            for adverb in comparative_adverbs(lower, lemma, lexicalised):
                out.append((adverb, "ADV", tag, score))
                changed = True
            continue
        if pos == "NOUN":
            feminine = feminine_name(lemma, tag)
            if feminine is not None and feminine != lemma:
                out.append((feminine, upos, tag, score))
                changed = True
                continue
        out.append((lemma, upos, tag, score))
        rule = SUBSTANTIVE_PRONOUNS.get(lemma)
        if rule is not None and pos == "ADJF" and not _grammemes(tag).isdisjoint(rule[1]):
            out.append((rule[0], "PRON", tag, score))
            changed = True
    return out, changed
