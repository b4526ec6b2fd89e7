# Two entry points for a fresh machine: `make demo` and `make test`.
# Both build the virtual environment and install the Debian packages they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# libzbar0: a QR decoder; socat, xvfb: test servers; fonts-noto-cjk: Chinese on screen, on receipts and in
# screenshots; the libxcb*/libxkbcommon*/libegl1 set: what Qt's xcb platform plugin loads on a desktop.
DEBS   := libzbar0 socat xvfb xauth fonts-noto-cjk libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 \
          libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 \
          libgl1 libfontconfig1 libdbus-1-3
SHOTS  := demo-screenshots

.PHONY: demo test lint layers typecheck pytest bench translations deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)
	@bash scripts/ensure-debs.sh $(DEBS)

# With a display: the counter window and its demo panel. Without one (a headless machine, CI): the
# shipped demo script runs offscreen and leaves a PNG of each screen in $(SHOTS)/.
demo: deps
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(PY) -m terminal demo; \
	else \
		QT_QPA_PLATFORM=offscreen $(PY) -m terminal demo --script config/demo-script.json --screenshot $(SHOTS) \
		&& echo "No display here: the scripted demo ran offscreen; its screenshots are in $(CURDIR)/$(SHOTS)/"; \
	fi

lint: deps
	$(VENV)/bin/ruff check terminal tests bench scripts

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
