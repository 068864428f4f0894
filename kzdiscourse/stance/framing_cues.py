"""Two dense feature blocks of the stance model: transactional framing and bare event reports.

Both are word lists written from the codebook (``docs/stance_codebook.md``: the
``instrumental`` row of the label table, rules 3, 6, 12 and 14) and the adjudicator's
pattern decisions (``docs/stance_adjudication.md``: P5–P7, P11, P22, P26), not from a
model's errors:

* ``transactional`` — what makes a sentence ``instrumental``: interest and gain words
  (выгода, прагматизм, расчёт), pressure and coercion (рычаг, давление, навязывать,
  санкция, ультиматум), a tool or an unequal relationship (инструмент, асимметрия,
  плацдарм), what a side is valued *for* (ресурс, сырьё, транзит), and constructions such as
  «лишь ради», «в обмен на», «рычаг давления», «не союзник».
* ``event`` — what a topical but ``none`` sentence looks like (rules 3 and 6: facts, events,
  figures, procedure): reporting verbs (заявить, сообщить, отметить), meeting and agenda
  words (встреча, визит, переговоры, повестка, подписать), dates (a month, a four-digit
  year), and whether the sentence has *no* evaluative cue of the lexicon at all (the
  interaction of the two: an event report without an evaluative word).

Lemmas are compared with «ё» read as «е» (the parser's lemmas write «е»). Each column is a
count per sentence, capped at 3 (one strong word and three weak ones
should not differ by a factor of three). :func:`framing_columns` computes them from the
tokens table, vectorised over tokens like the other sentence facts.

Examples
--------
>>> import numpy as np, pandas as pd
>>> tokens = pd.DataFrame({
...     "lemma": ["европа", "нужный", "лишь", "ради", "литий", "министр", "заявить",
...               "о", "визит", "в", "март"],
...     "text": ["Европе", "нужен", "лишь", "ради", "литий", "Министр", "заявил",
...              "о", "визите", "в", "марте"],
...     "pos": ["PROPN", "ADJ", "PART", "ADP", "NOUN", "NOUN", "VERB", "ADP", "NOUN",
...             "ADP", "NOUN"]})
>>> cols = framing_columns(tokens, np.array([0] * 5 + [1] * 6), 2)
>>> cols["tr_construction"].tolist(), cols["tr_resource"].tolist()
([1.0, 0.0], [1.0, 0.0])
>>> cols["ev_reporting"].tolist(), cols["ev_meeting"].tolist(), cols["ev_date"].tolist()
([0.0, 1.0], [0.0, 2.0], [0.0, 1.0])
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kzdiscourse.stance.token_codes import TokenCodes

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_WORDS",
    "TRANSACTIONAL_COLUMNS",
    "TRANSACTIONAL_CONSTRUCTIONS",
    "TRANSACTIONAL_WORDS",
    "framing_columns",
    "no_cue_interactions",
]


def _words(text: str) -> frozenset[str]:
    """The space-separated lemmas of ``text``, «ё» read as «е»."""
    return frozenset(text.replace("ё", "е").split())


#: Lemma lists of the ``transactional`` block, one column each (``tr_<name>``).
TRANSACTIONAL_WORDS: dict[str, frozenset[str]] = {
    # interest-driven, calculation, pragmatism without shared values (label table, rule 12)
    "gain": _words(
        "выгода выгодный взаимовыгодный польза прибыль прибыльный расчёт расчетливый "
        "расчётливый прагматизм прагматичный прагматический меркантильный корысть корыстный "
        "интерес заинтересованность сделка торг торговаться обмен взамен дивиденд барыш "
        "нажиться заработать ситуативный тактический конъюнктурный"
    ),
    # pressure, coercion, conditions, values as leverage (rule 12, rule 14, P5, P6, P22, P26)
    "pressure": _words(
        "рычаг давление давить надавить нажим навязывать навязать навязывание вмешательство "
        "вмешиваться диктовать диктат шантаж шантажировать ультиматум пригрозить угрожать "
        "угроза наказать наказание мишень принуждение принуждать условие обусловить "
        "требование требовать санкция санкционный вторичный ограничение рестрикция "
        "реэкспорт заказ лоббировать лобби"
    ),
    # one side as a tool, unequal relationship, rule-maker and rule-taker (label table, P19)
    "tool": _words(
        "инструмент инструментальный асимметрия асимметричный неравный неравноправный "
        "использовать эксплуатировать эксплуатация колония колониальный неоколониальный "
        "подчинённый подчинить плацдарм форпост вассал сателлит разменный пешка "
        "потребительский потребительски цинично циничный цинизм"
    ),
    # what a side is valued for: resources, location, transit, insurance (P7, P11)
    "resource": _words(
        "ресурс ресурсный сырьё сырьевой литий уран редкоземельный нефть газ углеводород "
        "транзит транзитный логистика диверсификация диверсифицировать зависимость "
        "альтернатива альтернативный заменить замена компенсировать"
    ),
}

#: Two-lemma constructions of the ``transactional`` block (``tr_construction``): the first
#: lemma directly followed by the second.
TRANSACTIONAL_CONSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("лишь", "ради"),
    ("только", "ради"),
    ("ради", "тот"),
    ("в", "обмен"),
    ("рычаг", "давление"),
    ("не", "союзник"),
    ("не", "партнёр"),
    ("без", "ценность"),
    ("чистый", "прагматизм"),
    ("собственный", "интерес"),
    ("свой", "интерес"),
    ("национальный", "интерес"),
    ("двойной", "стандарт"),
    ("под", "флаг"),
    ("ничто", "не"),
    ("ничего", "не"),
    ("в", "ущерб"),
    ("диверсификация", "риск"),
    ("зона", "влияние"),
    ("сфера", "влияние"),
)

#: Lemma lists of the ``event`` block, one column each (``ev_<name>``).
EVENT_WORDS: dict[str, frozenset[str]] = {
    # who said what (rule 3: a reported fact; rule 11: a question that only names a topic)
    "reporting": _words(
        "заявить заявлять сообщить сообщать отметить отмечать подчеркнуть подчёркивать "
        "сказать рассказать рассказывать пояснить пояснять добавить указать напомнить "
        "объявить объявлять опубликовать передавать информировать говориться цитировать "
        "слово пресс-служба агентство корреспондент брифинг интервью"
    ),
    # meetings, visits, agenda, procedure (rule 6; P1, P6, P27)
    "meeting": _words(
        "встреча встретиться встречаться визит посетить посещение переговоры заседание "
        "форум саммит конференция совещание повестка обсудить обсуждать обсуждение "
        "подписать подписание подписывать провести проводить состояться пройти участие "
        "участник делегация министр посол глава председатель президент премьер-министр "
        "замминистра верительный грамота церемония рабочий поездка прибыть"
    ),
}

_MONTHS = _words(
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь "
    "понедельник вторник среда четверг пятница суббота воскресенье"
)
_YEAR = re.compile(r"^(19|20)\d\d$")

#: Columns of the ``transactional`` block.
TRANSACTIONAL_COLUMNS = [f"tr_{name}" for name in TRANSACTIONAL_WORDS] + ["tr_construction"]
#: Columns of the ``event`` block (``ev_no_cue*`` are filled by :func:`no_cue_interactions`).
EVENT_COLUMNS = [f"ev_{name}" for name in EVENT_WORDS] + [
    "ev_date",
    "ev_number",
    "ev_no_cue",
    "ev_no_cue_report",
]
CAP = 3.0


def framing_columns(
    tokens: pd.DataFrame, row: np.ndarray, n: int, codes: TokenCodes | None = None
) -> dict[str, np.ndarray]:
    """The ``transactional`` and ``event`` counts of ``n`` units (capped at :data:`CAP`).

    ``tokens`` has ``lemma``, ``text`` and ``pos``; ``row`` gives each token's unit (0 …
    n-1, ascending); ``codes``: the columns' :class:`TokenCodes` if already computed.
    ``ev_no_cue`` and ``ev_no_cue_report`` are left at 0 here: they need the lexicon's
    scores (:func:`no_cue_interactions`).
    """
    # every string test runs once per distinct value, then spreads to the tokens by code
    coded = TokenCodes(tokens) if codes is None else codes
    codes_, uniques = _distinct(coded, "lemma")
    uniques = np.array([u.lower().replace("ё", "е") for u in uniques], dtype=object)
    text_codes, texts = _distinct(coded, "text")
    pos_codes, tags = _distinct(coded, "pos")

    def member(words: frozenset[str]) -> np.ndarray:
        return np.r_[np.array([u in words for u in uniques], dtype=bool), False][codes_]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.minimum(np.bincount(row[mask], minlength=n).astype(float), CAP)

    out = {f"tr_{name}": count(member(words)) for name, words in TRANSACTIONAL_WORDS.items()}
    same_unit = np.r_[row[1:] == row[:-1], False] if len(row) else np.zeros(0, bool)
    construction = np.zeros(len(codes_), bool)
    for first, second in TRANSACTIONAL_CONSTRUCTIONS:
        nxt = np.r_[member(_words(second))[1:], False] if len(row) else construction
        construction |= member(_words(first)) & nxt & same_unit
    out["tr_construction"] = count(construction)
    for name, words in EVENT_WORDS.items():
        out[f"ev_{name}"] = count(member(words))
    year = np.r_[np.array([bool(_YEAR.match(t)) for t in texts], dtype=bool), False][text_codes]
    out["ev_date"] = count(member(_MONTHS) | year)
    out["ev_number"] = count(np.r_[tags == "NUM", False][pos_codes] & ~year)
    out["ev_no_cue"] = np.zeros(n)
    out["ev_no_cue_report"] = np.zeros(n)
    return out


def _distinct(codes: TokenCodes, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a column into its distinct values as strings; a missing value gets code
    -1, which the callers' trailing ``False`` entry maps to no match."""
    c, uniques = codes(column)
    return c, np.array([str(u) for u in uniques], dtype=object)


def no_cue_interactions(table: pd.DataFrame, cue_columns: list[str]) -> pd.DataFrame:
    """Fill ``ev_no_cue`` (no lexicon cue fired: every column of ``cue_columns`` is 0) and
    ``ev_no_cue_report`` (that, times the sentence's reporting, meeting and date counts) in
    ``table``; returns ``table``."""
    no_cue = (table[cue_columns].to_numpy(float) == 0).all(axis=1).astype(float)
    report = table[["ev_reporting", "ev_meeting", "ev_date"]].to_numpy(float).sum(axis=1)
    table["ev_no_cue"] = no_cue
    table["ev_no_cue_report"] = no_cue * np.minimum(report, CAP)
    return table
