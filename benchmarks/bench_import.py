"""Cold start: `import kzdiscourse` on top of pandas, and the first compare() on the seeds.

**Import.** Each repetition is a fresh interpreter that imports numpy and pandas (timed: the
baseline every pandas user already pays), then kzdiscourse (timed: what kzdiscourse adds),
and lists which heavy libraries the import pulled in (it should pull in none: gensim,
scikit-learn, scipy, matplotlib, seaborn, wordfreq and pymorphy3 load when a measure needs
them). One more interpreter runs with ``-X importtime`` to name the modules that cost the
most inside the kzdiscourse import. Reported: medians of the pandas import, the kzdiscourse
import and their ratio (measured in the same processes, so machine load affects both),
against the target of 0.3 s on top of pandas.

**First compare().** Each repetition is a fresh interpreter that imports kzdiscourse, then
runs ``compare(load_seeds())`` twice, timing each call in wall-clock seconds and in CPU
seconds of the process (``time.process_time``: what the machine's other work does not
inflate). The first call pays for every lazy load (pymorphy3's dictionaries, the
dependency parser, the general-Russian list, gensim, scikit-learn …), the second only for
the work. Reported: medians of both calls and of their difference, against the target of
8 s for the first call. A shared machine inflates wall time, so read it with the CPU time
and the load average (recorded too).

Usage::

    python benchmarks/bench_import.py --repeat 15 --compare-repeat 3

Writes ``benchmarks/out/import.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from results import write_result  # noqa: E402

TARGET_S = 0.3
#: The first compare() on the seeds should take at most this long.
FIRST_COMPARE_TARGET_S = 8.0
HEAVY = (
    "sklearn",
    "gensim",
    "scipy",
    "matplotlib",
    "seaborn",
    "wordfreq",
    "pymorphy3",
    "natasha",
    "tqdm",
)

PROBE = f"""
import sys, time, json
t0 = time.perf_counter()
import numpy, pandas
t1 = time.perf_counter()
import kzdiscourse
t2 = time.perf_counter()
heavy = [m for m in {HEAVY!r} if m in sys.modules]
print(json.dumps({{"pandas_s": t1 - t0, "kzdiscourse_s": t2 - t1, "heavy": heavy}}))
"""


COMPARE_PROBE = """
import json, time
w0, c0 = time.perf_counter(), time.process_time()
import kzdiscourse
w1, c1 = time.perf_counter(), time.process_time()
kzdiscourse.compare(kzdiscourse.load_seeds())
w2, c2 = time.perf_counter(), time.process_time()
kzdiscourse.compare(kzdiscourse.load_seeds())
w3, c3 = time.perf_counter(), time.process_time()
print(json.dumps({
    "import_s": w1 - w0, "first_s": w2 - w1, "second_s": w3 - w2,
    "import_cpu_s": c1 - c0, "first_cpu_s": c2 - c1, "second_cpu_s": c3 - c2,
}))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(HERE.parent)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _probe(code: str, timeout: int) -> dict:
    """Run ``code`` in a fresh interpreter; the JSON of its last line of output."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
        cwd=HERE,
        timeout=timeout,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_run() -> dict:
    return _probe(PROBE, timeout=300)


def compare_run() -> dict:
    """One fresh interpreter: import, first compare() on the seeds, second compare()."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {**_probe(COMPARE_PROBE, timeout=900), "load_average": load}


def compare_summary(runs: list[dict]) -> dict:
    """Medians of the compare() runs, and whether the first call meets the target."""
    if not runs:
        return {}

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "repeat": len(runs),
        "median_first_s": med("first_s"),
        "median_second_s": med("second_s"),
        "median_first_minus_second_s": statistics.median(
            r["first_s"] - r["second_s"] for r in runs
        ),
        "median_first_cpu_s": med("first_cpu_s"),
        "median_second_cpu_s": med("second_cpu_s"),
        "median_import_s": med("import_s"),
        "median_load_average": med("load_average"),
        "target_first_s": FIRST_COMPARE_TARGET_S,
        "first_under_target": med("first_s") <= FIRST_COMPARE_TARGET_S,
        "runs": runs,
    }


def top_modules(n: int = 8) -> list[dict]:
    """The modules with the largest self time inside ``import kzdiscourse`` (-X importtime)."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import numpy, pandas; import kzdiscourse"],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
        cwd=HERE,
        timeout=300,
    )
    rows = []
    after_pandas = False
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cumulative_us, name = line.split(":", 1)[1].split("|")
        name = name.strip()
        if not after_pandas:
            after_pandas = name == "pandas"
            continue
        rows.append(
            {
                "module": name,
                "self_s": int(self_us) / 1e6,
                "cumulative_s": int(cumulative_us) / 1e6,
            }
        )
    rows.sort(key=lambda r: r["self_s"], reverse=True)
    return rows[:n]


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15, help="fresh interpreters (default 15)")
    ap.add_argument(
        "--compare-repeat",
        type=int,
        default=3,
        help="fresh interpreters timing the first and second compare() (default 3; 0 skips)",
    )
    ap.add_argument("--out", default=str(HERE / "out" / "import.json"))
    args = ap.parse_args(argv)

    runs = [one_run() for _ in range(args.repeat)]
    pandas_s = statistics.median(r["pandas_s"] for r in runs)
    kzd_s = statistics.median(r["kzdiscourse_s"] for r in runs)
    ratio = statistics.median(r["kzdiscourse_s"] / r["pandas_s"] for r in runs)
    heavy = sorted({m for r in runs for m in r["heavy"]})
    result = {
        "repeat": args.repeat,
        "python": sys.version.split()[0],
        "median_import_numpy_pandas_s": pandas_s,
        "median_import_kzdiscourse_on_top_s": kzd_s,
        "median_ratio_kzdiscourse_to_pandas": ratio,
        "target_on_top_s": TARGET_S,
        "under_target": kzd_s < TARGET_S,
        "heavy_modules_loaded": heavy,
        "top_modules_self_time": top_modules(),
        "runs": runs,
        "first_compare": compare_summary([compare_run() for _ in range(args.compare_repeat)]),
    }
    write_result(result, args.out, echo=False)
    print(
        f"import numpy+pandas: median {pandas_s * 1000:.0f} ms; import kzdiscourse on top: "
        f"median {kzd_s * 1000:.0f} ms (ratio {ratio:.2f}; target < {TARGET_S * 1000:.0f} ms: "
        f"{'met' if kzd_s < TARGET_S else 'NOT met'}); heavy modules loaded: {heavy or 'none'}"
    )
    for row in result["top_modules_self_time"][:5]:
        print(f"  {row['module']}: {row['self_s'] * 1000:.1f} ms self")
    first = result["first_compare"]
    if first:
        met = "met" if first["first_under_target"] else "NOT met"
        print(
            f"compare() on the seeds in a fresh process ({first['repeat']} runs, load average "
            f"{first['median_load_average']:.1f}): first call median "
            f"{first['median_first_s']:.1f} s ({first['median_first_cpu_s']:.1f} s CPU), second "
            f"{first['median_second_s']:.1f} s ({first['median_second_cpu_s']:.1f} s CPU); "
            f"target for the first: <= {FIRST_COMPARE_TARGET_S:.0f} s: {met}"
        )
    return result


if __name__ == "__main__":
    main()
