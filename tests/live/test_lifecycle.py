"""The lifecycle of one stack, step by step in this order, on the target (`conftest.py`): what
each step did is checked only through the public APIs, with the official SDK clients.

The steps share one stack, so they run in the order written; if one fails, the module's
teardown still destroys whatever the stack holds.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_webplus20190320 import models as wp
from pulumi import automation as auto
from Tea.exceptions import TeaException

from tests.live import cost
from tests.live.cost import Ledger
from tests.live.program import (
    APP,
    PKG,
    PRODUCT,
    PV,
    RESOURCES,
    TEMPLATE,
    TEMPLATE_TYPE,
    names,
    program,
    template_body,
)
from tests.live.target import Counted, Target
from tests.support.cli import CliProject
from tests.support.engine import TOOLS, inline_stack
from tests.support.stacks import Events, failing, resources

# Resources the engine counts in a summary: the program's and the stack itself.
COUNTED = RESOURCES + 1
DELETE_FIRST = ["delete-replaced", "replace", "create-replacement"]
# The answers that prove a resource gone (alicloud_versions.core declares them, with sources).
PV_NOT_FOUND, PRODUCT_NOT_FOUND = "InvalidProductVersion.NotFound", "InvalidProduct.NotFound"
# WebPlus answers this for an application that does not exist and one not allowed alike.
WEBPLUS_NO_APP = "ResourceAuthFailed"
_PAGE = 100


@dataclass
class Run:
    """The stack of this run, the clients that check it and what it has made so far."""

    stack: auto.Stack
    target: Target
    prefix: str
    ledger: Ledger
    outputs: dict[str, Any] = field(default_factory=dict)
    pkg_version_ids: list[str] = field(default_factory=list)
    template_urls: list[str] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        return names(self.prefix)

    @property
    def webplus(self) -> Counted:
        return self.target.client("webplus", self.ledger.suite)

    @property
    def catalog(self) -> Counted:
        return self.target.client("servicecatalog", self.ledger.suite)

    def set(self, **config: str) -> None:
        self.stack.set_all_config({k: auto.ConfigValue(v) for k, v in config.items()})

    def up(self, **config: str) -> tuple[auto.UpResult, Events]:
        """`up` with `config` set, accounted for; its result and its events."""
        self.set(**config)
        events = Events()
        result = self.stack.up(on_event=events)
        self.ledger.engine(events)
        self.outputs = {k: v.value for k, v in result.outputs.items()}
        for ids, key in (
            (self.pkg_version_ids, "pkg_version_id"),
            (self.template_urls, "template_url"),
        ):
            if self.outputs[key] not in ids:
                ids.append(self.outputs[key])
        return result, events

    def destroy(self) -> auto.DestroyResult:
        events = Events()
        result = self.stack.destroy(on_event=events)
        self.ledger.engine(events)
        return result

    # reads ------------------------------------------------------------------------------------

    def application(self) -> Any:
        [app] = self.webplus.describe_applications(
            wp.DescribeApplicationsRequest(
                app_id=self.outputs["app_id"], region_id=self.target.region
            )
        ).body.applications.application
        return app

    def pkg_versions(self) -> list[Any]:
        """The application's versions with the run's label."""
        found = self.webplus.describe_pkg_versions(
            wp.DescribePkgVersionsRequest(
                app_id=self.outputs["app_id"],
                pkg_version_label=self.names[PKG],
                region_id=self.target.region,
            )
        ).body.pkg_versions
        return list(found.pkg_version or []) if found else []

    def product_version(self) -> Any:
        return self.catalog.get_product_version(
            sc.GetProductVersionRequest(product_version_id=self.outputs["product_version_id"])
        ).body.product_version_detail


@pytest.fixture(scope="module")
def run(
    tmp_path_factory: pytest.TempPathFactory, target: Target, prefix: str, ledger: Ledger
) -> Iterator[Run]:
    """The run's stack, its provider configured by the environment alone; destroyed at the
    end if a step failed before the destroy step. The templates it uploaded are recorded as
    left behind."""
    config = {
        "prefix": auto.ConfigValue(prefix),
        "package_source": auto.ConfigValue(target.package_source),
    }
    tmp = tmp_path_factory.mktemp("live-stack")
    with inline_stack(tmp, program, project="live", config=config, env=target.env()) as stack:
        found = Run(stack, target, prefix, ledger)
        try:
            yield found
        finally:
            if resources(stack):
                found.destroy()
            if found.template_urls:
                ledger.left.append(
                    f"{len(found.template_urls)} uploaded template "
                    f"({', '.join(found.template_urls)}): Service Catalog has no API to list, "
                    "read or delete templates, and nothing of the run refers to it any more"
                )


def test_up_creates_every_resource_under_the_run_prefix(run: Run) -> None:
    """up creates the five resources, and the APIs answer them under the run's names."""
    up, _ = run.up()
    assert up.summary.resource_changes == {"create": COUNTED}
    assert run.application().app_name == run.names[APP]
    assert [v.pkg_version_id for v in run.pkg_versions()] == [run.outputs["pkg_version_id"]]
    product = run.catalog.get_product_as_admin(
        sc.GetProductAsAdminRequest(product_id=run.outputs["product_id"])
    ).body.product_detail
    assert product.product_name == run.names[PRODUCT]
    version = run.product_version()
    assert (version.product_version_name, version.guidance, version.template_url) == (
        run.names[PV],
        "Recommended",
        run.outputs["template_url"],
    )


def test_unchanged_preview_calls_no_api(run: Run) -> None:
    """A preview of the unchanged program reports every resource the same, with the endpoint
    pointed at a socket that sees no connection (and with no retries, so a call would fail).
    That a preview's provider takes the endpoint from the stack's config is shown first: an
    endpoint it cannot use fails the preview."""
    with socket.create_server(("127.0.0.1", 0)) as sink:
        try:
            _endpoint(run, "ftp://127.0.0.1:1")
            refused = failing(lambda: run.stack.preview())
            assert "ftp://127.0.0.1:1" in str(refused)

            _endpoint(run, f"http://127.0.0.1:{sink.getsockname()[1]}")
            preview = run.stack.preview(expect_no_changes=True)
        finally:
            run.stack.remove_all_config(list(_NO_CALLS))
        assert preview.change_summary == {auto.OpType.SAME: COUNTED}
        sink.setblocking(False)
        with pytest.raises(BlockingIOError):
            sink.accept()  # nothing ever connected


# The provider settings of the no-call preview: an endpoint, and no retries.
_NO_CALLS = ("alicloud-versions:endpoint", "alicloud-versions:maxRetryTime")


def _endpoint(run: Run, endpoint: str) -> None:
    """Point the stack's provider at `endpoint`, failing a call at once (no retries)."""
    values = dict(zip(_NO_CALLS, (endpoint, "0"), strict=True))
    run.stack.set_all_config({k: auto.ConfigValue(v) for k, v in values.items()})


def test_guidance_change_updates_the_product_version_in_place(run: Run) -> None:
    """A new guidance updates the product version: same id, the API answers the new value."""
    before = run.outputs["product_version_id"]
    up, _ = run.up(guidance="Latest")
    assert up.summary.resource_changes == {"update": 1, "same": COUNTED - 1}
    assert run.outputs["product_version_id"] == before
    assert run.product_version().guidance == "Latest"


def test_description_change_replaces_the_package_version_delete_first(run: Run) -> None:
    """A new description, same label, replaces the package version, the old one deleted
    first: the application then holds the label under the new id only."""
    before = run.outputs["pkg_version_id"]
    up, events = run.up(pkg_description="live suite, rebuilt")
    assert up.summary.resource_changes == {"replace": 1, "same": COUNTED - 1}
    assert events.ops(PKG) == DELETE_FIRST
    assert run.outputs["pkg_version_id"] != before
    [version] = run.pkg_versions()
    assert (version.pkg_version_id, version.pkg_version_description) == (
        run.outputs["pkg_version_id"],
        "live suite, rebuilt",
    )


def test_refresh_finds_an_out_of_band_change_and_up_undoes_it(run: Run) -> None:
    """A guidance changed through the SDK behind the stack's back: refresh takes it in, the
    next up puts the program's back."""
    run.catalog.update_product_version(
        sc.UpdateProductVersionRequest(
            product_version_id=run.outputs["product_version_id"],
            product_version_name=run.names[PV],
            guidance="Deprecated",
        )
    )
    events = Events()
    refresh = run.stack.refresh(on_event=events)
    run.ledger.engine(events)
    assert refresh.summary.resource_changes == {"update": 1, "same": COUNTED - 1}
    assert {n: s.op.value for n, s in events.outcomes().items()} == {PV: "update"}
    assert resources(run.stack)[PV]["outputs"]["guidance"] == "Deprecated"

    up, _ = run.up()
    assert up.summary.resource_changes == {"update": 1, "same": COUNTED - 1}
    assert run.product_version().guidance == "Latest"


def test_every_resource_imports_through_the_plugin(run: Run, tmp_path: Path) -> None:
    """The provider plugin imports the five resources by their ids into a Pulumi YAML stack
    declaring them, which then previews with no change; removing that stack leaves them."""
    project = CliProject(
        tmp_path,
        project="live-import",
        env={
            **run.target.env(),
            "PATH": os.pathsep.join(
                [str(TOOLS / "bin"), str(Path(sys.executable).parent), os.environ.get("PATH", "")]
            ),
        },
    )
    (project.dir / "__main__.py").unlink()
    (project.dir / "Pulumi.yaml").write_text(json.dumps(_yaml_program(run), indent=2))
    project.init({})
    imports = tmp_path / "imports.json"
    imports.write_text(json.dumps({"resources": _imports(run)}))
    done = project.run("import", "--file", str(imports), "--yes", "--generate-code=false")
    for entry in _imports(run):
        run.ledger.step(cost.kind_of(entry["type"]), "import")
    assert f"{RESOURCES} imported" in done.stdout
    project.run("preview", "--expect-no-changes")
    project.run("stack", "rm", "--force", "--yes")  # the resources stay, the run's stack has them


def test_destroy_leaves_nothing_of_the_run(run: Run) -> None:
    """destroy deletes every resource; the APIs then list nothing named with the run's prefix
    and prove each id the run made gone. Only the uploaded template stays: no API can list,
    read or delete templates."""
    down = run.destroy()
    assert down.summary.resource_changes == {"delete": COUNTED}
    assert resources(run.stack) == {}

    assert _applications_named(run) == []
    app_id = run.outputs["app_id"]
    try:
        versions = run.webplus.describe_pkg_versions(
            wp.DescribePkgVersionsRequest(
                app_id=app_id, region_id=run.target.region, page_size=_PAGE
            )
        ).body.pkg_versions
        assert not set(run.pkg_version_ids) & {v.pkg_version_id for v in versions.pkg_version or []}
    except TeaException as exc:  # the application is gone, and its versions with it
        assert exc.code == WEBPLUS_NO_APP, exc
    assert _products_named(run) == []
    with pytest.raises(TeaException) as gone:
        run.catalog.get_product_as_admin(
            sc.GetProductAsAdminRequest(product_id=run.outputs["product_id"])
        )
    assert gone.value.code == PRODUCT_NOT_FOUND
    with pytest.raises(TeaException) as gone:
        run.catalog.get_product_version(
            sc.GetProductVersionRequest(product_version_id=run.outputs["product_version_id"])
        )
    assert gone.value.code == PV_NOT_FOUND


def _applications_named(run: Run) -> list[str]:
    """Every application in the region whose name carries the run's prefix."""
    found: list[str] = []
    for number in range(1, 1000):
        page = run.webplus.describe_applications(
            wp.DescribeApplicationsRequest(
                region_id=run.target.region, page_size=_PAGE, page_number=number
            )
        ).body.applications
        apps = list(page.application or []) if page else []
        found += [a.app_id for a in apps if str(a.app_name).startswith(run.prefix)]
        if len(apps) < _PAGE:
            return found
    raise AssertionError("more than 1000 pages of applications")


def _products_named(run: Run) -> list[str]:
    """Every product of the account whose name carries the run's prefix."""
    found: list[str] = []
    for number in range(1, 1000):
        products = list(
            run.catalog.list_products_as_admin(
                sc.ListProductsAsAdminRequest(page_size=_PAGE, page_number=number)
            ).body.product_details
            or []
        )
        found += [p.product_id for p in products if str(p.product_name).startswith(run.prefix)]
        if len(products) < _PAGE:
            return found
    raise AssertionError("more than 1000 pages of products")


def _yaml_program(run: Run) -> dict[str, Any]:
    """The run's program as Pulumi YAML for the plugin, with the values the stack now has."""
    out, named = run.outputs, run.names
    inputs = resources(run.stack)

    def typed(kind: str, **properties: Any) -> dict[str, Any]:
        return {"type": f"alicloud-versions:{kind}", "properties": properties}

    return {
        "name": "live-import",
        "runtime": "yaml",
        "resources": {
            APP: typed(cost.APPLICATION, appName=named[APP], appDescription="live suite"),
            PKG: typed(
                cost.PKG_VERSION,
                appId=out["app_id"],
                packageSource=run.target.package_source,
                pkgVersionLabel=named[PKG],
                pkgVersionDescription=inputs[PKG]["inputs"]["pkg_version_description"],
            ),
            TEMPLATE: typed(
                cost.TEMPLATE,
                templateType=TEMPLATE_TYPE,
                templateBody=template_body(run.prefix),
            ),
            PRODUCT: typed(
                cost.PRODUCT,
                productName=named[PRODUCT],
                providerName="live-suite",
                description="live suite",
            ),
            PV: typed(
                cost.PRODUCT_VERSION,
                productId=out["product_id"],
                productVersionName=named[PV],
                templateType=TEMPLATE_TYPE,
                templateUrl=out["template_url"],
                description="live suite",
                guidance=inputs[PV]["inputs"]["guidance"],
            ),
        },
    }


def _imports(run: Run) -> list[dict[str, str]]:
    """`pulumi import --file` entries for the five resources, under the YAML program's names."""
    out = run.outputs
    return [
        {"type": f"alicloud-versions:{kind}", "name": name, "id": id_}
        for kind, name, id_ in (
            (cost.APPLICATION, APP, out["app_id"]),
            (cost.PKG_VERSION, PKG, f"{out['app_id']}:{out['pkg_version_id']}"),
            (cost.TEMPLATE, TEMPLATE, out["template_url"]),
            (cost.PRODUCT, PRODUCT, out["product_id"]),
            (cost.PRODUCT_VERSION, PV, out["product_version_id"]),
        )
    ]
