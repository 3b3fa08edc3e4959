"""No version is deleted while something runs it: a destroy or a same-label replacement of a
package version an environment runs, or of a product version a provisioned product uses,
fails and changes nothing; force_delete proceeds; a version no longer in use deletes. Both
front doors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_webplus20190320 import models as wp
from pulumi import automation as auto
from Tea.exceptions import TeaException

from alicloud_versions.core.errors import Target
from alicloud_versions.core.waits import Seen, Statuses, wait_for
from tests.support.accounts import Account, servicecatalog_client, webplus_client
from tests.support.builders import grant_launch
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.inventory import inventory_ids, state_ids
from tests.support.plugin import (
    EXAMPLE,
    VENV_BIN,
    account_plugin_config,
    edit_program,
    search_path,
    stack_outputs,
    yaml_project,
)

STACK_ID = "ws-5d1c0a5d913567334af00001"
# The release program of tests/support/stacks.py, run by the CLI (a failing inline update
# would leave its event loop to a later test).
RELEASE = "from tests.support.stacks import release_program\n\nrelease_program()\n"


def _run_somewhere(
    emulator_process: EmulatorProcess, account: Account, app_id: str, pkg_version_id: str, pv: str
) -> tuple[str, str, Any, Any]:
    """An environment running the package version and a provisioned product launched from the
    product version, made out of band: their ids and the clients."""
    webplus = webplus_client(emulator_process, account)
    env = webplus.create_app_env(
        wp.CreateAppEnvRequest(
            app_id=app_id, env_name="prod", stack_id=STACK_ID, pkg_version_id=pkg_version_id
        )
    ).body.env_change_detail.env_id
    catalog = servicecatalog_client(emulator_process, account)
    version = catalog.get_product_version(sc.GetProductVersionRequest(product_version_id=pv))
    product_id = version.body.product_version_detail.product_id
    grant_launch(catalog, product_id, account.access_key_id)
    launched = catalog.launch_product(
        sc.LaunchProductRequest(
            product_id=product_id,
            product_version_id=pv,
            provisioned_product_name="shop-prod",
            stack_region_id="cn-hangzhou",
        )
    ).body.provisioned_product_id
    return str(env), str(launched), webplus, catalog


def _terminate(catalog: Any, launched: str) -> None:
    """Terminate the provisioned product made out of band, wait until it is gone, and delete
    the portfolio it was launched through (with its associations)."""
    catalog.terminate_provisioned_product(
        sc.TerminateProvisionedProductRequest(provisioned_product_id=launched)
    )
    request = sc.GetProvisionedProductRequest(provisioned_product_id=launched)
    detail = catalog.get_provisioned_product(request).body.provisioned_product_detail
    portfolio = detail.portfolio_id

    def poll() -> Seen:
        try:
            return Seen(
                catalog.get_provisioned_product(request).body.provisioned_product_detail.status
            )
        except TeaException as exc:
            assert exc.code == "InvalidProvisionedProduct.NotFound"
            return Seen(None)

    wait_for(
        poll,
        Statuses(done=frozenset(), gone_done=True),
        target=Target(launched),
        operation="terminate",
    )
    catalog.delete_portfolio(sc.DeletePortfolioRequest(portfolio_id=portfolio))


RELEASE_1_0_REBUILT = "desc_a=release 1.0, rebuilt"


def _failing(project: CliProject, *args: str) -> str:
    """`pulumi args...` must fail: what it printed."""
    done = project.run(*args, check=False)
    assert done.returncode != 0, args
    return done.stdout + done.stderr


def test_dynamic_versions_in_use_are_never_deleted(
    tmp_path: Path,
    emulator_process: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """Through the dynamic provider: destroy and a same-label replacement fail naming each
    user and change nothing; force_delete (set on its own first) lets the replacement proceed;
    versions no longer in use delete."""
    project = CliProject(tmp_path, program=RELEASE, in_process=True).init(stack_config)
    project.up()
    out = stack_outputs(project)
    pkg_a, _ = out["pkg_version_ids"]
    pv_a, _ = out["product_version_ids"]
    env, launched, webplus, catalog = _run_somewhere(
        emulator_process, account, out["app_id"], pkg_a, pv_a
    )
    state = state_ids(project.export())

    # The product version goes first (it names the package version), and is refused.
    destroyed = _failing(project, "destroy", "--yes")
    assert launched in destroyed and "force_delete" in destroyed
    # Whatever no longer exists was not in use (the destroy deletes the other versions).
    kept = state_ids(project.export())
    assert pkg_a in kept["pkg_versions"] and pv_a in kept["product_versions"]
    assert set(kept["applications"]) == set(state["applications"])
    assert set(kept["products"]) == set(state["products"])
    assert inventory_ids(emulator_process.inventory(account.account_id)) == kept
    project.up()  # the versions not in use again
    state = state_ids(project.export())
    held = inventory_ids(emulator_process.inventory(account.account_id))

    # --config saves the value to the stack's config before the update, as `config set` does.
    replaced = _failing(project, "up", "--yes", "--skip-preview", "--config", RELEASE_1_0_REBUILT)
    assert env in replaced and "force_delete" in replaced
    assert state_ids(project.export()) == state
    assert inventory_ids(emulator_process.inventory(account.account_id)) == held

    project.run("config", "rm", "desc_a")
    project.up("--config", "force_delete=true")
    assert inventory_ids(emulator_process.inventory(account.account_id)) == held  # no API write
    project.run("preview", "--expect-no-changes")
    project.up("--config", RELEASE_1_0_REBUILT)
    [new_a, _] = stack_outputs(project)["pkg_version_ids"]
    assert new_a != pkg_a
    assert (
        pkg_a not in inventory_ids(emulator_process.inventory(account.account_id))["pkg_versions"]
    )

    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env))
    _terminate(catalog, launched)
    project.run("destroy", "--yes", "--skip-preview")
    left = inventory_ids(emulator_process.inventory(account.account_id))
    assert {k: v for k, v in left.items() if k != "templates"} == {
        k: [] for k in left if k != "templates"
    }


def test_plugin_versions_in_use_are_never_deleted(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Through the plugin: destroy fails naming the user and changes nothing; with forceDelete
    set, the product version still in use is deleted, and the package version, no longer run,
    is deleted without it."""
    project = yaml_project(
        tmp_path,
        EXAMPLE.read_text(),
        account_plugin_config(emulator_process, account),
        path=search_path(VENV_BIN),
    )
    project.up()
    out = stack_outputs(project)
    env, launched, webplus, _ = _run_somewhere(
        emulator_process, account, out["appId"], out["pkgVersionId"], out["productVersionId"]
    )
    state = state_ids(project.export())
    held = inventory_ids(emulator_process.inventory(account.account_id))

    done = project.run("destroy", "--yes", check=False)
    assert done.returncode != 0
    # The product version goes first (it names the package version), and is refused.
    assert launched in done.stdout + done.stderr
    kept = state_ids(project.export())
    assert kept == state  # the example's versions are both in use, so nothing can go
    assert inventory_ids(emulator_process.inventory(account.account_id)) == held

    edit_program(
        project,
        "      guidance: ${guidance}\n",
        "      guidance: ${guidance}\n      forceDelete: true\n",
    )
    project.up()
    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env))
    project.run("destroy", "--yes")
    left = inventory_ids(emulator_process.inventory(account.account_id))
    assert left["product_versions"] == [] and left["pkg_versions"] == []
