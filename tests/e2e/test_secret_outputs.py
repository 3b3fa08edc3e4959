"""An output made from a secret input is secret in the state and in stack outputs, through
both front doors: a secret package source's package_url never shows in plain text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
from pulumi import automation as auto

from alicloud_versions import webplus
from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack
from tests.support.plugin import (
    EXAMPLE,
    VENV_BIN,
    account_plugin_config,
    search_path,
    yaml_project,
)
from tests.support.stacks import deployment

SOURCE = "oss://secret-artifacts/shop/shop-hunter2.war"


def _program() -> None:
    app = webplus.Application("app", app_name="shop")
    pkg = webplus.PkgVersion(
        "pkg",
        app_id=app.app_id,
        package_source=pulumi.Output.secret(SOURCE),
        pkg_version_label="1.0",
    )
    pulumi.export("package_url", pkg.package_url)


SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _plain_outputs(deployment: dict[str, Any]) -> dict[str, list[str]]:
    """Each resource's outputs that hold the package's name without being secret."""
    found: dict[str, list[str]] = {}
    for resource in deployment.get("resources") or []:
        for name, value in (resource.get("outputs") or {}).items():
            if "hunter2" in json.dumps(value) and not (
                isinstance(value, dict) and SECRET_SIG in value
            ):
                found.setdefault(resource["urn"].rsplit("::", 1)[-1], []).append(name)
    return found


def test_dynamic_package_url_of_a_secret_source_is_secret(
    tmp_path: Path, stack_config: dict[str, auto.ConfigValue]
) -> None:
    """Through the dynamic provider: the state holds package_source and package_url encrypted,
    and the stack output is secret."""
    with inline_stack(tmp_path, _program, config=stack_config) as stack:
        up = stack.up()
        assert up.outputs["package_url"].secret
        assert "hunter2" in up.outputs["package_url"].value  # the value itself is the URL
        assert _plain_outputs(deployment(stack)) == {}


def test_plugin_package_url_of_a_secret_source_is_secret(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Through the plugin: the same, for a YAML program that makes the source secret."""
    program = EXAMPLE.read_text().replace(
        "      packageSource: oss://${bucket}/${app.appName}/${app.appName}-${release}.war\n",
        f"      packageSource:\n        fn::secret: {SOURCE}\n",
    )
    assert SOURCE in program
    project = yaml_project(
        tmp_path,
        program,
        account_plugin_config(emulator_process, account),
        path=search_path(VENV_BIN),
    )
    project.up()
    assert _plain_outputs(project.export()) == {}
    shown = json.loads(project.run("stack", "output", "--json").stdout)
    assert shown["packageUrl"] == "[secret]"
