"""Cross-validated lemma accuracy of the disambiguator on its own training data.

The settings of the disambiguator (feature templates, reading set, L2) are chosen here,
never on the held-out sets: the training pool (the files of ``train_disambiguator.py``'s
``TRAIN_FILES``) is cut into ``--folds`` contiguous blocks of sentences per file; each
block is lemmatised by a model trained on all the other blocks, and the lemma accuracy
(the convention of :func:`kzdiscourse.ud.lemma_accuracy`) is pooled over the blocks, per
file and overall. GSD test and Taiga dev are never read.

Also reported: the accuracy without context (pymorphy3's most probable analysis) and the
*ceiling*, the share of scored tokens whose gold lemma is the lemma of some reading (what
a perfect choice among the readings would reach), and the most frequent errors.

*Subsets* of the training pool can be reported on their own (``--subset``): the
sentences whose normalised text (lower case, ё→е, letters and digits only) occurs in a
CoNLL-U file (``news=path.conllu``), or whose ``sent_id`` starts with a prefix
(``news=id:GramEval2020-test-news``); a name may be given several times. Each training
sentence is held out in exactly one fold, so a subset's score is cross-validated too.

Usage::

    python benchmarks/cv_disambiguator.py                 # every training file, 5 folds
    python benchmarks/cv_disambiguator.py --l2 0.1 0.3 1  # compare L2 penalties
    python benchmarks/cv_disambiguator.py --subset news=lenta.conllu \
        --subset news=id:GramEval2020-test-news          # also the news sentences alone

Writes ``benchmarks/out/cv_disambiguator.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from train_disambiguator import TRAIN_FILES, load_training  # noqa: E402

from kzdiscourse.disambiguation.training import new_model, train_logit, training_data  # noqa: E402
from kzdiscourse.nlp import Lemmatizer  # noqa: E402
from kzdiscourse.ud import lemma_accuracy  # noqa: E402

_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_SKIP = {"PUNCT", "NUM", "SYM"}


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def sentence_key(sent) -> str:
    """A sentence's text for matching across files: lower case, ё→е, letters and digits."""
    return re.sub(r"\W+", "", _fold("".join(t[0] for t in sent.tokens)))


def subset_matchers(specs: list[str]) -> dict[str, tuple[set[str], tuple[str, ...]]]:
    """``name=path.conllu`` / ``name=id:PREFIX`` → name → (sentence keys, id prefixes)."""
    from kzdiscourse.ud import read_conllu

    out: dict[str, tuple[set[str], tuple[str, ...]]] = {}
    for spec in specs:
        name, sep, source = spec.partition("=")
        if not sep or not name or not source:
            raise SystemExit(f"--subset {spec!r}: expected NAME=PATH or NAME=id:PREFIX")
        keys, prefixes = out.get(name, (set(), ()))
        if source.startswith("id:"):
            prefixes = (*prefixes, source[3:])
        else:
            keys = keys | {sentence_key(s) for s in read_conllu(Path(source))}
        out[name] = (keys, prefixes)
    return out


def in_subset(sent, matcher: tuple[set[str], tuple[str, ...]]) -> bool:
    keys, prefixes = matcher
    return sent.sent_id.startswith(prefixes) or sentence_key(sent) in keys


def blocks(sentences: list, k: int) -> list[list]:
    """``k`` contiguous blocks of sentences (documents stay together, mostly)."""
    n = len(sentences)
    return [sentences[i * n // k : (i + 1) * n // k] for i in range(k)]


def ceiling(sentences: list, lem: Lemmatizer) -> tuple[int, int]:
    """(scored tokens, tokens whose gold lemma is among the readings' lemmas)."""
    total = reachable = 0
    for sent in sentences:
        for form, gold, upos in sent.tokens:
            if upos in _SKIP or not _CYRILLIC.search(form):
                continue
            total += 1
            reachable += _fold(gold) in {_fold(c[0]) for c in lem.candidates(form.lower())}
    return total, reachable


def cross_validate(
    per_file: dict[str, list],
    k: int,
    l2: float,
    bits: int,
    min_share: float,
    subsets: dict[str, tuple[set[str], tuple[str, ...]]] | None = None,
):
    subsets = subsets or {}
    split = {name: blocks(sents, k) for name, sents in per_file.items()}
    sub_counts: dict[str, Counter[str]] = {name: Counter() for name in subsets}
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    base_correct: Counter[str] = Counter()
    upos_correct: Counter[str] = Counter()
    errors: Counter[tuple] = Counter()
    for f in range(k):
        train = [s for name in split for i, b in enumerate(split[name]) if i != f for s in b]
        model = new_model(bits, min_share)
        data = training_data(train, model)
        model.weights, model.share_weight = train_logit(model, [data], l2=l2)
        lem = Lemmatizer(disambiguator=model)
        for name in split:
            held = split[name][f]
            got = lemma_accuracy(held, top_errors=10_000, lemmatizer=lem)
            base = lemma_accuracy(held, disambiguate=False, lemmatizer=Lemmatizer())
            correct[name] += got["correct"]
            total[name] += got["tokens"]
            base_correct[name] += base["correct"]
            upos_correct[name] += round(got["upos_accuracy"] * got["tokens"])
            for count, *key in got["errors"]:
                errors[tuple(key)] += count
            for sub, matcher in subsets.items():
                chosen = [s for s in held if in_subset(s, matcher)]
                if not chosen:
                    continue
                got = lemma_accuracy(chosen, lemmatizer=lem)
                base = lemma_accuracy(chosen, disambiguate=False, lemmatizer=Lemmatizer())
                sub_counts[sub]["sentences"] += len(chosen)
                sub_counts[sub]["tokens"] += got["tokens"]
                sub_counts[sub]["correct"] += got["correct"]
                sub_counts[sub]["base"] += base["correct"]
                sub_counts[sub]["upos"] += round(got["upos_accuracy"] * got["tokens"])
    lem = Lemmatizer()
    out = {}
    for name in split:
        scored, reachable = ceiling(per_file[name], lem)
        out[name] = {
            "tokens": total[name],
            "correct": correct[name],
            "accuracy": round(correct[name] / total[name], 4),
            "without_context": round(base_correct[name] / total[name], 4),
            "upos_accuracy": round(upos_correct[name] / total[name], 4),
            "ceiling": round(reachable / scored, 4),
        }
    n = sum(total.values())
    out["all"] = {
        "tokens": n,
        "correct": sum(correct.values()),
        "accuracy": round(sum(correct.values()) / n, 4),
        "without_context": round(sum(base_correct.values()) / n, 4),
        "upos_accuracy": round(sum(upos_correct.values()) / n, 4),
    }
    for sub, c in sub_counts.items():
        n_sub = c["tokens"] or 1
        out[f"subset:{sub}"] = {
            "sentences": c["sentences"],
            "tokens": c["tokens"],
            "accuracy": round(c["correct"] / n_sub, 4),
            "without_context": round(c["base"] / n_sub, 4),
            "upos_accuracy": round(c["upos"] / n_sub, 4),
        }
    top = [(c, *key) for key, c in errors.most_common(300)]
    return out, top


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--train", nargs="*", default=sorted(TRAIN_FILES))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, nargs="*", default=[1.0])
    ap.add_argument("--bits", type=int, default=20)
    ap.add_argument("--min-share", type=float, default=0.005)
    ap.add_argument(
        "--subset",
        action="append",
        default=[],
        metavar="NAME=PATH|NAME=id:PREFIX",
        help="also report the training sentences found in a CoNLL-U file / with an id prefix",
    )
    ap.add_argument("--out", default=str(HERE / "out" / "cv_disambiguator.json"))
    args = ap.parse_args(argv)
    subsets = subset_matchers(args.subset)

    per_file = {name: load_training([name])[0] for name in args.train}
    result: dict = {"folds": args.folds, "files": args.train, "subsets": args.subset, "runs": []}
    for l2 in args.l2:
        t0 = time.perf_counter()
        scores, top = cross_validate(per_file, args.folds, l2, args.bits, args.min_share, subsets)
        run = {
            "l2": l2,
            "scores": scores,
            "errors": top,
            "seconds": round(time.perf_counter() - t0),
        }
        result["runs"].append(run)
        print(f"l2={l2}: " + json.dumps(scores, ensure_ascii=False))
    for count, form, gold, pred, upos in result["runs"][-1]["errors"][:25]:
        print(f"  {count:3d} {form!r}: gold {gold!r}, ours {pred!r} ({upos})")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
