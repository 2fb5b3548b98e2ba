# article-rag: `make run` sets everything up and serves the chat UI; `make test` checks it all.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data
HOST ?= 127.0.0.1
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: screenshots install run ingest serve test lint typecheck unit bench bench-quick train-selector clean

install: $(STAMP)

# torch is installed first and pinned: 2.13.0 is the CPU build this machine has on disk;
# any other version would pull gigabytes of CUDA wheels.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

ingest: install
	$(BIN)/rag ingest --data-dir $(DATA_DIR) seeds/

run: ingest
	$(BIN)/rag serve --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/rag serve --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check rag vectorstore ui tests bench
	$(BIN)/ruff format --check rag vectorstore ui tests bench

typecheck: install
	$(BIN)/mypy rag vectorstore ui

unit: install
	$(BIN)/python -m pytest

test: lint typecheck unit

# `make bench BENCH_ARGS=--quick` for a smoke run on 4 articles (see `python -m bench --help`).
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS) --out docs/benchmarks.md
	$(BIN)/python -m bench.scale --out docs/benchmarks-scale.md
	$(BIN)/python -m bench.dates --out docs/benchmarks-dates.md
	$(BIN)/python -m bench.fusion --rebuild --out docs/benchmarks-fusion.md >/dev/null

# A smoke run (4 articles, a few minutes) written to a temporary directory, never docs/: CI runs it
# so a change that breaks the benchmark fails there instead of at the next full run.
bench-quick: install
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python -m bench --quick --out "$$tmp/benchmarks.md" --json "$$tmp/latest.json" && \
	$(BIN)/python -m bench.scale --help >/dev/null && \
	$(BIN)/python -m bench.fusion --help >/dev/null

# Retrain the answer selector on half of SQuAD 2.0 dev (retrieval cached in .bench-cache/selector,
# rebuilt, ~10 min, whenever rag/ or vectorstore/ code changed). Keeps the weights of
# bench/selector_kept.json (retrained on today's features they lose news answers; `--retrain` to
# measure): writes rag/selector.json (shipped, byte for byte) and bench/results/selector.json (its
# held-out curve).
train-selector: install
	$(BIN)/python -m bench.train_selector

clean:
	rm -rf $(VENV) $(DATA_DIR) .mypy_cache .pytest_cache .ruff_cache

# The README's screenshots (docs/screenshot.png, docs/screenshot-phone.png), from the browser test.
screenshots: install
	SCREENSHOTS_DIR=docs $(BIN)/python -m pytest -q tests/test_browser.py -k 'highlighted_source or phone_screenshot'
