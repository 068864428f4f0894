"""The seed Report's tables on other CPU paths, compared byte for byte with the golden ones.

The promise "same input and seed, byte-identical tables on any machine" is tested here
without a second machine: each *path* is a fresh interpreter whose numpy SIMD dispatch
(``NPY_DISABLE_CPU_FEATURES``), OpenBLAS kernels (``OPENBLAS_CORETYPE``), OpenBLAS thread
count or glibc maths variants (``GLIBC_TUNABLES``) are forced to what another CPU would
run, and writes the seed Report's CSV bytes (:func:`kzdiscourse.report.table_to_csv`) and
its full-precision Parquet. The tables are then compared with ``tests/golden/`` (or
``--reference``) and printed as a table × path matrix: ``.`` identical bytes, a number =
how many cells differ.

A second block measures how far the *full-precision* numbers move from path to path (the
Parquet files against the first path's): the number of float cells that differ and the
largest relative difference. That is the drift the canonical text form of floats has to
absorb (see ``docs/reproducibility.md``).

Not part of the tests or CI: there the machine's settings stay as they are. Each path
builds the whole Report (about 20 s on the seeds).

Usage::

    python benchmarks/cross_cpu_check.py                 # every path, against tests/golden
    python benchmarks/cross_cpu_check.py --paths native,numpy-sse4
    python benchmarks/cross_cpu_check.py --no-run --reference other/   # compare again
    python benchmarks/cross_cpu_check.py --input texts/ --by genre --reference results/

(``--reference`` is a folder of CSVs as :meth:`Report.save` writes them.)

Exit status 0 when every table of every path equals the reference, 1 otherwise. Writes
``benchmarks/out/cross_cpu/<path>/`` and ``benchmarks/out/cross_cpu.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = ROOT / "tests" / "golden"
OUT = HERE / "out"

#: numpy dispatch targets by the CPU generation that first has them (numpy 2.4 names the
#: x86-64 micro-architecture levels X86_V3/X86_V4; older numpy names single features).
#: A path "up to level L" disables every dispatch target above L.
_NUMPY_LEVEL = {
    # x86-64-v3: AVX2 + FMA3 (Haswell, Zen)
    "X86_V3": 3, "AVX": 3, "F16C": 3, "FMA3": 3, "AVX2": 3,
    # x86-64-v4 and later: AVX-512
    "X86_V4": 4, "AVX512F": 4, "AVX512CD": 4, "AVX512_KNL": 4, "AVX512_KNM": 4,
    "AVX512_SKX": 4, "AVX512_CLX": 4, "AVX512_CNL": 4, "AVX512_ICL": 4, "AVX512_SPR": 4,
}  # fmt: skip
#: glibc's libm picks FMA/AVX2 variants of exp, log, pow … at load time; this turns them off.
_GLIBC_NO_FMA = "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F,-FMA4"

#: name → (numpy level or None for native, environment variables). "native" clears every
#: forcing variable; "inherited" runs in this process's environment as it is (what the
#: tests see: a CI runner or a shell may set OPENBLAS_CORETYPE itself).
PATHS: dict[str, tuple[int | None, dict[str, str]] | None] = {
    "native": (None, {}),
    "inherited": None,
    "openblas-skylakex": (None, {"OPENBLAS_CORETYPE": "SkylakeX"}),
    "numpy-avx2": (3, {"OPENBLAS_CORETYPE": "Haswell"}),
    "numpy-sse4": (2, {"OPENBLAS_CORETYPE": "Nehalem"}),
    "sandybridge": (2, {"OPENBLAS_CORETYPE": "SandyBridge", "GLIBC_TUNABLES": _GLIBC_NO_FMA}),
    "openblas-prescott": (None, {"OPENBLAS_CORETYPE": "Prescott"}),
    "1-thread": (None, {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}),
    "4-threads": (None, {"OPENBLAS_NUM_THREADS": "4", "OMP_NUM_THREADS": "4"}),
}
#: Variables a path sets; removed from the parent's environment first.
_FORCED = ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES", "OPENBLAS_CORETYPE",
           "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GLIBC_TUNABLES")  # fmt: skip


def numpy_disable(level: int | None) -> str:
    """The ``NPY_DISABLE_CPU_FEATURES`` value that keeps numpy's dispatch at ``level``.

    Only names this numpy dispatches are listed (numpy refuses to disable a baseline one).
    """
    if level is None:
        return ""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    return " ".join(f for f in __cpu_dispatch__ if _NUMPY_LEVEL.get(f, 4) > level)


def path_env(name: str) -> dict[str, str]:
    """The environment of a fresh interpreter on path ``name``."""
    spec = PATHS[name]
    if spec is None:
        return {**os.environ, "PYTHONHASHSEED": "0"}
    level, extra = spec
    env = {k: v for k, v in os.environ.items() if k not in _FORCED}
    env.update(extra)
    disable = numpy_disable(level)
    if disable:
        env["NPY_DISABLE_CPU_FEATURES"] = disable
    env["PYTHONHASHSEED"] = "0"
    return env


# ----------------------------------------------------------------------------- worker


def _cpu_info() -> dict[str, object]:
    import numpy as np
    import threadpoolctl
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    blas = [
        f"{i.get('architecture')}×{i.get('num_threads')}"
        for i in threadpoolctl.threadpool_info()
        if i.get("user_api") == "blas"
    ]
    return {
        "numpy": np.__version__,
        "numpy_dispatch": [f for f in __cpu_dispatch__ if __cpu_features__.get(f)],
        "openblas": blas,
        "glibc_tunables": os.environ.get("GLIBC_TUNABLES", ""),
    }


def worker(out: Path, input_path: str | None, by: str, seed: int, measures: list[str] | None):
    """Build the Report in this interpreter and write its CSV bytes and Parquet to ``out``."""
    import scipy.linalg  # noqa: F401  (load scipy's OpenBLAS too, for the info)

    import kzdiscourse as kzd
    from kzdiscourse.report import table_to_csv

    t0 = time.perf_counter()
    corpus = kzd.load_seeds() if input_path is None else kzd.Corpus.from_folder(input_path)
    report = kzd.compare(corpus, by=by, seed=seed, measures=measures)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in report.tables.items():
        (out / f"{name}.csv").write_bytes(table_to_csv(table))
        table.to_parquet(out / f"{name}.parquet", index=False)
    info = {**_cpu_info(), "tables": list(report.tables), "seconds": time.perf_counter() - t0}
    (out / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")


# ----------------------------------------------------------------------------- compare


def _cells_differing(old: bytes, new: bytes) -> int:
    """Cells whose text differs (-1 when the shape differs)."""
    import io

    import pandas as pd

    def read(data: bytes) -> pd.DataFrame:
        try:
            return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            return pd.DataFrame()

    a, b = read(old), read(new)
    if a.shape != b.shape or list(a.columns) != list(b.columns):
        return -1
    return int(a.ne(b).to_numpy().sum())


def _drift(base: Path, other: Path, tables: list[str]) -> tuple[int, int, float]:
    """(float cells, float cells that differ, largest relative difference) over tables."""
    import numpy as np
    import pandas as pd

    cells = differ = 0
    worst = 0.0
    for name in tables:
        a = pd.read_parquet(base / f"{name}.parquet")
        b = pd.read_parquet(other / f"{name}.parquet")
        if a.shape != b.shape:
            continue
        for col in a.columns:
            if not (pd.api.types.is_float_dtype(a[col]) and pd.api.types.is_float_dtype(b[col])):
                continue
            x, y = a[col].to_numpy(float), b[col].to_numpy(float)
            both = np.isfinite(x) & np.isfinite(y)
            cells += int(both.sum())
            d = both & (x != y)
            differ += int(d.sum())
            if d.any():
                scale = np.maximum(np.abs(x[d]), np.abs(y[d]))
                worst = max(worst, float((np.abs(x[d] - y[d]) / scale).max()))
    return cells, differ, worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paths", default=",".join(PATHS), help="comma-separated, see PATHS")
    parser.add_argument(
        "--input", help="a folder of .txt files (+ metadata.csv); default: the bundled seeds"
    )
    parser.add_argument("--by", default="outlet")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--measures", help="comma-separated subset (default: all)")
    parser.add_argument("--reference", type=Path, default=GOLDEN, help="folder of CSV bytes")
    parser.add_argument("--out", type=Path, default=OUT / "cross_cpu")
    parser.add_argument(
        "--no-run", action="store_true", help="compare the files of an earlier run again"
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    measures = args.measures.split(",") if args.measures else None
    if args.worker:
        worker(args.worker, args.input, args.by, args.seed, measures)
        return 0

    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    unknown = [p for p in paths if p not in PATHS]
    if unknown:
        parser.error(f"unknown path(s) {unknown}; choose from {', '.join(PATHS)}")
    infos: dict[str, dict] = {}
    for name in paths:
        folder = args.out / name
        if args.no_run:
            infos[name] = json.loads((folder / "info.json").read_text(encoding="utf-8"))
            continue
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(folder)]
        cmd += ["--by", args.by, "--seed", str(args.seed)]
        if args.input:
            cmd += ["--input", args.input]
        if args.measures:
            cmd += ["--measures", args.measures]
        proc = subprocess.run(cmd, env=path_env(name), capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"path {name} failed (exit {proc.returncode})")
        infos[name] = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        info = infos[name]
        dispatch = "+".join(info["numpy_dispatch"]) or "baseline"
        print(
            f"{name:>18}: numpy {info['numpy']} dispatch {dispatch}"
            f"; OpenBLAS {', '.join(info['openblas'])}"
            f"{'; ' + info['glibc_tunables'] if info['glibc_tunables'] else ''}"
            f" ({info['seconds']:.0f} s)",
            flush=True,
        )

    tables = infos[paths[0]]["tables"]
    matrix: dict[str, dict[str, int]] = {}
    for table in tables:
        ref = args.reference / f"{table}.csv"
        old = ref.read_bytes() if ref.exists() else None
        matrix[table] = {}
        for name in paths:
            new = (args.out / name / f"{table}.csv").read_bytes()
            matrix[table][name] = (
                0 if old == new else (-2 if old is None else _cells_differing(old, new))
            )
    width = max(len(t) for t in tables)
    cols = [max(len(p), 4) for p in paths]
    print(f"\nCSV bytes against {args.reference} ('.' identical, n = cells that differ):")
    print(" " * width + "  " + "  ".join(p.rjust(c) for p, c in zip(paths, cols, strict=True)))
    for table in tables:
        cells = []
        for name, c in zip(paths, cols, strict=True):
            n = matrix[table][name]
            text = "." if n == 0 else ("shape" if n == -1 else ("new" if n == -2 else str(n)))
            cells.append(text.rjust(c))
        print(table.ljust(width) + "  " + "  ".join(cells))
    differing = {p: sum(matrix[t][p] != 0 for t in tables) for p in paths}
    print(
        "tables differing".ljust(width)
        + "  "
        + "  ".join(str(differing[p]).rjust(c) for p, c in zip(paths, cols, strict=True))
    )

    drift = {}
    if len(paths) > 1:
        base = args.out / paths[0]
        print(f"\nfull-precision drift (Parquet) against path {paths[0]!r}:")
        for name in paths[1:]:
            cells, differ, worst = _drift(base, args.out / name, tables)
            drift[name] = {"float_cells": cells, "differ": differ, "max_rel_diff": worst}
            print(f"{name:>18}: {differ} of {cells} float cells differ, max relative {worst:.2e}")
    summary = {
        "reference": str(args.reference),
        "paths": infos,
        "cells_differing": matrix,
        "tables_differing": differing,
        "drift_vs_first_path": drift,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    (args.out.parent / f"{args.out.name}.json").write_text(
        json.dumps(summary, indent=1), encoding="utf-8"
    )
    return 0 if not any(differing.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
