"""SIGKILL of `pulumi up` while creates are in flight, then `alicloud-versions recover --yes` and
`pulumi up`: exactly one of each declared resource, and a clean preview.

The kill's moment comes from evidence: the emulator's list of requests in flight (arrived, not
yet answered) holds the creates to interrupt. Each request waits `LATENCY_MS` before the server
applies it, so after the kill the server either applies it ("applied": the answer is lost) or,
killed too, never does ("lost": the pending create made nothing).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.support.accounts import Account
from tests.support.cli import CliProject, wait_for
from tests.support.emulator import EmulatorProcess
from tests.support.engine import TOOLS
from tests.support.inventory import Comparison, compare, pending_operations

# Every API call waits this long in the emulator, so the kill lands while creates are in flight.
LATENCY_MS = 3000

# Which creates are in flight at each kill point, and the release sizes around it.
PARENTS = frozenset({"CreateApplication", "CreateProduct", "CreateTemplate"})
VERSIONS = frozenset({"CreatePkgVersion", "CreateProductVersion"})
KINDS_RECOVERED = ("applications", "pkg_versions", "products", "product_versions")


# What recover and up left, by the scenario that led there ((stage, applied)): the strict
# xfail of the known template gap reads the one its passing twin made in this process rather
# than killing, recovering and updating the same release once more (about 8 CPU s).
_AFTER_RECOVERY: dict[tuple[str, bool], Comparison] = {}


def _pending(deployment: Mapping[str, Any]) -> list[str]:
    """Type tokens of the creates pending in a deployment."""
    return [op["resource"]["type"] for op in pending_operations(deployment)]


def _kill_up_when(
    project: CliProject, emu: EmulatorProcess, ready: Callable[[dict[str, int]], bool]
) -> None:
    """Start `pulumi up` and SIGKILL it (its whole tree) once the emulator's in-flight
    requests are `ready`."""
    proc = project.start("up", "--yes", "--skip-preview")
    try:

        def kill_point() -> bool | None:
            if proc.poll() is not None:
                pytest.fail(f"pulumi up ended (status {proc.returncode}) before the kill point")
            return True if ready(emu.in_flight()) else None

        wait_for("the creates to be in flight", kill_point, timeout=120, every=0.05)
    finally:
        project.kill(proc)


def _finish_in_flight(emu: EmulatorProcess, *, applied: bool) -> None:
    """Let the server apply what is in flight, or kill it first so it never does."""
    if applied:
        wait_for(
            "the in-flight calls to end", lambda: True if not emu.in_flight() else None, timeout=60
        )
    else:
        assert emu.proc is not None
        emu.proc.kill()
        emu.proc.wait(timeout=30)
        emu.restart()
    emu.set_faults()


def _prepare(
    project: CliProject, emu: EmulatorProcess, stack_config: dict[str, auto.ConfigValue], stage: str
) -> frozenset[str]:
    """The stack before the up to kill; the creates that up is killed during."""
    if stage == "parents":
        project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=1))
        return PARENTS
    project.init(config_for(stack_config, emu, pkgVersions=0, productVersions=0))
    project.up()
    project.configure(
        {f"reliability:{k}": auto.ConfigValue("2") for k in ("pkgVersions", "productVersions")}
    )
    return VERSIONS


def _kill_recover_up(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    stage: str,
    applied: bool,
    *,
    plan_first: bool = False,
    preview: bool = True,
) -> tuple[Comparison, str]:
    """Kill an up at `stage`, recover, up again; the comparison and recover's output.

    With `plan_first`, recover first runs without --yes, which must change nothing (one
    variant proves it: the --yes run plans the same way); with `preview`, the last up must
    leave a clean preview."""
    emu = own_emulator()
    wanted = _prepare(project, emu, stack_config, stage)
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: wanted <= set(flying))
    _finish_in_flight(emu, applied=applied)

    killed = project.export()
    assert len(_pending(killed)) >= len(wanted), killed.get("pending_operations")
    orphans = compare(emu, account.account_id, killed).orphans
    assert bool(orphans) == applied, orphans

    if plan_first:
        plan = project.recover()
        assert "Plan only" in plan.stdout
        assert project.export().get("pending_operations") == killed.get("pending_operations")
    done = project.recover("--yes")
    assert "Done" in done.stdout, done.stdout
    project.up()
    if preview:
        project.run("preview", "--expect-no-changes")
    return compare(emu, account.account_id, project.export()), done.stdout


# parents-applied last, next to the template gap's xfail below, which reads what it left.
@pytest.mark.parametrize("applied", [False, True], ids=["lost", "applied"])
@pytest.mark.parametrize("stage", ["versions", "parents"])
def test_recover_after_a_kill_leaves_exactly_one_of_each_resource(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
    stage: str,
    applied: bool,
) -> None:
    """Killed while the parents' (or the versions') creates were in flight, whether or not the
    server then applied them: recover and up leave exactly one Application, PkgVersion, Product
    and ProductVersion of each declared one, and the next preview is clean. Recover's plan
    alone (without --yes) changes nothing."""
    comparison, table = _kill_recover_up(
        project,
        own_emulator,
        stack_config,
        account,
        stage,
        applied,
        plan_first=(stage, applied) == ("parents", True),
    )
    _AFTER_RECOVERY[(stage, applied)] = comparison
    for key in KINDS_RECOVERED:
        assert key not in comparison.orphans, comparison
        assert key not in comparison.missing, comparison
        assert key not in comparison.duplicate_names, comparison
    found = "import " if applied else "nothing made by its create"
    assert found in table
    if stage == "parents":
        assert "left behind" in table  # the template, whose upload cannot be found again


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="a template upload cannot be found again: the API cannot list, read or delete "
    "templates, so recover clears its pending create and the next up uploads a second copy",
)
def test_recover_after_a_kill_leaves_no_template_upload_behind(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """A template upload the server applied after the kill is not orphaned."""
    # The run of test_recover_after_a_kill_leaves_exactly_one_of_each_resource[parents-applied],
    # made here (without what that one proves: the plan, the clean preview) only when that
    # test did not run in this process.
    comparison = _AFTER_RECOVERY.get(("parents", True))
    if comparison is None:
        comparison, _ = _kill_recover_up(
            project, own_emulator, stack_config, account, "parents", applied=True, preview=False
        )
    assert "templates" not in comparison.orphans, comparison


def test_recover_after_a_kill_mid_up_of_30_resources(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """Killed mid-way through an up of 30 resources with versions of both kinds in flight,
    recover and up converge: inventory equals state but for the documented template case."""
    emu = own_emulator()
    project.init(config_for(stack_config, emu))
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: set(flying) >= VERSIONS)
    _finish_in_flight(emu, applied=True)
    project.recover("--yes")
    project.up()
    project.run("preview", "--expect-no-changes")
    comparison = compare(emu, account.account_id, project.export())
    assert comparison.converged, comparison


def test_recover_without_pending_creates_changes_nothing(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """On a stack with nothing pending, recover says so and exits 0; the update that ended
    left no create record behind."""
    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=0, productVersions=0))
    project.up()
    assert list((project.dir.parent / "state").rglob("*.jsonl")) == []
    done = project.recover("--yes")
    assert "nothing to recover" in done.stdout


def test_recover_repairs_the_metadata_file_a_killed_checkpoint_write_left_empty(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """The file backend truncates a checkpoint's metadata file, then writes it: a kill in
    between (as once in the 30-resource kill above) leaves it empty, and every pulumi command on
    the stack fails with `EOF`. recover names it, removes it with --yes, and the stack reads
    again as saved."""
    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=0))
    project.up()
    saved = project.export()
    attrs = project.backend / ".pulumi" / "stacks" / project.project / f"{project.stack}.json.attrs"
    attrs.write_bytes(b"")  # the moment of the kill: truncated, not yet written
    broken = project.run("stack", "ls", check=False)
    assert broken.returncode != 0 and "EOF" in broken.stderr, broken

    plan = project.recover(check=False)
    assert plan.returncode == 1 and str(attrs) in plan.stdout, plan
    done = project.recover("--yes")
    assert f"Removed an empty metadata file a killed write left: {attrs}" in done.stdout
    assert "nothing to recover" in done.stdout
    assert json.loads(project.run("stack", "export").stdout)["deployment"] == saved
    project.run("preview", "--expect-no-changes")


def test_recover_refuses_while_another_update_holds_the_lock(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """A lock held by a process that still runs is never removed: recover says to wait or
    `pulumi cancel`, and changes nothing."""
    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=0))
    emu.set_faults(latency_ms=LATENCY_MS)
    proc = project.start("up", "--yes", "--skip-preview")
    try:
        wait_for(
            "a create in flight",
            lambda: True if emu.in_flight().get("CreateApplication") else None,
            timeout=120,
            every=0.05,
        )
        refused = project.recover("--yes", check=False)
        assert refused.returncode == 1
        assert "pulumi cancel" in refused.stderr and "is locked by" in refused.stderr
    finally:
        project.kill(proc)


def test_recover_is_a_console_script() -> None:
    """The package installs `alicloud-versions` with a `recover` subcommand."""
    done = subprocess.run(
        [CliProject.script("alicloud-versions"), "recover", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "--yes" in done.stdout and "--stack" in done.stdout and "--cwd" in done.stdout


def test_recover_finishes_the_plugins_creates_too(
    tmp_path: Path, own_emulator: StartEmulator, account: Account
) -> None:
    """A YAML program on the provider plugin, killed while its parents' creates were in flight
    and then applied: recover adopts them through the plugin's camelCase inputs and keys."""
    from tests.support.plugin import (
        EXAMPLE,
        VENV_BIN,
        account_plugin_config,
        search_path,
        yaml_project,
    )

    emu = own_emulator()
    project = yaml_project(
        tmp_path,
        EXAMPLE.read_text(),
        account_plugin_config(emu, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: set(flying) >= PARENTS)
    _finish_in_flight(emu, applied=True)
    done = project.recover("--yes")
    assert done.stdout.count("import ") == 2, done.stdout
    project.up()
    project.run("preview", "--expect-no-changes")
    comparison = compare(emu, account.account_id, project.export())
    for key in KINDS_RECOVERED:
        assert key not in comparison.orphans and key not in comparison.duplicate_names, comparison


def _lock_files(project: CliProject) -> dict[Path, bytes]:
    """The stack's lock files in the project's file backend, with their contents."""
    folder = project.backend / ".pulumi" / "locks" / "organization" / project.project
    found = {}
    for path in (folder / project.stack).glob("*.json"):
        with contextlib.suppress(OSError):
            found[path] = path.read_bytes()
    return found


def test_recover_racing_a_new_update_never_removes_its_lock(
    project: CliProject,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """recover saw the killed update's lock stale; before it acts, that lock is cancelled and a
    new `pulumi up` takes the stack: recover removes only the lock it proved stale (already
    gone), so the new update's lock stays, the import is refused, and the new update ends
    well."""
    from alicloud_versions.recover import Pulumi, RecoveryError, plan, recover

    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=0, productVersions=0))
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: "CreateApplication" in flying)
    _finish_in_flight(emu, applied=True)
    (killed_lock,) = _lock_files(project)

    for key, value in project.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PULUMI_COMMAND", str(TOOLS / "bin" / "pulumi"))
    found = plan(Pulumi(project.dir))
    assert [lock.path for lock in found.locks] == [killed_lock] and found.locks[0].stale

    project.run("cancel", "--yes")  # the user's own cancel, or another recover
    emu.set_faults(latency_ms=20_000)  # the new update holds its lock while recover runs
    log = project.dir.parent / "new-up.log"
    new_up = project.start("up", "--yes", "--skip-preview", log=log)
    try:
        new_lock = wait_for(
            "the new update's lock and a call in flight",
            lambda: _lock_files(project) if _lock_files(project) and emu.in_flight() else None,
            timeout=120,
        )
        # Refused, before any import: the new update has added pending creates of its own.
        with pytest.raises(RecoveryError, match="pending creates changed"):
            recover(Pulumi(project.dir), found)
        assert _lock_files(project) == new_lock
        emu.set_faults()
        assert new_up.wait(timeout=180) == 0, log.read_text()
    finally:
        project.kill(new_up)
    assert _lock_files(project) == {}
    project.run("preview", "--expect-no-changes")


def test_recover_looks_up_with_the_explicit_provider_of_another_account(
    tmp_path: Path, own_emulator: StartEmulator, account: Account
) -> None:
    """A YAML stack whose explicit provider carries another account's key and a region, the
    stack's config this account's: recover finds the application the killed update made with
    that provider, not the same-named one made meanwhile in the config's account, and the
    next up makes no second one."""
    from alibabacloud_webplus20190320 import models as wp

    from tests.support.accounts import webplus_client
    from tests.support.plugin import VENV_BIN, account_plugin_config, search_path, yaml_project

    other = Account("LTAIotherAccount01", "other-account-secret-000000000001", "8100000000000001")
    emu = own_emulator(
        "--access-key", f"{other.access_key_id}:{other.access_key_secret}:{other.account_id}"
    )
    program = f"""\
name: alicloud-versions-yaml
runtime: yaml
resources:
  other:
    type: pulumi:providers:alicloud-versions
    properties:
      accessKey: {other.access_key_id}
      secretKey:
        fn::secret: {other.access_key_secret}
      region: cn-shanghai
      endpoint: {emu.url}
  app:
    type: alicloud-versions:webplus:Application
    properties: {{appName: shop, categoryName: Java}}
    options: {{provider: "${{other}}"}}
"""
    project = yaml_project(
        tmp_path,
        program,
        account_plugin_config(emu, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    emu.set_faults(latency_ms=LATENCY_MS)
    _kill_up_when(project, emu, lambda flying: "CreateApplication" in flying)
    _finish_in_flight(emu, applied=True)
    (made,) = emu.inventory(other.account_id)["applications"]
    # The same application, made meanwhile in the account the stack's config names.
    decoy = webplus_client(emu, account).create_application(
        wp.CreateApplicationRequest(app_name="shop", category_name="Java", region_id="cn-hangzhou")
    )
    decoy_id = decoy.body.application.app_id

    done = project.recover("--yes")
    assert f"import {made['AppId']}" in done.stdout, done.stdout
    assert decoy_id not in done.stdout
    project.up()
    project.run("preview", "--expect-no-changes")
    (app,) = [r for r in project.export()["resources"] if r["type"].endswith(":Application")]
    assert app["id"] == made["AppId"]
    assert [a["AppId"] for a in emu.inventory(other.account_id)["applications"]] == [made["AppId"]]
    assert [a["AppId"] for a in emu.inventory(account.account_id)["applications"]] == [decoy_id]
