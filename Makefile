# Quick start: `make run` and `make test`. Both create .venv and install the project first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared
# The WCXB benchmark (make train, make eval): a checkout of
# github.com/Murrough-Foley/web-content-extraction-benchmark; only its dev/ split is read.
WCXB ?= ../wcxb

# Prefect runs offline, quietly, with its state inside the project.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120

.PHONY: run test lint chromium eval bench train clean-output help

help:
	@echo "make run    - clean corpus_raw/ into corpus_clean/ (creates .venv on first use)"
	@echo "make test   - ruff and the whole test suite"
	@echo "make eval   - dev-set quality table (needs $(SHARED))"
	@echo "make bench  - throughput and memory figures (needs $(SHARED))"
	@echo "make train  - rebuild the classifiers and the metadata rankers (needs $(SHARED) and WCXB=$(WCXB))"

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "corpusprep needs Python 3.11 or newer (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(BUILT)

# The text modules setup.py compiles with mypyc (its COMPILED): an edited one is compiled again
# here (~15 s); until then corpusprep runs its Python source.
COMPILED_SRC := $(patsubst %,corpusprep/%.py,$(shell sed -n 's/^COMPILED = (\(.*\)).*/\1/p' setup.py | tr -d '",'))
BUILT := $(VENV)/.compiled-stamp

$(BUILT): $(STAMP) $(COMPILED_SRC)
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $(BUILT)

run: $(BUILT)
	$(BIN)/corpusprep run corpus_raw --out corpus_clean

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# tests/test_report.py opens the HTML report in headless Chromium: installed here when missing
# (Debian's package, as root, as on CI), never skipped.
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: lint chromium $(BUILT)
	$(BIN)/python -m pytest

eval: $(BUILT)
	$(BIN)/python scripts/eval.py --shared $(SHARED) --wcxb $(WCXB)

train: $(BUILT)
	$(BIN)/python scripts/train.py --shared $(SHARED) --wcxb $(WCXB)
	$(BIN)/python scripts/train_metadata.py --wcxb $(WCXB)

bench: $(BUILT)
	$(BIN)/python scripts/bench.py --shared $(SHARED) --server

clean-output:
	rm -rf corpus_clean/documents corpus_clean/sentences corpus_clean/removed corpus_clean/files \
		corpus_clean/duplicates corpus_clean/_minhash corpus_clean/_runs
