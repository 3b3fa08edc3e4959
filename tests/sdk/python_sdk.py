"""The generated Python SDK installed as a user installs it, once per content."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.build_cache import built, content_key
from tests.support.engine import ROOT

SOURCES = ROOT / "sdk" / "python"


def install() -> Path:
    """A folder holding sdk/python installed by pip (its package metadata is how the SDK knows
    its version), to put on PYTHONPATH and never write into: built once per SDK, interpreter and
    pip into the per-user cache (pip builds a wheel in an isolated environment, several CPU
    seconds). pip compiles its bytecode, so importing it writes nothing."""
    key = content_key([SOURCES], sys.version, importlib.metadata.version("pip"))
    return built("python-sdk", key, _pip_install) / "site"


def _pip_install(into: Path) -> None:
    """sdk/python installed by pip into `into`/site, built from a copy so sdk/ stays as
    generated."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "src"
        shutil.copytree(SOURCES, source)
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"),
                *("--target", str(into / "site"), str(source)),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
