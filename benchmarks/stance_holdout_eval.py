"""Evaluate the shipped stance model and the lexicon once on the holdout test set.

The holdout (docs/stance_holdout.md) is evaluated **once per shipped model**, with the model
file as shipped: no tuning, no threshold or prior change. Each run appends one row per
scorer to ``data/stance_holdout_results.csv`` — the date, the model file and its SHA-256,
a digest of the labels, and the numbers: macro-F1, accuracy, Cohen's κ against the
adjudicated labels and per-label precision / recall / F1, each with a page-block bootstrap
95% interval (``stance_model_eval.metric_table``, the model card's function), dominant-stance
agreement and label-share MAE on pages with ≥ 5 coded sentences
(``stance_model_eval.page_agreement``) and the confusion matrix (gold rows, predicted
columns, as JSON). Earlier rows are never rewritten, and a model whose SHA-256 already has a
row is refused (``--allow-repeat`` overrides, for a deliberate re-run that is then visible
as a second row). No per-sentence prediction is written or printed.

The holdout has two parts (docs/stance_holdout.md): part 1, sampled without regard to stance,
and part 2, stratified towards stance-bearing text. A run evaluates the parts named by
``--parts`` (default both) and writes, per scorer, one row per part (``subset`` ``part1``,
``part2``) and, when both parts are evaluated, one row for the two pooled (``both``; its
bootstrap resamples the pages of both parts). A model is evaluated once per subset: a
``(model_sha256, scorer, subset)`` that already has a row is refused.

Every page is parsed as a document exactly as the training pages are
(``stance_model_data.build_units``); every labelled sentence must be found in the cached
texts and every sentence of the table must carry an adjudicated label.

Usage::

    python benchmarks/stance_holdout_eval.py [--model PATH] [--parts 1 2] [--n-boot 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from stance_corpus import (  # noqa: E402
    HOLDOUT_P2_PAGES_CSV,
    HOLDOUT_P2_SENTENCES_CSV,
    HOLDOUT_PAGES_CSV,
    HOLDOUT_SENTENCES_CSV,
)
from stance_model_data import build_units, read_inputs, sentence_features  # noqa: E402
from stance_model_eval import LABELS, metric_table, page_agreement  # noqa: E402

CACHE_JSONL = HERE / "cache" / "stance_holdout" / "pages.jsonl"
CACHE_P2_JSONL = HERE / "cache" / "stance_holdout" / "pages_p2.jsonl"
RESULTS_CSV = HERE / "data" / "stance_holdout_results.csv"
MODEL_PATH = HERE.parent / "kzdiscourse" / "resources" / "stance_model_ru.json.gz"
PER_LABEL = tuple(f"{m}:{lab}" for lab in LABELS for m in ("precision", "recall", "f1"))
MEASURES = ("macro_f1", "accuracy", "kappa", *PER_LABEL)
#: ``subset`` of a results row: one part of the holdout, or both pooled.
SUBSETS = ("part1", "part2", "both")
RESULT_COLUMNS = (
    ["date", "scorer", "subset", "model_file", "model_sha256", "labels_sha256"]
    + ["n_sentences", "n_pages"]
    + [f"{m}{s}" for m in MEASURES for s in ("", "_ci_low", "_ci_high")]
    + ["pages_5plus", "dominant_agreement", "share_mae", "confusion", "n_boot", "seed"]
)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (the identity of a shipped model)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def labels_digest(urls: Sequence[str], hashes: Sequence[str], labels: Sequence[str]) -> str:
    """SHA-256 of the (url, sentence hash, label) triples, sorted: which gold was used.

    Examples
    --------
    >>> labels_digest(["u", "v"], ["h1", "h2"], ["none", "pro_eu"]) == labels_digest(
    ...     ["v", "u"], ["h2", "h1"], ["pro_eu", "none"])
    True
    """
    rows = sorted(zip(urls, hashes, labels, strict=True))
    return hashlib.sha256("\n".join("\t".join(r) for r in rows).encode("utf-8")).hexdigest()


def load_holdout(pages_csv: Path, sentences_csv: Path, jsonl: Path) -> dict:
    """The labelled holdout sentences, found in the parsed pages.

    Returns ``table`` (the sentence features of the coded sentences, one row each, in the
    order of the sentence table), ``text``, ``gold``, ``urls`` and ``hashes``. Raises
    ``SystemExit`` naming the file when a sentence has no label or is not found.
    """
    inputs = read_inputs(pages_csv, sentences_csv, jsonl)
    sents = inputs["sentences"]
    unlabelled = sents.loc[sents["label"] == ""]
    if len(unlabelled):
        raise SystemExit(
            f"{sentences_csv}: {len(unlabelled)} of {len(sents)} sentences have no label; run "
            "benchmarks/stance_corpus_labels.py --holdout after the adjudication first"
        )
    bad = sorted(set(sents["label"]) - set(LABELS))
    if bad:
        raise SystemExit(f"{sentences_csv}: unknown label(s) {bad}; use one of {LABELS}")
    parsed, units, coded = build_units(inputs)
    lost = coded.loc[~coded["status"].isin(["ok", "moved"])]
    if len(lost):
        raise SystemExit(
            f"{jsonl}: {len(lost)} labelled sentence(s) not found in the cached pages "
            f"(statuses {lost['status'].value_counts().to_dict()}); restore the cache"
        )
    table = sentence_features(parsed, units)
    at = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([coded["doc_id"], coded["sent_id"].astype(int)])
    )
    unit_at = pd.MultiIndex.from_frame(units[["doc_id", "sent_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([coded["doc_id"], coded["sent_id"].astype(int)])
    )
    return {
        "table": table.iloc[at].reset_index(drop=True),
        "text": units["text"].to_numpy(dtype=object)[unit_at],
        "gold": coded["label"].to_numpy(dtype=object),
        "urls": coded["url"].to_numpy(dtype=object),
        "hashes": coded["sha256"].to_numpy(dtype=object),
    }


def score(
    pred: Sequence[str], gold: Sequence[str], urls: Sequence[str], n_boot: int, seed: int
) -> dict:
    """Every number of a results row for one scorer (intervals: page-block bootstrap)."""
    from kzdiscourse.stance import evaluate

    pred_a = np.asarray(pred, dtype=object)
    gold_a = np.asarray(gold, dtype=object)
    urls_a = np.asarray(urls, dtype=object)
    table = metric_table(pred_a, gold_a, urls_a, seed, n_boot).set_index("measure")
    out: dict = {"n_sentences": len(gold_a), "n_pages": int(pd.unique(urls_a).size)}
    for m in MEASURES:
        out[m] = float(table.loc[m, "value"])
        out[f"{m}_ci_low"] = float(table.loc[m, "ci_low"])
        out[f"{m}_ci_high"] = float(table.loc[m, "ci_high"])
    _, page = page_agreement(pred_a, gold_a, urls_a)
    out["pages_5plus"] = int(page["pages"])
    out["dominant_agreement"] = float(page["dominant_agreement"])
    out["share_mae"] = float(page["share_mae"])
    confusion = evaluate(list(pred_a), list(gold_a), labels=list(LABELS)).confusion
    matrix: dict[str, dict[str, int]] = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for r in confusion.itertuples(index=False):
        matrix[str(r.gold)][str(r.predicted)] = int(r.n)
    out["confusion"] = json.dumps(matrix)
    out["n_boot"], out["seed"] = n_boot, seed
    return out


def evaluated_models(path: Path) -> frozenset[str]:
    """SHA-256 of every model that already has a row in the results file."""
    if not path.exists() or not path.stat().st_size:
        return frozenset()
    return frozenset(
        x for x in pd.read_csv(path, dtype=str, keep_default_na=False)["model_sha256"] if x
    )


def evaluated_keys(path: Path) -> frozenset[tuple[str, str, str]]:
    """``(model_sha256, scorer, subset)`` of every row that names a model file."""
    if not path.exists() or not path.stat().st_size:
        return frozenset()
    old = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frozenset(
        (sha, scorer, subset)
        for sha, scorer, subset in zip(
            old["model_sha256"], old["scorer"], old["subset"], strict=True
        )
        if sha
    )


def append_rows(path: Path, rows: Sequence[dict], allow_repeat: bool = False) -> None:
    """Append result rows; earlier rows stay byte-identical.

    Refuses a row whose ``(model_sha256, scorer, subset)`` is already in the file unless
    ``allow_repeat``, and a file whose header is not :data:`RESULT_COLUMNS`.
    """
    new = pd.DataFrame(list(rows), columns=RESULT_COLUMNS)
    if path.exists() and path.stat().st_size:
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(old.columns) != RESULT_COLUMNS:
            raise SystemExit(f"{path}: columns differ from this script's; do not edit it by hand")
        seen = set(zip(old["model_sha256"], old["scorer"], old["subset"], strict=True))
        again = [(r["model_sha256"], r["scorer"], r["subset"]) for r in rows if r["model_sha256"]]
        repeated = [k for k in again if k in seen]
        if repeated and not allow_repeat:
            raise SystemExit(
                f"{path}: model {repeated[0][0][:12]} was already evaluated on the holdout; "
                "the holdout is evaluated once per shipped model (--allow-repeat to add a row)"
            )
        with path.open("a", encoding="utf-8", newline="") as fh:
            new.to_csv(fh, header=False, index=False, float_format="%.8g")
    else:
        new.to_csv(path, index=False, float_format="%.8g")


def pool(parts: Sequence[dict]) -> dict:
    """The holdout parts as one (``load_holdout`` results, concatenated in order).

    Examples
    --------
    >>> a = {"table": pd.DataFrame({"x": [1]}), "text": np.array(["s"], dtype=object),
    ...      "gold": np.array(["none"], dtype=object), "urls": np.array(["u"], dtype=object),
    ...      "hashes": np.array(["h"], dtype=object)}
    >>> b = a | {"urls": np.array(["v"], dtype=object)}
    >>> both = pool([a, b])
    >>> list(both["urls"]), len(both["table"])
    (['u', 'v'], 2)
    """
    out = {"table": pd.concat([p["table"] for p in parts], ignore_index=True)}
    for key in ("text", "gold", "urls", "hashes"):
        out[key] = np.concatenate([np.asarray(p[key], dtype=object) for p in parts])
    return out


def evaluate_holdout(
    parts: dict[str, dict],
    scorers: dict[str, tuple[Callable[[dict], Sequence[str]], str, str]],
    n_boot: int,
    seed: int,
    date: str,
) -> list[dict]:
    """Result rows: per scorer, one per part and, with two parts, one for both pooled.

    ``parts`` maps a subset name (``part1``, ``part2``) to its ``load_holdout`` data;
    ``scorers[name] = (predict(data), model_file, sha256)``. Each part is scored by the
    scorer on its own; the pooled row reuses those predictions.
    """
    rows = []
    for name, (predict, model_file, sha) in scorers.items():
        subsets = {k: (d, [str(p) for p in predict(d)]) for k, d in parts.items()}
        if len(parts) > 1:
            both = pool([d for d, _ in subsets.values()])
            subsets["both"] = (both, [p for _, pred in subsets.values() for p in pred])
        for subset, (data, pred) in subsets.items():
            digest = labels_digest(data["urls"], data["hashes"], data["gold"])
            rows.append(
                {"date": date, "scorer": name, "subset": subset, "model_file": model_file,
                 "model_sha256": sha, "labels_sha256": digest,
                 **score(pred, data["gold"], data["urls"], n_boot, seed)}
            )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", type=int, nargs="+", choices=(1, 2), default=[1, 2])
    ap.add_argument("--pages", type=Path, default=HOLDOUT_PAGES_CSV)
    ap.add_argument("--sentences", type=Path, default=HOLDOUT_SENTENCES_CSV)
    ap.add_argument("--cache", type=Path, default=CACHE_JSONL)
    ap.add_argument("--pages2", type=Path, default=HOLDOUT_P2_PAGES_CSV)
    ap.add_argument("--sentences2", type=Path, default=HOLDOUT_P2_SENTENCES_CSV)
    ap.add_argument("--cache2", type=Path, default=CACHE_P2_JSONL)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--results", type=Path, default=RESULTS_CSV)
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--allow-repeat", action="store_true")
    args = ap.parse_args(argv)

    import kzdiscourse
    from kzdiscourse.stance import LexiconStance, StanceModel

    if not args.model.exists():
        raise SystemExit(f"{args.model}: no model file; pass --model PATH")
    sha = file_sha256(args.model)
    parts_wanted = sorted(set(args.parts))
    subsets = [f"part{n}" for n in parts_wanted] + (["both"] if len(parts_wanted) > 1 else [])
    done = {subset for s, scorer, subset in evaluated_keys(args.results) if s == sha}
    if done & set(subsets) and not args.allow_repeat:
        raise SystemExit(
            f"{args.results}: model {sha[:12]} was already evaluated on the holdout "
            f"({', '.join(sorted(done & set(subsets)))}); the holdout is evaluated once per "
            "shipped model (--allow-repeat to add a row)"
        )
    model = StanceModel.load(args.model)
    files = {
        1: (args.pages, args.sentences, args.cache),
        2: (args.pages2, args.sentences2, args.cache2),
    }
    parts = {f"part{n}": load_holdout(*files[n]) for n in parts_wanted}
    scorers = {
        "model": (lambda d: model.predict(d["table"]), args.model.name, sha),
        "lexicon": (
            lambda d: LexiconStance().predict(list(d["text"])),
            f"kzdiscourse {kzdiscourse.__version__} LexiconStance",
            "",
        ),
    }
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = evaluate_holdout(parts, scorers, args.n_boot, args.seed, date)
    append_rows(args.results, rows, allow_repeat=args.allow_repeat)
    for r in rows:
        print(
            f"{r['scorer']} {r['subset']}: n={r['n_sentences']} pages={r['n_pages']} macro-F1 "
            f"{r['macro_f1']:.3f} [{r['macro_f1_ci_low']:.3f}, {r['macro_f1_ci_high']:.3f}] "
            f"kappa {r['kappa']:.3f} dominant agreement {r['dominant_agreement']:.3f} "
            f"share MAE {r['share_mae']:.3f}"
        )
    print(f"appended {len(rows)} row(s) to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
