# The two commands of the README: `make demo` (deploy the example stack on the local emulator)
# and `make test` (lint, type-check, every test on the real engine). Both set everything up.
# `make test-fast` is the inner loop: the tests that need no engine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The exact versions of the development environment (and so of the engine); pyproject.toml has
# the ranges users get.
LOCK := constraints.txt

export PATH := $(CURDIR)/.tools/bin:$(PATH)
export PULUMI_SKIP_UPDATE_CHECK := true
# Python writes bytecode here even where the environment says not to (as container images often
# do): `make test` starts hundreds of Python processes (pytest and its workers, emulators,
# provider hosts, plugins), and without it each compiles the project's modules from source again
# (pytest's collection alone: 5.2 CPU s instead of 2.3, for each worker). `__pycache__/` is
# ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all setup venv engine demo test test-fast test-compat test-live lint lock bench demo-down clean generate

all: test

setup: venv engine

venv: $(STAMP)

# Reinstalled when pyproject.toml or the lock changes, so a pulled bump is never missed. pip
# installs uv at the lock's version, and uv the rest: on a fresh clone 37 s and 45 CPU s, where
# pip alone took 56 s and 54 CPU s. Bytecode is compiled at install, as pip does: without it,
# one of three fresh-clone runs of `make test` failed in CPython 3.11.7's "AST constructor
# recursion depth mismatch" (gh-106905) while pytest parsed a module for assertion rewriting,
# an error no run of a pip-installed environment had shown; the cause is not proven. All but
# NO_BYTECODE: the largest sources in the environment, which the tests hardly import (they are
# compiled when they are): pulumi-alicloud (67 MB of Python; one unit test imports a few of its
# modules) and what moto[server] brings through cfn-lint and never imports here (sympy, mpmath,
# networkx). Compiling the rest took 17 CPU s, where uv's --compile-bytecode of everything took
# 34 CPU s and 27 s (2026-12-03).
NO_BYTECODE := /site-packages/(pulumi_alicloud|sympy|mpmath|networkx|cfnlint)/
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(LOCK) uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c $(LOCK) -e '.[dev]'
	$(BIN)/python -m compileall -q -j 0 -x '$(NO_BYTECODE)' $(VENV)/lib/python3*/site-packages
	@touch $@

# Rewrites the lock from pyproject.toml, keeping its pins; LOCK_ARGS=--upgrade takes the newest.
lock: venv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --no-annotate --extra dev \
		--custom-compile-command 'make lock' $(LOCK_ARGS) pyproject.toml -o $(LOCK)

engine: venv
	VENV=$(CURDIR)/$(VENV) scripts/install-pulumi

demo: setup
	$(BIN)/python scripts/demo.py

demo-down: venv
	$(BIN)/python scripts/demo.py --stop

# The dynamic front door's typed modules and the tables in docs/, from the resource core's
# declarations (tests/unit/test_generated.py fails when they are out of date).
generate: venv
	$(BIN)/python scripts/generate.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# pytest-xdist workers: the tests are independent (each worker has its own emulators, accounts,
# backends and Pulumi homes under its own temporary directory). More workers than the two cores
# pay off where tests wait: an engine test spends much of its time on its child processes,
# sockets and the emulator's injected latency. On this project's 2-core machine, alternated on
# one afternoon (2026-12-03), the whole pytest took 7 min 50 s and 7 min 42 s on four workers,
# 8 min 15 s and 9 min 39 s on three, whose CPUs sat idle a third of the time, 8 min 7 s on five
# (more CPU seconds than on four: 800 against 712 to 719); `make test-fast` (no engine, no
# waiting) took 34 s on three, 40 s on two, 44 s on four.
TEST_WORKERS ?= 4
FAST_TEST_WORKERS ?= 3
# worksteal: a worker that runs out of tests takes some from the others. With `load`, one worker
# finished its share of quick tests after 133 s and sat idle for the other 13 minutes of the run.
TEST_DIST := --dist worksteal

# The live suite's steps share one run in order, so it runs on its own (xdist's xdist_group
# cannot keep them together: it renames tests through an attribute pytest 9.2 no longer reads),
# beside the compat runs (scripts/test-compat with COMPAT_MATRIX=ends: two fresh environments
# from PyPI, every lower bound on the oldest Python and the newest releases on the newest, the
# lifecycle tests in each; the two on the development Python that `make test-compat` adds sit
# between these ends and this pytest's own, and cost about 60 of the run's 1,000 CPU seconds).
# Both start with pytest, under `nice`: the compat environments are built (mostly waiting on the
# package index), then their runs and the live suite take the CPU the main run leaves idle while
# its tests wait, and what is left of them runs at full speed once it ends. In two back-to-back
# pairs on 2026-12-03 (four workers, warm venv, all four compat runs), the whole target took
# 9 min 36 s and 9 min 30 s with them beside pytest, 10 min 37 s and 9 min 44 s with them after it
# (the CPUs idle 88 and 111 s against 204 and 153 s, for about the same CPU seconds). Their logs
# are printed after the main run's; a failure of any fails `make test`.
BACKGROUND_NICE ?= 10
test: setup lint
	@mkdir -p .venv-compat
	@PYTHON=$(PYTHON) COMPAT_MATRIX=ends nice -n $(BACKGROUND_NICE) scripts/test-compat \
		>.venv-compat/compat.log 2>&1 & \
	compat=$$!; \
	nice -n $(BACKGROUND_NICE) $(BIN)/pytest tests/live >$(VENV)/live.log 2>&1 & \
	live=$$!; \
	$(BIN)/pytest -n $(TEST_WORKERS) $(TEST_DIST) --ignore=tests/live; status=$$?; \
	wait $$compat; compat=$$?; \
	cat .venv-compat/compat.log; \
	wait $$live; live_status=$$?; \
	cat $(VENV)/live.log; \
	exit $$(( status || compat || live_status ))

# Unit, emulator and contract tests, leaving out the few that need the engine (marked `engine`):
# under a minute on two cores. `make test` runs these too.
test-fast: venv
	$(BIN)/pytest -n $(FAST_TEST_WORKERS) $(TEST_DIST) -m 'not engine' tests/unit tests/emulator tests/contract

# The live suite (tests/live) against real Alibaba Cloud: an access key, a region and an OSS
# package from the environment (docs/testing.md, "The live suite"); it fails at once without them.
# `make test` runs the same suite against the emulator with its controls off.
test-live: setup
	ALICLOUD_VERSIONS_LIVE=1 $(BIN)/pytest tests/live

# The end-to-end lifecycle at both ends of the dependency and Python ranges, and both ends of the
# dependencies on the development Python (scripts/test-compat, all four environments).
test-compat: setup
	PYTHON=$(PYTHON) scripts/test-compat

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .venv-compat .tools .state

.PHONY: sdk plugin-install

# sdk/nodejs, sdk/go and sdk/python from the plugin's schema, by Pulumi's own code generators
# (scripts/gen-sdk, built with Go from the engine's pkg/v3; tests/sdk fails when they are stale).
sdk: venv
	$(BIN)/python scripts/gen_sdk.py

# The provider plugin into the engine's plugin cache ($PULUMI_HOME/plugins), running this
# virtual environment's Python: programs find it with no PATH entry (`alicloud-versions plugin
# install` does the same from any environment the package is installed in).
plugin-install: setup
	$(BIN)/alicloud-versions plugin install
