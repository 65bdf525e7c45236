# The two set-up commands of the README. Each one installs what it needs, then runs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: run test system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Main job on the embedded catalogue (courses/): check it, then build every package.
run: $(BIN)/python
	$(PIP) -e .
	$(BIN)/coursepack validate
	$(BIN)/coursepack build --out dist

# Debian's Chromium (never a downloaded browser), php-cli to lint the Moodle plugin, Node for the
# player's unit tests and ESLint, and the npm packages the browser tests and ESLint use.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v php >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium php-cli nodejs npm >/dev/null; fi
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error

# Everything the tests need, then the whole suite.
test: $(BIN)/python system-deps
	$(PIP) -e '.[test]'
	$(BIN)/ruff check packager tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest
