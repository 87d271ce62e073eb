# Two entry points for a fresh machine: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
# the project's own code, compiled ahead as an installed package is: a terminal switched on then
# loads bytecode instead of compiling ~200 modules (~100 ms of a kiosk's cold start), also where
# PYTHONDONTWRITEBYTECODE stops Python caching it; quick when nothing changed
SOURCES := kiosk ui printing devices hallnet commands main.py

.PHONY: run test setup lint bench screenshots

setup: $(VENV)/.ready
	@$(PY) -m compileall -q $(SOURCES)

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
