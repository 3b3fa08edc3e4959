"""`alicloud-versions plugin install` on the real engine: the plugin where the engine looks for
it, found with no PATH entry, no warning and no download."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from alicloud_versions import __version__
from tests.e2e.test_plugin import CREATED, PLUGIN, _counts
from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import TOOLS
from tests.support.plugin import (
    EXAMPLE,
    VENV_BIN,
    account_plugin_config,
    search_path,
    yaml_project,
)


def install_plugin(env: dict[str, str]) -> str:
    """Run `alicloud-versions plugin install` with `env` (its PULUMI_HOME); its output."""
    done = subprocess.run(
        [str(VENV_BIN / "alicloud-versions"), "plugin", "install"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_installed_plugin_serves_the_yaml_example_off_path(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """With the plugin nowhere on PATH the YAML example cannot start; once `alicloud-versions
    plugin install` ran, `pulumi plugin ls` lists it at the package's version and the example
    goes up and down with automatic plugin downloads allowed, with no `$PATH` warning and no
    download."""
    project = yaml_project(
        tmp_path,
        EXAMPLE.read_text(),
        account_plugin_config(emulator_process, account),
        path=search_path(TOOLS / "bin"),
    )
    project.env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "true"
    missing = project.run("preview", check=False)
    assert missing.returncode != 0
    assert PLUGIN in missing.stdout + missing.stderr

    out = install_plugin(project.env)
    assert f"alicloud-versions {__version__}" in out
    listed = json.loads(project.run("plugin", "ls", "--json").stdout)
    assert [(p["name"], p["kind"], p["version"]) for p in listed] == [
        ("alicloud-versions", "resource", __version__)
    ]

    project.env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "false"
    up = project.up()
    said = (up.stdout + up.stderr).lower()
    assert "$path" not in said
    assert "download" not in said
    assert _counts(emulator_process, account) == CREATED
    project.run("destroy", "--yes", "--skip-preview")
    assert _counts(emulator_process, account) == {**dict.fromkeys(CREATED, 0), "templates": 1}
