"""Train the lemma/UPOS disambiguator on UD Russian train splits and package it.

Training data: the *train* splits only (CC BY-SA 4.0). The files are not in the
repository; put them in ``benchmarks/cache/ud/`` (git-ignored). Each is checked against
the SHA-256 recorded in :data:`TRAIN_FILES`, so the packaged model names exactly what it
was trained on. Where a file came from:

- ``ru_taiga-ud-train-r2.7.conllu``: UniversalDependencies/UD_Russian-Taiga, tag ``r2.7``
  (commit 445b06171246417ae52da5b989d6ee619c112177), ``ru_taiga-ud-train.conllu``::

      git -C UD_Russian-Taiga show r2.7:ru_taiga-ud-train.conllu \\
          > benchmarks/cache/ud/ru_taiga-ud-train-r2.7.conllu

Settings are chosen on UD GSD *dev* (``--dev``); GSD test and Taiga dev are held out
(measured once by ``benchmarks/eval_ud.py``) and the Taiga test split is never used.

Usage::

    python benchmarks/train_disambiguator.py            # train, measure on GSD dev, write
    python benchmarks/train_disambiguator.py --no-write # measure only

Writes ``kzdiscourse/resources/lemma_disambiguator.zip`` (deterministic: the same data and
seed give the same bytes) and prints the settings and accuracies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from kzdiscourse.disambiguation import save_model  # noqa: E402
from kzdiscourse.disambiguation.features import templates_digest  # noqa: E402
from kzdiscourse.disambiguation.training import (  # noqa: E402
    accuracy,
    new_model,
    train_logit,
    train_perceptron,
    training_data,
)
from kzdiscourse.nlp import Lemmatizer  # noqa: E402
from kzdiscourse.ud import lemma_accuracy, read_conllu  # noqa: E402

CACHE = HERE / "cache" / "ud"
OUT = ROOT / "kzdiscourse" / "resources" / "lemma_disambiguator.zip"

#: Training files: cache name → provenance and the SHA-256 of the file.
TRAIN_FILES = {
    "ru_taiga-ud-train-r2.7.conllu": {
        "treebank": "UD_Russian-Taiga",
        "repository": "UniversalDependencies/UD_Russian-Taiga",
        "release": "r2.7",
        "commit": "445b06171246417ae52da5b989d6ee619c112177",
        "path": "ru_taiga-ud-train.conllu",
        "split": "train",
        "license": "CC BY-SA 4.0",
    },
}
#: SHA-256 of each training file, checked before training.
EXPECTED_SHA256 = {
    "ru_taiga-ud-train-r2.7.conllu": (
        "414ac026e383bf95b49c7b5c31f74b2919684fa4a2052676ad51edca6510d210"
    ),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_training(names: list[str]) -> tuple[list, list[dict]]:
    sentences = []
    sources = []
    for name in names:
        path = CACHE / name
        if not path.is_file():
            raise SystemExit(f"{path} is missing: see this script's docstring for its source")
        digest = _sha256(path)
        expected = EXPECTED_SHA256.get(name)
        if expected is not None and digest != expected:
            raise SystemExit(f"{path}: SHA-256 {digest} is not the recorded {expected}")
        sents = read_conllu(path)
        sentences.extend(sents)
        sources.append(
            {
                **TRAIN_FILES[name],
                "sha256": digest,
                "sentences": len(sents),
                "tokens": sum(len(s.tokens) for s in sents),
            }
        )
    return sentences, sources


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--train", nargs="*", default=sorted(TRAIN_FILES))
    ap.add_argument("--dev", default=str(ROOT.parent.parent / "shared" / "data" / "ud"))
    ap.add_argument("--trainer", choices=("logit", "perceptron"), default="logit")
    ap.add_argument("--l2", type=float, default=0.3, help="logit: L2 penalty")
    ap.add_argument("--epochs", type=int, default=8, help="perceptron: passes")
    ap.add_argument("--seed", type=int, default=0, help="perceptron: visiting order")
    ap.add_argument("--bits", type=int, default=20)
    ap.add_argument("--min-share", type=float, default=0.005)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    sentences, sources = load_training(args.train)
    model = new_model(args.bits, args.min_share)
    data = training_data(sentences, model)
    if args.trainer == "logit":
        weights, share_weight = train_logit(model, [data], l2=args.l2)
        settings = {"trainer": "conditional logit (L-BFGS)", "l2": args.l2}
    else:
        weights = train_perceptron(model, [data], epochs=args.epochs, seed=args.seed)
        share_weight = 0.0
        settings = {"trainer": "averaged perceptron", "epochs": args.epochs, "seed": args.seed}
    model.weights = weights
    model.share_weight = share_weight
    train_s = time.perf_counter() - t0
    result: dict = {
        "train_tokens": int(sum(s["tokens"] for s in sources)),
        "ambiguous_tokens": len(data.batch.tokens),
        "usable_tokens": int(data.usable.sum()),
        "train_reading_accuracy": round(accuracy(model, data), 4),
    }
    dev = Path(args.dev) / "ru_gsd-ud-dev.conllu"
    if dev.is_file():
        gold = read_conllu(dev)
        tuned = lemma_accuracy(gold, lemmatizer=Lemmatizer(disambiguator=model))
        base = lemma_accuracy(gold, disambiguate=False, lemmatizer=Lemmatizer())
        result["gsd_dev"] = {
            "lemma_accuracy": round(tuned["accuracy"], 4),
            "lemma_accuracy_without": round(base["accuracy"], 4),
            "upos_accuracy": round(tuned["upos_accuracy"], 4),
            "upos_accuracy_without": round(base["upos_accuracy"], 4),
            "tokens": tuned["tokens"],
        }
    data_digest = hashlib.sha256(
        "\n".join(f"{s['path']}@{s['commit']}:{s['sha256']}" for s in sources).encode()
    ).hexdigest()
    meta = {
        "model": "linear model over pymorphy3 readings (kzdiscourse.disambiguation)",
        "treebanks": sources,
        "data_digest": data_digest,
        "templates_digest": templates_digest(),
        "bits": args.bits,
        "min_share": args.min_share,
        "share_weight": round(share_weight, 6),
        **settings,
        "measured": dict(result),
    }
    meta["weights_digest"] = hashlib.sha256(weights.tobytes()).hexdigest()
    result["train_seconds"] = round(train_s, 1)  # printed only: the file stays deterministic
    if not args.no_write:
        save_model(Path(args.out), weights, meta)
        result["written"] = str(args.out)
        result["bytes"] = Path(args.out).stat().st_size
        result["nonzero_weights"] = int(np.count_nonzero(weights))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
