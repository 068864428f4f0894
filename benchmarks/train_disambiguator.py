"""Train the lemma/UPOS disambiguator on UD Russian gold data and package it.

Training data (CC BY-SA 4.0): no UD *test* split, and neither of the held-out sets (GSD
test, Taiga dev). The files are not in the repository; put them in
``benchmarks/cache/ud/`` (git-ignored). Each is checked against the SHA-256 recorded in
:data:`EXPECTED_SHA256`, so the packaged model names exactly what it was trained on.
Where a file came from:

- ``ru_taiga-ud-train-r2.7.conllu``: UniversalDependencies/UD_Russian-Taiga, tag ``r2.7``
  (commit 445b06171246417ae52da5b989d6ee619c112177), ``ru_taiga-ud-train.conllu`` (every
  later Taiga train file, like every GSD and SynTagRus train file, is 4 MiB or more and
  could not be obtained here)::

      git -C UD_Russian-Taiga show r2.7:ru_taiga-ud-train.conllu \
          > benchmarks/cache/ud/ru_taiga-ud-train-r2.7.conllu

- ``ru_gsd-ud-dev-r2.16.conllu``: UD_Russian-GSD r2.16, ``ru_gsd-ud-dev.conllu`` (the
  same bytes as ``../shared/data/ud/ru_gsd-ud-dev.conllu``). GSD dev is not a test split;
  since it is training data, settings are chosen by cross-validation instead
  (``benchmarks/cv_disambiguator.py``).
- ``ru_poetry-ud-dev-r2.16.conllu``: UD_Russian-Poetry r2.16, ``ru_poetry-ud-dev.conllu``
  (its train file is over 4 MiB; dev is not a test split either)::

      git -C UD_Russian-Poetry show r2.16:ru_poetry-ud-dev.conllu \
          > benchmarks/cache/ud/ru_poetry-ud-dev-r2.16.conllu

GSD test and Taiga dev are held out (measured once by ``benchmarks/eval_ud.py``); the
Taiga test split is never used.

Usage::

    python benchmarks/train_disambiguator.py            # train on every file, write
    python benchmarks/train_disambiguator.py --no-write # train and report only

Writes ``kzdiscourse/resources/lemma_disambiguator.zip`` (deterministic: the same data and
settings give the same bytes) and prints the settings and the accuracy on the training
data.
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
from kzdiscourse.ud import read_conllu  # noqa: E402

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
#: The other training files (GSD and Poetry dev).
EXTRA_FILES = {
    "ru_gsd-ud-dev-r2.16.conllu": {
        "treebank": "UD_Russian-GSD",
        "repository": "UniversalDependencies/UD_Russian-GSD",
        "release": "r2.16",
        "commit": "27975702bf9507f0a244007f47345239a2d39c2f",
        "path": "ru_gsd-ud-dev.conllu",
        "split": "dev",
        "license": "CC BY-SA 4.0",
    },
    "ru_poetry-ud-dev-r2.16.conllu": {
        "treebank": "UD_Russian-Poetry",
        "repository": "UniversalDependencies/UD_Russian-Poetry",
        "release": "r2.16",
        "commit": "40c527fd81d1596f3618c85032601e727c710ec5",
        "path": "ru_poetry-ud-dev.conllu",
        "split": "dev",
        "license": "CC BY-SA 4.0",
    },
}
TRAIN_FILES.update(EXTRA_FILES)
#: SHA-256 of each training file, checked before training.
EXPECTED_SHA256 = {
    "ru_taiga-ud-train-r2.7.conllu": (
        "414ac026e383bf95b49c7b5c31f74b2919684fa4a2052676ad51edca6510d210"
    ),
    "ru_gsd-ud-dev-r2.16.conllu": (
        "e3e3d4e8d1d7544e531b2b81ae64257efacc97f93276ce6d2ce52fd1de052fa2"
    ),
    "ru_poetry-ud-dev-r2.16.conllu": (
        "62bf2cb40c7f7541c64f556d5bf826f20b195e4c8e688eb45aa3cbd0297e1278"
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
    ap.add_argument("--trainer", choices=("logit", "perceptron"), default="logit")
    ap.add_argument("--l2", type=float, default=1.0, help="logit: L2 penalty")
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
