"""Context-aware choice among pymorphy3's analyses (lemma and UPOS disambiguation).

pymorphy3 stays the analyser: for each token whose form has more than one reading (a
``(lemma, upos)`` pair among its analyses), a linear model trained on the Universal
Dependencies Russian treebanks picks one from the neighbouring words' forms, classes of
parts of speech and tags, the word's suffix and capitalisation, and pymorphy3's own
probabilities. Every lemma is still one of pymorphy3's (or a documented override).

Examples
--------
>>> from kzdiscourse.nlp import lemmatize
>>> lemmatize(["Его", "книга", "лежит", "на", "столе", "."])
['его', 'книга', 'лежать', 'на', 'стол', '.']
>>> lemmatize(["Я", "видел", "его", "вчера", "."])
['я', 'видеть', 'он', 'вчера', '.']
"""

from kzdiscourse.disambiguation.model import (
    Disambiguator,
    default_disambiguator,
    load_model,
    save_model,
)

__all__ = ["Disambiguator", "default_disambiguator", "load_model", "save_model"]
