# Two entry points for a fresh machine: `make demo` and `make test`.
# Both build the virtual environment and install the Debian packages they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# libzbar0: a QR decoder; fonts-noto-cjk: Chinese on screen, on receipts and in screenshots; the
# libxcb*/libxkbcommon*/libegl1 set: what Qt's xcb platform plugin loads on a desktop. These are also the
# Debian package's Depends (make deb). socat, xvfb: test servers, for this machine only.
RUNTIME_DEBS := libzbar0 fonts-noto-cjk libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 \
          libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 \
          libgl1 libfontconfig1 libdbus-1-3
DEBS   := $(RUNTIME_DEBS) socat xvfb xauth
SHOTS  := demo-screenshots
VERSION    := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)
# The package's version; `make deb DEB_VERSION=0.1.0-2` builds another (the upgrade test does).
DEB_VERSION ?= $(VERSION)-1
WHEEL  := dist/counter_terminal-$(VERSION)-py3-none-any.whl

.PHONY: demo test lint layers typecheck pytest bench translations deps clean wheel deb test-long runtime-debs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)
	@bash scripts/ensure-debs.sh $(DEBS)

# With a display: the counter window and its demo panel. Without one (a headless machine, CI): the
# shipped demo script runs offscreen and leaves a PNG of each screen in $(SHOTS)/ (emptied first, so the
# folder holds this run's screens only, numbered in order).
demo: deps
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(PY) -m terminal demo; \
	else \
		rm -rf $(SHOTS) && QT_QPA_PLATFORM=offscreen $(PY) -m terminal demo --script config/demo-script.json --screenshot $(SHOTS) \
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

# The application's wheel: the code, the shipped data (config/, as terminal/shipped) and the translations.
# Order-only on the environment: building needs pip, not an up-to-date development install.
wheel: | $(STAMP)
	rm -rf build/lib build/bdist.* $(WHEEL)
	$(PY) -m pip wheel --quiet --disable-pip-version-check --no-deps --wheel-dir dist .

# The Debian package (docs/install.md): the wheel, a wheelhouse of its dependencies for Debian 12's Python,
# units, udev rules and maintainer scripts, packed by dpkg-deb. Needs PyPI (or pip's cache) for the wheelhouse.
deb: wheel
	$(PY) scripts/build_deb.py --wheel $(WHEEL) --depends "$(RUNTIME_DEBS)" --version $(DEB_VERSION) --out dist

# The package installed, upgraded, removed and purged in a Debian 12 chroot (debootstrap, as root; the
# chroot is cached in .cache/chroot/). Minutes, not seconds: never part of `make test`.
test-long: deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --long -m long

runtime-debs:
	@echo $(RUNTIME_DEBS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis build dist
