# Two commands for a fresh machine: `make demo` and `make test`.
# Each builds .venv from pyproject.toml the first time (and when it changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-pyproject
BENCH_STAMP := $(VENV)/.installed-bench-extra

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The benchmarks also compare against nkparser and OpenColorIO.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

DEMO_OUT := build/demo/legacy_comp_stops.nk

demo: $(STAMP)
	@echo "== Exposure knobs in the bundled legacy comp (examples/legacy_comp.nk):"
	@$(BIN)/nuke-stops scan examples/legacy_comp.nk
	@mkdir -p $(dir $(DEMO_OUT))
	@echo "== Converting its legacy multiply values to stop knobs:"
	@$(BIN)/nuke-stops convert examples/legacy_comp.nk -o $(DEMO_OUT)
	@echo "== The converted comp, scanned again:"
	@$(BIN)/nuke-stops scan $(DEMO_OUT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_stops.py
	$(BIN)/python benchmarks/bench_nk.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_callbacks.py
	$(BIN)/python benchmarks/between_keys.py
	$(BIN)/python benchmarks/bench_scripts.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
