# Two entry points for a fresh machine: `make demo` and `make test`.
# Both build the virtual environment and install the Debian packages they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEBS   := libzbar0 socat xvfb

.PHONY: demo test lint layers typecheck pytest bench translations deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)
	@bash scripts/ensure-debs.sh $(DEBS)

demo: deps
	$(PY) -m terminal demo

lint: deps
	$(VENV)/bin/ruff check terminal tests bench

layers: deps
	$(VENV)/bin/lint-imports

typecheck: deps
	$(VENV)/bin/mypy terminal

pytest: deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

test: lint layers typecheck pytest

bench: deps
	$(PY) -m bench

# Refresh terminal/ui/i18n: the .ts, the core sentence templates, the .qm (the script's --check only reports).
translations: deps
	$(PY) scripts/translations.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
