"""`alicloud-versions --version` names the installed distribution's version, the one
pyproject.toml declares and CHANGELOG.md describes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]


def test_version_flag_prints_the_declared_version() -> None:
    """The command answers `--version` with pyproject's version, and the changelog has it."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = subprocess.run(
        [sys.executable, "-m", "alicloud_versions.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == f"alicloud-versions {declared}"
    assert f"## [{declared}]" in (ROOT / "CHANGELOG.md").read_text()
