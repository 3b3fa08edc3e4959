"""A provisioned product rolled out on the real engine, through the dynamic front door (Python) and
the plugin (YAML): one `up` moves it onto a new product version (preview shows the update in
place and the version's replacement), another rolls it back, a failed launch says why, and
destroy takes it down before the version, the associations, the portfolio and the product."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.plugin import (
    VENV_BIN,
    account_plugin_config,
    search_path,
    stack_outputs,
    yaml_project,
)
from tests.support.rollout import PASSWORD, PYTHON, YAML


def _python(tmp_path: Path, config: dict[str, auto.ConfigValue], account: Account) -> CliProject:
    return CliProject(tmp_path, program=PYTHON, in_process=True).init(
        {
            **config,
            "reliability:principal": auto.ConfigValue(account.access_key_id),
            "reliability:password": auto.ConfigValue(PASSWORD, secret=True),
        }
    )


def _yaml(tmp_path: Path, emulator: EmulatorProcess, account: Account) -> CliProject:
    return yaml_project(
        tmp_path,
        YAML,
        {
            **account_plugin_config(emulator, account),
            "alicloud-versions-yaml:principal": auto.ConfigValue(account.access_key_id),
            "alicloud-versions-yaml:password": auto.ConfigValue(PASSWORD, secret=True),
        },
        path=search_path(VENV_BIN),
    )


FRONT_DOORS = ["dynamic", "plugin"]


@pytest.fixture
def project(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    emulator_process: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> Iterator[CliProject]:
    """The rollout program through the front door the test is parametrized with."""
    if request.param == "dynamic":
        made = _python(tmp_path, stack_config, account)
    else:
        made = _yaml(tmp_path, emulator_process, account)
    yield made
    emulator_process.set_faults()


def _held(emulator: EmulatorProcess, account: Account) -> dict[str, list[dict[str, Any]]]:
    return emulator.inventory(account.account_id)


@pytest.mark.parametrize("project", FRONT_DOORS, indirect=True)
def test_rollout_rollback_and_a_failed_update_of_the_provisioned_product(
    project: CliProject, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A template change replaces the version and updates the provisioned product onto it in
    place (preview says so first); setting it back rolls back the same way; the parameter stays
    secret in the state. Then an update whose stack fails fails the `up` saying that the state
    now holds it as the service shows it, and so on (formerly
    test_a_failed_update_leaves_the_truth_in_the_state, which deployed the same stack first:
    `_failed_update`); destroy then succeeds without force_delete and leaves nothing."""
    project.up()
    first = stack_outputs(project)
    assert (first["status"], first["outputs"]) == ("Available", {"kind": "web"})

    # --config saves the value to the stack's config, as `config set` does.
    steps = json.loads(project.run("preview", "--diff", "--json", "--config", "kind=api").stdout)[
        "steps"
    ]
    ops = {step["urn"].rpartition("::")[2]: step["op"] for step in steps if step["op"] != "same"}
    assert ops == {"template": "replace", "version": "replace", "shop": "update"}
    project.up()
    second = stack_outputs(project)
    assert second["pp_id"] == first["pp_id"]
    assert second["version_id"] != first["version_id"]
    assert (second["status"], second["outputs"]) == ("Available", {"kind": "api"})
    versions = [v["ProductVersionId"] for v in _held(emulator_process, account)["product_versions"]]
    assert versions == [second["version_id"]]
    [launched] = _held(emulator_process, account)["provisioned_products"]
    assert launched["ProductVersionId"] == second["version_id"]

    project.up("--config", "kind=web")
    back = stack_outputs(project)
    assert back["pp_id"] == first["pp_id"] and back["outputs"] == {"kind": "web"}

    saved = json.dumps(project.export())
    assert PASSWORD not in saved

    _failed_update(project, emulator_process, back["pp_id"])

    project.run("destroy", "--yes", "--skip-preview")
    left = _held(emulator_process, account)
    for table in ("provisioned_products", "product_versions", "products", "portfolios"):
        assert left.get(table, []) == [], table
    assert left.get("portfolio_products", []) == [] and left.get("portfolio_principals", []) == []


def _failed_update(project: CliProject, emulator_process: EmulatorProcess, pp_id: str) -> None:
    """An update whose stack fails fails the `up` saying that the state now holds it as the
    service shows it; both front doors write its Error status and reason over the old
    outputs, so the stack's outputs and a refresh show Error, never the secret parameter."""
    emulator_process.set_faults(settle_s=0, fail_async=["UpdateProvisionedProduct"])
    done = project.up("--config", "kind=api", check=False)
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "UpdateProvisionedProduct failed" in said and "in status Error" in said
    assert "the state now holds it as the service shows it" in said
    assert PASSWORD not in said
    [kept] = [r for r in project.export()["resources"] if r["type"].endswith("ProvisionedProduct")]
    assert kept["id"] == pp_id
    outputs = kept["outputs"]
    assert outputs["status"] == "Error"
    assert "fail_async" in str(outputs.get("statusMessage") or outputs.get("status_message"))
    emulator_process.set_faults()
    project.run("refresh", "--yes", "--skip-preview")
    [kept] = [r for r in project.export()["resources"] if r["type"].endswith("ProvisionedProduct")]
    assert kept["outputs"]["status"] == "Error"


@pytest.mark.parametrize("project", FRONT_DOORS, indirect=True)
def test_a_failed_launch_says_why(
    project: CliProject, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A launch whose stack fails fails the update naming the Error status and the reason,
    never the secret parameter; both front doors keep the provisioned product in the state (an
    initialization failure) with its status and the service's message."""
    emulator_process.set_faults(settle_s=0, fail_async=["LaunchProduct"])
    done = project.up(check=False)
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "LaunchProduct failed" in said and "in status Error" in said and "fail_async" in said
    assert PASSWORD not in said
    [launched] = _held(emulator_process, account)["provisioned_products"]
    assert launched["Status"] == "Error"
    assert launched["ProvisionedProductId"] in said
    resources = project.export()["resources"]
    [kept] = [r for r in resources if r["type"].endswith("ProvisionedProduct")]
    assert kept["id"] == launched["ProvisionedProductId"] and kept.get("initErrors")
    outputs = kept["outputs"]
    assert outputs["status"] == "Error"
    assert outputs.get("statusMessage") or outputs.get("status_message")
