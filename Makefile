# shift-analyzer: two commands on a fresh clone: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export SHIFT_BENCH_DATA ?= $(abspath ../shared/data)

.PHONY: setup demo test bench browser lint typecheck clean

setup: $(STAMP)

# CPU torch first (a wheel on this machine's disk); otherwise pip would pull a CUDA build.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test,onnx,multilingual,ray]'
	touch $(STAMP)

# Debian's Chromium drives the browser tests of the HTML report (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: setup
	$(BIN)/python data/make_demo.py --check
	$(BIN)/shift-analyzer report data/demo/reference.jsonl data/demo/production.jsonl --out reports/demo \
	    --segment-col client --segment-col locale --route-col route --cheap-route small-model

test: setup browser
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/scenarios.py
	$(BIN)/python bench/perf.py
	$(BIN)/python bench/detectors.py

lint: setup
	$(BIN)/ruff check analyzer tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache
