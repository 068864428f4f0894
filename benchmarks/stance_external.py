"""Score the stance scorers on external sentences that are not stored in the repository.

``benchmarks/data/stance_external_pages.csv`` lists hand-coded sentences from news and
analysis pages of other outlets and authors (set 2 of the external validation, see
``docs/stance_codebook.md``). Their text is *not* committed: each row holds a locator — the
page ``url``, the ``outlet``, the sentence's index within the page text as it was read
(``sent_index``), the SHA-256 of the sentence (Unicode NFC, stripped) and its length in
characters — plus the hand-coded ``label``, ``secondary`` and a ``rationale`` in the coder's
own words.

To reproduce the numbers, re-fetch the pages and save them as JSON lines
(``{"url": ..., "text": ...}``, one page per line; the text may be the full page text or the
excerpt that was read) or as a folder of ``.json`` files with the same two keys. This script
splits each text into sentences with :func:`split_sentences` (from ``page_sentences.py``,
shared with ``stance_corpus.py``), finds every coded sentence by
its hash (the index is only a hint, so a longer or shorter re-fetched text still matches),
reports the rows it could not find, and evaluates the scorers on the rows it found::

    python benchmarks/stance_external.py /tmp/stance_ext/pages.jsonl --out /tmp/ext

Scorers: the lexicon (:class:`kzdiscourse.stance.LexiconStance`, the default of
:func:`kzdiscourse.stance.score`) and :meth:`kzdiscourse.stance.StanceClassifier.from_gold`
(default features). For each: accuracy, macro-F1, per-label precision/recall/F1 and
Cohen's kappa with percentile bootstrap 95% intervals over sentences
(:func:`kzdiscourse.stats.bootstrap_statistic`, one seed), and the confusion matrix.
``--ud`` and ``--testset`` add the same evaluation of the shipped UD external set
(``kzdiscourse/gold/ud_external.csv``) and of the independent test set.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

# the splitter and hash are shared with the training corpus (stance_corpus.py)
from page_sentences import normalize, sentence_hash, split_sentences

LOCATOR_FILE = Path(__file__).parent / "data" / "stance_external_pages.csv"
LOCATOR_COLUMNS = [
    "url",
    "outlet",
    "sent_index",
    "sha256",
    "n_chars",
    "label",
    "secondary",
    "rationale",
]


def read_pages(source: Path) -> dict[str, str]:
    """``url → text`` from a JSON-lines file or a folder of ``.json``/``.jsonl`` files."""
    files = sorted(source.glob("*.json*")) if source.is_dir() else [source]
    pages: dict[str, str] = {}
    for path in files:
        raw = path.read_text(encoding="utf-8")
        records = (
            [json.loads(raw)]
            if path.suffix == ".json"
            else [json.loads(x) for x in raw.splitlines() if x.strip()]
        )
        for rec in records:
            if "url" not in rec or "text" not in rec:
                raise ValueError(f"{path}: every record needs 'url' and 'text' keys")
            pages[rec["url"]] = pages.get(rec["url"], "") + "\n" + rec["text"]
    return pages


def load_locators(path: Path = LOCATOR_FILE) -> pd.DataFrame:
    """The locator table (text-free), ``secondary`` as a string with ``<NA>`` when empty."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != LOCATOR_COLUMNS:
        raise ValueError(f"{path}: columns {list(frame.columns)}, expected {LOCATOR_COLUMNS}")
    frame["sent_index"] = frame["sent_index"].astype(int)
    frame["n_chars"] = frame["n_chars"].astype(int)
    frame["secondary"] = frame["secondary"].replace("", pd.NA).astype("string")
    return frame


def resolve(locators: pd.DataFrame, pages: dict[str, str]) -> pd.DataFrame:
    """Attach the sentence text to every locator row whose hash is found on its page.

    Returns the locator table plus ``text`` (``<NA>`` when not found) and ``status``:
    ``ok`` (found at ``sent_index``), ``moved`` (found at another index — a re-fetched
    text with more or fewer sentences before it), ``missing`` (the page has no sentence
    with that hash) or ``no_page`` (the url is not among the fetched pages).
    """
    split = {url: split_sentences(text) for url, text in pages.items()}
    hashed = {url: [sentence_hash(s) for s in sents] for url, sents in split.items()}
    texts, status = [], []
    for row in locators.itertuples(index=False):
        if row.url not in split:
            texts.append(pd.NA)
            status.append("no_page")
            continue
        sents, hashes = split[row.url], hashed[row.url]
        i = row.sent_index
        if 0 <= i < len(hashes) and hashes[i] == row.sha256:
            texts.append(normalize(sents[i]))
            status.append("ok")
        elif row.sha256 in hashes:
            texts.append(normalize(sents[hashes.index(row.sha256)]))
            status.append("moved")
        else:
            texts.append(pd.NA)
            status.append("missing")
    out = locators.copy()
    out["text"] = pd.array(texts, dtype="string")
    out["status"] = status
    return out


# ---------------------------------------------------------------------------- evaluation


def _metrics(labels: Sequence[str]) -> Callable[[np.ndarray, np.ndarray], dict[str, float]]:
    from kzdiscourse.stance import evaluate

    def compute(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
        ev = evaluate(list(pred), list(gold))
        out = {"accuracy": ev.accuracy, "macro_f1": ev.macro_f1, "kappa": ev.kappa}
        for r in ev.per_label.itertuples(index=False):
            if r.label in labels:
                out[f"precision:{r.label}"] = r.precision
                out[f"recall:{r.label}"] = r.recall
                out[f"f1:{r.label}"] = r.f1
        return out

    return compute


def bootstrap_table(
    pred: Sequence[str], gold: Sequence[str], n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Every metric with a percentile bootstrap 95% interval, resampling sentences.

    Uses :func:`kzdiscourse.stats.bootstrap_statistic` with one block per sentence; the
    same seed gives the same table. Columns: ``measure, value, ci_low, ci_high``.
    """
    from kzdiscourse import stats
    from kzdiscourse.stance import STANCE_LABELS

    pred_a = np.asarray(pred, dtype=object)
    gold_a = np.asarray(gold, dtype=object)
    compute = _metrics(STANCE_LABELS)
    cache: dict[bytes, dict[str, float]] = {}

    def all_metrics(idx: np.ndarray) -> dict[str, float]:
        # every measure is bootstrapped with the same seed, hence the same resamples:
        # compute each resample's metrics once
        key = idx.tobytes()
        if key not in cache:
            cache[key] = compute(pred_a[idx], gold_a[idx])
        return cache[key]

    blocks = [np.array([i]) for i in range(len(gold_a))]
    point = all_metrics(np.arange(len(gold_a)))
    rows = []
    for name, value in point.items():
        _, low, high = stats.bootstrap_statistic(
            blocks, lambda idx, name=name: all_metrics(idx)[name], n_boot=n_boot, seed=seed
        )
        rows.append({"measure": name, "value": value, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def predictions(texts: Sequence[str]) -> dict[str, list[str]]:
    """Labels of the two scorers (the lexicon, the default; the gold-trained classifier)."""
    from kzdiscourse.stance import LexiconStance, StanceClassifier

    return {
        "lexicon": list(LexiconStance().predict(list(texts))),
        "classifier": [str(x) for x in StanceClassifier.from_gold().predict(list(texts))],
    }


def evaluate_sets(
    sets: dict[str, pd.DataFrame], n_boot: int = 2000, seed: int = 0
) -> dict[str, pd.DataFrame]:
    """``metrics`` (long table with intervals), ``confusion`` and ``predictions`` per set.

    Each value of ``sets`` needs ``text`` and ``label`` columns.
    """
    from kzdiscourse.stance import evaluate

    metrics, confusion, preds = [], [], []
    for set_name, frame in sets.items():
        texts, gold = frame["text"].tolist(), frame["label"].tolist()
        for scorer, pred in predictions(texts).items():
            table = bootstrap_table(pred, gold, n_boot=n_boot, seed=seed)
            table.insert(0, "scorer", scorer)
            table.insert(0, "set", set_name)
            table["n"] = len(gold)
            metrics.append(table)
            conf = evaluate(pred, gold).confusion
            conf.insert(0, "scorer", scorer)
            conf.insert(0, "set", set_name)
            confusion.append(conf)
            p = frame.drop(columns=["text"]).copy()
            p.insert(0, "scorer", scorer)
            p.insert(0, "set", set_name)
            p["predicted"] = pred
            preds.append(p)
    return {
        "metrics": pd.concat(metrics, ignore_index=True),
        "confusion": pd.concat(confusion, ignore_index=True),
        "predictions": pd.concat(preds, ignore_index=True),
    }


def _format(metrics: pd.DataFrame, measures: Iterable[str]) -> str:
    keep = metrics[metrics["measure"].isin(list(measures))]
    lines = []
    for r in keep.itertuples(index=False):
        lines.append(
            f"{r.set:10s} {r.scorer:10s} n={r.n:<4d} {r.measure:22s} "
            f"{r.value:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", type=Path, help="JSON-lines file or folder of fetched page texts")
    ap.add_argument("--locators", type=Path, default=LOCATOR_FILE)
    ap.add_argument("--ud", action="store_true", help="also evaluate the shipped UD set")
    ap.add_argument("--testset", action="store_true", help="also evaluate the test set")
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="folder for metrics/confusion/predictions CSV")
    args = ap.parse_args(argv)

    found = resolve(load_locators(args.locators), read_pages(args.pages))
    counts = found["status"].value_counts().to_dict()
    sys.stdout.write(f"locators: {len(found)}; {counts}\n")
    for r in found[found["status"].isin(["missing", "no_page"])].itertuples(index=False):
        sys.stdout.write(f"  not found ({r.status}): {r.url} #{r.sent_index} {r.sha256[:12]}\n")
    sets = {"pages": found[found["text"].notna()].reset_index(drop=True)}
    if sets["pages"].empty:
        sys.stdout.write("no coded sentence was found in the fetched pages\n")
        return 1
    if args.ud:
        from kzdiscourse.stance import load_ud_external

        sets["ud"] = load_ud_external()
    if args.testset:
        from kzdiscourse.stance import load_testset

        sets["testset"] = load_testset()
    result = evaluate_sets(sets, n_boot=args.n_boot, seed=args.seed)
    sys.stdout.write(_format(result["metrics"], ["accuracy", "macro_f1", "kappa"]) + "\n")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, table in result.items():
            table.to_csv(args.out / f"{name}.csv", index=False)
    return 0 if counts.get("missing", 0) + counts.get("no_page", 0) == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
