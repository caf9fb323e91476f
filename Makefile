# Two commands: `make demo` sets up and serves the platform; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: demo serve test test-fast check lint types bench system-deps assets clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Test processes (pytest-xdist): one per core; `make test TEST_WORKERS=0` runs in this process.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

PORT ?= 8000
demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py send_meeting_reminders
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the tests need: Chromium for browser tests, Pango and fonts for WeasyPrint PDFs.
# Installed when missing and we are root (CI, fresh machines).
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! ldconfig -p | grep -q libpangoft2-1.0; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null) \
	      || echo "Could not install $(SYSTEM_PACKAGES): browser and PDF tests will fail."; \
	  else echo "Missing system packages: run 'sudo apt-get install $(SYSTEM_PACKAGES)'."; fi; \
	fi

test: $(STAMP) system-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(TEST_WORKERS) --durations=25

# The inner loop: everything but the browser tests.
test-fast: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(TEST_WORKERS) -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

check: lint types
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test

bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest bench --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name

assets:
	bash assets/build.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
