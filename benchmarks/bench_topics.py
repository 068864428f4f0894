"""Topic models at scale: kzdiscourse LDA (gensim) and NMF against scikit-learn's
LatentDirichletAllocation, in one run on the same vocabulary.

Corpus: ``benchmarks/corpus.py`` (half real UD Russian sentences, half Zipf-sampled
synthetic sentences over every form of the UD lemmas), parsed with ``Corpus.parse()``;
units are sentences. The synthetic half has no topic structure, so coherence here compares
methods with each other and with random word sets, not with other corpora.

For every method: training time, peak memory of training (``tracemalloc``, measured in a
second, separate call so tracing does not slow the timed one), c_npmi, u_mass and topic
diversity of the top-10 terms (the library's ``coherence`` on the same units), and the
random-word-set baseline. For kzdiscourse LDA also the library's own overhead — vocabulary,
bag-of-words input, unit-topic inference and the tables — as a share of gensim's training
time (target < 25%). The prevalence bootstrap and coherence are reported separately: they
are statistics the user asks for, not overhead of fitting.

Usage::

    python benchmarks/bench_topics.py --tokens 230000

Writes ``benchmarks/out/topics.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import build_corpus  # noqa: E402


def peak_mib(fn: Callable[[], Any]) -> float:
    """Peak traced allocation of one call, in MiB (Python objects and numpy buffers)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def top_terms(phi: np.ndarray, terms: list[str], n: int = 10) -> list[list[str]]:
    ids = np.arange(phi.shape[1])
    return [[terms[j] for j in np.lexsort((ids, -row))[:n]] for row in phi]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=230_000, help="corpus size in tokens")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--passes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-units", type=int, default=10_000)
    ap.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument("--out", default=str(HERE / "out" / "topics.json"))
    args = ap.parse_args(argv)

    import pandas as pd
    from sklearn.decomposition import LatentDirichletAllocation

    from kzdiscourse import Corpus
    from kzdiscourse.topics.backends import fit_lda, fit_nmf
    from kzdiscourse.topics.model import fit_dtm
    from kzdiscourse.topics.quality import coherence, diversity, random_topics
    from kzdiscourse.topics.vocab import build_dtm

    k, seed, passes = args.k, args.seed, args.passes
    frame = build_corpus(args.tokens, seed=seed)
    frame["outlet"] = ["A" if i % 2 == 0 else "B" for i in range(len(frame))]
    parsed = Corpus.from_dataframe(frame).parse()
    if len(parsed.sentences) < args.min_units:
        raise SystemExit(f"only {len(parsed.sentences)} sentences; raise --tokens")

    t0 = time.perf_counter()
    dtm = build_dtm(parsed, "sentence", min_df=5, max_df=0.5)
    vocab_s = time.perf_counter() - t0
    n_units = int((dtm.units["tokens"] > 0).sum())
    corpus_info = {
        "documents": len(parsed.documents),
        "units": len(dtm.units),
        "units_with_terms": n_units,
        "tokens": len(parsed.tokens),
        "vocabulary_tokens": int(dtm.counts.sum()),
        "terms": len(dtm.terms),
    }

    results: dict[str, dict[str, Any]] = {}

    # --- kzdiscourse LDA (gensim LdaModel), default chunksize, with its tables
    model = fit_dtm(dtm, parsed.documents, k, "lda", seed=seed, passes=passes)
    sec = model.backend.seconds
    t0 = time.perf_counter()
    _ = (model.topic_terms, model.unit_topics, model.topic_labels)
    tables_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.topic_prevalence(by="outlet")
    prevalence_s = time.perf_counter() - t0
    overhead = vocab_s + sec["input"] + sec["inference"] + tables_s
    results["kzd_lda"] = {
        "label": f"kzdiscourse LDA (gensim LdaModel, chunksize {model.settings['chunksize']})",
        "train_s": sec["train"],
        "phi": model.phi,
        "overhead": {
            "vocabulary_s": vocab_s,
            "bow_input_s": sec["input"],
            "inference_s": sec["inference"],
            "tables_s": tables_s,
            "total_s": overhead,
            "share_of_training": overhead / sec["train"],
        },
        "prevalence_bootstrap_s": prevalence_s,
    }

    # --- the same with large chunks (gensim's default 2000), to show what the choice costs
    large = fit_lda(dtm, k, seed, passes=passes, chunksize=2000)
    results["kzd_lda_cs2000"] = {
        "label": "kzdiscourse LDA, chunksize 2000",
        "train_s": large.seconds["train"],
        "phi": large.phi,
    }

    # --- kzdiscourse NMF
    nmf = fit_nmf(dtm, k, seed)
    results["kzd_nmf"] = {
        "label": "kzdiscourse NMF (scikit-learn, TF-IDF)",
        "train_s": nmf.seconds["train"],
        "phi": nmf.phi,
    }

    # --- scikit-learn LatentDirichletAllocation on the same counts
    def sk_lda(method: str) -> LatentDirichletAllocation:
        return LatentDirichletAllocation(
            n_components=k,
            learning_method=method,
            max_iter=passes,
            doc_topic_prior=1.0 / k,
            topic_word_prior=1.0 / k,
            random_state=seed,
            n_jobs=1,
        )

    counts = dtm.counts.astype(np.float64)
    for method in ("batch", "online"):
        est = sk_lda(method)
        t0 = time.perf_counter()
        est.fit(counts)
        train = time.perf_counter() - t0
        comp = est.components_
        results[f"sklearn_lda_{method}"] = {
            "label": f"scikit-learn LatentDirichletAllocation ({method})",
            "train_s": train,
            "phi": comp / comp.sum(axis=1, keepdims=True),
        }

    # --- memory of training, in separate calls
    if not args.no_memory:
        results["kzd_lda"]["peak_mib"] = peak_mib(lambda: fit_lda(dtm, k, seed, passes=passes))
        results["kzd_lda_cs2000"]["peak_mib"] = peak_mib(
            lambda: fit_lda(dtm, k, seed, passes=passes, chunksize=2000)
        )
        results["kzd_nmf"]["peak_mib"] = peak_mib(lambda: fit_nmf(dtm, k, seed))
        for method in ("batch", "online"):
            results[f"sklearn_lda_{method}"]["peak_mib"] = peak_mib(
                lambda m=method: sk_lda(m).fit(counts)
            )
        results["kzd_lda"]["vocabulary_peak_mib"] = peak_mib(
            lambda: build_dtm(parsed, "sentence", min_df=5, max_df=0.5)
        )

    # --- quality: one coherence pass over every model's top-10 lists and the baseline
    names = list(results)
    lists = [top_terms(results[n]["phi"], dtm.terms) for n in names]
    draws = random_topics(dtm, k, 10, 5, seed=seed)
    t0 = time.perf_counter()
    scores = coherence([t for tops in lists + draws for t in tops], dtm)
    coherence_s = time.perf_counter() - t0
    for i, name in enumerate(names):
        sl = slice(i * k, (i + 1) * k)
        results[name]["c_npmi"] = float(scores["c_npmi"][sl].mean())
        results[name]["u_mass"] = float(scores["u_mass"][sl].mean())
        results[name]["diversity"] = diversity(lists[i])
        results[name]["top_terms"] = [" ".join(t) for t in lists[i]]
        del results[name]["phi"]
    base = len(names) * k
    results["random"] = {
        "label": "random frequency-weighted word sets (5 draws)",
        "c_npmi": float(scores["c_npmi"][base:].mean()),
        "u_mass": float(scores["u_mass"][base:].mean()),
        "diversity": float(np.mean([diversity(d) for d in draws])),
    }

    out = {
        "corpus": corpus_info,
        "settings": {"k": k, "passes": passes, "iterations": 100, "seed": seed},
        "results": results,
        "coherence_s": coherence_s,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")

    rows = []
    for r in results.values():
        rows.append(
            {
                "method": r["label"],
                "train s": r.get("train_s"),
                "peak MiB": r.get("peak_mib"),
                "c_npmi": r["c_npmi"],
                "u_mass": r["u_mass"],
                "diversity": r["diversity"],
            }
        )
    print(json.dumps(corpus_info))
    print(
        pd.DataFrame(rows).to_markdown(index=False, floatfmt=".3f")
        if _has_tabulate()
        else pd.DataFrame(rows).round(3).to_string(index=False)
    )
    print(json.dumps(results["kzd_lda"]["overhead"], indent=1))
    print(f"prevalence bootstrap {prevalence_s:.2f} s; coherence of all lists {coherence_s:.2f} s")
    return out


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
