"""Bring the two codings and the adjudication of the stance corpus into the committed table.

The coders and the adjudicator write one CSV per batch into the git-ignored cache
(``benchmarks/cache/stance_corpus/codings/{coder_a,coder_b,adjudicated}/batch_XX.csv``, keyed
by the packets' ``item_id``). This script maps every item back to its sentence row of
``data/stance_corpus_sentences.csv`` (page address + sentence index, through the same
``item_id`` the packets used), fills the label columns — ``label`` and ``secondary`` from the
adjudication, ``coder_a`` and ``coder_b`` with each coder's primary label, ``rationale`` with
the adjudicator's — and writes the inter-coder reliability of the two independent codings to
``data/stance_corpus_reliability.csv``: Cohen's kappa and Krippendorff's alpha over the four
labels, and per label (that label against the rest), with the share of sentences each coder
gave it.

Rows are matched by item id *and* checked by the sentence hash the packet was built from, so
a coding can never land on another sentence. A batch that is coded by only one coder, or an
item missing from a coding, is an error: the table is all or nothing per batch.

With ``--holdout`` the same is done for the holdout test set (docs/stance_holdout.md): the
codings are ``/work/data/stance_holdout/codings/{coder_a,coder_b,adjudicated}/holdout_01.csv``,
the table ``data/stance_holdout_sentences.csv`` and the reliability
``data/stance_holdout_reliability.csv``; with ``--holdout --part 2`` the codings are
``holdout_02.csv``, the table ``data/stance_holdout_p2_sentences.csv`` and the reliability
``data/stance_holdout_p2_reliability.csv`` (each part is labelled on its own, so relabelling
one never touches the other's rows).

Usage::

    python benchmarks/stance_corpus_labels.py [--codings DIR]
    python benchmarks/stance_corpus_labels.py --holdout [--part 2] [--codings DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from stance_corpus import (
    CACHE,
    HOLDOUT_P2_SENTENCES_CSV,
    HOLDOUT_SENTENCES_CSV,
    SENTENCES_CSV,
    item_id,
)

from kzdiscourse.stance import STANCE_LABELS, krippendorff_alpha

RELIABILITY_CSV = Path(__file__).parent / "data" / "stance_corpus_reliability.csv"
CODINGS = CACHE / "codings"
HOLDOUT_RELIABILITY_CSV = Path(__file__).parent / "data" / "stance_holdout_reliability.csv"
HOLDOUT_P2_RELIABILITY_CSV = Path(__file__).parent / "data" / "stance_holdout_p2_reliability.csv"
#: Per holdout part: (coding file name, sentence table, reliability table).
HOLDOUT_PARTS = {
    1: ("holdout_01.csv", HOLDOUT_SENTENCES_CSV, HOLDOUT_RELIABILITY_CSV),
    2: ("holdout_02.csv", HOLDOUT_P2_SENTENCES_CSV, HOLDOUT_P2_RELIABILITY_CSV),
}
HOLDOUT_CODINGS = Path("/work/data/stance_holdout/codings")
ROLES = ("coder_a", "coder_b", "adjudicated")


def read_codings(root: Path, pattern: str = "batch_*.csv") -> dict[str, pd.DataFrame]:
    """Every batch CSV (``pattern``) of each role, concatenated, with its batch name."""
    out: dict[str, pd.DataFrame] = {}
    for role in ROLES:
        frames = []
        for path in sorted((root / role).glob(pattern)):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame["batch"] = path.stem
            frames.append(frame)
        if not frames:
            raise SystemExit(f"no codings in {root / role}")
        out[role] = pd.concat(frames, ignore_index=True)
    batches = {role: set(frame["batch"]) for role, frame in out.items()}
    if len({frozenset(b) for b in batches.values()}) != 1:
        raise SystemExit(f"the roles coded different batches: {batches}")
    for role, frame in out.items():
        if frame["item_id"].duplicated().any():
            raise SystemExit(f"{role}: repeated item ids")
        bad = sorted(set(frame["label"]) - set(STANCE_LABELS))
        if bad:
            raise SystemExit(f"{role}: unknown labels {bad}")
    return out


def reliability(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """Kappa, alpha and agreement of two codings: over all labels and per label vs the rest."""
    from sklearn.metrics import cohen_kappa_score

    rows = []

    def row(scope: str, x: pd.Series, y: pd.Series, share_a: float, share_b: float) -> None:
        rows.append(
            {
                "scope": scope,
                "n": len(x),
                "agreement": float(np.mean(x.to_numpy() == y.to_numpy())),
                "kappa": float(cohen_kappa_score(x, y)),
                "alpha": krippendorff_alpha(pd.DataFrame({"a": x, "b": y})),
                "share_coder_a": share_a,
                "share_coder_b": share_b,
            }
        )

    row("all labels", a, b, np.nan, np.nan)
    for label in STANCE_LABELS:
        x, y = (a == label).astype(int), (b == label).astype(int)
        row(label, x, y, float(x.mean()), float(y.mean()))
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holdout", action="store_true", help="the holdout test set")
    ap.add_argument("--part", type=int, choices=sorted(HOLDOUT_PARTS), default=1,
                    help="with --holdout: which part (holdout_01 or holdout_02)")  # fmt: skip
    ap.add_argument("--codings", type=Path, default=None)
    ap.add_argument("--sentences", type=Path, default=None, help="the sentence table")
    ap.add_argument("--reliability", type=Path, default=None, help="where kappa/alpha go")
    args = ap.parse_args(argv)
    if args.holdout:
        pattern, sentences, reliability_csv = HOLDOUT_PARTS[args.part]
        codings_dir = HOLDOUT_CODINGS
    else:
        codings_dir, sentences, reliability_csv, pattern = (
            CODINGS, SENTENCES_CSV, RELIABILITY_CSV, "batch_*.csv"
        )  # fmt: skip
    codings_dir = args.codings or codings_dir
    sentences = args.sentences or sentences
    reliability_csv = args.reliability or reliability_csv
    codings = read_codings(codings_dir, pattern)

    table = pd.read_csv(sentences, dtype=str, keep_default_na=False)
    table["item_id"] = [
        item_id(u, int(i)) for u, i in zip(table["url"], table["sent_index"], strict=True)
    ]
    if table["item_id"].duplicated().any():
        raise SystemExit("two sentence rows share an item id")
    adj = codings["adjudicated"].set_index("item_id")
    a = codings["coder_a"].set_index("item_id")
    b = codings["coder_b"].set_index("item_id")
    if not (set(adj.index) == set(a.index) == set(b.index)):
        raise SystemExit("the coders and the adjudication cover different items")
    unknown = sorted(set(adj.index) - set(table["item_id"]))
    if unknown:
        raise SystemExit(f"{len(unknown)} coded items are not sentence rows, e.g. {unknown[:3]}")

    coded = table["item_id"].isin(adj.index)
    ids = table.loc[coded, "item_id"]
    table.loc[coded, "label"] = ids.map(adj["label"]).to_numpy()
    table.loc[coded, "secondary"] = ids.map(adj["secondary"]).to_numpy()
    table.loc[coded, "coder_a"] = ids.map(a["label"]).to_numpy()
    table.loc[coded, "coder_b"] = ids.map(b["label"]).to_numpy()
    table.loc[coded, "rationale"] = ids.map(adj["rationale"]).to_numpy()
    table.drop(columns="item_id").to_csv(sentences, index=False)

    rel = reliability(a.loc[ids, "label"], b.loc[ids, "label"])
    rel.to_csv(reliability_csv, index=False, float_format="%.4f")
    counts = table.loc[coded, "label"].value_counts().reindex(STANCE_LABELS, fill_value=0)
    print(f"coded {int(coded.sum())} of {len(table)} sentences; labels: {counts.to_dict()}")
    print(rel.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
