# Everything runs inside .venv, created on first use and installed from the lock files.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# requirements.lock pins the application's dependencies; requirements-test.lock adds the test
# extra on the same pins. Both carry hashes and hold for every platform and Python 3.11+.
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
UV_VERSION := 0.13.9
LOCK_ARGS ?=
COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: install test lint format check sandbox bench lock clean

# pip check catches a dependency added to pyproject.toml but not yet to the lock (make lock).
$(STAMP): pyproject.toml $(LOCK) $(TEST_LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r $(TEST_LOCK)
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m pip check
	@touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff format --check bot tests bench migrations
	$(VENV)/bin/ruff check bot tests bench migrations
	$(VENV)/bin/mypy --strict bot

format: $(STAMP)
	$(VENV)/bin/ruff format bot tests bench migrations
	$(VENV)/bin/ruff check --fix bot tests bench migrations

check: lint test

sandbox: $(STAMP)
	$(VENV)/bin/drs-bot sandbox

bench: $(STAMP)
	$(PY) bench/run_all.py

# Re-pin after changing dependencies in pyproject.toml; pins that still fit are kept.
# Newer versions: make lock LOCK_ARGS=--upgrade (or LOCK_ARGS="--upgrade-package NAME").
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q uv==$(UV_VERSION)
	$(COMPILE) pyproject.toml -o $(LOCK)
	$(COMPILE) --extra test --constraint $(LOCK) pyproject.toml -o $(TEST_LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
