"""Shared fixtures: the engine is required, never skipped."""

from __future__ import annotations

import gc
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


@pytest.fixture(autouse=True)
def _collect_stopped_inline_programs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Collect, before each engine test, what an inline program stopped early by the engine in
    an earlier test left behind. The Automation API leaves such a program's event loop and its
    sockets open, in a thread that winds down after the command returned (`stacks.failing`
    collects what is already garbage by then); collected later, their ResourceWarnings would
    fail whichever test the collector happened to run in, not the one that made them."""
    if request.node.nodeid.startswith(_INLINE):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
    yield
