"""SIGKILL of `pulumi up` run in the engine's fast mode (`PULUMI_SKIP_CHECKPOINTS=true`, one
state write at the end), then `alicloud-versions recover --yes` and `pulumi up`: exactly one of
each declared resource, and a clean preview.

A killed fast-mode update leaves nothing of itself in the state but its lock; recover finds
what it made from the program's plan and the provider's create records. The kill's moment comes from
evidence, as in test_kill: the emulator's list of requests in flight.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.reliability.test_kill import (
    KINDS_RECOVERED,
    LATENCY_MS,
    VERSIONS,
    _finish_in_flight,
    _kill_up_when,
)
from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.inventory import Comparison, compare, kind_of

FAST = {"PULUMI_SKIP_CHECKPOINTS": "true"}


@pytest.fixture
def fast_project(tmp_path: Any) -> CliProject:
    """A fresh release project whose every pulumi command runs in fast mode."""
    return CliProject(tmp_path, env=FAST, in_process=True)


# What recover and up left after test_recover_after_a_killed_fast_mode_up_of_30_resources in
# this process: the strict xfail of the known template gap (the test after it) reads it rather
# than killing, recovering and updating a release once more (about 15 CPU s).
_AFTER_30: list[Comparison] = []


def _ours(deployment: Mapping[str, Any]) -> list[str]:
    return [r["urn"] for r in deployment.get("resources") or [] if kind_of(r["type"])]


def _kill_fast_up(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    **sizes: int,
) -> Any:
    """A first fast-mode up of the release stack, killed once versions of both kinds are in
    flight and those calls then applied; the emulator."""
    emu = own_emulator()
    project.init(config_for(stack_config, emu, **sizes))
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: set(flying) >= VERSIONS)
    _finish_in_flight(emu, applied=True)
    killed = project.export()
    assert _ours(killed) == [] and not killed.get("pending_operations"), killed
    assert compare(emu, account.account_id, killed).orphans  # made, and untracked
    return emu


def _recover_and_up(
    project: CliProject,
    emu: Any,
    account: Account,
    *,
    plan_first: bool = False,
    preview: bool = True,
) -> tuple[Comparison, str]:
    """`recover --yes`, which must see fast mode, then up; the comparison and recover's output.

    With `plan_first`, recover first runs without --yes, which must see fast mode too and
    change nothing (one test proves it: the --yes run plans the same way); with `preview`, the
    last up must leave a clean preview."""
    if plan_first:
        before = project.export()
        shown = project.recover()
        assert "Plan only" in shown.stdout and "fast mode" in shown.stdout, shown.stdout
        assert project.export() == before  # a plan changes nothing
    done = project.recover("--yes")
    assert "Done" in done.stdout and "fast mode" in done.stdout, done.stdout
    project.up()
    if preview:
        project.run("preview", "--expect-no-changes")
    return compare(emu, account.account_id, project.export()), done.stdout


def test_recover_after_a_killed_fast_mode_up_of_30_resources(
    fast_project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """Killed mid-way through a fast-mode up of 30 resources, with versions of both kinds in
    flight: recover imports what the update made (parents in the first round, their versions
    in the next), and up leaves exactly one Application, PkgVersion, Product and
    ProductVersion of each declared one, and a clean preview."""
    emu = _kill_fast_up(fast_project, own_emulator, stack_config, account)
    comparison, table = _recover_and_up(fast_project, emu, account)
    _AFTER_30.append(comparison)
    for key in KINDS_RECOVERED:
        assert key not in comparison.orphans, comparison
        assert key not in comparison.missing, comparison
        assert key not in comparison.duplicate_names, comparison
    assert "Round 2" in table and "import " in table, table
    assert "left behind" in table  # the template, whose upload cannot be found again


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="a template upload cannot be found again: the API cannot list, read or delete "
    "templates, so the upload the killed update made stays unused and the next up makes "
    "another",
)
def test_recover_after_a_killed_fast_mode_up_leaves_no_template_upload_behind(
    fast_project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """The template upload a killed fast-mode update made is not orphaned."""
    if _AFTER_30:  # the same path, the template's upload among what the killed update made
        (comparison,) = _AFTER_30
    else:
        emu = _kill_fast_up(
            fast_project, own_emulator, stack_config, account, pkgVersions=2, productVersions=2
        )
        # The clean preview after this path is test_recover_after_a_killed_fast_mode_up_of_30_
        # resources' to prove.
        comparison, _ = _recover_and_up(fast_project, emu, account, preview=False)
    assert "templates" not in comparison.orphans, comparison


def test_recover_finds_a_killed_fast_mode_update_by_its_records_alone(
    fast_project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """A stack whose parents exist gains versions in a fast-mode up that is killed; recover,
    run without PULUMI_SKIP_CHECKPOINTS and without --fast-mode, sees the creates it recorded
    that the state does not hold, searches the plan with the provider already in the state,
    and imports the versions that were made in one round; up leaves one of each."""
    emu = own_emulator()
    fast_project.init(config_for(stack_config, emu, pkgVersions=0, productVersions=0))
    fast_project.up()
    fast_project.configure(
        {f"reliability:{k}": auto.ConfigValue("3") for k in ("pkgVersions", "productVersions")}
    )
    before = fast_project.export()
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(fast_project, emu, lambda flying: set(flying) >= VERSIONS)
    _finish_in_flight(emu, applied=True)
    assert fast_project.export() == before  # the killed update recorded nothing
    del fast_project.env["PULUMI_SKIP_CHECKPOINTS"]
    comparison, table = _recover_and_up(fast_project, emu, account, plan_first=True)
    # Their parents were in the state: one round finds them all, and no create waits for
    # another, so no second plan is made.
    assert "import " in table and "Round 2" not in table, table
    assert comparison.converged, comparison  # the template existed before: nothing left over


def test_without_the_lock_the_records_still_bound_what_recover_adopts(
    fast_project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """Once the killed fast-mode update's lock is gone (`pulumi cancel`), its create records
    still say what it sent and when: recover imports what it made, and up leaves one of each."""
    emu = _kill_fast_up(
        fast_project, own_emulator, stack_config, account, pkgVersions=2, productVersions=2
    )
    fast_project.run("cancel", "--yes")
    comparison, table = _recover_and_up(fast_project, emu, account)
    assert "import " in table, table
    for key in KINDS_RECOVERED:
        assert key not in comparison.orphans and key not in comparison.duplicate_names, comparison


def test_recover_finishes_a_killed_fast_mode_up_of_the_plugins_resources(
    tmp_path: Any, own_emulator: StartEmulator, account: Account
) -> None:
    """The YAML example on the provider plugin, killed in fast mode while its package version
    was in flight: recover finds the application and product through the plan's camelCase
    inputs and the plugin's default provider (made from the stack's config), then the package
    version whose inputs come from the application; up leaves one of each. A secret input
    (the application's description), which the plan hides, is not compared, and the state
    keeps what was found for it secret; the plain ones (the product's, the package's) are."""
    from tests.support.engine import TOOLS
    from tests.support.plugin import (
        EXAMPLE,
        VENV_BIN,
        account_plugin_config,
        search_path,
        yaml_project,
    )

    program = EXAMPLE.read_text()
    description = "appDescription: Web shop declared in Pulumi YAML"
    assert description in program
    # One run proves both: the plain inputs of every resource, the secret one of the app.
    program = program.replace(
        description, "appDescription:\n        fn::secret: Web shop declared in Pulumi YAML"
    )
    emu = own_emulator()
    project = yaml_project(
        tmp_path,
        program,
        account_plugin_config(emu, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    project.env.update(FAST)
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: "CreatePkgVersion" in flying)
    _finish_in_flight(emu, applied=True)
    assert _ours(project.export()) == []
    comparison, table = _recover_and_up(project, emu, account)
    assert "Round 2" in table and table.count("import ") >= 3, table
    assert "not compared: app_description" in table
    (app,) = [r for r in project.export()["resources"] if r["urn"].endswith("::app")]
    assert "ciphertext" in app["inputs"]["appDescription"], app["inputs"]
    for key in KINDS_RECOVERED:
        assert key not in comparison.orphans and key not in comparison.duplicate_names, comparison
