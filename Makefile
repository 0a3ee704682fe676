# The two commands a new user types: `make run` and `make test`.
# Both create the virtual environment with the pinned dependencies on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

run: setup  ## set up, then load seeds/ into warehouse/newsflow.duckdb and print a summary
	$(BIN)/newsflow run

test: setup  ## set up, then run the whole test suite
	$(BIN)/python -m pytest

bench: setup  ## throughput benchmark on ../shared/corpora/gnad10k_test
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .prefect warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/*.lock
