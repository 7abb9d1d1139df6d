# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
DEV_ENV := DEBUG=true EIG_REQUIRE_2FA_FOR_PRIVILEGED=false
TEST_ENV := DJANGO_SETTINGS_MODULE=eig.settings_test
HISTORY := ../shared/data/eig-history

.PHONY: install run test worker lint messages chromium bench-outbox

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
