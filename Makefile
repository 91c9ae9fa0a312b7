# Quick start: `make run` and `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared

# Prefect runs offline, quietly, with its state inside the project.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120

.PHONY: run test lint eval bench clean-output help

help:
	@echo "make run    - clean corpus_raw/ into corpus_clean/ (creates .venv on first use)"
	@echo "make test   - ruff and the whole test suite"
	@echo "make eval   - dev-set quality table (needs $(SHARED))"
	@echo "make bench  - throughput and memory figures (needs $(SHARED))"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "corpusprep needs Python 3.11 or newer (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/corpusprep run corpus_raw --out corpus_clean

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python scripts/eval.py --shared $(SHARED)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py --shared $(SHARED) --server

clean-output:
	rm -rf corpus_clean/documents corpus_clean/sentences corpus_clean/removed corpus_clean/files corpus_clean/_runs
