"""Lemma accuracy and sentence-boundary F1 against the UD Russian treebanks.

Convention: gold tokens; lemmas compared lower-cased with ё→е; tokens tagged PUNCT, NUM or
SYM and tokens without a Cyrillic letter skipped. Sentences: each document's gold sentences
joined with single spaces and split again.

Usage::

    python benchmarks/eval_ud.py            # every .conllu found (../shared/data/ud first)

Writes ``benchmarks/out/ud.json`` and prints a table and the most frequent lemma errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from kzdiscourse.ud import lemma_accuracy, read_conllu, sentence_f1  # noqa: E402

from corpus import ud_files  # noqa: E402


def main() -> dict:
    results = {}
    for path in ud_files():
        sents = read_conllu(path)
        lem = lemma_accuracy(sents, top_errors=15)
        seg = sentence_f1(sents)
        results[path.name] = {"lemmas": lem, "sentences": seg}
        print(
            f"{path.name:28s} lemma acc {lem['accuracy']:.4f} on {lem['tokens']} tokens | "
            f"sentence P {seg['precision']:.3f} R {seg['recall']:.3f} F1 {seg['f1']:.3f} "
            f"(recall on punctuated ends {seg['recall_punctuated']:.3f})"
        )
        for count, form, gold, pred, upos in lem["errors"][:8]:
            print(f"    {count:3d}× {form!r}: gold {gold!r}, ours {pred!r} ({upos})")
    out = HERE / "out" / "ud.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
