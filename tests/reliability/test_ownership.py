"""On the real engine, as a new user would meet it: another team's application and product of
the same names already exist, and the stack's creates lose their connection. `up` makes the
stack's own and `destroy` leaves theirs, with their versions, untouched."""

from __future__ import annotations

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.support.accounts import Account, servicecatalog_client, webplus_client
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.inventory import compare

# The names the release stack (tests/support/release.py) declares.
APP_NAME, PRODUCT_NAME, PROVIDER_NAME = "release-app", "release-product", "reliability"


def _theirs(emu: EmulatorProcess, account: Account) -> dict[str, str]:
    """Another team's application (with a package version) and product, with the stack's names,
    made ten minutes ago on the services' clock."""
    from alibabacloud_servicecatalog20210901 import models as sc
    from alibabacloud_webplus20190320 import models as wp

    emu.set_faults(clock_skew_s=-600)
    web = webplus_client(emu, account)
    app = web.create_application(wp.CreateApplicationRequest(app_name=APP_NAME))
    app_id = app.body.application.app_id
    version = web.create_pkg_version(
        wp.CreatePkgVersionRequest(
            app_id=app_id, package_source="oss://their-bucket/orders.war", pkg_version_label="1.0"
        )
    ).body.pkg_version.pkg_version_id
    product = servicecatalog_client(emu, account).create_product(
        sc.CreateProductRequest(
            product_name=PRODUCT_NAME, provider_name=PROVIDER_NAME, product_type="Ros"
        )
    )
    emu.set_faults()
    return {
        "applications": app_id,
        "pkg_versions": version,
        "products": product.body.product_id,
    }


def _held(emu: EmulatorProcess, account: Account, key: str) -> list[str]:
    id_field = {"applications": "AppId", "pkg_versions": "PkgVersionId", "products": "ProductId"}
    return [r[id_field[key]] for r in emu.inventory(account.account_id)[key]]


@pytest.mark.parametrize("after_apply", [False, True], ids=["lost-before-apply", "answer-lost"])
def test_up_and_destroy_never_touch_another_teams_namesakes(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    after_apply: bool,
) -> None:
    """Every create of the stack's application and product loses its connection once, before
    or after the server applied it: up makes exactly one of each of its own beside theirs,
    and destroy deletes only the stack's."""
    emu = own_emulator()
    theirs = _theirs(emu, account)
    project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=1))
    emu.set_faults(
        failure_rate=1.0,
        failure_kinds=["DropConnection"],
        actions=["CreateApplication", "CreateProduct"],
        drop_after_apply=after_apply,
        max_failures=2,
    )
    project.up()
    emu.set_faults()
    # Theirs, then the stack's: once when the lost attempt was adopted, twice when it had made
    # nothing. Lost before apply, the two drops go to whichever creates come first: the
    # application's first and the product's, or the product's first and its retry when the
    # application's create comes late (a loaded machine), so only their sum is fixed.
    counts = emu.counts()
    if after_apply:
        assert counts["CreateApplication"] == counts["CreateProduct"] == 2, counts
    else:
        assert counts["CreateApplication"] + counts["CreateProduct"] == 6, counts

    state = project.export()
    mine = compare(emu, account.account_id, state)
    for key in ("applications", "products"):
        held = _held(emu, account, key)
        assert len(held) == 2 and theirs[key] in held, (key, held)
        assert [o["id"] for o in mine.orphans[key]] == [theirs[key]], mine
    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes", "--skip-preview")
    for key in ("applications", "pkg_versions", "products"):
        assert _held(emu, account, key) == [theirs[key]], key
