"""Stance scoring speed: the lexicon and the trained model, sentences per second, one run.

Builds the UD-based benchmark corpus (:mod:`corpus`, ``--tokens`` word tokens), parses it
once, then times :meth:`LexiconStance.score_sentences` and
:meth:`StanceModel.score_sentences` (the shipped model — the default scorer — or
``--model``) on the same ``Parsed`` corpus, on one core (the parse is not timed). The two
take turns ``--repeat`` times and each one's best time counts; one-off costs (the model's
first call loads the navec embeddings) are timed apart on two documents. The ratio model /
lexicon is what to compare across machines; the issue's target is ≥ 5,000 sentences/s for
the default scorer on a 1M-token corpus.

    python benchmarks/bench_stance.py --tokens 1000000 --out benchmarks/out/bench_stance.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _seconds(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _interleaved_best(fns: dict[str, Any], repeat: int) -> dict[str, float]:
    """Best time of each function over ``repeat`` rounds, the functions taking turns within a
    round, so that a change in the machine's load falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            times[name].append(_seconds(fn))
    return {name: min(t) for name, t in times.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model", type=Path, default=None, help="a model file (default: shipped)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    from kzdiscourse import Corpus
    from kzdiscourse.stance import LexiconStance, StanceModel

    from corpus import build_corpus

    frame = build_corpus(args.tokens, seed=0)
    parsed = Corpus.from_dataframe(frame, min_cyrillic_share=None).parse(n_jobs=1)
    n = len(parsed.sentences)
    lexicon = LexiconStance()
    model = StanceModel.load(args.model)
    # one-off costs, reported apart: the model's first call loads the navec embeddings
    small = parsed.subset(parsed.documents["doc_id"].iloc[:2].tolist())
    cold = {"lexicon": _seconds(lambda: lexicon.score_sentences(small)),
            "model": _seconds(lambda: model.score_sentences(small))}  # fmt: skip
    best = _interleaved_best(
        {"lexicon": lambda: lexicon.score_sentences(parsed),
         "model": lambda: model.score_sentences(parsed)},
        args.repeat,
    )  # fmt: skip
    lex_s, model_s = best["lexicon"], best["model"]
    result = {
        "corpus": {"tokens": len(parsed.tokens), "sentences": n, "documents": len(frame)},
        "lexicon": {"seconds": lex_s, "sentences_per_second": n / lex_s},
        "model": {
            "seconds": model_s,
            "sentences_per_second": n / model_s,
            "training": model.manifest_["training"]["name"],
        },
        "ratio_model_vs_lexicon": (n / model_s) / (n / lex_s),
        "first_call_seconds_two_documents": cold,
        "repeat": args.repeat,
    }
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
