# Every target creates .venv on first use; nothing but Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint bench conformance clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo installs what every README example needs: the core and the 'report' extra.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[report]'
	touch $@

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The flagship: the whole analysis, then the package a "ceasefire in place" would be, and why
# it fails.
CEASEFIRE_IN_PLACE := ceasefire=unconditional,strikes=none,sanctions=none,snapback=none,territory=de_facto,donetsk=hold_line,crimea=de_facto,buffer_km=0,long_range=none,nato=no_commitment,monitoring=none,guarantees=none,prisoners=ad_hoc,znpp=russian,frozen_assets=frozen,army_cap=no_cap,economic=none

demo: $(VENV)/.installed
	$(BIN)/accord analyze ceasefire-2025
	$(BIN)/accord explain ceasefire-2025 --package '$(CEASEFIRE_IN_PLACE)'

# The suite runs on every core (pytest-xdist); a module's tests stay in one process, so a
# module's cluster, database or server is started once.
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto --dist loadscope

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/analysis_vs_negmas.py
	$(BIN)/python benchmarks/optimise_scaling.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

conformance: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/conformance.py --out docs/conformance.md

.PHONY: simulation-conformance
simulation-conformance: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/simulation_conformance.py --out docs/simulation-conformance.md
