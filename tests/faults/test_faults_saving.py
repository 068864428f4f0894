"""Faults in saving a Report: the folder checked before any work, stale files of an
earlier save removed, and nothing else ever touched."""

from __future__ import annotations

import json
import os
import tempfile

import pytest

import kzdiscourse as kz
from kzdiscourse import output_folder
from kzdiscourse import report as report_module
from kzdiscourse.errors import OutputPathError

from faultlib import helpful, two_documents


@pytest.fixture(scope="module")
def report():
    return kz.compare(two_documents(), measures=["summary", "coverage"])


def test_save_where_a_file_stands(tmp_path, report):
    (tmp_path / "results").write_text("a file")
    with pytest.raises(OutputPathError) as info:
        report.save(tmp_path / "results", formats=("csv",))
    helpful(info.value, "is a file", "another output folder")


def test_save_below_a_file(tmp_path, report):
    (tmp_path / "results").write_text("a file")
    with pytest.raises(OutputPathError) as info:
        report.save(tmp_path / "results" / "run1", formats=("csv",))
    helpful(info.value, "parent folder", "is a file")


def test_save_into_a_read_only_folder(tmp_path, report, monkeypatch):
    out = tmp_path / "results"
    out.mkdir()
    os.chmod(out, 0o555)
    if os.geteuid() == 0:  # root writes anywhere: refuse as a read-only file system would

        def read_only(*args, **kwargs):
            raise PermissionError(30, "Read-only file system")

        monkeypatch.setattr(output_folder.tempfile, "mkstemp", read_only)
    try:
        with pytest.raises(OutputPathError) as info:
            report.save(out, formats=("csv",))
    finally:
        os.chmod(out, 0o755)
    helpful(info.value, "cannot write", "folder you can write to")
    assert list(out.iterdir()) == []  # nothing written


def test_save_again_with_fewer_measures(tmp_path, report):
    out = tmp_path / "results"
    report.save(out, formats=("csv", "md"))
    assert (out / "coverage.csv").exists()
    smaller = kz.compare(two_documents(), measures=["summary"])
    smaller.save(out, formats=("csv",))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["corpus_summary.csv", "manifest.json", "report.md"]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["files"] == ["corpus_summary.csv", "report.md"]


def test_save_keeps_files_it_did_not_write(tmp_path, report):
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.md").write_text("my notes")
    (out / "coverage.csv").write_text("my own table")  # before any kzdiscourse save
    report.save(out, formats=("csv",))
    kz.compare(two_documents(), measures=["summary"]).save(out, formats=("csv",))
    assert (out / "notes.md").read_text() == "my notes"
    # coverage.csv was written (overwritten) by the first save, so the second removes it
    assert not (out / "coverage.csv").exists()


def test_save_into_a_folder_with_someone_elses_manifest(tmp_path, report):
    out = tmp_path / "results"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "my-package", "version": "1.0"}')
    with pytest.raises(OutputPathError) as info:
        report.save(out, formats=("csv",))
    helpful(info.value, "did not write", "another")
    assert [p.name for p in out.iterdir()] == ["manifest.json"]


def test_save_over_a_manifest_cut_short(tmp_path, report):
    out = tmp_path / "results"
    out.mkdir()
    (out / "manifest.json").write_text('{"kzdiscourse": "0.1.0", "tab')
    with pytest.raises(OutputPathError) as info:
        report.save(out, formats=("csv",))
    helpful(info.value, "cannot be read", "interrupted")


def test_save_manifest_naming_files_outside_the_folder(tmp_path, report):
    out = tmp_path / "results"
    report.save(out, formats=("csv",))
    victim = tmp_path / "victim.csv"
    victim.write_text("keep me")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["files"] += ["../victim.csv", str(victim), "figures/../../victim.csv"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    kz.compare(two_documents(), measures=["summary"]).save(out, formats=("csv",))
    assert victim.read_text() == "keep me"


def test_save_into_missing_parent_folders(report):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "a", "b", "results")
        written = report.save(out, formats=("csv",))
        assert os.path.isfile(os.path.join(out, "manifest.json")) and len(written) == 4


def test_save_on_a_full_disk(tmp_path, report, monkeypatch):
    written = []

    def full(path, data):
        if written:  # the first file fits, the disk is full from the second on
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        path.write_bytes(data)
        return path

    monkeypatch.setattr(report_module, "_write", full)
    with pytest.raises(OutputPathError) as info:
        report.save(tmp_path / "results", formats=("csv", "md"))
    helpful(info.value, "No space left on device", "free space")
    assert not (tmp_path / "results" / "manifest.json").exists()
