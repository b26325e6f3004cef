# The two commands: `make run` and `make test`. Everything else is a step they share.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSTACK := $(PY) -m marketplace.devstack

# The newest Python >= 3.12: first on PATH, then pyenv's versions. Each candidate is run, not
# just found, because pyenv shims exist for versions that are not selected.
define find_python
for c in python3.14 python3.13 python3.12 python3 python \
         $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/*/bin/python3 2>/dev/null | sort -rV); do \
  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
    command -v "$$c"; exit 0; fi; \
done; exit 1
endef

.PHONY: help run test bench lint check-migrations test-deps messages clean
help:
	@echo "make run    start the marketplace (http://127.0.0.1:8000) with worker, beat and demo data"
	@echo "make test   lint, migration check and the whole test suite on real PostgreSQL"
	@echo "make bench  the app under gunicorn and wrk on a 1M-listing catalog (docs/performance.md)"

$(STAMP): requirements.txt requirements-dev.txt
	@PYBIN=$$($(find_python)) || { echo "Python 3.12 or newer is needed (Django 6.1). Install it, e.g. 'pyenv install 3.13', and run make again." >&2; exit 1; }; \
	echo "Using $$PYBIN ($$($$PYBIN --version))"; \
	test -x $(PY) || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

run: $(STAMP)
	$(DEVSTACK) run

# System tools the suite needs, from Debian's packages: Chromium for the browser tests (Playwright's
# own download cannot work offline), a CJK font so Chinese screenshots show characters, GNU
# gettext, which checks that the translation catalog matches the source, wrk, the load
# generator of `make bench` (its test runs it on a small catalog), and docker-compose, whose
# `config` validates docker-compose.yml (tests/test_deploy_files.py; no Docker engine is needed).
# Then axe-core, the accessibility engine the browser tests run on every page, from the npm
# registry (scripts/fetch_axe.py checks its pinned integrity; only Python is needed).
test-deps: $(STAMP)
	@$(PY) scripts/fetch_axe.py >/dev/null
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v xgettext >/dev/null 2>&1 \
	    || ! command -v wrk >/dev/null 2>&1 || ! command -v docker-compose >/dev/null 2>&1 \
	    || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  echo "Installing chromium, a Chinese font, gettext, wrk and docker-compose for the tests…"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium fonts-wqy-zenhei gettext wrk docker-compose >/dev/null; \
	fi

BANDIT_PATHS := accounts belts buyers catalog orders analytics suppliers marketplace demo manage.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy
	@# bandit warns about each line of a multi-line SQL string under a `# nosec`; only findings matter.
	out=$$($(VENV)/bin/bandit -q -c pyproject.toml -r $(BANDIT_PATHS) 2>&1); rc=$$?; \
	  printf '%s\n' "$$out" | grep -v -e 'nosec encountered' -e '^$$' || true; exit $$rc

check-migrations: $(STAMP)
	$(DEVSTACK) exec -- $(PY) manage.py makemigrations --check --dry-run --settings=marketplace.settings.test

# The suite runs on one pytest-xdist worker per core, each on its own test database (pytest-django
# appends the worker's id to its name) and its own temporary folders. A test file stays on one
# worker, so a module's shared fixture (the seeded demo world) is built once. PYTEST_ARGS comes
# last and wins: `make test PYTEST_ARGS="-n 0 tests/orders"` runs a part serially.
PYTEST_XDIST ?= -n auto --dist loadfile
# The slowest tests are printed at the end, to keep the suite within its time budget.
PYTEST_ARGS ?= --durations=15

test: $(STAMP) test-deps lint
	$(DEVSTACK) exec -- bash -c '$(PY) manage.py makemigrations --check --dry-run --settings=marketplace.settings.test && $(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)'

# The load bench (bench/run.py, docs/performance.md): builds or reuses the catalog in the database
# marketplace_bench (of DATABASE_URL's server, the embedded one when unset; BENCH_DATABASE_URL picks
# another), serves the app with gunicorn and measures each page kind with wrk beside a bare view.
# It installs wrk from Debian's packages when missing. BENCH_ARGS: e.g.
# `make bench BENCH_ARGS="--listings 100000 --only search,api-list --json var/bench/out.json"`.
bench: $(STAMP)
	$(DEVSTACK) exec -- $(PY) -m bench $(BENCH_ARGS)

# Refresh the translation catalogs after changing strings (needs GNU gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages --settings=marketplace.settings.test -l zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --settings=marketplace.settings.test -l zh_Hans --ignore '.venv/*'

clean:
	rm -rf var/staticfiles var/test-media var/celery .pytest_cache
