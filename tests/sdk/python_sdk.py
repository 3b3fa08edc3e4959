"""The generated Python SDK installed as a user installs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.engine import ROOT


def install(work: Path) -> Path:
    """A folder under `work` holding sdk/python installed by pip (its package metadata is how
    the SDK knows its version): put it on PYTHONPATH. Built from a copy, so sdk/ stays as
    generated."""
    shutil.copytree(ROOT / "sdk" / "python", work / "src")
    target = work / "site"
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"),
            *("--target", str(target), str(work / "src")),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return target
