# Two commands for a newcomer: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Tests and checks never need a real secret; `make run` generates its own (see .dev-secret).
TEST_ENV := DJANGO_SECRET_KEY=test-only-not-a-secret DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0

.PHONY: setup run demo serve test test-fast lint api-lint check-migrations messages deid-eval bench bench-scale load audit bandit lock clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

.dev-secret:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > .dev-secret

# DEMO=0 leaves the demo out; it is loaded once (loading again changes nothing).
DEMO ?= 1
run: setup .dev-secret
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat .dev-secret)" $(BIN)/python manage.py migrate --no-input
	@if [ "$(DEMO)" != "0" ]; then DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat .dev-secret)" $(BIN)/python manage.py demo_load; fi
	@echo
	@echo "her2-board: research and training use only; not for clinical decisions."
	@echo "Your own login:  DJANGO_DEBUG=1 DJANGO_SECRET_KEY=\"\$$(cat .dev-secret)\" $(BIN)/python manage.py createsuperuser"
	@echo
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat .dev-secret)" $(BIN)/python manage.py runserver 127.0.0.1:8000

demo: setup .dev-secret
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat .dev-secret)" $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat .dev-secret)" $(BIN)/python manage.py demo_load

# Production-style serving: gunicorn with gunicorn.conf.py. Needs the production environment
# (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, ...; see README), and collectstatic.
serve: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input
	$(BIN)/gunicorn config.wsgi:application

test: setup
	$(TEST_ENV) $(BIN)/pytest -q

# Everything but the `slow` and `browser` tests: the lane to run while working.
test-fast: setup
	$(TEST_ENV) $(BIN)/pytest -q -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The OpenAPI schema through Redocly's recommended rules and Spectral's spectral:oas, from the
# versions pinned in tools/package-lock.json (npm ci); either one's error fails.
API_SCHEMA := tools/build/schema.yaml
api-lint: setup tools/node_modules/.installed
	mkdir -p tools/build
	$(TEST_ENV) $(BIN)/python manage.py spectacular --fail-on-warn --file $(API_SCHEMA)
	cd tools && npx --no-install redocly lint --config redocly.yaml --format summary build/schema.yaml
	cd tools && npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity error build/schema.yaml

tools/node_modules/.installed: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund
	touch tools/node_modules/.installed

check-migrations: setup
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# The translation catalogue: extract every marked string with Babel, merge it into
# locale/*/LC_MESSAGES/django.po and compile the .mo (committed; no system gettext needed).
messages: setup
	$(TEST_ENV) $(BIN)/python manage.py messages

# Recall per identifier category and prose accepted, on the shared and the project's corpora.
deid-eval: setup
	$(TEST_ENV) $(BIN)/python manage.py deid_eval tests/data/shared/deid/dev-corpus.json tests/data/deid-corpus.json tests/data/security-review-2-deid.json

bench: setup
	$(TEST_ENV) $(BIN)/python benchmarks/run_all.py

# A million stored cases on PostgreSQL (database her2_scale, made afresh): the bulk import,
# lists, case page and evaluate under wrk at 16 connections, the cohort dashboard. Minutes;
# not part of test (needs wrk and PostgreSQL on 127.0.0.1:5432).
bench-scale: setup
	$(BIN)/python benchmarks/scale.py

# 60 s at 16 and 64 connections (wrk, haproxy: apt-get install wrk haproxy) against one
# gunicorn, then two behind HAProxy, on PostgreSQL
# (127.0.0.1:5432); not part of test.
load: setup
	$(BIN)/python benchmarks/load.py

# High-severity bandit findings (CI runs this).
bandit: setup
	$(BIN)/bandit -q -r core cases rules board config -lll

# Known vulnerabilities in the locked dependencies: needs PyPI's JSON API (or OSV) online.
audit: setup
	$(BIN)/pip-audit --strict --progress-spinner off -r requirements.lock

# Regenerate the pinned lock after changing pyproject.toml.
lock:
	rm -rf /tmp/her2-lock-venv && $(PYTHON) -m venv /tmp/her2-lock-venv
	/tmp/her2-lock-venv/bin/pip install --quiet ".[dev]"
	/tmp/her2-lock-venv/bin/pip freeze --exclude-editable | grep -v '^her2-board' > requirements.lock

clean:
	rm -rf $(VENV) staticfiles
