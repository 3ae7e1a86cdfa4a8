# RegionMall: `make run` serves the demo region, `make test` runs the whole suite.
# Needs only Python 3.11 and the package registries (SQLite and in-process defaults).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 8
BACKPRESSURE ?= 128

.PHONY: setup run serve test lint migrate demo clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

setup: $(BIN)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py print_demo_logins --base-url http://$(HOST):$(PORT)
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
		--blocking-threads $(THREADS) --backpressure $(BACKPRESSURE) \
		--static-path-route /static --static-path-mount var/static \
		--static-path-route /media --static-path-mount var/media \
		regionmall.wsgi:application

lint: setup
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
