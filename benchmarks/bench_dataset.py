"""compare() on a ParsedDataset (map each part, reduce) against compare() in memory.

The corpus is the one of ``bench_parse.py`` / ``bench_compare.py`` (half UD sentences, half
a Zipf-shaped sample of UD forms; ``corpus.build_corpus``), in ``--documents`` documents
spread round-robin over ``--groups`` outlets, parsed once and written to a dataset of
``--parts`` parts (:func:`kzdiscourse.store.write_dataset`). Then, each in a fresh child
process that first warms imports and resources on the seeds (a session that has run
``compare()`` before), so the runs do the same work:

- **memory**: ``compare(dataset.to_parsed())`` — the whole parse in memory, measures run;
- **dataset**: ``compare(dataset)`` — one part at a time mapped, then reduced;
- **dask** (``--dask``): ``compare(dataset, engine="dask")`` on a 2-worker ``LocalCluster``
  started before the timer (its workers warm up inside the timing: a cold start).

Each child reports wall and CPU seconds of the ``compare()`` call (CPU of this process only:
the Dask workers' CPU is not in it), its peak resident set size (``VmHWM``) once warmed with
the dataset opened (``peak_rss_before_mb``) and at the end (``peak_rss_mb``; the memory run
reads the whole parse in between: holding it is what that mode costs), and the SHA-256 of
every table (canonical CSV): the parent checks that the tables are identical and reports
the ratios dataset / memory in the same run (``peak_rss_growth``: the growth of the peak
over the warmed start). It asserts nothing else.

Usage::

    KZD_UD_DIR=/path/to/ud python benchmarks/bench_dataset.py --tokens 300000 --dask

Writes ``benchmarks/out/dataset.json`` and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results import write_result  # noqa: E402

from corpus import build_corpus, ud_source  # noqa: E402

MODES = ("memory", "dataset", "dask")


def peak_rss() -> int:
    """This process's peak resident set size in bytes (``VmHWM``; 0 where unknown)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return 0
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def child(mode: str, dataset_path: str, warmup: bool, measures: list[str] | None) -> dict:
    """One timed compare() in this process (see the module docstring)."""
    import kzdiscourse as kzd
    from kzdiscourse.store import ParsedDataset

    if warmup:
        kzd.compare(kzd.load_seeds(), by="outlet", seed=0, measures=measures, progress=False)
    dataset = ParsedDataset(dataset_path)
    cluster = client = None
    if mode == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    dataset.metadata_table()  # pyarrow imported and the dataset opened, in every mode
    before = peak_rss()
    # the memory run holds the whole parse: part of what it costs, so after `before`
    data: Any = dataset.to_parsed() if mode == "memory" else dataset
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "dask":
        report = kzd.compare(
            data, by="outlet", seed=0, measures=measures, engine="dask", client=client
        )
    else:
        report = kzd.compare(data, by="outlet", seed=0, measures=measures, progress=False)
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    peak = peak_rss()
    if client is not None:
        client.close()
        cluster.close()
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_rss_before_mb": round(before / 2**20, 1),
        "peak_rss_mb": round(peak / 2**20, 1),
        "tables": report.table_hashes(),
    }


def run_child(
    mode: str, dataset_path: Path, warmup: bool, measures: list[str] | None
) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--dataset", str(dataset_path)]
    if not warmup:
        cmd.append("--no-warmup")
    if measures:
        cmd += ["--measures", ",".join(measures)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--tokens", type=int, default=300_000, help="corpus size in tokens")
    ap.add_argument("--documents", type=int, default=300, help="documents in the corpus")
    ap.add_argument("--groups", type=int, default=20, help="outlets")
    ap.add_argument("--parts", type=int, default=20, help="parts of the dataset")
    ap.add_argument("--dask", action="store_true", help="also run on a 2-worker LocalCluster")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(HERE / "out" / "dataset.json"))
    ap.add_argument("--no-warmup", action="store_true", help="skip the warm-up (tests only)")
    ap.add_argument("--measures", help="comma-separated measures (all registered by default)")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    ap.add_argument("--dataset", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    measures = args.measures.split(",") if args.measures else None
    if args.child:
        print(json.dumps(child(args.child, args.dataset, not args.no_warmup, measures)))
        return {}

    from kzdiscourse import Corpus
    from kzdiscourse.store import write_dataset

    load_start = os.getloadavg()
    frame = build_corpus(
        args.tokens, seed=args.seed, doc_tokens=max(args.tokens // args.documents, 50)
    )
    frame["outlet"] = [f"outlet_{k % args.groups:03d}" for k in range(len(frame))]
    corpus = Corpus.from_dataframe(frame)
    chunksize = max(1, -(-len(corpus) // args.parts))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        dataset = write_dataset(corpus, Path(tmp) / "parsed", chunksize=chunksize)
        write_seconds = time.perf_counter() - start
        modes = [m for m in MODES if m != "dask" or args.dask]
        runs = {m: run_child(m, dataset.path, not args.no_warmup, measures) for m in modes}
        parts = dataset.n_parts
        tokens = int(dataset.metadata["tokens"])
    hashes = {m: r.pop("tables") for m, r in runs.items()}
    memory = runs["memory"]
    result = {
        "machine": {"cpus": os.cpu_count(), "load_average_start": load_start},
        "corpus": {
            "documents": len(corpus),
            "tokens": tokens,
            "groups": args.groups,
            "parts": parts,
            "ud_source": ud_source(),
        },
        "measures": measures or "all",
        "write_dataset_seconds": round(write_seconds, 3),
        "runs": runs,
        "identical_tables": {m: hashes[m] == hashes["memory"] for m in modes},
        "tables": len(hashes["memory"]),
        "ratios_to_memory": {
            m: {
                "wall": round(r["seconds"] / memory["seconds"], 3),
                "cpu": round(r["cpu_seconds"] / memory["cpu_seconds"], 3),
                "peak_rss_growth": round(
                    (r["peak_rss_mb"] - r["peak_rss_before_mb"])
                    / max(memory["peak_rss_mb"] - memory["peak_rss_before_mb"], 1e-9),
                    3,
                ),
            }
            for m, r in runs.items()
            if m != "memory"
        },
        "load_average_end": os.getloadavg(),
    }
    write_result(result, args.out)
    return result


if __name__ == "__main__":
    main()
