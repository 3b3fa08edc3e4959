"""The generated SDKs, built once per content (tests/support/build_cache.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sdk import nodejs_sdk
from tests.sdk.python_sdk import install


@pytest.fixture(scope="session")
def python_sdk() -> Path:
    """sdk/python installed by pip into a folder to put on PYTHONPATH."""
    return install()


@pytest.fixture(scope="session")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """node_modules with @pulumi/pulumi, typescript and the SDK compiled under its npm name, in
    a folder of this session's own (tests write beside it)."""
    return nodejs_sdk.install(tmp_path_factory.mktemp("nodejs-sdk"))
