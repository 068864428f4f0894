"""Peak memory of streaming parse-to-dataset against the eager in-memory parse, 1× → 4×.

The corpus (:mod:`corpus`: real UD sentences plus a Zipf-shaped sample of inflected forms)
is built once at the largest size and written to Parquet; scale ``s`` is its first
``s/max`` share of documents. Every measurement runs in a fresh child process, which
reports its own peak resident set size (``VmHWM`` on Linux) and its peak after the
imports and the analyser's dictionary are loaded (``baseline``):

- **stream**: ``write_dataset(Corpus.iter_parquet(path, chunksize=C), out)`` — read,
  parse and write one chunk of ``C`` documents at a time;
- **eager**: ``Corpus.from_parquet(path).parse()`` — everything in memory at once.

Runs are interleaved (scale by scale, stream then eager; ``--repeat`` rounds) and the
median of each setting is kept. Reported: peaks, peaks above baseline, and the ratios of
each peak to the same mode's peak at 1×; the size of the word-form cache at the end of
each run (``cached_forms``), the part of memory that grows with the vocabulary. The
stated bound is ``stream peak at 4× ≤ 1.25 × stream peak at 1×``.

The parse cache is timed at 1×: after one run fills a
:class:`~kzdiscourse.cache.ParseCache`, fresh processes alternate a plain
``corpus.parse()`` and ``corpus.parse(cache=...)`` (``--cache-runs`` each, medians; only
the parse call is timed).

Usage::

    python benchmarks/bench_memory.py --tokens 500000

Writes ``benchmarks/out/memory.json`` and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results import write_result  # noqa: E402

#: The bound the benchmark states and checks: stream peak at the largest scale ≤ this ×
#: stream peak at 1×.
BOUND = 1.25


def _maxrss_bytes() -> int:
    """Peak resident set size of this process, in bytes.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` would not do, as
    Linux carries it across ``execve``, so a child started by a parent that holds the
    benchmark corpus would report at least the parent's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) * (1 if sys.platform == "darwin" else 1024)  # Linux reports KiB


def child(mode: str, path: str, out: str, chunksize: int) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    from kzdiscourse import Corpus
    from kzdiscourse.nlp import default_lemmatizer
    from kzdiscourse.store import write_dataset

    default_lemmatizer().resources.analyzer  # noqa: B018 - loaded in both modes: the baseline
    baseline = _maxrss_bytes()
    start = time.perf_counter()
    if mode == "stream":
        ds = write_dataset(Corpus.iter_parquet(path, chunksize=chunksize), out)
        docs, tokens = len(ds), int(ds.metadata["tokens"])
    elif mode == "eager":
        parsed = Corpus.from_parquet(path).parse()
        docs, tokens = len(parsed.documents), len(parsed.tokens)
    else:
        raise ValueError(mode)
    seconds = time.perf_counter() - start
    peak = _maxrss_bytes()
    return {
        "mode": mode,
        "documents": docs,
        "tokens": tokens,
        "seconds": round(seconds, 3),
        "baseline_bytes": baseline,
        "peak_bytes": peak,
        # the type-level word-form cache lives for the whole run: it grows with the
        # vocabulary (sublinearly in corpus size), not with the number of tokens
        "cached_forms": len(default_lemmatizer()),
    }


def cache_child(mode: str, path: str, cache_dir: str) -> dict[str, Any]:
    """One parse of a corpus in a fresh process: ``plain`` (no cache) or ``cached``.

    A fresh process is the case the cache is for (re-running an analysis later): the
    word-form cache starts cold in both modes, and only the parse call is timed.
    """
    from kzdiscourse import Corpus
    from kzdiscourse.cache import ParseCache
    from kzdiscourse.nlp import default_lemmatizer

    default_lemmatizer().resources.analyzer  # noqa: B018 - loaded outside the timing
    corpus = Corpus.from_parquet(path)
    cache = ParseCache(cache_dir) if mode == "cached" else None
    start = time.perf_counter()
    parsed = corpus.parse(cache=cache)
    seconds = time.perf_counter() - start
    stats = cache.last_stats if cache is not None else None
    return {"mode": mode, "tokens": len(parsed.tokens), "seconds": seconds, "stats": stats}


def run_child(mode: str, path: Path, work: Path, chunksize: int) -> dict[str, Any]:
    out = work / f"ds-{mode}-{path.stem}-{time.monotonic_ns()}"
    cmd = [sys.executable, __file__, "--child", mode, str(path), str(out), str(chunksize)]
    return _run(cmd, f"{mode} {path.name}")


def _run(cmd: list[str], what: str) -> dict[str, Any]:
    env = dict(os.environ)
    root = str(HERE.parent)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {what} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=500_000, help="tokens at scale 1×")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--chunksize", type=int, default=50, help="documents per chunk")
    parser.add_argument("--doc-tokens", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cache-runs", type=int, default=3, help="plain/cached pairs")
    parser.add_argument("--out", default=str(HERE / "out" / "memory.json"))
    args = parser.parse_args(argv)

    from corpus import build_corpus

    scales = sorted(set(args.scales))
    top = scales[-1]
    t0 = time.perf_counter()
    frame = build_corpus(args.tokens * top, seed=0, doc_tokens=args.doc_tokens)
    build_seconds = time.perf_counter() - t0
    n_docs = len(frame)
    runs: dict[str, dict[int, list[dict[str, Any]]]] = {"stream": {}, "eager": {}}
    with tempfile.TemporaryDirectory(prefix="kzd-mem-") as tmp:
        work = Path(tmp)
        files = {}
        for s in scales:
            files[s] = work / f"corpus-{s}x.parquet"
            # row groups of one chunk each, as a large file written in batches would have
            # (a Parquet reader's unit is the row group)
            frame.iloc[: max(1, round(n_docs * s / top))].to_parquet(
                files[s], index=False, row_group_size=args.chunksize
            )
        for _ in range(args.repeat):
            for s in scales:
                for mode in ("stream", "eager"):
                    runs[mode].setdefault(s, []).append(
                        run_child(mode, files[s], work, args.chunksize)
                    )

        # the parse cache at 1x: fill it once, then plain vs cached re-runs, interleaved
        cache_dir = str(work / "cache")

        def cache_call(mode: str) -> dict[str, Any]:
            cmd = [sys.executable, __file__, "--cache-child", mode, str(files[scales[0]])]
            return _run([*cmd, cache_dir], f"cache {mode}")

        fill = cache_call("cached")
        timings: dict[str, list[dict[str, Any]]] = {"plain": [], "cached": []}
        for _ in range(args.cache_runs):
            for mode in ("plain", "cached"):
                timings[mode].append(cache_call(mode))
        if any(r["stats"]["misses"] for r in timings["cached"]):
            raise RuntimeError("the cached re-runs parsed documents again")
        plain_s = statistics.median(r["seconds"] for r in timings["plain"])
        cached_s = statistics.median(r["seconds"] for r in timings["cached"])
        cache_run = {
            "documents": fill["stats"]["documents"],
            "tokens": fill["tokens"],
            "runs": len(timings["plain"]),
            "fill_seconds": round(fill["seconds"], 2),
            "parse_seconds": round(plain_s, 2),
            "cached_seconds": round(cached_s, 2),
            "parse_vs_cached": round(plain_s / cached_s, 2),
        }

    def med(values: list[float]) -> float:
        return float(statistics.median(values))

    table: dict[str, dict[str, Any]] = {}
    for mode, by_scale in runs.items():
        rows = {}
        for s, results in by_scale.items():
            peak = med([r["peak_bytes"] for r in results])
            base = med([r["baseline_bytes"] for r in results])
            rows[f"{s}x"] = {
                "documents": results[0]["documents"],
                "tokens": results[0]["tokens"],
                "peak_mib": round(peak / 2**20, 1),
                "baseline_mib": round(base / 2**20, 1),
                "above_baseline_mib": round((peak - base) / 2**20, 1),
                "seconds": round(med([r["seconds"] for r in results]), 2),
                "cached_forms": results[0]["cached_forms"],
            }
        first = rows[f"{scales[0]}x"]
        for row in rows.values():
            row["peak_vs_1x"] = round(row["peak_mib"] / first["peak_mib"], 3)
            above = first["above_baseline_mib"]
            row["above_baseline_vs_1x"] = (
                round(row["above_baseline_mib"] / above, 3) if above > 0 else None
            )
        table[mode] = rows
    largest = f"{top}x"
    stream_ratio = table["stream"][largest]["peak_vs_1x"]
    result = {
        "corpus": {
            "documents": n_docs,
            "tokens_at_1x": table["stream"][f"{scales[0]}x"]["tokens"],
            "build_seconds": round(build_seconds, 1),
        },
        "chunksize": args.chunksize,
        "repeat": args.repeat,
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "stream": table["stream"],
        "eager": table["eager"],
        "ratios": {
            f"stream_peak_{largest}_vs_1x": stream_ratio,
            f"eager_peak_{largest}_vs_1x": table["eager"][largest]["peak_vs_1x"],
            f"eager_vs_stream_peak_at_{largest}": round(
                table["eager"][largest]["peak_mib"] / table["stream"][largest]["peak_mib"], 3
            ),
        },
        "parse_cache_at_1x": cache_run,
        "bound": {
            "statement": f"stream peak at {largest} <= {BOUND} x stream peak at {scales[0]}x",
            "holds": bool(stream_ratio <= BOUND),
        },
    }
    write_result(result, args.out)
    return result


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        mode, path, out, chunksize = sys.argv[2:6]
        print(json.dumps(child(mode, path, out, int(chunksize))))
    elif len(sys.argv) > 1 and sys.argv[1] == "--cache-child":
        mode, path, cache_dir = sys.argv[2:5]
        print(json.dumps(cache_child(mode, path, cache_dir)))
    else:
        main()
