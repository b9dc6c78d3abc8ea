# Two commands for a new user: `make run` (install, then start the web UI, offline) and
# `make test` (install with test extras, check the import layers, then run the tests). CI runs
# `make test` too.
PYTHON ?= python3
# `make chat` names its catalog: with several, the command line never picks one for you.
CATALOG ?= boutique
VENV := .venv
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

.PHONY: install run chat test bench screenshot
install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/motive ui

chat: $(STAMP)
	$(VENV)/bin/motive chat --catalog $(CATALOG)

# The layers first (pyproject.toml's [tool.importlinter]: apps > ui > graph > tools > agent), then the suite.
test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(VENV)/bin/motive bench

# Refresh the README's picture of the page (the browser test takes it).
screenshot: $(STAMP)
	MOTIVE_SCREENSHOT=docs $(VENV)/bin/pytest tests/test_ui_browser.py
