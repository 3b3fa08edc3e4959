"""The release stack with its state in an S3-compatible bucket (moto on loopback), as a team
keeps it in OSS: the lifecycle there, and two `pulumi up` racing for the stack's lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.reliability.conftest import StartEmulator, config_for
from tests.support.accounts import Account
from tests.support.aws import MotoProcess
from tests.support.cli import CliProject, wait_for
from tests.support.inventory import compare, state_ids
from tests.support.release import resource_count

BUCKET = "team-pulumi-state"
# Each call of the first update waits this long in the emulator: the second update starts once
# the first's creates are in flight, so it has this long to reach the lock, however busy the
# machine (at 1.5 s from the lock, the first update ended before the second reached it in two
# full runs of a busy day). Cleared once the second has failed, so only the creates in flight
# then wait it out.
LATENCY_MS = 6000


@pytest.fixture
def s3() -> Iterator[MotoProcess]:
    """An S3-compatible server of this test's own, with the state bucket made."""
    server = MotoProcess().start()
    try:
        server.client().create_bucket(Bucket=BUCKET)
        yield server
    finally:
        server.stop()


def _keys(s3: MotoProcess, prefix: str) -> list[str]:
    listing = s3.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def test_state_in_s3_survives_two_racing_updates(
    tmp_path: Path,
    s3: MotoProcess,
    own_emulator: StartEmulator,
    stack_config: dict[str, auto.ConfigValue],
    account: Account,
) -> None:
    """With the state in a bucket: up, then two ups of one change at once (the second fails
    on the first's lock), then nothing left to change, then destroy; the state and the account
    agree after each step, and no lock is left behind."""
    project = CliProject(
        tmp_path, env={**s3.env(), "PULUMI_BACKEND_URL": s3.backend_url(BUCKET)}, in_process=True
    )
    emu = own_emulator()
    project.init(config_for(stack_config, emu, pkgVersions=1, productVersions=1))
    project.up()
    assert ".pulumi/stacks/reliability/test.json" in _keys(s3, ".pulumi/stacks/")
    assert compare(emu, account.account_id, project.export()).converged

    project.run("config", "set", "reliability:pkgVersions", "3")
    emu.set_faults(latency_ms=LATENCY_MS)
    first = project.start("up", "--yes", "--skip-preview", log=tmp_path / "first-up.log")
    try:
        lock = wait_for(
            "the first up's lock", lambda: _keys(s3, ".pulumi/locks/") or None, timeout=60
        )
        wait_for(
            "the first up's creates in flight",
            lambda: True if "CreatePkgVersion" in emu.in_flight() else None,
            timeout=60,
            every=0.05,
        )
        second = project.up(check=False, timeout=120)
        assert first.poll() is None, "the first up ended before the second one started"
        emu.set_faults()
        assert second.returncode != 0
        assert "the stack is currently locked" in second.stderr, second.stdout + second.stderr
        assert first.wait(timeout=180) == 0, (tmp_path / "first-up.log").read_text()
    finally:
        if first.poll() is None:
            CliProject.kill(first)
    emu.set_faults()
    assert len(lock) == 1
    assert _keys(s3, ".pulumi/locks/") == []

    after = project.export()
    assert sum(map(len, state_ids(after).values())) == resource_count(3, 1)
    assert compare(emu, account.account_id, after).converged
    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes")
    assert sum(map(len, state_ids(project.export()).values())) == 0
    # Service Catalog cannot delete a template: only that upload stays.
    held = emu.inventory(account.account_id)
    assert {kind: ids for kind, ids in held.items() if ids and kind != "templates"} == {}
