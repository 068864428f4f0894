# Two commands for a fresh machine with Python >= 3.11:
#   make demo   set up .venv and run the comparison on the bundled seeds (writes results/)
#   make test   set up .venv and run ruff and the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench bless clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kzdiscourse needs Python >= 3.11; run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,all]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kzdiscourse compare --out results
	@echo "tables and manifest.json are in results/"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Rewrite tests/golden/ from the current seed Report: only for intentional changes.
bless: $(STAMP)
	$(BIN)/python -m pytest tests/test_golden.py --bless -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py --tokens 2000000
	$(BIN)/python benchmarks/bench_dictionary.py --tokens 1000000
	$(BIN)/python benchmarks/eval_ud.py
	$(BIN)/python benchmarks/bench_import.py --repeat 15

clean:
	rm -rf $(VENV) results build dist .pytest_cache .ruff_cache .hypothesis
