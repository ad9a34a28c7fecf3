# Sociale Kaart — the two quick-start commands are `make serve` and `make test`.
# Both set everything up themselves (a .venv, Python packages, front-end files from npm).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: setup serve build check test browser faketime clean help beheer

help: ## show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --silent --no-audit --no-fund
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install everything
	@# byte-compile our sources (also where PYTHONDONTWRITEBYTECODE is set): every kaart command starts ~50 ms sooner
	@$(BIN)/python -m compileall -q scripts

serve: setup ## build the site and serve it on http://127.0.0.1:8000
	$(BIN)/kaart serve

BEHEER_PORT ?= 8081
SITE_PORT   ?= 8000

beheer: setup ## web editor on this checkout: http://127.0.0.1:8000/beheer/ (writes into data/, no GitHub)
	$(BIN)/kaart build --out site
	$(BIN)/kaart beheer-config --local $(BEHEER_PORT) --site site
	@echo "Webeditor: http://127.0.0.1:$(SITE_PORT)/beheer/  (wijzigingen komen direct in data/; controleer met 'kaart check')"
	@trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	  PORT=$(BEHEER_PORT) BIND_HOST=127.0.0.1 GIT_REPO_DIRECTORY="$(CURDIR)" node node_modules/decap-server/dist/index.js & server=$$!; \
	  $(BIN)/python -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory site

build: setup ## build the public site into site/
	$(BIN)/kaart build

check: setup ## validate data/
	$(BIN)/kaart check

browser: ## install Debian chromium for the browser tests (needs root)
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium ontbreekt: installeer het met 'sudo apt-get install -y chromium'" >&2; exit 1; fi; }

faketime: ## install Debian faketime: the reproducibility test builds a second time under another system clock (needs root)
	@command -v faketime >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq faketime >/dev/null; \
	  else echo "faketime ontbreekt: installeer het met 'sudo apt-get install -y faketime'" >&2; exit 1; fi; }

test: setup browser faketime ## run the whole test suite (unit, build, browser, accessibility)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

clean: ## remove build output and the venv
	rm -rf site .build $(VENV) node_modules
