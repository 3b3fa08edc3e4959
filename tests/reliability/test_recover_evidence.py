"""`alicloud-versions recover` acts only on evidence that the killed update made a resource,
and writes no secret in plain text, on the real engine, in normal and fast mode.

An update killed before any create reached the service leaves a stale lock and nothing of
its own; resources someone else then makes with the names the stack declares are not the
stack's, so recover imports none and the next destroy leaves them. A package version whose
source is secret, recovered after its create's answer was lost, keeps the URL derived from
that source secret in the state and everything the backend keeps of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.reliability.test_kill import LATENCY_MS, _finish_in_flight, _kill_up_when, _lock_files
from tests.support.accounts import Account, servicecatalog_client, webplus_client
from tests.support.cli import CliProject, wait_for
from tests.support.engine import TOOLS

FAST = {"PULUMI_SKIP_CHECKPOINTS": "true"}
MODES = pytest.mark.parametrize("fast", [False, True], ids=["normal", "fast"])


def _namesakes(emu: object, account: Account) -> dict[str, str]:
    """An application and a product with the names the release stack declares, made out of
    band (someone else on the account); their ids by inventory kind."""
    from alibabacloud_servicecatalog20210901 import models as sc
    from alibabacloud_webplus20190320 import models as wp

    app = webplus_client(emu, account).create_application(
        wp.CreateApplicationRequest(
            app_name="release-app", app_description="reliability", region_id="cn-hangzhou"
        )
    )
    product = servicecatalog_client(emu, account).create_product(
        sc.CreateProductRequest(
            product_name="release-product", provider_name="reliability", product_type="Ros"
        )
    )
    return {"applications": app.body.application.app_id, "products": product.body.product_id}


@MODES
def test_recover_adopts_no_namesake_of_an_update_killed_before_any_create(
    tmp_path: Path,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    fast: bool,
) -> None:
    """`pulumi up` killed once it holds the stack's lock, before any create reached the
    service; then an application and a product with the stack's names are made by someone
    else: `recover --yes` imports nothing (a lock is no evidence of fast mode) and the next
    `destroy` leaves both."""
    project = CliProject(tmp_path, env=FAST if fast else None, in_process=True)
    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=1))
    proc = project.start("up", "--yes", "--skip-preview")
    try:
        wait_for("the update's lock", lambda: _lock_files(project) or None, timeout=120, every=0.02)
    finally:
        project.kill(proc)
    reached = {**emu.counts(), **emu.in_flight()}
    assert not [a for a in reached if a.startswith("Create")], reached
    made = _namesakes(emu, account)

    done = project.recover("--yes")
    assert "nothing to recover" in done.stdout and "import" not in done.stdout, done.stdout
    assert _lock_files(project) == {}  # the proven-stale lock, and nothing else, is gone
    project.run("destroy", "--yes", "--skip-preview")
    inventory = emu.inventory(account.account_id)
    assert [a["AppId"] for a in inventory["applications"]] == [made["applications"]]
    assert [p["ProductId"] for p in inventory["products"]] == [made["products"]]


SECRET_SOURCE = "oss://release-artifacts/SECRET-source-7f3a9.war"
PROGRAM = f"""\
name: alicloud-versions-yaml
runtime: yaml
resources:
  app:
    type: alicloud-versions:webplus:Application
    properties: {{appName: shop, categoryName: Java}}
  package:
    type: alicloud-versions:webplus:PkgVersion
    properties:
      appId: ${{app.appId}}
      pkgVersionLabel: "1.0"
      packageSource:
        fn::secret: {SECRET_SOURCE}
"""


@MODES
def test_recover_writes_no_output_of_a_secret_input_in_plain_text(
    tmp_path: Path, own_emulator: StartEmulator, account: Account, fast: bool
) -> None:
    """A package version with a secret source, killed while its create was in flight and then
    applied: recover imports it, and neither the state nor anything the backend keeps (its
    backup, its history) holds the source or the URL derived from it in plain text; nor does
    the project folder."""
    from tests.support.plugin import VENV_BIN, account_plugin_config, search_path, yaml_project

    emu = own_emulator()
    project = yaml_project(
        tmp_path,
        PROGRAM,
        account_plugin_config(emu, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    if fast:
        project.env.update(FAST)
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: "CreatePkgVersion" in flying)
    _finish_in_flight(emu, applied=True)
    done = project.recover("--yes")
    assert "import " in done.stdout, done.stdout
    (package,) = [r for r in project.export()["resources"] if r["urn"].endswith("::package")]
    assert "ciphertext" in str(package["outputs"]["packageUrl"]), package["outputs"]
    leaks = [
        str(path)
        for root in (project.backend, project.dir)
        for path in root.rglob("*")
        if path.is_file()
        and path.name != "Pulumi.yaml"  # the program, which declares it
        and SECRET_SOURCE.encode() in path.read_bytes()
    ]
    assert leaks == []
    project.up()
    project.run("preview", "--expect-no-changes")
    # recover removed the records it settled; the up that ended removed its own.
    assert list((tmp_path / "state").rglob("*.jsonl")) == []
