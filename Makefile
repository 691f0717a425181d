# The two commands: `make run` and `make test`. Everything installs into .venv and node_modules.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CSS := static/css/register.css
DEMO_ENTRIES ?= 300
# Tests run in one process per core (pytest-xdist); PYTEST_ARGS=-n0 runs them in one. Each
# process starts with an even share of the tests and takes more from the others when it runs
# out, so no core waits while the other works through the browser and reliability tests.
PYTEST_ARGS ?= -n auto --dist worksteal
# Bytecode is kept, under .venv, even where the environment turns it off: otherwise every
# test process (and every server a test starts) compiles the register and rewrites each test
# module's asserts again, which costs more than a third of a worker's start.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache

.PHONY: run test install assets translations compile-translations lint format clean bench

run: install assets compile-translations
	REGISTER_ENV=development $(FLASK) db upgrade
	REGISTER_ENV=development $(FLASK) register demo-data --entries $(DEMO_ENTRIES) --if-empty
	REGISTER_ENV=development $(FLASK) register build-documents
	REGISTER_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

test: install assets compile-translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive register/
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

install: $(PY_STAMP)

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

GOVUK_JS := static/govuk/govuk-frontend.min.js

assets: $(CSS) $(GOVUK_JS)

# Only GOV.UK Frontend's JavaScript is copied: the register uses Arial rather than GDS Transport
# and none of GOV.UK's images, so none of its fonts, icons or crown images are served. The
# folder is emptied first so files from an older build do not linger.
$(GOVUK_JS): $(NODE_STAMP) Makefile
	rm -rf static/govuk
	mkdir -p static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

$(CSS): $(NODE_STAMP) Makefile $(wildcard static/src/*.scss)
	mkdir -p static/css
	node_modules/.bin/sass --quiet-deps --load-path=node_modules --style=compressed --no-source-map \
		static/src/register.scss $@

# English and Welsh (docs/translation.md). `make translations` gathers every wrapped text into
# messages.pot and adds the new ones to each language's catalogue, for a translator to fill
# in; `make run` and `make test` compile the catalogues (.po) into what the register reads
# (.mo, never committed).
TRANSLATIONS := register/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)

translations: install
	$(BIN)/pybabel extract --mapping-file=babel.cfg --no-wrap --sort-by-file \
		--project="Public Sector AI Register" --copyright-holder="Public Sector AI Register" \
		--output-file=$(TRANSLATIONS)/messages.pot . >/dev/null
	$(BIN)/pybabel update --input-file=$(TRANSLATIONS)/messages.pot --output-dir=$(TRANSLATIONS) \
		--no-wrap --ignore-obsolete --locale=cy

compile-translations: $(CATALOGUES:.po=.mo)

%.mo: %.po | $(PY_STAMP)
	$(BIN)/pybabel compile --statistics --input-file=$< --output-file=$@

# The register at 100,000 entries beside Datasette (bench/README.md): make bench BENCH_ARGS="--entries 10000"
BENCH_ARGS ?=

bench: install assets
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/govuk static/css $(CATALOGUES:.po=.mo)
