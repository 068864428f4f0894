"""Where a text is cut: paragraphs and their roles, sentences, tokens.

Paragraphs, sentences and tokens are spans (``(start, end)`` character offsets) of the
text; nothing here knows about lemmas, engines or caches.

A paragraph is a line of text, except that a line which stops without sentence-final
punctuation and is followed by a line starting with a lower-case letter is taken as a
soft wrap and joined with it (hard-wrapped plain text). Roles: ``title``, ``lead`` (the
summary bullets some outlets put under the title), ``heading`` (a short line inside the
body without final punctuation) and ``body``.

Both :meth:`kzdiscourse.Corpus.clean` and :meth:`kzdiscourse.Corpus.parse` (for corpora
that were not cleaned) use these functions, so there is one definition of a paragraph.

Examples
--------
>>> from kzdiscourse.layout import segment_paragraphs, infer_roles
>>> text = "Заголовок статьи\\n\\nПервый абзац, перенесённый\\nна вторую строку.\\nВторой абзац."
>>> spans = segment_paragraphs(text)
>>> [text[s:e] for s, e in spans]
['Заголовок статьи', 'Первый абзац, перенесённый\\nна вторую строку.', 'Второй абзац.']
>>> infer_roles([text[s:e] for s, e in spans])
['title', 'body', 'body']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from kzdiscourse.scripts import fold_lookalikes
from kzdiscourse.tokenizer import segment_spans

__all__ = [
    "ROLES",
    "URL_OR_EMAIL",
    "ends_sentence",
    "infer_roles",
    "looks_like_title",
    "normalize_for_match",
    "segment_paragraphs",
    "sentenize",
    "tokenize",
    "tokenize_sentences",
]

#: Paragraph roles, in reading order of a typical article.
ROLES = ("title", "lead", "heading", "body")

_TERMINAL = re.compile(r"[.!?…:;»\"”)\]]\s*$")
_WORD = re.compile(r"\w+(?:[-‐]\w+)*")
_SPACES = re.compile(r"\s+")

#: A title or heading has at most this many words.
TITLE_MAX_WORDS = 25
HEADING_MAX_WORDS = 12


def ends_sentence(line: str) -> bool:
    """True if ``line`` ends with sentence-final (or closing) punctuation."""
    return bool(_TERMINAL.search(line))


def _starts_lower(line: str) -> bool:
    for ch in line.lstrip():
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def segment_paragraphs(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into paragraphs.

    Parameters
    ----------
    text : str
        A document's text.

    Returns
    -------
    list of (start, end)
        Character offsets of each paragraph in ``text``, leading and trailing whitespace
        excluded, in order. Blank lines never form a paragraph.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    cur_start = cur_end = -1
    prev_line = ""
    prev_blank = True
    for raw_line in text.split("\n"):
        line_start, line_end = pos, pos + len(raw_line)
        pos = line_end + 1
        stripped = raw_line.strip()
        if not stripped:
            prev_blank = True
            continue
        lead = len(raw_line) - len(raw_line.lstrip())
        trail = len(raw_line) - len(raw_line.rstrip())
        s, e = line_start + lead, line_end - trail
        soft_wrap = (
            not prev_blank
            and cur_start >= 0
            and not ends_sentence(prev_line)
            and _starts_lower(stripped)
        )
        if soft_wrap:
            cur_end = e
        else:
            if cur_start >= 0:
                spans.append((cur_start, cur_end))
            cur_start, cur_end = s, e
        prev_line = stripped
        prev_blank = False
    if cur_start >= 0:
        spans.append((cur_start, cur_end))
    return spans


def normalize_for_match(text: str) -> str:
    """Case-fold, strip accents, fold ё→е and collapse whitespace, for comparing lines."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if len(decomposed) < _LONG:
        no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    else:  # the same, with array operations: a single 20 MB line must not take minutes
        from kzdiscourse import _unicode

        cp = _unicode.code_points(decomposed)
        kept = cp[~_unicode.mask(cp, "combining")]
        no_marks = kept.tobytes().decode("utf-32-le", "surrogatepass")
    # == _SPACES.sub(" ", ...).strip(): re's \s and str.split() use the same whitespace test
    return " ".join(no_marks.replace("ё", "е").split())


_LONG = 20_000


def looks_like_title(paragraph: str, max_words: int = TITLE_MAX_WORDS) -> bool:
    """A short line without sentence-final punctuation."""
    return (
        not ends_sentence(paragraph)
        and 0 < len(_WORD.findall(paragraph)) <= max_words
        and not paragraph.rstrip().endswith(",")
    )


def infer_roles(paragraphs: Sequence[str], title: str | None = None) -> list[str]:
    """Guess each paragraph's role from its text.

    Parameters
    ----------
    paragraphs : sequence of str
        The paragraphs of one document, in order.
    title : str, optional
        The document's title from its metadata. When given, the first paragraph equal to it
        (ignoring case, accents and whitespace) is the title; otherwise the first paragraph
        is the title if it looks like one and more paragraphs follow.

    Returns
    -------
    list of str
        One of :data:`ROLES` per paragraph.
    """
    roles = ["body"] * len(paragraphs)
    title_at = None
    if title:
        want = normalize_for_match(title)
        for i, par in enumerate(paragraphs):
            if normalize_for_match(par) == want:
                title_at = i
                break
    if title_at is None and len(paragraphs) > 1 and looks_like_title(paragraphs[0]):
        title_at = 0
    if title_at is not None:
        roles[title_at] = "title"
    for i, par in enumerate(paragraphs):
        inside_body = i + 1 < len(paragraphs) and (title_at is None or i > title_at)
        if roles[i] == "body" and inside_body and looks_like_title(par, HEADING_MAX_WORDS):
            roles[i] = "heading"
    return roles


# ------------------------------------------------------------------------ sentences, tokens

#: A URL or an e-mail address: always one token (and, for the lemmatiser, ``pos`` ``X``).
URL_OR_EMAIL = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"”]*[^\s<>«»\"”.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_URL_HINT = re.compile(r"https?:|www\.|@")
_DASH = re.compile(r"[–—]")
_DASHED_WORDS = re.compile(r"[^\W\d_][\w-]*(?:[–—][^\W\d_][\w-]*)+")


def sentenize(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, as ``(start, end)`` offsets: razdel's sentences
    (:func:`kzdiscourse.sentenizer.sentence_spans` makes razdel's decisions faster).

    Examples
    --------
    >>> text = "ЕС ввёл санкции. Казахстан добился исключения."
    >>> [text[s:e] for s, e in sentenize(text)]
    ['ЕС ввёл санкции.', 'Казахстан добился исключения.']
    """
    from kzdiscourse.sentenizer import sentence_spans  # imports razdel: not at import time

    return sentence_spans(text)


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
    starts, ends, _ = tokenize_sentences(fold_lookalikes(text).text, [0], [len(text)])
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def tokenize_sentences(
    text: str, sent_starts: Sequence[int], sent_ends: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of many sentences of ``text``: each as :func:`tokenize` gives it alone.

    Parameters
    ----------
    text : str
        The text (for a chunk of documents, all of them joined).
    sent_starts, sent_ends : sequence of int
        The sentences' offsets in ``text``, in order.

    Returns
    -------
    starts, ends, sentence : numpy.ndarray
        Token offsets into ``text`` and the index of each token's sentence, in text order.

    Examples
    --------
    >>> starts, ends, sentence = tokenize_sentences("ЕС ввёл. Да.", [0, 9], [8, 12])
    >>> sentence.tolist()
    [0, 0, 0, 1, 1]
    """
    seg_s: list[int] = []
    seg_e: list[int] = []
    seg_sent: list[int] = []
    url_s: list[int] = []
    url_e: list[int] = []
    url_sent: list[int] = []
    hint = _URL_HINT.search
    for k, (a, b) in enumerate(zip(sent_starts, sent_ends, strict=True)):
        if hint(text, a, b) is None:
            seg_s.append(a)
            seg_e.append(b)
            seg_sent.append(k)
            continue
        # URLs and e-mails are single tokens; razdel sees the pieces between them
        pos = a
        for m in URL_OR_EMAIL.finditer(text, a, b):
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
