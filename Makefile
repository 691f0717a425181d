# The two commands: `make run` and `make test`. Everything installs into .venv and node_modules.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CSS := static/css/register.css
DEMO_ENTRIES ?= 300

.PHONY: run test install assets lint format clean

run: install assets
	REGISTER_ENV=development $(FLASK) db upgrade
	REGISTER_ENV=development $(FLASK) register demo-data --entries $(DEMO_ENTRIES) --if-empty
	REGISTER_ENV=development $(FLASK) run --host 127.0.0.1 --port 5000

test: install assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(PY_STAMP)

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(CSS)

$(CSS): $(NODE_STAMP) $(wildcard static/src/*.scss)
	rm -rf static/govuk
	mkdir -p static/govuk static/css
	cp -R node_modules/govuk-frontend/dist/govuk/assets static/govuk/assets
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/govuk/
	node_modules/.bin/sass --quiet --load-path=node_modules --style=compressed --no-source-map \
		static/src/register.scss $(CSS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/govuk static/css
