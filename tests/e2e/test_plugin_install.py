"""`alicloud-versions plugin install` on the real engine: the plugin where the engine looks for
it, found with no PATH entry, no warning and no download."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

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


# What the engine says instead (docs/languages.md, "When the plugin is not installed"): the
# messages are the engine's own, naming only `pulumi plugin install`, and a schema's
# `pluginDownloadURL` cannot name a local source (github, gitlab, http(s) and git only; YAML
# never reads it, the schema coming from the plugin itself).
NO_INSTALL_ADVICE = (
    "the engine's error for a missing plugin cannot name `alicloud-versions plugin install`: "
    "YAML gets 'no resource plugin 'pulumi-resource-alicloud-versions' found in the workspace "
    "or on your $PATH' (with automatic downloads: 'could not find latest version for provider "
    'alicloud-versions: Get "https://api.github.com/repos/pulumi/pulumi-alicloud-versions/'
    "releases/latest\"...')"
)


@pytest.mark.xfail(strict=True, reason=NO_INSTALL_ADVICE)
def test_missing_plugin_error_says_how_to_install_it(tmp_path: Path) -> None:
    """A YAML program run with the plugin neither installed nor on PATH fails saying to run
    `alicloud-versions plugin install`."""
    project = yaml_project(tmp_path, EXAMPLE.read_text(), {}, path=search_path(TOOLS / "bin"))
    project.env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "true"  # tests stay offline
    missing = project.run("preview", check=False)
    said = missing.stdout + missing.stderr
    assert missing.returncode != 0
    assert f"no resource plugin '{PLUGIN}' found in the workspace" in said
    assert "alicloud-versions plugin install" in said
