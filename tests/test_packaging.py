"""Packaging: `python -m build` makes a wheel and an sdist, the wheel carries the seeds and
resources, and a fresh virtual environment with only the wheel installed runs the
`kzdiscourse compare` console script and reproduces the golden tables."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from golden_diff import load_index

import kzdiscourse
from kzdiscourse.measures import registered

from conftest import ROOT

PIP_INSTALL = (sys.executable, "-m", "pip", "install", "--no-deps", "--no-index")
ALL_TABLES = [table.name for measure in registered().values() for table in measure.tables]


def _run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend (hatchling, a dev dependency) is already installed,
    # so the build works offline
    build = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), ROOT])
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = out.glob("kzdiscourse-*.whl")
    (sdist,) = out.glob("kzdiscourse-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.mark.slow
def test_build_makes_a_wheel_and_an_sdist_with_everything_needed(dist):
    version = kzdiscourse.__version__
    assert dist["wheel"].name == f"kzdiscourse-{version}-py3-none-any.whl"
    assert dist["sdist"].name == f"kzdiscourse-{version}.tar.gz"
    names = set(zipfile.ZipFile(dist["wheel"]).namelist())
    for expected in (
        "kzdiscourse/_seeds/metadata.csv",
        "kzdiscourse/_seeds/000_70395a5882c1ba14.txt",
        "kzdiscourse/_seeds/002_28388f6ca8c12a31.txt",
        "kzdiscourse/py.typed",
        "kzdiscourse/_deprecation.py",
        "kzdiscourse/resources/cleaning_profiles.yaml",
        "kzdiscourse/resources/stance_cues_ru.yaml",
        "kzdiscourse/gold/seed_stance.csv",
        "kzdiscourse/gold/stance_testset.csv",
        "kzdiscourse/gold/README.md",
    ):
        assert expected in names
    assert not any(n.startswith("tests/") for n in names)  # tests ship in the sdist only
    meta = zipfile.ZipFile(dist["wheel"]).read(f"kzdiscourse-{version}.dist-info/METADATA")
    assert f"Version: {version}" in meta.decode("utf-8")
    entry = zipfile.ZipFile(dist["wheel"]).read(f"kzdiscourse-{version}.dist-info/entry_points.txt")
    assert "kzdiscourse = kzdiscourse.cli:main" in entry.decode("utf-8")
    with tarfile.open(dist["sdist"]) as tar:
        members = {m.split("/", 1)[1] for m in tar.getnames() if "/" in m}
    for expected in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "kzdiscourse/__init__.py",
        "seeds/metadata.csv",
        "tests/golden/index.json",
        "tests/golden/keyness_tests.csv",
    ):
        assert expected in members


@pytest.mark.slow
def test_wheel_installed_with_target_loads_the_seeds(dist, tmp_path):
    site = tmp_path / "site"
    install = _run([*PIP_INSTALL, "--target", str(site), str(dist["wheel"])])
    assert install.returncode == 0, install.stdout + install.stderr
    probe = (
        "import kzdiscourse, kzdiscourse.seeds as s; "
        "c = kzdiscourse.load_seeds(); "
        "print(kzdiscourse.__file__); print(s.seeds_path()); print(len(c)); "
        "import kzdiscourse.stance as st; print(len(st.load_seed_gold()), len(st.load_testset()))"
    )
    run = _run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    module_file, seeds_dir, n_docs, n_gold, n_test = run.stdout.split()
    assert module_file.startswith(str(site))
    assert seeds_dir.startswith(str(site))
    assert n_docs == "2"
    assert int(n_gold) == 88  # every sentence of the two cleaned, parsed seeds
    assert int(n_test) >= 60


@pytest.mark.slow
def test_fresh_venv_runs_the_console_script_and_reproduces_the_golden_tables(dist, tmp_path):
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # install the wheel alone (offline: the running pip installs into the new environment)
    install = _run(
        [sys.executable, "-m", "pip", "--python", str(python), *PIP_INSTALL[3:], str(dist["wheel"])]
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # the dependencies come from the running interpreter's site-packages, appended to the
    # new environment's path by a .pth file (lines of a .pth are added without running that
    # folder's own .pth files, so the editable kzdiscourse there stays invisible)
    venv_site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path,
    ).stdout.strip()
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (Path(venv_site) / "_kzdiscourse_test_deps.pth").write_text("\n".join(ours) + "\n")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    assert "PYTHONPATH" not in env

    where = _run(
        [str(python), "-c", "import kzdiscourse; print(kzdiscourse.__file__)"],
        cwd=tmp_path,
        env=env,
    )
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr

    out = tmp_path / "results"
    script = venv / "bin" / "kzdiscourse"
    assert script.is_file()
    run = _run([str(script), "compare", "--out", str(out)], cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(ALL_TABLES)} tables written" in run.stdout
    written = {p.name for p in out.iterdir()}
    for name in ALL_TABLES:
        assert {f"{name}.{ext}" for ext in ("csv", "md", "tex", "parquet")} <= written
    assert {"report.md", "manifest.json"} <= written
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kzdiscourse"] == kzdiscourse.__version__
    assert {i["doc_id"] for i in manifest["inputs"]} == {"ankasam_2025_08", "dzen_2025_12"}
    assert all(i["source"].startswith(str(venv)) for i in manifest["inputs"])  # wheel's seeds
    hashes = {name: entry["sha256_csv"] for name, entry in manifest["tables"].items()}
    assert hashes == load_index()  # the installed wheel computes the golden tables

    bad = _run([str(script), "compare", str(tmp_path / "missing")], cwd=tmp_path, env=env)
    assert bad.returncode == 1 and "What to do" in bad.stderr
    assert _run([str(script), "--version"], cwd=tmp_path, env=env).stdout.strip() == (
        f"kzdiscourse {kzdiscourse.__version__}"
    )
