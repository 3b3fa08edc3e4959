"""Rolling a version out with `webplus.AppEnv` on the real engine, through both front doors: a new
label builds the new version, moves the environment onto it in place, then deletes the old one;
a rollback does the same; destroy terminates the environment before its version; a launch that
fails or outlasts the resource's customTimeouts is kept in the state with the reason; and each
status the waits see reaches the engine."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, writes
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.plugin import (
    VENV_BIN,
    account_plugin_config,
    edit_program,
    search_path,
    stack_outputs,
    yaml_project,
)

STACK_ID = "ws-5d1c0a5d913567334af00001"

PROGRAM = f"""
import pulumi

from alicloud_versions import webplus

config = pulumi.Config()
app = webplus.Application("shop", app_name="shop")
pkg = webplus.PkgVersion(
    "pkg",
    app_id=app.app_id,
    package_source="oss://bucket/shop.war",
    pkg_version_label=config.require("label"),
)
timeout = config.get("create_timeout")
env = webplus.AppEnv(
    "prod",
    app_id=app.app_id,
    env_name="prod",
    stack_id="{STACK_ID}",
    pkg_version_id=pkg.pkg_version_id,
    env_description=config.get("description"),
    opts=pulumi.ResourceOptions(
        custom_timeouts=pulumi.CustomTimeouts(create=timeout) if timeout else None
    ),
)
pulumi.export("envId", env.env_id)
pulumi.export("pkgVersionId", pkg.pkg_version_id)
pulumi.export("envPkgVersionId", env.pkg_version_id)
pulumi.export("envStatus", env.env_status)
"""

YAML = f"""
name: alicloud-versions-yaml
runtime: yaml
config:
  label:
    type: string
  description:
    type: string
    default: the shop
resources:
  app:
    type: alicloud-versions:webplus:Application
    properties:
      appName: shop
  pkg:
    type: alicloud-versions:webplus:PkgVersion
    properties:
      appId: ${{app.appId}}
      packageSource: oss://bucket/shop.war
      pkgVersionLabel: ${{label}}
  prod:
    type: alicloud-versions:webplus:AppEnv
    properties:
      appId: ${{app.appId}}
      envName: prod
      stackId: {STACK_ID}
      pkgVersionId: ${{pkg.pkgVersionId}}
      envDescription: ${{description}}
    options:
      customTimeouts:
        create: 5m
outputs:
  envId: ${{prod.envId}}
  pkgVersionId: ${{pkg.pkgVersionId}}
  envPkgVersionId: ${{prod.pkgVersionId}}
  envStatus: ${{prod.envStatus}}
"""


@pytest.fixture
def faults(emulator_process: EmulatorProcess) -> Iterator[EmulatorProcess]:
    """The session's emulator, its faults back to their defaults after the test."""
    yield emulator_process
    emulator_process.set_faults()


def _python(tmp_path: Path, config: dict[str, auto.ConfigValue], **extra: str) -> CliProject:
    """The Python program on label v1, `extra` set in its project namespace too."""
    values = {"label": "v1", **extra}
    return CliProject(tmp_path, program=PROGRAM, in_process=True).init(
        {**config, **{f"reliability:{k}": auto.ConfigValue(v) for k, v in values.items()}}
    )


def _yaml(tmp_path: Path, emulator: EmulatorProcess, account: Account) -> CliProject:
    """The YAML program on label v1."""
    config = {
        **account_plugin_config(emulator, account),
        "alicloud-versions-yaml:label": auto.ConfigValue("v1"),
    }
    return yaml_project(tmp_path, YAML, config, path=search_path(VENV_BIN))


def _envs(emulator: EmulatorProcess, account: Account) -> list[dict[str, Any]]:
    return list(emulator.inventory(account.account_id).get("app_envs", []))


def _versions(emulator: EmulatorProcess, account: Account) -> set[str]:
    return {v["PkgVersionId"] for v in emulator.inventory(account.account_id)["pkg_versions"]}


def _rollout_and_back(project: CliProject, emulator: EmulatorProcess, account: Account) -> str:
    """Up on v1, then v2 (shown first by preview --diff), then back to v1, then destroy: each
    up leaves one environment running the one version left; the output of the ups."""
    first = project.up().stdout
    out = stack_outputs(project)
    assert out["envStatus"] == "RUNNING" and out["envPkgVersionId"] == out["pkgVersionId"]
    env_id, v1 = out["envId"], out["pkgVersionId"]

    preview = project.run("preview", "--diff", "--config", "label=v2").stdout  # and saves it
    # The version is replaced (create first), the environment updated in place onto it.
    assert re.search(r"\+-\S*webplus:PkgVersion: \(replace\)", preview), preview
    assert re.search(r"~ \S*webplus:AppEnv: \(update\)", preview), preview
    assert "~ pkg_version_label" in preview.replace("pkgVersionLabel", "pkg_version_label")
    rolled = project.up().stdout
    out = stack_outputs(project)
    v2 = out["pkgVersionId"]
    assert v2 != v1 and out["envId"] == env_id and out["envPkgVersionId"] == v2
    [env] = _envs(emulator, account)
    assert (env["EnvId"], env["PkgVersionId"], env["EnvStatus"]) == (env_id, v2, "RUNNING")
    assert _versions(emulator, account) == {v2}

    back = project.up("--config", "label=v1").stdout
    out = stack_outputs(project)
    assert out["envId"] == env_id and out["envPkgVersionId"] == out["pkgVersionId"] != v2
    assert _versions(emulator, account) == {out["pkgVersionId"]}

    project.run("destroy", "--yes", "--skip-preview")
    assert _envs(emulator, account) == [] and _versions(emulator, account) == set()
    return first + rolled + back


def test_dynamic_rollout_rollback_and_destroy(
    tmp_path: Path,
    faults: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """Through the dynamic provider: rollout and rollback in one up each, with no force_delete,
    and each status the waits saw shown in the CLI output."""
    faults.set_faults(settle_s=0.5)
    shown = _rollout_and_back(_python(tmp_path, stack_config), faults, account)
    assert "CreateAppEnv: INITIALIZING" in shown and "CreateAppEnv: RUNNING" in shown
    assert "UpdateAppEnv: RUNNING (applying a change)" in shown


def test_plugin_rollout_rollback_and_destroy(
    tmp_path: Path, faults: EmulatorProcess, account: Account
) -> None:
    """Through the plugin (YAML): the same rollout, rollback and destroy, statuses shown."""
    faults.set_faults(settle_s=0.5)
    shown = _rollout_and_back(_yaml(tmp_path, faults, account), faults, account)
    assert "CreateAppEnv: INITIALIZING" in shown and "UpdateAppEnv: RUNNING" in shown


def _kept(project: CliProject) -> dict[str, Any]:
    """The environment's resource in the stack's state."""
    [env] = [r for r in project.export()["resources"] if r["urn"].endswith("::prod")]
    return env


def _failed_launch(project: CliProject, emulator: EmulatorProcess, account: Account) -> None:
    emulator.set_faults(settle_s=0, fail_async=["CreateAppEnv"])
    done = project.up(check=False)
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "CreateAppEnv failed" in said and "in status ABNORMAL" in said
    [env] = _envs(emulator, account)
    kept = _kept(project)
    assert kept["id"] == env["EnvId"] and kept.get("initErrors")
    emulator.set_faults(settle_s=0)
    # What the user does next: change the environment (here its description) and up again.
    project.up("--config", "description=second try")
    assert stack_outputs(project)["envStatus"] == "RUNNING"
    assert not _kept(project).get("initErrors")


def test_dynamic_failed_launch_is_kept_and_said(
    tmp_path: Path,
    faults: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """Through the dynamic provider: a launch that ends ABNORMAL fails the up saying so, and the
    state keeps the environment (an init error); an update brings it back to RUNNING."""
    _failed_launch(_python(tmp_path, stack_config), faults, account)


def test_plugin_failed_launch_is_kept_and_said(
    tmp_path: Path, faults: EmulatorProcess, account: Account
) -> None:
    """Through the plugin: the same; and then `pulumi import` of that environment by
    APP_ID:ENV_ID into another stack reads it with no write and takes its inputs from what
    DescribeAppEnvs answers, and destroy of the first stack removes it (formerly
    test_plugin_imports_an_environment, which deployed the same stack first)."""
    project = _yaml(tmp_path, faults, account)
    _failed_launch(project, faults, account)
    _imports_the_environment(project, faults, account)


def _timed_out(project: CliProject, emulator: EmulatorProcess, account: Account) -> None:
    """With the launch longer than the resource's 2s create timeout: the up fails soon after,
    naming the last status, and keeps the environment; destroy then removes it."""
    emulator.set_faults(settle_s=120)
    started = time.monotonic()
    done = project.up(check=False)
    assert time.monotonic() - started < 100  # well before the launch would have settled
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "CreateAppEnv timed out" in said and "in status INITIALIZING" in said
    assert "2s timeout" in said
    assert _kept(project)["id"] == _envs(emulator, account)[0]["EnvId"]
    emulator.set_faults(settle_s=0)
    project.run("destroy", "--yes", "--skip-preview")
    assert _envs(emulator, account) == []


def test_dynamic_custom_timeouts_bound_the_launch(
    tmp_path: Path,
    faults: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """Through the dynamic provider, customTimeouts (create: 2s) ends the wait for the launch."""
    _timed_out(_python(tmp_path, stack_config, create_timeout="2s"), faults, account)


def test_plugin_custom_timeouts_bound_the_launch(
    tmp_path: Path, faults: EmulatorProcess, account: Account
) -> None:
    """Through the plugin, the same."""
    project = _yaml(tmp_path, faults, account)
    edit_program(project, "create: 5m", "create: 2s")
    _timed_out(project, faults, account)


def _imports_the_environment(
    project: CliProject, faults: EmulatorProcess, account: Account
) -> None:
    """`pulumi import` of the stack's environment by APP_ID:ENV_ID (plugin) into a stack of its
    own reads it with no write and takes its inputs from what DescribeAppEnvs answers; the
    first stack's destroy then removes it."""
    env_id = stack_outputs(project)["envId"]
    [env] = _envs(faults, account)
    project.init_stack("imported")
    project.run(
        "config", "set-all", *_plugin_config_args(faults, account), "--plaintext", "label=v1"
    )
    faults.reset_log()
    target = f"{env['AppId']}:{env_id}"
    project.run(
        "import", "alicloud-versions:webplus:AppEnv", "copy", target, "--yes",
        "--generate-code=false",
    )  # fmt: skip
    assert writes(account_requests(faults, account)) == []
    # Named: the project's checkpoint is the first stack's, not this one's.
    imported_state = project.export("--stack", "imported")
    [imported] = [r for r in imported_state["resources"] if r["urn"].endswith("::copy")]
    assert imported["id"] == env_id
    assert imported["inputs"]["pkgVersionId"] == env["PkgVersionId"]
    assert imported["inputs"]["envName"] == "prod"
    # The first stack's destroy deletes what both stacks hold; the second one goes with the test.
    project.run("destroy", "--yes", "--skip-preview", "--stack", project.stack)
    assert _envs(faults, account) == []


def _plugin_config_args(emulator: EmulatorProcess, account: Account) -> list[str]:
    """`config set-all` arguments of the plugin's configuration as `account`."""
    args: list[str] = []
    for key, value in account_plugin_config(emulator, account).items():
        args += ["--secret" if value.secret else "--plaintext", f"{key}={value.value}"]
    return args
