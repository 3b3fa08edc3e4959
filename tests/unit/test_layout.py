"""The layout is the architecture: the core imports no Pulumi, front doors never each other."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import alicloud_versions

# A module does one job and stays under about 400 lines (STYLE.md); past this it does two.
LONGEST = 500


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
    # The package loads its modules on first use: these two reach every one of them.
    emulator = _loaded("alicloud_versions.emulator.__main__, alicloud_versions.emulator.process")
    assert [m for m in emulator if m.startswith("alicloud_versions.core")] == []
    for door in ("alicloud_versions.plugin._provider", "alicloud_versions.dynamic.webplus"):
        assert [m for m in _loaded(door) if m.startswith("alicloud_versions.emulator")] == []


def test_the_emulator_command_loads_only_what_serving_needs() -> None:
    """`python -m alicloud_versions.emulator` loads none of its spawner's side (`process`, with
    subprocess and urllib.request), which every emulator a test starts would pay for."""
    spawner = {"alicloud_versions.emulator.process", "subprocess", "urllib.request"}
    assert [m for m in _loaded("alicloud_versions.emulator.__main__") if m in spawner] == []


def test_the_emulator_package_gives_every_name_it_lists() -> None:
    """Each name in `alicloud_versions.emulator.__all__` is there, loaded on first use."""
    import alicloud_versions.emulator as emulator

    assert [name for name in emulator.__all__ if not hasattr(emulator, name)] == []


@pytest.mark.parametrize(
    ("entry", "unloaded"),
    [
        # Its parser, `--help` and `sweep` without `--stack` run without Pulumi.
        ("alicloud_versions.cli", ("pulumi", "alibabacloud_", "tenacity")),
        # Every provider process, and every program, until a call needs the SDK.
        ("alicloud_versions.plugin", ("alibabacloud_", "tenacity")),
        ("alicloud_versions.webplus", ("alibabacloud_", "tenacity")),
        ("alicloud_versions.servicecatalog", ("alibabacloud_", "tenacity")),
    ],
)
def test_an_entry_point_loads_what_only_a_call_needs_only_then(
    entry: str, unloaded: tuple[str, ...]
) -> None:
    """Importing the command, the plugin or a service module loads neither the cloud SDKs nor
    the retry library, nor, for the command, Pulumi: the SDKs and Pulumi each cost about a
    third of a CPU second that a run needing no call or no engine does not pay."""
    loaded = [m for m in _loaded(entry) if m.startswith(unloaded)]
    assert loaded == []


def test_recover_exports_each_name_from_the_module_its_type_checkers_see() -> None:
    """`alicloud_versions.recover` loads each public name on first use from the module its
    table names, the one its type-checking imports name too."""
    import ast
    import importlib

    from alicloud_versions import recover

    tree = ast.parse(Path(recover.__file__).read_text(encoding="utf-8"))
    checked = {
        alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names
    }
    assert recover.__all__ == sorted(checked)
    for name, home in checked.items():
        module = importlib.import_module(f"alicloud_versions.recover.{home}")
        assert getattr(recover, name) is getattr(module, name)


def _too_long() -> dict[str, int]:
    """Every module of the package longer than `LONGEST` lines, by its path in the package,
    generated ones included (the dynamic front door's typed classes, one module per resource)."""
    root = Path(alicloud_versions.__file__).parent
    lengths = {
        str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(root.rglob("*.py"))
    }
    return {name: lines for name, lines in lengths.items() if lines > LONGEST}


def test_no_module_is_over_500_lines() -> None:
    """No module of the package is longer than 500 lines."""
    assert _too_long() == {}


def test_recover_is_a_package_of_one_job_a_module() -> None:
    """recover's jobs (the export, Pulumi's markers, the engine, process forensics, locks, the
    backend's empty metadata files, evidence, steps, pending creates, the plan, fast mode) are
    each a module of `recover/`."""
    package = Path(alicloud_versions.__file__).parent
    found = {p.stem for p in (package / "recover").glob("*.py")} - {"__init__"}
    assert found == {
        "engine",
        "evidence",
        "export",
        "fast",
        "forensics",
        "locks",
        "markers",
        "messages",
        "pending",
        "preview",
        "sidecars",
        "steps",
    }
    assert not (package / "_recovery.py").exists() and not (package / "_evidence.py").exists()
