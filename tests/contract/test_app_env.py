"""AppEnv through the provider protocol: each change waited for, a version's move in place, the
delete order, the resource's timeouts, and a launch that fails kept as an init error."""

from __future__ import annotations

import time
from typing import Any

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2, status_pb2

from alicloud_versions.emulator import Emulator, FaultConfig
from alicloud_versions.webplus import (
    AppEnvProvider,
    ApplicationProvider,
    PkgVersionProvider,
)

from .conftest import Host, from_struct, sdk_client

ENV = AppEnvProvider()
PKG = PkgVersionProvider()
STACK = "ws-5d1c0a5d913567334af00001"


@pytest.fixture
def versions(host: Host) -> dict[str, Any]:
    """An application with two package versions, made through the protocol: their ids and
    outputs."""
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    made: dict[str, Any] = {"app_id": app_id}
    for label in ("v1", "v2"):
        inputs = {"app_id": app_id, "package_source": "oss://bucket/app.war"}
        made[label] = host.create(PKG, {**inputs, "pkg_version_label": label})
    return made


def env_inputs(versions: dict[str, Any], label: str = "v1", **extra: Any) -> dict[str, Any]:
    """The inputs of an environment of the application running `label`."""
    return {
        "app_id": versions["app_id"],
        "env_name": "prod",
        "stack_id": STACK,
        "pkg_version_id": versions[label][0],
        **extra,
    }


def actions(emulator: Emulator) -> list[str]:
    """The actions the emulator answered, in order."""
    return [entry["action"] for entry in emulator.requests()["requests"]]


def test_create_waits_until_the_environment_runs(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """Create answers only once the environment runs, with its status and the version's label."""
    emulator.faults = FaultConfig(settle_s=0.3)
    emulator.reset_requests()
    id_, outs = host.create(ENV, env_inputs(versions))
    assert id_.startswith("we-") and outs["env_id"] == id_
    assert (outs["env_status"], outs["pkg_version_label"]) == ("RUNNING", "v1")
    log = actions(emulator)
    assert log[0] == "CreateAppEnv" and log.count("DescribeAppEnvs") >= 2


def test_a_new_version_moves_the_environment_in_place_and_frees_the_old(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """A new pkg_version_id is an update in place that waits for the environment to run it;
    the old version, in use until then (deleting it fails), can be deleted after without
    force_delete."""
    emulator.faults = FaultConfig(settle_s=0.2)
    id_, outs = host.create(ENV, env_inputs(versions))
    v1_id, v1_outs = versions["v1"]
    with pytest.raises(grpc.RpcError) as caught:
        host.delete(PKG, v1_id, v1_outs)
    assert f"environment {id_}" in caught.value.details()
    diff = host.diff(ENV, id_, outs, env_inputs(versions, "v2"))
    assert diff.changes == diff.DIFF_SOME and list(diff.replaces) == []
    moved = host.update(ENV, id_, outs, env_inputs(versions, "v2"))
    assert (moved["pkg_version_id"], moved["pkg_version_label"]) == (versions["v2"][0], "v2")
    assert (
        moved["env_status"] == "RUNNING" and moved["latest_change_id"] != outs["latest_change_id"]
    )
    host.delete(PKG, v1_id, v1_outs)


def test_delete_terminates_waits_then_deletes(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """Delete terminates the environment, waits for TERMINATED, then deletes it: no listing
    shows it any more, and its version can be deleted without force_delete."""
    emulator.faults = FaultConfig(settle_s=0.2)
    id_, outs = host.create(ENV, env_inputs(versions))
    emulator.reset_requests()
    host.delete(ENV, id_, outs)
    log = actions(emulator)
    assert log.index("TerminateAppEnv") < log.index("DeleteAppEnv")
    assert "DescribeAppEnvs" in log[log.index("TerminateAppEnv") : log.index("DeleteAppEnv")]
    listing = sdk_client(emulator, "webplus").describe_app_envs(
        _request(versions["app_id"], include_terminated=True)
    )
    assert not listing.body.app_envs.app_env
    host.delete(PKG, *versions["v1"])
    host.delete(ENV, id_, outs)  # gone already: success


def _request(app_id: str, **fields: Any) -> Any:
    from alibabacloud_webplus20190320 import models as wp

    return wp.DescribeAppEnvsRequest(app_id=app_id, **fields)


def _init_failure(error: grpc.RpcError) -> provider_pb2.ErrorResourceInitFailed:
    """The ErrorResourceInitFailed detail of a failed call, as the engine reads it."""
    trailer = dict(error.trailing_metadata() or ())["grpc-status-details-bin"]
    status = status_pb2.Status.FromString(trailer)
    assert status.code == grpc.StatusCode.UNKNOWN.value[0] and status.message == error.details()
    [detail] = status.details
    failed = provider_pb2.ErrorResourceInitFailed()
    assert detail.Unpack(failed)
    return failed


def test_custom_timeouts_bound_the_wait(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """A create whose environment launches longer than the resource's timeout fails after that
    timeout, naming the last status, and answers the environment it made for the state."""
    emulator.faults = FaultConfig(settle_s=600)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as caught:
        host.create(ENV, env_inputs(versions), timeout=1)
    assert time.monotonic() - started < 30
    details = caught.value.details()
    assert "CreateAppEnv timed out" in details and "in status INITIALIZING" in details
    assert "1s timeout" in details
    failed = _init_failure(caught.value)
    assert failed.id.startswith("we-") and list(failed.reasons) == [details]
    assert from_struct(failed.properties)["env_id"] == failed.id


def test_a_failed_launch_is_kept_with_its_reason(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """A launch that ends ABNORMAL fails the create with the status and the service's reason,
    and answers the environment it made; an update then says the same until it runs."""
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"CreateAppEnv"}))
    with pytest.raises(grpc.RpcError) as caught:
        host.create(ENV, env_inputs(versions))
    details = caught.value.details()
    assert "CreateAppEnv failed" in details and "in status ABNORMAL" in details
    assert "(CreateAppEnv) failed" in details  # the service's banner
    failed = _init_failure(caught.value)
    outs = from_struct(failed.properties)
    assert outs["pkg_version_id"] == versions["v1"][0]
    with pytest.raises(grpc.RpcError) as again:
        host.update(ENV, failed.id, outs, env_inputs(versions))
    assert "in status ABNORMAL" in again.value.details()


def test_each_environment_step_has_its_call_budget(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """With changes that end at once: create is CreateAppEnv and one poll, read one listing,
    update UpdateAppEnv and one poll, delete a look, TerminateAppEnv, one poll and DeleteAppEnv;
    every answer agrees with what a read finds."""
    emulator.faults = FaultConfig(settle_s=0)
    emulator.reset_requests()

    def calls() -> dict[str, int]:
        counts = dict(emulator.requests()["counts"])
        emulator.reset_requests()
        return counts

    id_, outs = host.create(ENV, env_inputs(versions))
    assert calls() == {"CreateAppEnv": 1, "DescribeAppEnvs": 1}
    _, read, _ = host.read(ENV, id_, outs)
    assert calls() == {"DescribeAppEnvs": 1}
    assert {k: read.get(k) for k in outs} == outs
    moved = host.update(ENV, id_, outs, env_inputs(versions, "v2"))
    assert calls() == {"UpdateAppEnv": 1, "DescribeAppEnvs": 1}
    _, read, _ = host.read(ENV, id_, moved)
    calls()
    assert {k: read.get(k) for k in moved if k != "update_time"} == {
        k: v for k, v in moved.items() if k != "update_time"
    }
    host.delete(ENV, id_, moved)
    assert calls() == {"DescribeAppEnvs": 2, "TerminateAppEnv": 1, "DeleteAppEnv": 1}


def test_an_update_waits_past_a_service_that_still_shows_the_change_before(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """When WebPlus shows the change before the update (RUNNING) for a moment after the call,
    the update's wait does not end there: it answers once the update's own change has run."""
    emulator.faults = FaultConfig(settle_s=0)
    id_, outs = host.create(ENV, env_inputs(versions))
    emulator.faults = FaultConfig(settle_s=0, task_lag_s=1.5)
    updated = host.update(ENV, id_, outs, {**env_inputs(versions), "env_description": "moved"})
    assert updated["latest_change_id"] != outs["latest_change_id"]
    assert updated["env_status"] == "RUNNING"


def test_a_failed_update_leaves_what_the_service_shows_in_the_state(
    host: Host, emulator: Emulator, versions: dict[str, Any]
) -> None:
    """A move onto another version whose change ends ABNORMAL fails the update, says the
    state now holds what the service shows, and answers that (ABNORMAL, the new version), not
    the outputs from before the update."""
    emulator.faults = FaultConfig(settle_s=0)
    id_, outs = host.create(ENV, env_inputs(versions))
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"UpdateAppEnv"}))
    with pytest.raises(grpc.RpcError) as caught:
        host.update(ENV, id_, outs, env_inputs(versions, "v2"))
    details = caught.value.details()
    assert "UpdateAppEnv failed" in details and "in status ABNORMAL" in details
    assert "the state now holds it as the service shows it" in details
    left = from_struct(_init_failure(caught.value).properties)
    assert (left["env_status"], left["pkg_version_id"]) == ("ABNORMAL", versions["v2"][0])
