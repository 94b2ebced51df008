# The project's checks, as .ci/run runs them. `make check test` before a commit.
PYTHON ?= python

.PHONY: check lint types imports test bench

check: lint types imports

lint:
	$(PYTHON) -m ruff check .

types:
	$(PYTHON) -m mypy

imports:
	lint-imports

test:
	$(PYTHON) -m pytest -q -n auto

bench:
	$(PYTHON) benchmarks/engine.py
	$(PYTHON) benchmarks/tui_streaming.py
	$(PYTHON) benchmarks/replay.py
	$(PYTHON) benchmarks/eval.py
