"""Context-aware choice among pymorphy3's analyses (lemma and UPOS disambiguation).

pymorphy3 stays the analyser: for each token whose form has more than one reading (a
``(lemma, upos)`` pair among its analyses), a linear model trained on the Universal
Dependencies Russian treebanks picks one from the neighbouring words' forms, classes of
parts of speech and tags, the word's suffix and capitalisation, and pymorphy3's own
probabilities. Every lemma is still one of pymorphy3's (or a documented override).

The package sits below the lemmatiser and never imports it (bar the training code):
:meth:`kzdiscourse.nlp.Lemmatizer.in_context` passes it the analyses of each form and
keeps the cache of their readings.

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
    lemmatization_info,
    load_model,
    save_model,
)
from kzdiscourse.disambiguation.readings import ReadingCache

__all__ = [
    "Disambiguator",
    "ReadingCache",
    "default_disambiguator",
    "lemmatization_info",
    "load_model",
    "save_model",
]
