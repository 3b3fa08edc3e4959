"""The real engine runs a stack of one trivial dynamic resource through its whole life."""

from __future__ import annotations

import importlib.metadata as metadata
from pathlib import Path

import pulumi
import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from pulumi import automation as auto

from tests.support.engine import StaleResult, inline_stack, pulumi_command
from tests.support.noop import Noop


def _program() -> None:
    res = Noop("smoke", value=pulumi.Config().get("value") or "one")
    pulumi.export("value", res.value)


def test_preview_up_noop_up_destroy(tmp_path: Path) -> None:
    """preview plans a create, up creates, a second up changes nothing, destroy deletes it."""
    with inline_stack(tmp_path, _program, project="smoke") as st:
        preview = st.preview()
        assert preview.change_summary == {auto.OpType.CREATE: 2}  # the stack and the resource

        up = st.up()
        assert up.summary.result == "succeeded"
        assert up.summary.resource_changes == {"create": 2}
        assert up.outputs["value"].value == "one"

        again = st.up()
        assert again.summary.resource_changes == {"same": 2}

        st.set_config("value", auto.ConfigValue("two"))
        assert st.preview().change_summary == {
            auto.OpType.SAME: 1,
            auto.OpType.UPDATE: 1,
        }

        down = st.destroy()
        assert down.summary.result == "succeeded"
        assert down.summary.resource_changes == {"delete": 2}
        assert st.export_stack().deployment.get("resources") in (None, [])
        # The harness reads a result's outputs when they are looked at: never those of a later
        # operation.
        with pytest.raises(StaleResult):
            again.outputs["value"]


def test_engine_is_in_the_supported_range() -> None:
    """The engine the tests drive is within the `pulumi` range the package declares, the range
    scripts/install-pulumi accepts from PATH: users keep the CLI they have, so the tests run on
    whichever supported one is installed, not only on the SDK's own version."""
    found = Version(str(pulumi_command().version))
    declared = next(
        r.specifier
        for r in map(Requirement, metadata.requires("pulumi-alicloud-versions") or [])
        if r.name == "pulumi"
    )
    assert found in declared, f"engine {found} is outside pulumi{declared}"
