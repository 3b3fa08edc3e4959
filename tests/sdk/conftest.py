"""The generated Python SDK installed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sdk import nodejs_sdk
from tests.sdk.python_sdk import install


@pytest.fixture(scope="session")
def python_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdk/python installed by pip into a folder to put on PYTHONPATH."""
    return install(tmp_path_factory.mktemp("python-sdk"))


@pytest.fixture(scope="session")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """node_modules with @pulumi/pulumi, typescript and the SDK compiled under its npm name."""
    return nodejs_sdk.install(tmp_path_factory.mktemp("nodejs-sdk"))
