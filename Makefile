# Targets CI calls too (.ci/run -> make ci).
PY ?= python3
ARCHIVE ?= memorybook.sqlite
DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test lint typecheck test ci archive serve bench bench-national pg-test

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

# ARCHIVE may be a file or a database URL: make serve ARCHIVE=postgresql+psycopg:///memorybook
# (the database must exist: createdb memorybook).
# `link` groups the records of one person across the lists (Splink): about a minute on the
# real data (README, "Linkage"); it prints its stages on stderr. On an unchanged archive it writes
# nothing. Without it every record is a person of its own (the site works either way).
archive: install
	memorybook init --archive '$(ARCHIVE)'
	memorybook import-all --archive '$(ARCHIVE)' --data $(DATA)
	memorybook link --archive '$(ARCHIVE)'

serve: archive
	memorybook serve --archive '$(ARCHIVE)' --host $(HOST) --port $(PORT)

bench:
	$(PY) bench/parse_import.py

# The whole national benchmark (3,000,000 synthetic entries, SQLite and PostgreSQL): generate,
# import to searchable, size, web under load. Scratch files go to $(SCRATCH) and are removed.
SCRATCH ?= /tmp/memorybook-national
ENTRIES ?= 3000000
PG_BENCH ?= postgresql+psycopg:///memorybook_bench
bench-national: install
	$(PY) bench/national.py all --entries $(ENTRIES) --scratch $(SCRATCH) --postgresql '$(PG_BENCH)'

# The test suite with its PostgreSQL runs, as CI does (starts the local cluster; needs root).
pg-test: install-test
	MEMORYBOOK_TEST_POSTGRES="$$(scripts/pg-test-cluster)" $(MAKE) test
