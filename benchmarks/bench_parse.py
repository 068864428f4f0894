"""Parse throughput of kzdiscourse against the naive baseline, in one run.

Naive baseline: razdel sentences and tokens, then ``pymorphy3`` ``parse(token)[0]`` for every
token (no cache), over the same paragraphs. kzdiscourse: ``Corpus.parse()`` end to end,
which builds the full tidy tables. Both run on the same corpus in the same process; the
result is a ratio, so the machine's speed cancels out.

Usage::

    python benchmarks/bench_parse.py --tokens 1000000

Writes ``benchmarks/out/parse.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import build_corpus  # noqa: E402


def naive(texts: list[str]) -> tuple[int, list[str]]:
    import pymorphy3
    from razdel import sentenize, tokenize

    morph = pymorphy3.MorphAnalyzer()
    n = 0
    sample: list[str] = []
    for text in texts:
        for par in text.split("\n\n"):
            for sent in sentenize(par):
                for tok in tokenize(sent.text):
                    lemma = morph.parse(tok.text)[0].normal_form
                    n += 1
                    if len(sample) < 2000:
                        sample.append(lemma)
    return n, sample


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000, help="corpus size in tokens")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "out" / "parse.json"))
    args = ap.parse_args(argv)

    from kzdiscourse import Corpus

    t0 = time.perf_counter()
    frame = build_corpus(args.tokens, seed=args.seed)
    build_s = time.perf_counter() - t0
    corpus = Corpus.from_dataframe(frame)

    t0 = time.perf_counter()
    parsed = corpus.parse()
    ours_s = time.perf_counter() - t0
    n_ours = len(parsed.tokens)
    types = parsed.tokens["norm"].nunique()

    t0 = time.perf_counter()
    n_naive, _ = naive(frame["text"].tolist())
    naive_s = time.perf_counter() - t0

    result = {
        "corpus": {
            "documents": len(frame),
            "tokens": n_ours,
            "types": int(types),
            "type_token_ratio": round(types / n_ours, 4),
            "build_seconds": round(build_s, 2),
        },
        "naive": {
            "tokens": n_naive,
            "seconds": round(naive_s, 2),
            "tokens_per_s": round(n_naive / naive_s),
        },
        "kzdiscourse": {
            "tokens": n_ours,
            "seconds": round(ours_s, 2),
            "tokens_per_s": round(n_ours / ours_s),
        },
        "speedup": round((n_ours / ours_s) / (n_naive / naive_s), 2),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
