# Two entry points for a fresh machine: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup lint bench screenshots

setup: $(VENV)/.ready

$(VENV)/.ready: pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh

run: setup
	$(PY) main.py run

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) main.py screenshot --out screenshots

bench: setup
	$(PY) bench/queue_bench.py
