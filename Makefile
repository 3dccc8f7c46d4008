# The two commands of the README: `make run` and `make test`.
# Only Python 3.11+ is needed; everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install lint format translations messages clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)." % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(MANAGE) compile_translations

run: translations
	$(MANAGE) retire_old_database
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@$(MANAGE) demo_logins
ifdef REDIS_URL
	$(BIN)/honcho -f Procfile.dev start
else
	$(MANAGE) runserver 127.0.0.1:8000
endif

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: translations lint
	$(BIN)/python -m pytest -n 2 --ignore=tests/e2e $(PYTEST_ARGS)
	@# The browser tests in one process: one browser, one live server, one demo world.
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# Extract new strings into locale/*/LC_MESSAGES/django.po (needs GNU gettext).
# makemessages drops the formal-German overrides of allauth's texts; msgcat puts them back.
messages: install
	$(MANAGE) makemessages -l de -l en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*'
	msgcat --use-first -o locale/de/LC_MESSAGES/django.po locale/de/LC_MESSAGES/django.po locale/de/LC_MESSAGES/allauth_formal.po.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
