# The two commands: `make demo` and `make test`. Both work from a fresh clone, again and again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev
# The demo's links (QR codes, e-mails, calendar feeds) point where it is served, unless SITE_URL
# is set; seed_demo renders the demo certificates again when that address changed.
demo seed serve: export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: demo test install system-deps js-deps migrate seed serve lint check messages bench bench-cluster clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

seed: migrate js-deps
	$(BIN)/python manage.py seed_demo

serve:
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

demo: seed
	@echo "Sitio de demostración: http://127.0.0.1:$(PORT)/  (administración: http://127.0.0.1:$(PORT)/admin/; enlaces: $$SITE_URL)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the tests use (browser, PDF text and QR tools); installed when missing and possible.
system-deps:
	@bash scripts/system-deps.sh

# From the npm registry: the JSON-LD contexts of the verifiable credentials (npm's postinstall
# exports them to node_modules/.credential-contexts.json), axe-core for the accessibility tests and
# the independent credential verifier the tests run.
js-deps: node_modules/.credential-contexts.json
node_modules/.credential-contexts.json: package.json package-lock.json scripts/credential-contexts.cjs
	@if command -v npm >/dev/null; then npm install --silent --no-audit --no-fund; else echo "npm missing: no credentials, accessibility and credential tests will fail"; fi

test: install system-deps js-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Strings of lms/ and templates/ live in locale/; every other app keeps its own <app>/locale/.
APPS_WITH_LOCALE := courses assessments workshops certificates reports offline privacy community hosted_media
messages: install
	$(BIN)/python manage.py makemessages -l es -l en --no-obsolete --no-location --ignore=.venv --ignore=node_modules \
	  --ignore=tests --ignore=bench $(foreach app,$(APPS_WITH_LOCALE),--ignore=$(app))
	for app in $(APPS_WITH_LOCALE); do \
	  (cd $$app && ../$(BIN)/python ../manage.py makemessages -l es -l en --no-obsolete --no-location); done
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

bench: install
	@bash scripts/system-deps.sh bench
	$(BIN)/python bench/run.py

# The scale-out deployment on one host (tests/cluster/harness.py) under the Moodle-S-like scenario.
bench-cluster: install
	@bash scripts/system-deps.sh bench
	$(BIN)/python bench/cluster.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles node_modules
