# Two commands for a fresh machine: `make demo` and `make test`.
# Each builds .venv from pyproject.toml the first time (and when it changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-pyproject
BENCH_STAMP := $(VENV)/.installed-bench-extra

# The panel also runs under PySide2 5.15 on Python 3.10 (Nuke 15's pair):
# pyenv's 3.10, else python3.10 on the PATH.
QT5_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10.*/bin/python) $(shell command -v python3.10 2>/dev/null))
QT5_VENV := .venv-qt5
QT5_STAMP := $(QT5_VENV)/.installed-from-pyproject
QT5_TESTS := tests/panel tests/host/test_panel.py

.PHONY: demo test test-qt5 lint bench screenshot shot-plot pictures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The benchmarks also compare against nkparser and OpenColorIO.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

$(QT5_STAMP): pyproject.toml
	@test -n "$(QT5_PYTHON)" || { echo "the PySide2 tests need Python 3.10 (pyenv install 3.10, or QT5_PYTHON=...)"; exit 1; }
	$(QT5_PYTHON) -m venv $(QT5_VENV)
	$(QT5_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(QT5_VENV)/bin/python -m pip install --quiet -e '.[qt5]'
	touch $(QT5_STAMP)

DEMO_OUT := build/demo/legacy_comp_stops.nk

demo: $(STAMP)
	@echo "== Exposure knobs in the bundled legacy comp (examples/legacy_comp.nk):"
	@$(BIN)/nuke-stops scan examples/legacy_comp.nk
	@mkdir -p $(dir $(DEMO_OUT))
	@echo "== Converting its legacy multiply values to stop knobs:"
	@$(BIN)/nuke-stops convert examples/legacy_comp.nk -o $(DEMO_OUT)
	@echo "== The converted comp, scanned again:"
	@$(BIN)/nuke-stops scan $(DEMO_OUT)
	@echo "== Plate B against plate A (examples/*.exr): measured, then from the camera reports:"
	@$(BIN)/nuke-stops match examples/plate_B.exr examples/plate_A.exr --snap 1/3
	@$(BIN)/nuke-stops camera --exr examples/plate_B.exr examples/plate_A.exr
	@echo "== A flickering shot (examples/shot): each frame against its reference, then deflickered:"
	@$(BIN)/nuke-stops match examples/shot/plate.####.exr examples/shot/ref.####.exr
	@$(BIN)/nuke-stops match examples/shot/plate.####.exr --smooth 5 --nk build/demo/deflicker.nk --force

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Two workers (pytest-xdist): each test makes its own files and folders, so
# they run in any order and side by side. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

# Without a Python 3.10 (PySide2's), everything else runs and the last line
# says the PySide2 run was skipped; CI, which has 3.10, runs it.
test: lint
	@if [ -n "$(QT5_PYTHON)" ]; then $(MAKE) --no-print-directory test-qt5; fi
	$(BIN)/pytest -rs -n $(PYTEST_WORKERS)
	@if [ -z "$(QT5_PYTHON)" ]; then echo "make test: the PySide2 run (tests/panel under Nuke 15's Python 3.10) was skipped: no Python 3.10 here (pyenv install 3.10, or QT5_PYTHON=/path/to/python3.10)"; fi

# The panel's tests again, under PySide2 (the main run is PySide6).
test-qt5: $(QT5_STAMP)
	$(QT5_VENV)/bin/python -c "import nuke_plugin.panel.qt as qt; assert qt.BINDING == 'PySide2', qt.BINDING"
	$(QT5_VENV)/bin/pytest -rs -p no:cacheprovider $(QT5_TESTS)

# The panel on the bundled comp before and after make demo converts it,
# under PySide6 (.venv) and PySide2 (.venv-qt5): docs/panel_*.png.
screenshot: $(STAMP) $(QT5_STAMP)
	@mkdir -p $(dir $(DEMO_OUT))
	$(BIN)/nuke-stops convert examples/legacy_comp.nk -o $(DEMO_OUT) --force > /dev/null
	$(BIN)/nuke-stops panel examples/legacy_comp.nk --screenshot docs/panel_before.png --force
	$(BIN)/nuke-stops panel $(DEMO_OUT) --screenshot docs/panel_after.png --force
	$(QT5_VENV)/bin/nuke-stops panel examples/legacy_comp.nk --screenshot docs/panel_before_pyside2.png --force
	$(QT5_VENV)/bin/nuke-stops panel $(DEMO_OUT) --screenshot docs/panel_after_pyside2.png --force

# The pictures of docs/artists.md: each command on the stand-in, drawn with Qt offscreen.
pictures: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_pictures.py docs/artists

# The README's picture of a shot measured frame by frame (benchmarks/shot_robustness.py).
shot-plot: $(STAMP)
	$(BIN)/python benchmarks/shot_robustness.py --svg docs/matching_a_shot.svg

bench: $(BENCH_STAMP) $(QT5_STAMP)
	$(BIN)/python benchmarks/bench_stops.py
	$(BIN)/python benchmarks/bench_nk.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_callbacks.py
	$(BIN)/python benchmarks/between_keys.py
	$(BIN)/python benchmarks/bench_scripts.py
	$(BIN)/python benchmarks/bench_panel.py
	$(BIN)/python benchmarks/bench_matching.py
	$(BIN)/python benchmarks/bench_exr.py
	$(BIN)/python benchmarks/bench_safe_write.py
	$(BIN)/python benchmarks/shot_robustness.py
	$(BIN)/python benchmarks/bench_sequence.py
	$(BIN)/python benchmarks/soak_panel.py
	$(QT5_VENV)/bin/python benchmarks/bench_panel.py
	$(QT5_VENV)/bin/python benchmarks/soak_panel.py

clean:
	rm -rf $(VENV) $(QT5_VENV) build .pytest_cache .mypy_cache .ruff_cache .hypothesis \
		.import_linter_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
