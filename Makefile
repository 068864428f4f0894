# Two commands for a fresh machine with Python >= 3.11:
#   make demo   set up .venv with what the library needs and compare the bundled seeds (results/)
#   make test   set up .venv with the dev tools and every extra, then run ruff and the test suite
# and one for Jupyter:
#   make notebook   add JupyterLab to .venv and register it as the kernel "kzdiscourse"
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# one stamp per install level: the demo needs only the library, the tests need the dev tools
# and every optional extra (a test venv is a superset of the demo venv)
STAMP_LIB := $(VENV)/.installed-lib
STAMP_DEV := $(VENV)/.installed-dev
STAMP_NB := $(VENV)/.installed-notebook

.PHONY: install install-lib demo test notebook lint bench bless clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kzdiscourse needs Python >= 3.11; run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_LIB): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@touch $(STAMP_LIB)

$(STAMP_DEV): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,all]"
	@touch $(STAMP_LIB) $(STAMP_DEV)

$(STAMP_NB): $(STAMP_LIB)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[notebook]"
	$(BIN)/python -m ipykernel install --user --name kzdiscourse --display-name "kzdiscourse (.venv)"
	@touch $(STAMP_NB)

install-lib: $(STAMP_LIB)

install: $(STAMP_DEV)

demo: $(STAMP_LIB)
	$(BIN)/kzdiscourse compare --out results
	@echo
	@echo "Done. Open results/report.md (the results section, with figures from results/figures/);"
	@echo "every table is in results/ as CSV, Markdown, LaTeX and Parquet, described in results/manifest.json."

# two worker processes: the suite's target is < 4 min on 2 cores (TEST_WORKERS=0 runs serially)
TEST_WORKERS ?= 2

test: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# JupyterLab in .venv plus a registered kernel; then: .venv/bin/jupyter lab notebooks/
notebook: $(STAMP_NB)
	@echo "Kernel 'kzdiscourse (.venv)' registered. Start Jupyter with: $(BIN)/jupyter lab notebooks/"

# Rewrite tests/golden/ from the current seed Report: only for intentional changes.
bless: $(STAMP_DEV)
	$(BIN)/python -m pytest tests/test_golden.py --bless -q

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP_DEV)
	$(BIN)/python benchmarks/bench_parse.py --tokens 2000000
	$(BIN)/python benchmarks/bench_dictionary.py --tokens 1000000
	$(BIN)/python benchmarks/eval_ud.py
	$(BIN)/python benchmarks/bench_import.py --repeat 15

clean:
	rm -rf $(VENV) results build dist .pytest_cache .ruff_cache .hypothesis
