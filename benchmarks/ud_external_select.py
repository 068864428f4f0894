"""Select the UD sentences of the external stance set (``kzdiscourse/gold/ud_external.csv``).

The selection is a documented keyword filter over the sentence texts of three UD Russian
dev/test files (CC BY-SA 4.0), followed by a seeded sample. It is run once to pick the
sentences that were then coded by hand; it never runs a scorer.

Filter: a sentence is kept when its ``# text`` matches, case-insensitively, any stem of
:data:`KEYWORDS` at a word start (international politics: the EU/Europe/the West, Russia,
the USA, China, NATO, sanctions, Kazakhstan/Central Asia, partnership, dependence,
integration, alliances, foreign policy, diplomacy). Sentences shorter than 6 words are
dropped. All matches are kept when there are at most ``--max`` of them; otherwise a sample of
``--max`` is drawn with ``numpy.random.default_rng(seed)`` without replacement, and the kept
sentences are listed in file order.

Usage::

    python benchmarks/ud_external_select.py /work/shared/data/ud --max 200 --seed 0 > sel.tsv
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

from kzdiscourse.ud import read_conllu

FILES = ("ru_taiga-ud-dev.conllu", "ru_gsd-ud-dev.conllu", "ru_gsd-ud-test.conllu")

#: Word-initial stems (lower case, ё folded to е) that mark international politics.
KEYWORDS = (
    "евросоюз",
    "европ",
    "запад",
    "росси",
    "москв",
    "кремл",
    "америк",
    "вашингтон",
    "китай",
    "китаю",
    "китая",
    "пекин",
    "санкци",
    "казахст",
    "астан",
    "центральной азии",
    "средней азии",
    "евразийск",
    "партнер",
    "зависимост",
    "интеграци",
    "союзник",
    "альянс",
    "внешней политик",
    "внешнеполитическ",
    "дипломат",
    "геополитик",
    "многовектор",
    "сотрудничеств",
    "украин",
    "германи",
    "франци",
    "брюссел",
)

#: Abbreviations, matched as whole words only.
ABBREVIATIONS = ("ес", "сша", "кнр", "нато", "снг")

_PATTERN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(k) for k in KEYWORDS)
    + r"|(?:"
    + "|".join(ABBREVIATIONS)
    + r")(?!\w))"
)


def matches(text: str) -> bool:
    """True if ``text`` contains a keyword stem at a word start."""
    folded = text.lower().replace("ё", "е")
    return bool(_PATTERN.search(folded)) and len(text.split()) >= 6


def select(folder: Path, max_n: int = 200, seed: int = 0) -> list[tuple[str, str, str]]:
    """``(treebank, sent_id, text)`` of the selected sentences, in file order."""
    hits = []
    for name in FILES:
        treebank = name.removesuffix(".conllu")
        for sent in read_conllu(folder / name):
            if matches(sent.text):
                hits.append((treebank, sent.sent_id, sent.text))
    if len(hits) > max_n:
        keep = np.sort(np.random.default_rng(seed).choice(len(hits), max_n, replace=False))
        hits = [hits[i] for i in keep]
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--max", type=int, default=200, dest="max_n")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    for treebank, sent_id, text in select(args.folder, args.max_n, args.seed):
        sys.stdout.write(f"{treebank}\t{sent_id}\t{text}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
