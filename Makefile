# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
DEV_ENV := DEBUG=true EIG_REQUIRE_2FA_FOR_PRIVILEGED=false
TEST_ENV := DJANGO_SETTINGS_MODULE=eig.settings_test
HISTORY := ../shared/data/eig-history

.PHONY: install run test worker lint messages chromium bench-outbox bench-install wrk scale-db seed-scale bench rush nginx rush-two-nodes

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed
	$(TEST_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput -v 0
	$(DEV_ENV) $(PY) manage.py import_eig_history $(HISTORY)
	$(DEV_ENV) $(PY) manage.py create_demo_accounts
	$(DEV_ENV) $(PY) manage.py load_demo_data
	@echo
	@echo "La plateforme EIG tourne sur http://127.0.0.1:8000/ (arrêt : Ctrl+C)"
	@echo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(PY) -m celery -A eig worker --beat --scheduler django_celery_beat.schedulers:DatabaseScheduler --loglevel=info

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de Chromium (paquet Debian) pour les tests de navigateur…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "Chromium n'a pas pu être installé : les tests de navigateur seront ignorés."; \
	else echo "Chromium absent et pas d'apt-get en root : les tests de navigateur seront ignorés."; fi

lint: install
	$(VENV)/bin/ruff check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

test: install chromium lint
	$(TEST_ENV) $(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

messages: install
	$(TEST_ENV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete

# Benchmarks (scripts, not tests) on the real services.
BENCH_ENV := DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eig_bench} REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9}

bench-outbox: install
	@psql -h 127.0.0.1 -U postgres -q -c "create database eig_bench" 2>/dev/null || true
	$(BENCH_ENV) $(PY) bench/outbox.py --reminders 10000 --workers 2

# The programme at scale (factor 10 by default) in its own PostgreSQL database,
# served by gunicorn with the bench settings (see docs/performance.md).
SCALE_DB ?= eig_scale
SCALE_FACTOR ?= 10
SCALE_ENV := DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(SCALE_DB) REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379/9}

$(VENV)/.bench-installed: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install --quiet ".[test,bench]"
	touch $@

bench-install: install $(VENV)/.bench-installed

wrk:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installation de wrk (paquet Debian) pour le banc d'essai des pages…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk est absent : apt-get install -y wrk (en root)."; exit 1; fi

# Creates, migrates and seeds the database once; later runs reuse it.
scale-db: bench-install
	@psql -h 127.0.0.1 -U postgres -q -c "create database $(SCALE_DB)" 2>/dev/null || true
	$(SCALE_ENV) $(PY) manage.py migrate --noinput -v 0
	$(SCALE_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(SCALE_ENV) $(PY) manage.py seed_scale --factor $(SCALE_FACTOR) --if-missing

# From scratch: new databases and new CV files (the seed's call closes a week after it).
seed-scale: bench-install
	psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $(SCALE_DB)" -c "drop database if exists $(SCALE_SMALL_DB)"
	rm -rf var/bench-media
	$(MAKE) --no-print-directory scale-db

# The same pages' queries are also counted at factor 1 (SCALE_SMALL_DB): equal counts, no N+1.
SCALE_SMALL_DB ?= $(SCALE_DB)_f1

bench: bench-install wrk scale-db
	@$(MAKE) --no-print-directory scale-db SCALE_DB=$(SCALE_SMALL_DB) SCALE_FACTOR=1
	$(SCALE_ENV) $(PY) bench/pages.py --compare-db $(SCALE_SMALL_DB)

rush: bench-install scale-db
	$(SCALE_ENV) $(PY) bench/rush.py

nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
		echo "Installation de nginx (paquet Debian) pour le banc à deux nœuds…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

# The rush across two web nodes behind nginx, uploads in a local S3-compatible bucket,
# the cache shared in Redis (docs/operations.md).
rush-two-nodes: bench-install scale-db nginx
	$(SCALE_ENV) CACHE_URL=$${BENCH_CACHE_URL:-redis://127.0.0.1:6379/8} $(PY) bench/rush.py --nodes 2 --s3 --candidates $${CANDIDATES:-400}
