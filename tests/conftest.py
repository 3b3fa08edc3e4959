"""Shared fixtures: the engine is required, never skipped."""

from __future__ import annotations

import gc
import importlib.util
import os
import sys
import warnings
from collections.abc import Iterator

import pytest

# Test folders that run inline Pulumi programs through the Automation API; every test in them
# drives the engine.
_INLINE = ("tests/e2e/", "tests/live/", "tests/reliability/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `engine` every test of the engine folders (others mark themselves), and put the
    engine tests, the slow ones, first (the longest, reliability's, before the rest), so that
    parallel workers end together on the quick ones rather than on a slow tail."""
    for item in items:
        if item.nodeid.startswith(_INLINE):
            item.add_marker(pytest.mark.engine)
    # Stable: the reliability tests (the longest), the other engine tests, then the rest.
    items.sort(
        key=lambda item: (
            item.get_closest_marker("engine") is None,
            not item.nodeid.startswith("tests/reliability/"),
        )
    )


@pytest.fixture(scope="session")
def kms_secrets() -> Iterator[None]:
    """The stacks made from here on encrypt their secrets under a KMS key on moto's server on
    loopback (tests/support/aws.py), not a passphrase: the passphrase provider derives its key
    (PBKDF2, a million rounds) in every `pulumi` command that reads or writes a secret, 0.19
    CPU s each, about a tenth of the engine tests' CPU. The engine encrypts and decrypts
    secrets the same way under either; the README's own-project and demo tests keep the
    passphrase, as users of a file backend do.

    The server runs on this Python when it has moto, else on the one MOTO_PYTHON names (the
    compat runs, whose environments have the test extra only, name the development one), else
    the stacks keep the passphrase."""
    python = sys.executable if importlib.util.find_spec("moto") else os.environ.get("MOTO_PYTHON")
    if not python:
        yield
        return
    from tests.support.aws import MotoProcess
    from tests.support.engine import secrets_provider, use_secrets_provider

    server, before = MotoProcess(python).start(), secrets_provider()
    use_secrets_provider(server.secrets_provider())
    yield
    use_secrets_provider(before)
    server.stop()


@pytest.fixture(autouse=True)
def _engine_stack_secrets(request: pytest.FixtureRequest) -> None:
    """Engine tests' stacks under the session's KMS key (`kms_secrets`); the others start no
    server."""
    if request.node.get_closest_marker("engine"):
        request.getfixturevalue("kms_secrets")


def _collect_inline_program_garbage() -> None:
    """Collect now, ResourceWarnings ignored, what inline programs left (below)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish() -> None:
    """Collect what the last engine test's inline programs left before the terminal summary,
    where hypothesis's plugin imports its modules and pytest parses each for assertion
    rewriting. Once, at the end of a compat run on CPython 3.11.7, that parse failed with "AST
    constructor recursion depth mismatch" (gh-106905: an error inside the AST constructor skips
    a decrement); an error from a finalizer of that garbage, collected during the parse, is the
    likely cause, not a proven one."""
    _collect_inline_program_garbage()


@pytest.fixture(autouse=True)
def _collect_stopped_inline_programs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect, before each engine test, what an inline program stopped early by the engine in
    an earlier test left behind. The Automation API leaves such a program's event loop and its
    sockets open, in a thread that winds down after the command returned (`stacks.failing`
    collects what is already garbage by then); collected later, their ResourceWarnings would
    fail whichever test the collector happened to run in, not the one that made them."""
    if request.node.nodeid.startswith(_INLINE):
        _collect_inline_program_garbage()
    yield
