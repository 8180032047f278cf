# Targets CI calls too (.ci/run -> make ci).
PY ?= python3
ARCHIVE ?= memorybook.sqlite
DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test lint typecheck test ci archive serve bench

install:
	$(PY) -m pip install -q -e .

install-test:
	$(PY) -m pip install -q -e '.[test]'

lint:
	$(PY) -m ruff check src tests bench fuzz
	$(PY) -m ruff format --check src tests bench fuzz

typecheck:
	$(PY) -m mypy

# pytest exits 5 when it collects no tests; that is not a failure of the suite.
test:
	$(PY) -m pytest -q -p no:cacheprovider; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

ci: install-test lint typecheck test

archive: install
	memorybook init --archive $(ARCHIVE)
	memorybook import-all --archive $(ARCHIVE) --data $(DATA)

serve: archive
	memorybook serve --archive $(ARCHIVE) --host $(HOST) --port $(PORT)

bench:
	$(PY) bench/parse_import.py
