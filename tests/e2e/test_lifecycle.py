"""The release stack on the real engine and the emulator: create, steady state, destroy."""

from __future__ import annotations

from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, writes
from tests.support.emulator import EmulatorProcess
from tests.support.stacks import BUCKET, RELEASE_RESOURCES, outputs, resources


def test_up_creates_everything_then_nothing_changes_and_destroy_empties_the_account(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """up creates all seven resources wired output to input; a second preview and up change
    nothing and write nothing; destroy then deletes every resource, leaving only the template,
    which the API cannot delete (formerly test_destroy_empties_the_account, which deployed the
    same stack first)."""
    assert release.preview().change_summary == {auto.OpType.CREATE: RELEASE_RESOURCES}
    up = release.up()
    assert up.summary.resource_changes == {"create": RELEASE_RESOURCES}

    out = outputs(release)
    held = emulator_process.inventory(account.account_id)
    assert [a["AppId"] for a in held["applications"]] == [out["app_id"]]
    assert [p["ProductId"] for p in held["products"]] == [out["product_id"]]
    assert [t["TemplateUrl"] for t in held["templates"]] == [out["template_url"]]
    pkgs = {p["PkgVersionId"]: p for p in held["pkg_versions"]}
    assert sorted(pkgs) == sorted(out["pkg_version_ids"])
    for pkg_id, label in zip(out["pkg_version_ids"], ["1.0", "2.0"], strict=True):
        assert pkgs[pkg_id]["AppId"] == out["app_id"]
        assert pkgs[pkg_id]["PkgVersionLabel"] == label
        assert pkgs[pkg_id]["SubmittedPackageSource"] == f"oss://{BUCKET}/shop/shop-{label}.war"
    pvs = {v["ProductVersionId"]: v for v in held["product_versions"]}
    assert sorted(pvs) == sorted(out["product_version_ids"])
    for pv_id, pkg_id in zip(out["product_version_ids"], out["pkg_version_ids"], strict=True):
        assert pvs[pv_id]["ProductId"] == out["product_id"]
        assert pvs[pv_id]["TemplateUrl"] == out["template_url"]
        assert pvs[pv_id]["Description"] == f"ships {pkg_id}"

    seen = len(account_requests(emulator_process, account))
    assert release.preview().change_summary == {auto.OpType.SAME: RELEASE_RESOURCES}
    again = release.up()
    assert again.summary.resource_changes == {"same": RELEASE_RESOURCES}
    later = account_requests(emulator_process, account)[seen:]
    assert writes(later) == []
    # Diff needs no API call and the engine does not read without --refresh: nothing at all.
    assert [r["action"] for r in later] == []

    down = release.destroy()
    assert down.summary.resource_changes == {"delete": RELEASE_RESOURCES}
    assert resources(release) == {}
    held = emulator_process.inventory(account.account_id)
    assert {kind: records for kind, records in held.items() if kind != "templates"} == {
        "applications": [],
        "pkg_versions": [],
        "products": [],
        "product_versions": [],
        "app_envs": [],
        "provisioned_products": [],
        "portfolios": [],
        "portfolio_products": [],
        "portfolio_principals": [],
    }
    # Service Catalog has no DeleteTemplate: the uploaded body stays, as in the cloud.
    assert [t["TemplateUrl"] for t in held["templates"]] == [out["template_url"]]
    deletes = writes(account_requests(emulator_process, account))
    assert sorted(a for a in deletes if a.startswith("Delete")) == [
        "DeleteApplication",
        "DeletePkgVersion",
        "DeletePkgVersion",
        "DeleteProduct",
        "DeleteProductVersion",
        "DeleteProductVersion",
    ]
