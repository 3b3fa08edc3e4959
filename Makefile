# The two commands of the README: `make demo` (deploy the example stack on the local emulator)
# and `make test` (lint, type-check, every test on the real engine). Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PATH := $(CURDIR)/.tools/bin:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true

.PHONY: all setup venv engine demo test lint bench demo-down clean

all: test

setup: venv engine

venv: $(STAMP)

# Reinstalled when pyproject.toml changes, so a pulled dependency bump is never missed.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

engine: venv
	VENV=$(CURDIR)/$(VENV) scripts/install-pulumi

demo: setup
	$(BIN)/python scripts/demo.py

demo-down: venv
	$(BIN)/python scripts/demo.py --stop

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .tools .state
