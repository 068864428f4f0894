"""Measure segmentation and lemmatisation against Universal Dependencies treebanks.

Reads CoNLL-U files (e.g. UD_Russian-GSD, UD_Russian-Taiga) and scores:

- :func:`lemma_accuracy`: the lemmatiser of :meth:`kzdiscourse.Corpus.parse` (via
  :func:`kzdiscourse.nlp.lemmatize`) on the gold tokens, sentence by sentence. Convention:
  both lemmas lower-cased and ё→е folded; tokens tagged PUNCT, NUM or SYM in the gold and
  tokens without a Cyrillic letter are skipped.
- :func:`sentence_f1`: the sentence splitter on running text made by joining each
  document's gold sentences with single spaces (no line breaks to help), scored on
  sentence-end positions.

Examples
--------
>>> from kzdiscourse.ud import read_conllu, lemma_accuracy
>>> sample = '''# text = Казахстан расширяет связи.
... 1\\tКазахстан\\tКазахстан\\tPROPN\\t_\\t_\\t2\\tnsubj\\t_\\t_
... 2\\tрасширяет\\tрасширять\\tVERB\\t_\\t_\\t0\\troot\\t_\\t_
... 3\\tсвязи\\tсвязь\\tNOUN\\t_\\t_\\t2\\tobj\\t_\\tSpaceAfter=No
... 4\\t.\\t.\\tPUNCT\\t_\\t_\\t2\\tpunct\\t_\\t_
... '''
>>> sents = read_conllu(sample)
>>> sents[0].text
'Казахстан расширяет связи.'
>>> lemma_accuracy(sents)["accuracy"]
1.0
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzdiscourse.errors import InputError, InputPathError

if TYPE_CHECKING:
    from kzdiscourse.nlp import Lemmatizer

__all__ = ["UDSentence", "lemma_accuracy", "read_conllu", "sentence_f1"]

_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_SKIP_UPOS = frozenset({"PUNCT", "NUM", "SYM"})
_TERMINAL = re.compile(r"[.!?…]+[»\"”')\]]*$")


@dataclass(frozen=True)
class UDSentence:
    """One sentence of a treebank: its text, document id and gold (form, lemma, upos)."""

    sent_id: str
    doc_id: str
    par_id: str
    text: str
    tokens: tuple[tuple[str, str, str], ...]


def read_conllu(source: str | Path) -> list[UDSentence]:
    """Read a CoNLL-U file (path) or string.

    Multi-word token lines (``1-2``) and empty nodes (``1.1``) are skipped. Documents are
    delimited by ``# newdoc`` comments; a file without them is one document.

    Parameters
    ----------
    source : str or pathlib.Path
        A path to a ``.conllu`` file, or the CoNLL-U text itself.

    Returns
    -------
    list of UDSentence
    """
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        path = Path(source)
        if not path.is_file():
            raise InputPathError("no such CoNLL-U file", source=str(path), hint="check the path")
        text = path.read_text(encoding="utf-8")
        name = path.name
    else:
        text = str(source)
        name = "<string>"
    sentences: list[UDSentence] = []
    doc_no = 0
    par_no = 0
    meta: dict[str, str] = {}
    tokens: list[tuple[str, str, str]] = []

    def flush() -> None:
        nonlocal tokens, meta
        if tokens:
            sentences.append(
                UDSentence(
                    sent_id=meta.get("sent_id", f"{name}:{len(sentences)}"),
                    doc_id=f"{name}#{doc_no}",
                    par_id=f"{name}#{doc_no}.{par_no}",
                    text=meta.get("text", " ".join(t[0] for t in tokens)),
                    tokens=tuple(tokens),
                )
            )
        tokens, meta = [], {}

    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            flush()
            continue
        if line.startswith("#"):
            if line.startswith("# newdoc"):
                flush()
                if sentences:
                    doc_no += 1
            if line.startswith("# newpar"):
                flush()
                par_no += 1
            key, sep, value = line[1:].partition("=")
            if sep:
                meta[key.strip()] = value.strip()
            continue
        fields = line.split("\t")
        if len(fields) != 10:
            raise InputError(
                f"line {lineno} has {len(fields)} tab-separated fields, not 10",
                source=name,
                hint="check that the file is CoNLL-U",
            )
        if "-" in fields[0] or "." in fields[0]:
            continue
        tokens.append((fields[1], fields[2], fields[3]))
    flush()
    return sentences


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def lemma_accuracy(
    sentences: Iterable[UDSentence],
    top_errors: int = 30,
    disambiguate: bool = True,
    lemmatizer: Lemmatizer | None = None,
) -> dict[str, Any]:
    """Lemma and UPOS accuracy of the lemmatiser of :meth:`Corpus.parse` on gold tokens.

    Each sentence's gold tokens go through :meth:`kzdiscourse.nlp.Lemmatizer.analyze`
    (what :func:`kzdiscourse.nlp.lemmatize` uses).

    Parameters
    ----------
    sentences : iterable of UDSentence
        From :func:`read_conllu`.
    top_errors : int, default 30
        How many of the most frequent (form, gold, predicted, upos) errors to return.
    disambiguate : bool, default True
        Choose readings in context, as ``Corpus.parse()`` does by default.
    lemmatizer : Lemmatizer, optional
        The lemmatiser to measure (e.g. one with another disambiguation model); by
        default the one :func:`kzdiscourse.nlp.lemmatize` uses.

    Returns
    -------
    dict
        ``tokens`` scored, ``correct``, ``accuracy``, ``by_upos`` (accuracy per gold UPOS),
        ``errors`` (list of ``(count, form, gold, predicted, upos)``), and
        ``upos_accuracy``: the share of the same tokens whose predicted UPOS equals the
        gold one.
    """
    from kzdiscourse.nlp import default_lemmatizer

    # the lemmatiser and call behind kzdiscourse.nlp.lemmatize (and Corpus.parse)
    lem = lemmatizer if lemmatizer is not None else default_lemmatizer()
    total = correct = upos_correct = 0
    per_pos: Counter[str] = Counter()
    per_pos_ok: Counter[str] = Counter()
    errors: Counter[tuple[str, str, str, str]] = Counter()
    for sent in sentences:
        forms = [t[0] for t in sent.tokens]
        out = lem.analyze(forms, disambiguate=disambiguate)
        predicted, pos = out["lemma"], out["pos"]
        for (form, gold, upos), pred, p in zip(sent.tokens, predicted, pos, strict=True):
            if upos in _SKIP_UPOS or not _CYRILLIC.search(form):
                continue
            total += 1
            per_pos[upos] += 1
            upos_correct += p == upos
            if _fold(gold) == _fold(pred):
                correct += 1
                per_pos_ok[upos] += 1
            else:
                errors[(form.lower(), _fold(gold), _fold(pred), upos)] += 1
    return {
        "tokens": total,
        "correct": correct,
        "accuracy": correct / total if total else float("nan"),
        "upos_accuracy": upos_correct / total if total else float("nan"),
        "by_upos": {p: per_pos_ok[p] / n for p, n in sorted(per_pos.items())},
        "errors": [(c, *k) for k, c in errors.most_common(top_errors)],
    }


def sentence_f1(sentences: Iterable[UDSentence], by_paragraph: bool = False) -> dict[str, Any]:
    """Sentence-boundary precision, recall and F1 of :func:`kzdiscourse.nlp.sentenize`.

    Each document's gold sentences are joined with single spaces; a boundary is the
    character offset where a sentence ends (the end of the text is not counted).

    Parameters
    ----------
    sentences : iterable of UDSentence
        From :func:`read_conllu`.
    by_paragraph : bool, default False
        Join and split each paragraph (``# newpar``) separately, as
        :meth:`kzdiscourse.Corpus.parse` does with paragraphs; paragraph ends are then given
        and not scored. By default a whole document is one running text.

    Returns
    -------
    dict
        ``gold``, ``predicted``, ``matched`` boundary counts, ``precision``, ``recall``,
        ``f1``, and ``recall_punctuated``: recall over the gold sentences that end in
        sentence-final punctuation (many social-media and poetry sentences do not, and once
        their line breaks are replaced by spaces no splitter can find them).
    """
    from kzdiscourse.nlp import sentenize

    by_doc: dict[str, list[str]] = {}
    for sent in sentences:
        unit = sent.par_id if by_paragraph else sent.doc_id
        by_doc.setdefault(unit, []).append(sent.text.strip())
    gold_n = pred_n = matched = punct_n = punct_matched = 0
    for texts in by_doc.values():
        gold: set[int] = set()
        punctuated: set[int] = set()
        pos = 0
        for t in texts:
            pos += len(t)
            gold.add(pos)
            if _TERMINAL.search(t):
                punctuated.add(pos)
            pos += 1
        running = " ".join(texts)
        gold.discard(len(running))
        punctuated.discard(len(running))
        pred = {end for _, end in sentenize(running)}
        pred.discard(len(running))
        gold_n += len(gold)
        pred_n += len(pred)
        matched += len(gold & pred)
        punct_n += len(punctuated)
        punct_matched += len(punctuated & pred)
    precision = matched / pred_n if pred_n else float("nan")
    recall = matched / gold_n if gold_n else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": gold_n,
        "predicted": pred_n,
        "matched": matched,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "recall_punctuated": punct_matched / punct_n if punct_n else float("nan"),
    }
