"""Which sentences of candidate training files are new, and do their lemmas agree with ours?

Before a file is added to the disambiguator's training data (``train_disambiguator.py``),
this reports, per candidate CoNLL-U file: its sentences and tokens; how many of its
sentences are already in each current training file and in each held-out set (GSD test,
Taiga dev: a shared sentence rules the file out unless it is dropped); and, for the
sentences it shares with the training files, how many tokens' lemmas (lower case, ё→е)
and UPOS differ from the training file's annotation of the same sentence. Sentences are
matched by their normalised text (:func:`cv_disambiguator.sentence_key`: lower case, ё→е,
letters and digits only); sentences of fewer than 15 such characters are not matched.

The held-out files are read from ``KZD_UD_DIR`` or ``../shared/data/ud``; the Taiga
*test* split is never read.

Usage::

    python benchmarks/extra_data_overlap.py path/to/MorphoRuEval2017-Lenta-train.conllu …

Prints one JSON line per candidate file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cv_disambiguator import sentence_key  # noqa: E402
from train_disambiguator import CACHE, TRAIN_FILES  # noqa: E402

from kzdiscourse.ud import read_conllu  # noqa: E402

HELD_OUT = ("ru_gsd-ud-test.conllu", "ru_taiga-ud-dev.conllu")
MIN_KEY = 15


def _fold(lemma: str) -> str:
    return lemma.lower().replace("ё", "е")


def held_out_dir() -> Path:
    env = os.environ.get("KZD_UD_DIR")
    return Path(env) if env else HERE.parent.parent / "shared" / "data" / "ud"


def keyed(path: Path) -> dict[str, object]:
    return {k: s for s in read_conllu(path) if len(k := sentence_key(s)) >= MIN_KEY}


def report(candidate: Path, references: dict[str, dict[str, object]]) -> dict[str, object]:
    sents = read_conllu(candidate)
    keys = [sentence_key(s) for s in sents]
    shared = {name: sum(k in ref for k in keys) for name, ref in references.items()}
    lemma_diff = upos_diff = compared = 0
    examples: Counter[tuple[str, str, str]] = Counter()
    for sent, key in zip(sents, keys, strict=True):
        other = next(
            (ref[key] for name, ref in references.items() if name in TRAIN_FILES and key in ref),
            None,
        )
        if other is None or len(other.tokens) != len(sent.tokens):
            continue
        for (form, lemma, upos), (_f, lemma2, upos2) in zip(sent.tokens, other.tokens, strict=True):
            compared += 1
            if _fold(lemma) != _fold(lemma2):
                lemma_diff += 1
                examples[form, lemma, lemma2] += 1
            upos_diff += upos != upos2
    return {
        "file": candidate.name,
        "sentences": len(sents),
        "tokens": sum(len(s.tokens) for s in sents),
        "shared_sentences": shared,
        "tokens_compared_with_training": compared,
        "lemmas_differ": lemma_diff,
        "upos_differ": upos_diff,
        "lemma_differences": [(c, *k) for k, c in examples.most_common(5)],
    }


def main(argv: list[str] | None = None) -> list[dict[str, object]]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("candidates", nargs="+", type=Path)
    args = ap.parse_args(argv)
    references = {name: keyed(CACHE / name) for name in sorted(TRAIN_FILES)}
    for name in HELD_OUT:
        references[name] = keyed(held_out_dir() / name)
    out = []
    for path in args.candidates:
        row = report(path, references)
        print(json.dumps(row, ensure_ascii=False))
        out.append(row)
    return out


if __name__ == "__main__":
    main()
