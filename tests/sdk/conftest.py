"""The generated Python SDK installed as a user installs it, once per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.engine import ROOT


@pytest.fixture(scope="session")
def python_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding sdk/python installed by pip (its package metadata is how the SDK
    knows its version): put it on PYTHONPATH. Built from a copy, so sdk/ stays as generated."""
    work = tmp_path_factory.mktemp("python-sdk")
    shutil.copytree(ROOT / "sdk" / "python", work / "src")
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
        + ["--target", str(target), str(work / "src")],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return target
