"""The worked notebook runs top to bottom on a fresh kernel and shows every figure."""

from __future__ import annotations

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "01_seed_comparison.ipynb"


@pytest.mark.slow
def test_seed_notebook_executes_on_a_fresh_kernel_and_shows_every_figure(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # stored without outputs, so the file in git shows what a reader runs, not a stale result
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()  # raises CellExecutionError, with the failing cell, on any error

    plot_cells = [c for c in notebook.cells if c.cell_type == "code" and "report.plot(" in c.source]
    assert len(plot_cells) == 6
    for cell in plot_cells:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        # one figure per cell: in Jupyter every figure must show, not only the first
        assert len(images) == 1, cell.source
    text = "".join(
        o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "table hashes identical for all" in text
    assert "Stance (model), ANKASAM: of 58 sentences" in text


VALIDATION_NOTEBOOK = ROOT / "notebooks" / "02_validate_on_your_corpus.ipynb"


@pytest.mark.slow
def test_validation_notebook_runs_the_four_steps_on_a_fresh_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(VALIDATION_NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    text = "".join(
        o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "coding_sheet.csv" in text and "coding_sheet_labels.csv" in text
    assert "macro-F1" in text and "Cohen's κ" in text  # the verdict of validate()
    assert "'n_sentences': 20" in text  # adapt() on half of the 40 coded sentences
    assert (tmp_path / "coding_sheet_coded.csv").is_file()
