"""The wheel carries the seeds: load_seeds() works from a plain, non-editable install."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_bundles_the_seeds_and_load_seeds_works_from_it(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = wheels.glob("kzdiscourse-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "kzdiscourse/_seeds/metadata.csv",
        "kzdiscourse/_seeds/000_70395a5882c1ba14.txt",
        "kzdiscourse/_seeds/002_28388f6ca8c12a31.txt",
        "kzdiscourse/py.typed",
        "kzdiscourse/resources/cleaning_profiles.yaml",
        "kzdiscourse/resources/stance_cues_ru.yaml",
        "kzdiscourse/gold/seed_stance.csv",
        "kzdiscourse/gold/stance_testset.csv",
        "kzdiscourse/gold/README.md",
    ):
        assert expected in names

    site = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    probe = (
        "import kzdiscourse, kzdiscourse.seeds as s; "
        "c = kzdiscourse.load_seeds(); "
        "print(kzdiscourse.__file__); print(s.seeds_path()); print(len(c)); "
        "import kzdiscourse.stance as st; print(len(st.load_seed_gold()), len(st.load_testset()))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    module_file, seeds_dir, n_docs, n_gold, n_test = run.stdout.split()
    assert module_file.startswith(str(site))
    assert seeds_dir.startswith(str(site))
    assert n_docs == "2"
    assert int(n_gold) == 88  # every sentence of the two cleaned, parsed seeds
    assert int(n_test) >= 60
