"""`import kzdiscourse` time on top of pandas, for projects that depend on kzdiscourse.

Each repetition is a fresh interpreter that imports numpy and pandas (timed: the baseline
every pandas user already pays), then kzdiscourse (timed: what kzdiscourse adds), and lists
which heavy libraries the import pulled in (it should pull in none: gensim, scikit-learn,
scipy, matplotlib, seaborn, wordfreq and pymorphy3 load when a measure needs them).
One more interpreter runs with ``-X importtime`` to name the modules that cost the most
inside the kzdiscourse import.

Reported: medians over the repetitions of the pandas import, the kzdiscourse import and
their ratio (both measured in the same processes, so machine load affects both), against
the target of 0.3 s on top of pandas.

Usage::

    python benchmarks/bench_import.py --repeat 15

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
TARGET_S = 0.3
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


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(HERE.parent)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    return env


def one_run() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
        cwd=HERE,
        timeout=300,
    )
    return json.loads(out.stdout)


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
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"import numpy+pandas: median {pandas_s * 1000:.0f} ms; import kzdiscourse on top: "
        f"median {kzd_s * 1000:.0f} ms (ratio {ratio:.2f}; target < {TARGET_S * 1000:.0f} ms: "
        f"{'met' if kzd_s < TARGET_S else 'NOT met'}); heavy modules loaded: {heavy or 'none'}"
    )
    for row in result["top_modules_self_time"][:5]:
        print(f"  {row['module']}: {row['self_s'] * 1000:.1f} ms self")
    return result


if __name__ == "__main__":
    main()
