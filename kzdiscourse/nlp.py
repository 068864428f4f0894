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
- Words typed with Latin look-alike letters inside Cyrillic (``Kaзахстан``) are analysed as
  Cyrillic.

Examples
--------
>>> from kzdiscourse.nlp import lemmatize
>>> lemmatize(["Казахстан", "расширяет", "сотрудничество", "с", "Евросоюзом", "."])
['казахстан', 'расширять', 'сотрудничество', 'с', 'евросоюз', '.']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kzdiscourse.layout import infer_roles, segment_paragraphs
from kzdiscourse.resources import load_resource

if TYPE_CHECKING:
    from kzdiscourse.corpus import Corpus
    from kzdiscourse.parsed import Parsed

__all__ = [
    "PIPELINE_VERSION",
    "Lemmatizer",
    "analyzer_info",
    "lemmatize",
    "parse_corpus",
    "sentenize",
    "tokenize",
]

#: Bumped whenever the same text would get different sentences, tokens, lemmas or tags.
PIPELINE_VERSION = "1"

_PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"”]*[^\s<>«»\"”.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_PROTECT_HINT = re.compile(r"https?:|www\.|@")
_DASH = re.compile(r"[–—]")
_DASHED_WORDS = re.compile(r"[^\W\d_][\w-]*(?:[–—][^\W\d_][\w-]*)+")
_ORDINAL = re.compile(r"^(\d+)-(?:[а-яё]{1,3})$")
_NUMERIC = re.compile(r"^[+-]?[\d\s.,:/–—-]*\d[\d\s.,:/–—-]*%?$")
_CYR = re.compile(r"[а-яё]")
_LAT = re.compile(r"[a-z]")
_ALPHA = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
# Latin letters that look like Cyrillic ones (lower case; the form is lower-cased first)
_HOMOGLYPHS = str.maketrans("aceopxykmhtb", "асеорхукмнтв")
_HOMOGLYPH_SET = frozenset("aceopxykmhtb")

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

    razdel's tokens, with two corrections: URLs and e-mail addresses stay whole, and a
    word pair joined by an en or em dash (``ЕС–Россия``) is split into the two words and
    the dash, so each actor is its own token. Hyphenated words (``военно-политический``)
    and number ranges (``2025–2027``) stay whole.

    Examples
    --------
    >>> text = "См. https://tass.ru/x и диалог ЕС–Россия."
    >>> [text[s:e] for s, e in tokenize(text)]
    ['См', '.', 'https://tass.ru/x', 'и', 'диалог', 'ЕС', '–', 'Россия', '.']
    """
    from razdel import tokenize as _razdel_tokenize

    if not _PROTECT_HINT.search(text):
        spans = [(t.start, t.stop) for t in _razdel_tokenize(text)]
    else:
        spans = []
        pos = 0
        for m in _PROTECTED.finditer(text):
            chunk = text[pos : m.start()]
            spans.extend((pos + t.start, pos + t.stop) for t in _razdel_tokenize(chunk))
            spans.append((m.start(), m.end()))
            pos = m.end()
        spans.extend((pos + t.start, pos + t.stop) for t in _razdel_tokenize(text[pos:]))
    if "–" in text or "—" in text:
        spans = _split_dashed(text, spans)
    return spans


def _split_dashed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        token = text[start:end]
        if len(token) > 2 and _DASHED_WORDS.fullmatch(token):
            cursor = start
            for m in _DASH.finditer(token):
                out.append((cursor, start + m.start()))
                out.append((start + m.start(), start + m.end()))
                cursor = start + m.end()
            out.append((cursor, end))
        else:
            out.append((start, end))
    return out


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

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str, str, str, bool, bool, str]] = {}

    def __len__(self) -> int:
        return len(self._cache)

    def _analyze_form(self, lower: str) -> tuple[str, str, str]:
        """(lemma, upos, tag) of one lower-cased form."""
        if not any(ch.isalnum() for ch in lower):
            if _PROTECTED.fullmatch(lower):
                return lower, "X", "URL"
            return lower, ("PUNCT" if _is_punct(lower) else "SYM"), "PNCT"
        if _PROTECTED.fullmatch(lower):
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
        forms, lemma_map = _overrides()
        key = _fold(form).rstrip(".")
        if key in forms:
            return forms[key], "NOUN", "Abbr"
        if not _CYR.search(form):  # letters of other scripts (Greek, Arabic, …)
            return lower, "X", "FRGN"
        parse = _morph().parse(form)[0]
        lemma = _fold(parse.normal_form)
        pos = parse.tag.POS or ""
        lemma = lemma_map.get((pos, lemma), lemma)
        return lemma, _upos(parse.tag, lemma), str(parse.tag)

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
        table = self._type_table(list(low_uniques))
        return {name: column[codes] for name, column in table.items()}

    def _type_table(self, uniques: list[str]) -> dict[str, np.ndarray]:
        cache = self._cache
        rows = []
        for form in uniques:
            hit = cache.get(form)
            if hit is None:
                hit = self._type_row(form)
                cache[form] = hit
            rows.append(hit)
        names = ("lemma", "pos", "tag", "norm", "is_alpha", "is_stop", "script")
        table = {name: np.array([r[k] for r in rows], dtype=object) for k, name in enumerate(names)}
        for flag in ("is_alpha", "is_stop"):
            table[flag] = table[flag].astype(bool)
        return table

    def _type_row(self, lower: str) -> tuple[str, str, str, str, bool, bool, str]:
        lemma, pos, tag = self._analyze_form(lower)
        norm = _fold(lower)
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


# ------------------------------------------------------------------------------ parsing


def _paragraph_spans(text: str, title: str | None) -> list[tuple[int, int, str]]:
    spans = segment_paragraphs(text)
    roles = infer_roles([text[s:e] for s, e in spans], title=title)
    return [(s, e, r) for (s, e), r in zip(spans, roles, strict=True)]


_PAR_COLS = ["doc_id", "par_id", "role", "start", "end", "text"]
_SENT_COLS = ["doc_id", "par_id", "sent_id", "role", "start", "end", "text"]
_TOK_COLS = ["doc_id", "par_id", "sent_id", "tok_id", "start", "end", "text"]


def _parse_chunk(
    docs: list[tuple[str, str, list[tuple[int, int, str]]]],
    lemmatizer: Lemmatizer | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Parse a list of ``(doc_id, text, paragraph spans)``: the unit of parallel work.

    Columns are collected as plain lists across all documents of the chunk and turned into
    three DataFrames at the end; lemmas are added per distinct word form.
    """
    lem = lemmatizer if lemmatizer is not None else Lemmatizer()
    par: dict[str, list[Any]] = {c: [] for c in _PAR_COLS}
    sent: dict[str, list[Any]] = {c: [] for c in _SENT_COLS}
    tok: dict[str, list[Any]] = {c: [] for c in _TOK_COLS}
    for doc_id, text, paragraphs in docs:
        sent_id = 0
        tok_id = 0
        for par_id, (p_start, p_end, role) in enumerate(paragraphs):
            ptext = text[p_start:p_end]
            par["doc_id"].append(doc_id)
            par["par_id"].append(par_id)
            par["role"].append(role)
            par["start"].append(p_start)
            par["end"].append(p_end)
            par["text"].append(ptext)
            for s_start, s_end in sentenize(ptext):
                stext = ptext[s_start:s_end]
                spans = tokenize(stext)
                if not spans:
                    continue
                base = p_start + s_start
                sent["doc_id"].append(doc_id)
                sent["par_id"].append(par_id)
                sent["sent_id"].append(sent_id)
                sent["role"].append(role)
                sent["start"].append(base)
                sent["end"].append(base + len(stext))
                sent["text"].append(stext)
                n = len(spans)
                tok["doc_id"].extend([doc_id] * n)
                tok["par_id"].extend([par_id] * n)
                tok["sent_id"].extend([sent_id] * n)
                tok["tok_id"].extend(range(tok_id, tok_id + n))
                tok["start"].extend([base + a for a, _ in spans])
                tok["end"].extend([base + b for _, b in spans])
                tok["text"].extend([stext[a:b] for a, b in spans])
                sent_id += 1
                tok_id += n
    paragraphs_df = _frame(par, _PAR_COLS)
    sentences_df = _frame(sent, _SENT_COLS)
    tokens_df = _frame(tok, _TOK_COLS)
    _add_token_features(tokens_df, lem)
    return paragraphs_df, sentences_df, tokens_df


def _frame(columns: dict[str, list[Any]], order: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: columns[c] for c in order})
    for col in ("par_id", "sent_id", "tok_id", "start", "end"):
        if col in frame.columns:
            frame[col] = frame[col].astype("int64")
    for col in ("doc_id", "role", "text"):
        if col in frame.columns:
            frame[col] = frame[col].astype(object)
    return frame


def _add_token_features(tokens: pd.DataFrame, lem: Lemmatizer) -> None:
    features = lem.token_features(tokens["text"].tolist())
    for name in ("norm", "lemma", "pos", "tag", "is_alpha"):
        tokens[name] = features[name]
    tokens["is_punct"] = features["pos"] == "PUNCT"
    tokens["is_num"] = features["pos"] == "NUM"
    tokens["is_stop"] = features["is_stop"]
    tokens["script"] = features["script"]


def _chunks(items: list[Any], weights: list[int], n: int) -> list[list[Any]]:
    """Split ``items`` into ``n`` contiguous chunks of about equal total weight."""
    if n <= 1 or len(items) <= 1:
        return [items]
    total = sum(weights) or 1
    target = total / n
    out: list[list[Any]] = [[]]
    acc = 0.0
    for item, w in zip(items, weights, strict=True):
        if acc >= target * len(out) and len(out) < n:
            out.append([])
        out[-1].append(item)
        acc += w
    return [c for c in out if c]


def parse_corpus(corpus: Corpus, n_jobs: int = 1) -> Parsed:
    """Parse a corpus into tidy tables (the engine behind :meth:`Corpus.parse`).

    Parameters
    ----------
    corpus : Corpus
        Cleaned or raw corpus. A cleaned corpus brings its paragraph layout and roles;
        otherwise paragraphs and roles are inferred from the text.
    n_jobs : int, default 1
        Worker processes (joblib, ``loky`` backend); ``-1`` uses every core. Documents are
        split into contiguous chunks, so the output is identical for any ``n_jobs``.

    Returns
    -------
    Parsed
    """
    from kzdiscourse.parsed import Parsed

    docs = corpus.documents
    titles = docs["title"].tolist() if "title" in docs.columns else [None] * len(docs)
    layout: dict[str, list[tuple[int, int, str]]] = {}
    if corpus.paragraphs is not None:
        pars = corpus.paragraphs
        for doc_id, s, e, role in zip(
            pars["doc_id"], pars["start"], pars["end"], pars["role"], strict=True
        ):
            layout.setdefault(doc_id, []).append((int(s), int(e), role))
    work = []
    for doc_id, text, title in zip(docs["doc_id"], docs["text"], titles, strict=True):
        if corpus.paragraphs is not None:
            spans = layout.get(doc_id, [])
        else:
            spans = _paragraph_spans(text, title if isinstance(title, str) else None)
        work.append((doc_id, text, spans))

    workers = _effective_jobs(n_jobs)
    if workers == 1:
        results = [_parse_chunk(work, _DEFAULT)]
    else:
        from joblib import Parallel, delayed

        chunks = _chunks(work, [len(t) for _, t, _ in work], workers * 4)
        results = Parallel(n_jobs=workers, backend="loky")(
            delayed(_parse_chunk)(chunk) for chunk in chunks
        )
    paragraphs = pd.concat([r[0] for r in results], ignore_index=True)
    sentences = pd.concat([r[1] for r in results], ignore_index=True)
    tokens = pd.concat([r[2] for r in results], ignore_index=True)
    return Parsed(
        documents=docs.reset_index(drop=True),
        paragraphs=paragraphs,
        sentences=sentences,
        tokens=tokens,
        sources=corpus.sources,
        removed=corpus.removed,
        references=corpus.references,
        citations=corpus.citations,
        cleaning=corpus.cleaning,
    )


def _effective_jobs(n_jobs: int) -> int:
    import os

    if n_jobs is None or n_jobs == 0:
        return 1
    cpus = os.cpu_count() or 1
    if n_jobs < 0:
        return max(1, cpus + 1 + n_jobs)
    return max(1, int(n_jobs))
