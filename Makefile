# The commands README shows. `make run` and `make test` set everything up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PORT ?= 5000
# Every command here is for a development machine: without it, the app starts in production
# mode, which refuses to start without SECRET_KEY and SITE_URL (README, Production).
export PORTAL_ENV ?= development

.PHONY: run test install db i18n-update i18n-check i18n-compile lint bench prodcheck clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

i18n-compile: $(STAMP)
	$(FLASK) translations compile

# Create or migrate the database (SQLite under instance/ unless DATABASE_URL is set), load content/.
db: i18n-compile
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) load-content

# The site and one message worker beside it: messages go to instance/outbox/ (.eml, .txt).
run: db
	$(FLASK) messages work --poll 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --port $(PORT)

test: i18n-check
	$(BIN)/pytest

i18n-update: $(STAMP)
	$(FLASK) translations update

i18n-check: i18n-compile
	$(FLASK) translations check

lint: $(STAMP)
	$(BIN)/ruff check .

bench: i18n-compile
	$(BIN)/python -m tests.benchmarks $(ARGS)
	# Without ARGS, the participation benchmarks too (each prints its own table).
	test -n "$(ARGS)" || $(BIN)/python -m tests.benchmarks.messages
	test -n "$(ARGS)" || $(BIN)/python -m tests.benchmarks.events
	test -n "$(ARGS)" || $(BIN)/python -m tests.benchmarks.consultations
	test -n "$(ARGS)" || $(BIN)/python -m tests.benchmarks.contributions

# The production check (README, Production): nginx, two gunicorn servers, PostgreSQL, Redis.
# Needs nginx, redis-server and a local PostgreSQL; not part of `make test` (it is heavy).
prodcheck: i18n-compile
	$(BIN)/python deploy/check.py

clean:
	rm -rf $(VENV) instance/portal.db translations/*/LC_MESSAGES/*.mo
