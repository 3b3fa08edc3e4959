"""The layout is the architecture: the core imports no Pulumi, front doors never each other."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _loaded(module: str) -> list[str]:
    """Every module a fresh interpreter has loaded after importing `module`."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return list(json.loads(done.stdout))


def test_the_core_imports_no_pulumi() -> None:
    """The resource core, with every kind, loads without the Pulumi SDK."""
    loaded = _loaded("alicloud_versions.core")
    assert [m for m in loaded if m == "pulumi" or m.startswith("pulumi.")] == []


@pytest.mark.parametrize(
    ("door", "other"),
    [
        ("alicloud_versions.plugin._provider", "alicloud_versions.dynamic"),
        ("alicloud_versions.dynamic.webplus", "alicloud_versions.plugin"),
        ("alicloud_versions.cli", "alicloud_versions.dynamic"),
        ("alicloud_versions.cli", "alicloud_versions.plugin"),
    ],
)
def test_front_doors_never_import_each_other(door: str, other: str) -> None:
    """The plugin, the dynamic front door and the command each reach only the core."""
    assert [m for m in _loaded(door) if m == other or m.startswith(other + ".")] == []


def test_the_emulator_and_the_provider_never_import_each_other() -> None:
    """The emulator stands on its own, and no front door loads it."""
    emulator = _loaded("alicloud_versions.emulator")
    assert [m for m in emulator if m.startswith("alicloud_versions.core")] == []
    for door in ("alicloud_versions.plugin._provider", "alicloud_versions.dynamic.webplus"):
        assert [m for m in _loaded(door) if m.startswith("alicloud_versions.emulator")] == []
