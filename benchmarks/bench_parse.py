"""Parse throughput, parallel scaling, stage shares and compare() on the seeds, in one run.

Everything is reported as ratios against a baseline measured in the same process, so the
machine's speed cancels out; on a shared machine the load average is reported too.

- **naive baseline**: razdel sentences and tokens, then ``pymorphy3`` ``parse(token)[0]``
  for every token (no cache), over the same paragraphs;
- **kzdiscourse**: ``Corpus.parse()`` end to end (full tidy tables), with a cold word-form
  cache, ``n_jobs=1`` with and without context disambiguation (``disambiguate=False``;
  the ratio of the two is the cost of choosing readings in context), ``n_jobs=2`` (the
  worker pool is started before timing; its start-up is reported separately) and, with
  ``--dask``, ``engine="dask"`` on a ``LocalCluster`` of two one-thread worker processes.
  Runs are interleaved (1, 2, 1 without disambiguation, …; dask in a phase of its own)
  ``--repeat`` times; the ratios compare medians, and every run's wall and CPU seconds
  are kept;
- **stages**: the share of ``n_jobs=1`` parse time spent in sentence splitting,
  tokenisation, morphological analysis of distinct forms, choosing readings in context
  (disambiguation), and building the tables;
- **compare()** on the seeds: total time and each step's share (clean, parse, every
  registered measure).

Usage::

    python benchmarks/bench_parse.py --tokens 2000000

Writes ``benchmarks/out/parse.json`` and prints it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results import write_result  # noqa: E402

from corpus import build_corpus, ud_source  # noqa: E402


def naive(texts: list[str]) -> int:
    """razdel + pymorphy3 on every token: the baseline a user would write first."""
    import pymorphy3
    from razdel import sentenize, tokenize

    morph = pymorphy3.MorphAnalyzer()
    n = 0
    for text in texts:
        for par in text.split("\n\n"):
            for sent in sentenize(par):
                for tok in tokenize(sent.text):
                    morph.parse(tok.text)[0].normal_form  # noqa: B018
                    n += 1
    return n


def _children_cpu() -> float:
    """CPU seconds used so far by this process's child processes (the workers).

    Live children are read with psutil; children that have exited and been waited for are
    in ``RUSAGE_CHILDREN``. Counting both keeps the difference of two readings right when a
    worker alive at the first reading exits before the second (counting only live children
    made that difference negative).
    """
    import resource

    import psutil

    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = ended.ru_utime + ended.ru_stime
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


def _cold() -> None:
    from kzdiscourse import nlp

    lemmatizer = nlp.default_lemmatizer()
    lemmatizer.clear_cache()
    lemmatizer.resources.upos_by_tag.clear()  # the analyser itself stays loaded
    lemmatizer.resources.tag_parts.clear()


def time_parse(
    corpus: Any, n_jobs: int, client: Any = None, disambiguate: bool = True
) -> dict[str, float]:
    _cold()
    cpu0, kids0, t0 = time.process_time(), _children_cpu(), time.perf_counter()
    if client is not None:
        parsed = corpus.parse(engine="dask", client=client)
    else:
        parsed = corpus.parse(n_jobs=n_jobs, disambiguate=disambiguate)
    wall = time.perf_counter() - t0
    return {
        "seconds": wall,
        "parent_cpu_seconds": time.process_time() - cpu0,
        "worker_cpu_seconds": _children_cpu() - kids0,
        "tokens": len(parsed.tokens),
    }


@contextmanager
def _patched(obj: Any, name: str, totals: dict[str, float], key: str):
    original = getattr(obj, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - t0

    setattr(obj, name, timed)
    try:
        yield
    finally:
        setattr(obj, name, original)


def stage_shares(corpus: Any) -> dict[str, Any]:
    """Where n_jobs=1 parse time goes (timers around each stage's function).

    The readings of a new form are computed while the lemmatiser analyses it (from the same
    pymorphy3 analyses, ``ReadingCache.add``): that time counts as disambiguation, not as
    morphological analysis, and is also given on its own (``readings_of_new_forms_share``,
    a part of ``disambiguation``)."""
    from kzdiscourse import engine, nlp, pipeline
    from kzdiscourse.disambiguation import ReadingCache

    _cold()
    totals: dict[str, float] = {}
    with (
        _patched(pipeline, "sentenize", totals, "sentences"),
        _patched(pipeline, "tokenize_sentences", totals, "tokens"),
        _patched(nlp.Lemmatizer, "analyze_type", totals, "analysis"),
        _patched(nlp.Lemmatizer, "in_context", totals, "disambiguation"),
        _patched(ReadingCache, "add", totals, "readings"),
        _patched(engine, "assemble", totals, "assemble_total"),
    ):
        t0 = time.perf_counter()
        corpus.parse(n_jobs=1)
        total = time.perf_counter() - t0
    stages = {
        "sentence_splitting": totals.get("sentences", 0.0),
        "tokenisation": totals.get("tokens", 0.0),
        "morphological_analysis": totals.get("analysis", 0.0) - totals.get("readings", 0.0),
        "disambiguation": totals.get("disambiguation", 0.0) + totals.get("readings", 0.0),
        "building_tables": totals.get("assemble_total", 0.0)
        - totals.get("analysis", 0.0)
        - totals.get("disambiguation", 0.0),
    }
    stages["other"] = total - sum(stages.values())
    return {
        "seconds": round(total, 2),
        "share": {k: round(v / total, 3) for k, v in stages.items()},
        # a part of "disambiguation" (the shares above partition the time)
        "readings_of_new_forms_share": round(totals.get("readings", 0.0) / total, 3),
    }


class _Timed:
    """A registered measure whose run() adds its time to ``totals``."""

    def __init__(self, measure: Any, totals: dict[str, float]) -> None:
        self.measure, self.totals = measure, totals
        self.name, self.tables, self.figures = measure.name, measure.tables, measure.figures

    def run(self, parsed: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return self.measure.run(parsed, **kwargs)
        finally:
            self.totals[f"measure:{self.name}"] = time.perf_counter() - t

    def describe(self, tables: Any) -> list[str]:
        return self.measure.describe(tables)


def compare_on_seeds(repeat: int) -> dict[str, Any]:
    """compare() on the seeds (all measures), and each step's share of its time."""
    import kzdiscourse as kzd
    from kzdiscourse import measures
    from kzdiscourse.corpus import Corpus

    best: dict[str, Any] | None = None
    for _ in range(repeat):
        _cold()
        totals: dict[str, float] = {}
        patches = [
            _patched(Corpus, "clean", totals, "clean"),
            _patched(Corpus, "parse", totals, "parse"),
        ]
        timed = [_Timed(m, totals) for m in measures.registered().values()]
        try:
            for p in patches:
                p.__enter__()
            t0 = time.perf_counter()
            kzd.compare(kzd.load_seeds(), by="outlet", seed=0, measures=timed)
            total = time.perf_counter() - t0
        finally:
            for p in reversed(patches):
                p.__exit__(None, None, None)
        if best is None or total < best["seconds"]:
            other = total - sum(totals.values())
            best = {
                "seconds": round(total, 3),
                "share": {k: round(v / total, 3) for k, v in {**totals, "other": other}.items()},
            }
    assert best is not None
    return best


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--tokens", type=int, default=2_000_000, help="corpus size in tokens")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="interleaved runs per setting")
    ap.add_argument("--dask", action="store_true", help="also time engine='dask' (2 workers)")
    ap.add_argument("--out", default=str(HERE / "out" / "parse.json"))
    args = ap.parse_args(argv)

    from kzdiscourse import Corpus

    load_start = os.getloadavg()
    t0 = time.perf_counter()
    frame = build_corpus(args.tokens, seed=args.seed)
    build_s = time.perf_counter() - t0
    corpus = Corpus.from_dataframe(frame)

    # start the worker pool (process start-up and imports) before any timing
    t0 = time.perf_counter()
    corpus.subset(corpus.doc_ids[:2]).parse(n_jobs=2)
    pool_start_s = time.perf_counter() - t0

    runs: dict[Any, list[dict[str, float]]] = {1: [], "1_no_disambiguation": [], 2: []}
    for _ in range(args.repeat):
        for jobs in (1, 2):
            runs[jobs].append(time_parse(corpus, jobs))
        runs["1_no_disambiguation"].append(time_parse(corpus, 1, disambiguate=False))
    client = None
    if args.dask:
        # a separate phase, so that the idle cluster does not load the runs above:
        # engine="dask" interleaved with its own n_jobs=1 baseline
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        t0 = time.perf_counter()
        corpus.subset(corpus.doc_ids[:2]).parse(engine="dask", client=client)
        dask_start_s = time.perf_counter() - t0
        runs["dask"], runs["1_with_cluster"] = [], []
        for _ in range(args.repeat):
            runs["1_with_cluster"].append(time_parse(corpus, 1))
            runs["dask"].append(time_parse(corpus, 2, client))
        client.close()
        cluster.close()
    # the run with the median wall time of each setting (repeat is odd by default)
    best = {s: sorted(r, key=lambda x: x["seconds"])[len(r) // 2] for s, r in runs.items()}
    n_tokens = int(best[1]["tokens"])

    t0, c0 = time.perf_counter(), time.process_time()
    n_naive = naive(frame["text"].tolist())
    naive_s, naive_cpu = time.perf_counter() - t0, time.process_time() - c0

    stages = stage_shares(corpus)
    seeds = compare_on_seeds(args.repeat)
    parsed = corpus.parse()
    types = int(parsed.tokens["norm"].nunique())

    def rate(run: dict[str, float]) -> int:
        return round(run["tokens"] / run["seconds"])

    result = {
        "machine": {"cpus": os.cpu_count(), "load_average_start": load_start},
        "corpus": {
            "documents": len(frame),
            "tokens": n_tokens,
            "types": types,
            "type_token_ratio": round(types / n_tokens, 4),
            "build_seconds": round(build_s, 2),
            "ud_source": ud_source(),
        },
        "naive": {
            "tokens": n_naive,
            "seconds": round(naive_s, 2),
            "tokens_per_s": round(n_naive / naive_s),
            "cpu_seconds": round(naive_cpu, 2),
        },
        "parse_n_jobs_1": {
            "seconds": round(best[1]["seconds"], 2),
            "tokens_per_s": rate(best[1]),
            "cpu_seconds": round(best[1]["parent_cpu_seconds"], 2),
        },
        "parse_n_jobs_1_no_disambiguation": {
            "seconds": round(best["1_no_disambiguation"]["seconds"], 2),
            "tokens_per_s": rate(best["1_no_disambiguation"]),
            "cpu_seconds": round(best["1_no_disambiguation"]["parent_cpu_seconds"], 2),
        },
        "parse_n_jobs_2": {
            "seconds": round(best[2]["seconds"], 2),
            "tokens_per_s": rate(best[2]),
            "parent_cpu_seconds": round(best[2]["parent_cpu_seconds"], 2),
            "worker_cpu_seconds": round(best[2]["worker_cpu_seconds"], 2),
            "pool_start_seconds": round(pool_start_s, 2),
        },
        "ratios": {
            "parse_vs_naive": round(rate(best[1]) / (n_naive / naive_s), 2),
            "parse_without_disambiguation_vs_naive": round(
                rate(best["1_no_disambiguation"]) / (n_naive / naive_s), 2
            ),
            # parse time with context disambiguation over parse time without it
            "disambiguation_cost": round(
                best[1]["seconds"] / best["1_no_disambiguation"]["seconds"], 3
            ),
            "n_jobs_2_vs_1": round(best[1]["seconds"] / best[2]["seconds"], 2),
        },
        # n_jobs=1 over n_jobs=2 for each interleaved pair of runs
        "n_jobs_2_vs_1_pairwise": [
            round(a["seconds"] / b["seconds"], 2) for a, b in zip(runs[1], runs[2], strict=True)
        ],
        # CPU seconds per token: what the wall-clock ratios tend to on an idle machine
        "cpu_ratios": {
            "parse_vs_naive": round(
                (naive_cpu / n_naive) / (best[1]["parent_cpu_seconds"] / n_tokens), 2
            ),
            "parse_without_disambiguation_vs_naive": round(
                (naive_cpu / n_naive)
                / (best["1_no_disambiguation"]["parent_cpu_seconds"] / n_tokens),
                2,
            ),
            "disambiguation_cost": round(
                best[1]["parent_cpu_seconds"] / best["1_no_disambiguation"]["parent_cpu_seconds"],
                3,
            ),
            "n_jobs_2_total_cpu_vs_1": round(
                (best[2]["parent_cpu_seconds"] + best[2]["worker_cpu_seconds"])
                / best[1]["parent_cpu_seconds"],
                2,
            ),
            # an upper bound on the speed-up on two idle cores (the three processes overlapping
            # perfectly): one-core CPU time over half the total CPU time of n_jobs=2
            "n_jobs_2_vs_1_upper_bound": round(
                2
                * best[1]["parent_cpu_seconds"]
                / (best[2]["parent_cpu_seconds"] + best[2]["worker_cpu_seconds"]),
                2,
            ),
        },
        "parse_stages_n_jobs_1": stages,
        "compare_on_seeds": seeds,
        "all_runs": {
            str(s): [{k: round(v, 2) for k, v in r.items() if k != "tokens"} for r in rs]
            for s, rs in runs.items()
        },
    }
    if client is not None:
        result["parse_dask_2_workers"] = {
            "seconds": round(best["dask"]["seconds"], 2),
            "tokens_per_s": rate(best["dask"]),
            "parent_cpu_seconds": round(best["dask"]["parent_cpu_seconds"], 2),
            "cluster_start_seconds": round(dask_start_s, 2),
        }
        result["ratios"]["dask_2_workers_vs_n_jobs_1"] = round(
            best["1_with_cluster"]["seconds"] / best["dask"]["seconds"], 2
        )
    result["machine"]["load_average_end"] = os.getloadavg()
    write_result(result, args.out)
    return result


if __name__ == "__main__":
    main()
