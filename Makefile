# Two commands do everything on a fresh machine: `make run` and `make test`.

VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

# Local development defaults; anything already in the environment wins. (manage.py and the
# web server run with DEBUG off unless told otherwise: only make turns it on.)
export DEBUG ?= true

# The first Python >= 3.12 on this machine (pyenv reads .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test install migrate demo check lint format superuser clean bench generate messages

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed; none was found on PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The compiled catalogues Django reads (locale/*/LC_MESSAGES/django.mo), rebuilt when their
# .po changes, in pure Python: no system package needed (recovery_site/catalogue.py).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
locale/%.mo: locale/%.po | $(VENV)/.installed
	$(BIN)/python -m recovery_site.catalogue compile $<

install: $(VENV)/.installed $(MO_FILES)

# Collect the texts to translate from the code into each language's .po (needs GNU gettext:
# sudo apt-get install gettext), then translate the new entries (README "Languages").
# The flags are the ones tests/test_i18n_catalogue.py uses to check that nothing is missing.
MAKEMESSAGES_FLAGS := --no-location --no-wrap --no-obsolete \
	--ignore='.venv/*' --ignore='node_modules/*' --ignore='static/vendor/*' \
	--ignore='staticfiles/*' --ignore='bench/*' --ignore='tests/*' --ignore='*admin*' \
	--ignore='var/*' --ignore='demo/*'
LANGUAGE_CODES ?= $(notdir $(wildcard locale/*))
messages: install
	$(BIN)/python manage.py makemessages $(MAKEMESSAGES_FLAGS) $(addprefix -l ,$(LANGUAGE_CODES))
	$(MAKE) $(MO_FILES)

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Invented listings and meetings at national scale (replaces what it generated before):
# make generate LISTINGS=20000 MEETINGS=10000
LISTINGS ?= 200000
MEETINGS ?= 100000
generate: migrate
	$(BIN)/python manage.py generate_demo --listings $(LISTINGS) --meetings $(MEETINGS)

# Benchmarks print figures (docs/performance.md), on their own PostgreSQL database, which
# they create and fill with generated data the first time. Quicker runs:
# make bench BENCH_ARGS="--duration 3 --scenarios home,listing-detail --skip-memory"
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/recovery_bench
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y wrk; } || \
		{ echo "make bench needs wrk, the load generator: sudo apt-get install -y wrk" >&2; exit 1; }
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py $(BENCH_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/import_meeting_guide.py

superuser: migrate
	$(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
