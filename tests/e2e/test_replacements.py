"""What a change to a version previews as, and how the engine carries it out."""

from __future__ import annotations

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
    resources,
    set_config,
)

DELETE_BEFORE_REPLACE = ["delete-replaced", "replace", "create-replacement"]
CREATE_BEFORE_DELETE = ["create-replacement", "replace", "delete-replaced"]


def _up_then_change(stack: auto.Stack, **config: str) -> tuple[auto.UpResult, Events]:
    """Deploy, apply `config`, and preview it; the preview's events."""
    first = stack.up()
    assert first.summary.resource_changes == {"create": RELEASE_RESOURCES}
    assert first.outputs  # read before the stack's next operation, which a result cannot follow
    set_config(stack, **config)
    events = Events()
    stack.preview(on_event=events)
    return first, events


def test_pkg_version_description_change_replaces_delete_first(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A new description with the same label replaces the package version, old one deleted
    first."""
    first, preview = _up_then_change(release, desc_a="release 1.0, rebuilt")
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
    old_id = first.outputs["pkg_version_ids"].value[0]
    new_id = up.outputs["pkg_version_ids"].value[0]
    assert new_id != old_id
    held = {
        p["PkgVersionId"]: p for p in emulator_process.inventory(account.account_id)["pkg_versions"]
    }
    assert sorted(held) == sorted(up.outputs["pkg_version_ids"].value)
    assert held[new_id]["PkgVersionDescription"] == "release 1.0, rebuilt"


def test_pkg_version_label_change_replaces_create_first(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A new label replaces the package version, the new one created before the old is
    deleted."""
    # Only the label: the package and description stay those of 1.0.
    _, preview = _up_then_change(
        release, label_a="1.1", desc_a="release 1.0", source_a=f"oss://{BUCKET}/shop/shop-1.0.war"
    )
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


def test_product_version_field_change_updates_in_place(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A change to a product version's guidance, active, name or description updates it in
    place, and the diff names only that field."""
    first = release.up()
    pv_id = first.outputs["product_version_ids"].value[0]
    for key, value, field, live_field in IN_PLACE:
        set_config(release, **{key: value})
        preview = Events()
        release.preview(on_event=preview)
        assert preview.changed() == {PV_A: "update"}, key
        assert changed_inputs(preview.step(PV_A, "update")) == [field]

        seen = len(account_requests(emulator_process, account))
        up = release.up()
        assert up.summary.resource_changes == {"update": 1, "same": 7}, key
        assert writes(account_requests(emulator_process, account)[seen:]) == [
            "UpdateProductVersion"
        ]
        assert up.outputs["product_version_ids"].value[0] == pv_id
        live_value = value == "true" if field == "active" else value
        (held,) = [
            v
            for v in emulator_process.inventory(account.account_id)["product_versions"]
            if v["ProductVersionId"] == pv_id
        ]
        assert held[live_field] == live_value
        assert resources(release)[PV_A]["outputs"][field] == live_value


def test_product_version_template_change_replaces(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """A new template body uploads a new template, and each product version pointing at it is
    replaced, the new one created first."""
    first, preview = _up_then_change(release, template_body='{"Resources": {}}')
    assert preview.changed() == {TEMPLATE: "replace", PV_A: "replace", PV_B: "replace"}
    assert preview.step(TEMPLATE, "replace").keys == ["template_body"]
    for pv in (PV_A, PV_B):
        assert preview.ops(pv) == CREATE_BEFORE_DELETE
        assert preview.step(pv, "replace").keys == ["template_url"]

    up = release.up()
    assert up.summary.resource_changes == {"replace": 3, "same": 5}
    new_url = up.outputs["template_url"].value
    assert new_url != first.outputs["template_url"].value
    held = emulator_process.inventory(account.account_id)["product_versions"]
    assert sorted(v["ProductVersionId"] for v in held) == sorted(
        up.outputs["product_version_ids"].value
    )
    assert {v["TemplateUrl"] for v in held} == {new_url}


def test_forced_replacement_makes_a_new_version_and_deletes_the_old(
    release: auto.Stack, emulator_process: EmulatorProcess, account: Account
) -> None:
    """`pulumi up --replace` of an unchanged product version creates a new one, then deletes
    the old one, and the state holds the new one (create never adopts the old one, which
    matches it in every field)."""
    first = release.up().outputs["product_version_ids"].value
    urn = next(
        r["urn"]
        for r in release.export_stack().deployment["resources"]
        if r["urn"].endswith(f"::{PV_B}")
    )
    events = Events()
    up = release.up(replace=[urn], on_event=events)
    assert up.summary.resource_changes == {"replace": 1, "same": RELEASE_RESOURCES - 1}
    assert events.ops(PV_B) == CREATE_BEFORE_DELETE

    old_id = first[1]
    new_id = up.outputs["product_version_ids"].value[1]
    assert new_id != old_id
    held = [
        v["ProductVersionId"]
        for v in emulator_process.inventory(account.account_id)["product_versions"]
    ]
    assert sorted(held) == sorted([first[0], new_id])
    assert resources(release)[PV_B]["id"] == new_id
