"""What a change to a version previews as, and how the engine carries it out."""

from __future__ import annotations

from typing import Any

from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, writes
from tests.support.emulator import EmulatorProcess
from tests.support.stacks import (
    BUCKET,
    PKG_A,
    PV_A,
    PV_B,
    RELEASE_RESOURCES,
    TEMPLATE,
    Events,
    changed_inputs,
    outputs,
    resources,
    set_config,
)

DELETE_BEFORE_REPLACE = ["delete-replaced", "replace", "create-replacement"]
CREATE_BEFORE_DELETE = ["create-replacement", "replace", "delete-replaced"]


def _deploy(stack: auto.Stack) -> dict[str, Any]:
    """Deploy the release program; its outputs."""
    first = stack.up()
    assert first.summary.resource_changes == {"create": RELEASE_RESOURCES}
    return outputs(stack)


def _change(stack: auto.Stack, **config: str) -> Events:
    """Apply `config` and preview it; the preview's events."""
    set_config(stack, **config)
    events = Events()
    stack.preview(on_event=events)
    return events


def test_each_change_previews_and_applies_as_declared(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """On one deployed release stack, in turn (each former test deployed the same stack
    first): a package version's new description with the same label replaces it, old one
    deleted first (formerly test_pkg_version_description_change_replaces_delete_first); a new
    label replaces it, the new one created before the old is deleted (formerly
    test_pkg_version_label_change_replaces_create_first); a change to a product version's
    guidance, active, name or description updates it in place, and the diff names only that
    field (formerly test_product_version_field_change_updates_in_place); a new template body
    uploads a new template, and each product version pointing at it is replaced, the new one
    created first (formerly test_product_version_template_change_replaces); `pulumi up
    --replace` of an unchanged product version creates a new one, then deletes the old one, and
    the state holds the new one: create never adopts the old one, which matches it in every
    field (formerly test_forced_replacement_makes_a_new_version_and_deletes_the_old)."""
    first = _deploy(release)
    _pkg_version_changes(release, emulator_process, account, first)
    _product_version_changes(release, emulator_process, account, first)


def _pkg_version_changes(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account, first: dict[str, Any]
) -> None:
    """A new description replaces pkg-a deleting first; a new label, creating first."""
    preview = _change(release, desc_a="release 1.0, rebuilt")
    assert preview.ops(PKG_A) == DELETE_BEFORE_REPLACE
    assert preview.step(PKG_A, "replace").keys == ["pkg_version_description"]
    # pv-a's description is pkg-a's id, unknown until the replacement exists.
    assert preview.changed() == {PKG_A: "replace", PV_A: "update"}

    seen = len(account_requests(emulator_process, account))
    events = Events()
    up = release.up(on_event=events)
    assert up.summary.resource_changes == {"replace": 1, "update": 1, "same": 6}
    assert events.ops(PKG_A) == DELETE_BEFORE_REPLACE
    assert writes(account_requests(emulator_process, account)[seen:]) == [
        "DeletePkgVersion",
        "CreatePkgVersion",
        "UpdateProductVersion",
    ]
    old_id = first["pkg_version_ids"][0]
    new_ids = outputs(release)["pkg_version_ids"]
    assert new_ids[0] != old_id
    held = {
        p["PkgVersionId"]: p for p in emulator_process.inventory(account.account_id)["pkg_versions"]
    }
    assert sorted(held) == sorted(new_ids)
    assert held[new_ids[0]]["PkgVersionDescription"] == "release 1.0, rebuilt"

    # Only the label: the package and description stay what they are.
    preview = _change(release, label_a="1.1", source_a=f"oss://{BUCKET}/shop/shop-1.0.war")
    assert preview.ops(PKG_A) == CREATE_BEFORE_DELETE
    assert preview.step(PKG_A, "replace").keys == ["pkg_version_label"]

    seen = len(account_requests(emulator_process, account))
    events = Events()
    up = release.up(on_event=events)
    assert up.summary.resource_changes == {"replace": 1, "update": 1, "same": 6}
    assert events.ops(PKG_A) == CREATE_BEFORE_DELETE
    assert writes(account_requests(emulator_process, account)[seen:]) == [
        "CreatePkgVersion",
        "UpdateProductVersion",
        "DeletePkgVersion",
    ]
    labels = sorted(
        p["PkgVersionLabel"] for p in emulator_process.inventory(account.account_id)["pkg_versions"]
    )
    assert labels == ["1.1", "2.0"]


# Config key of the release program, its value, the input it sets, and the live record's field.
IN_PLACE = [
    ("pv_guidance", "Latest", "guidance", "Guidance"),
    ("pv_active", "false", "active", "Active"),
    ("pv_name", "v1-final", "product_version_name", "ProductVersionName"),
    ("pv_description", "hand-written", "description", "Description"),
]


def _product_version_changes(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account, first: dict[str, Any]
) -> None:
    """pv-a's fields update in place one by one; a new template replaces both product
    versions; a forced replacement of pv-b makes a new one."""
    pv_id = first["product_version_ids"][0]
    for key, value, field, live_field in IN_PLACE:
        preview = _change(release, **{key: value})
        assert preview.changed() == {PV_A: "update"}, key
        assert changed_inputs(preview.step(PV_A, "update")) == [field]

        seen = len(account_requests(emulator_process, account))
        up = release.up()
        assert up.summary.resource_changes == {"update": 1, "same": 7}, key
        assert writes(account_requests(emulator_process, account)[seen:]) == [
            "UpdateProductVersion"
        ]
        assert outputs(release)["product_version_ids"][0] == pv_id
        live_value = value == "true" if field == "active" else value
        (held,) = [
            v
            for v in emulator_process.inventory(account.account_id)["product_versions"]
            if v["ProductVersionId"] == pv_id
        ]
        assert held[live_field] == live_value
        assert resources(release)[PV_A]["outputs"][field] == live_value

    preview = _change(release, template_body='{"Resources": {}}')
    assert preview.changed() == {TEMPLATE: "replace", PV_A: "replace", PV_B: "replace"}
    assert preview.step(TEMPLATE, "replace").keys == ["template_body"]
    for pv in (PV_A, PV_B):
        assert preview.ops(pv) == CREATE_BEFORE_DELETE
        assert preview.step(pv, "replace").keys == ["template_url"]

    up = release.up()
    assert up.summary.resource_changes == {"replace": 3, "same": 5}
    before = outputs(release)
    new_url = before["template_url"]
    assert new_url != first["template_url"]
    held = emulator_process.inventory(account.account_id)["product_versions"]
    assert sorted(v["ProductVersionId"] for v in held) == sorted(before["product_version_ids"])
    assert {v["TemplateUrl"] for v in held} == {new_url}

    events = Events()
    up = release.up(replace=[resources(release)[PV_B]["urn"]], on_event=events)
    assert up.summary.resource_changes == {"replace": 1, "same": RELEASE_RESOURCES - 1}
    assert events.ops(PV_B) == CREATE_BEFORE_DELETE

    old_id = before["product_version_ids"][1]
    new_id = outputs(release)["product_version_ids"][1]
    assert new_id != old_id
    held_ids = [
        v["ProductVersionId"]
        for v in emulator_process.inventory(account.account_id)["product_versions"]
    ]
    assert sorted(held_ids) == sorted([before["product_version_ids"][0], new_id])
    assert resources(release)[PV_B]["id"] == new_id
