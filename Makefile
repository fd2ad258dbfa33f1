# Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint format check sandbox bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
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

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
