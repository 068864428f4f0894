"""Dictionary matching speed of kzdiscourse against a token-by-entry loop, in one run.

Corpus: a tokens table of ``--tokens`` word tokens drawn (seeded) from the lemmas of the two
seed texts, in sentences of 20 tokens. Dictionary: the bundled ``frames_ru`` (15 frames,
~330 entries with globs and multi-word entries).

Baseline: for every token, every entry is tried with compiled regular expressions (the
loop a first implementation would write), then the same longest-match rule. kzdiscourse:
``Dictionary.match`` (candidates indexed by first lemma, vectorised checks). The baseline
runs on the first ``--baseline-tokens`` tokens only (it is slow); both are reported as
tokens per second, and their matches on that slice must be identical.

Usage::

    python benchmarks/bench_dictionary.py --tokens 1000000

Writes ``benchmarks/out/dictionary.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def build_tokens(n: int, seed: int) -> pd.DataFrame:
    from kzdiscourse import load_seeds

    parsed = load_seeds().clean().parse()
    words = parsed.tokens.loc[~parsed.tokens["pos"].isin(["PUNCT", "SYM"]), "lemma"].to_numpy()
    rng = np.random.default_rng(seed)
    lemmas = words[rng.integers(0, len(words), size=n)]
    ids = np.arange(n)
    return pd.DataFrame(
        {
            "doc_id": "synthetic",
            "sent_id": ids // 20,
            "tok_id": ids,
            "start": ids * 10,
            "end": ids * 10 + 5,
            "lemma": lemmas,
            "pos": "NOUN",
        }
    )


def baseline(tokens: pd.DataFrame, entries: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    def rx(p: str) -> re.Pattern[str]:
        return re.compile(
            "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p)
        )

    compiled = [
        (cat, entry, [rx(p) for p in entry.split(" ")], order)
        for order, (cat, entry) in enumerate(
            zip(entries["category"], entries["entry"], strict=True)
        )
    ]
    cats = list(dict.fromkeys(entries["category"]))
    lemmas = tokens["lemma"].tolist()
    sent = tokens["sent_id"].tolist()
    cands = []
    for i in range(len(lemmas)):
        for cat, entry, pats, order in compiled:
            n = len(pats)
            if i + n > len(lemmas) or sent[i + n - 1] != sent[i]:
                continue
            if all(p.fullmatch(lemmas[i + k]) for k, p in enumerate(pats)):
                cands.append((cats.index(cat), -n, i, order, cat, entry))
    cands.sort()
    taken: set[tuple[int, int]] = set()
    out = []
    for c_idx, neg_n, i, _, cat, entry in cands:
        cells = {(c_idx, i + k) for k in range(-neg_n)}
        if not cells & taken:
            taken |= cells
            out.append((i, -neg_n, cat, entry))
    return sorted(out)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=1_000_000)
    ap.add_argument("--baseline-tokens", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "out" / "dictionary.json"))
    args = ap.parse_args(argv)

    from kzdiscourse.dictionary import Dictionary

    d = Dictionary.from_resource("frames_ru")
    tokens = build_tokens(args.tokens, args.seed)
    small = tokens.iloc[: args.baseline_tokens]

    t0 = time.perf_counter()
    ours_small = d.match(small)
    ours_small_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = d.match(tokens)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = baseline(small, d.entries)
    naive_s = time.perf_counter() - t0

    mine = sorted(
        (int(r.tok_start), int(r.n_tokens), r.category, r.entry) for r in ours_small.itertuples()
    )
    result = {
        "corpus": {"tokens": len(tokens), "baseline_tokens": len(small), "entries": len(d.entries)},
        "kzdiscourse": {
            "seconds": ours_s,
            "tokens_per_second": len(tokens) / ours_s,
            "matches": len(ours),
            "seconds_on_baseline_slice": ours_small_s,
        },
        "naive": {
            "seconds": naive_s,
            "tokens_per_second": len(small) / naive_s,
            "matches": len(naive),
        },
        "identical_on_slice": mine == naive,
        "speedup_tokens_per_second": (len(tokens) / ours_s) / (len(small) / naive_s),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")
    print(
        f"kzdiscourse: {result['kzdiscourse']['tokens_per_second']:,.0f} tokens/s on "
        f"{len(tokens):,} tokens; token×entry loop: {result['naive']['tokens_per_second']:,.0f} "
        f"tokens/s on {len(small):,}; ratio {result['speedup_tokens_per_second']:.0f}×; "
        f"identical matches on the slice: {result['identical_on_slice']}"
    )
    return result


if __name__ == "__main__":
    main()
