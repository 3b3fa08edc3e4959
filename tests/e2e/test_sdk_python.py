"""The generated Python SDK (sdk/python) on the real engine: typed resources served by the
provider plugin, beside the dynamic front door."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.e2e.sdk_lifecycle import PROGRAMS, driver, run_lifecycle, sdk_project
from tests.sdk.python_sdk import install
from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess


@pytest.fixture(scope="module")
def python_sdk() -> Path:
    return install()


def test_python_sdk_program_lifecycle(
    tmp_path: Path, python_sdk: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A program on the generated Python SDK through the installed plugin: the whole lifecycle
    of `run_lifecycle`, `pulumi import` included, with no PATH entry for the plugin and no
    download."""
    project = sdk_project(tmp_path, "python")
    path = os.pathsep.join([str(python_sdk), project.env.get("PYTHONPATH", "")])
    drive = driver(
        project, [sys.executable, str(PROGRAMS / "python" / "main.py")], {"PYTHONPATH": path}
    )
    run_lifecycle(project, drive, emulator_process, account)
