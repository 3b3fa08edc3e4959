"""WebPlus environments' changes over time through the official SDK: launch, update, terminate
and delete, each under way for `settle_s` and then done, or failed under `fail_async`.

No test sleeps: a change is seen under way with a long settle time, then ended by moving the
services' clock past it (`clock_skew_s`), since the faults in force at its start decide.
"""

from __future__ import annotations

from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator, FaultConfig
from tests.emulator.conftest import error_of
from tests.emulator.test_environments import create_env, envs
from tests.support.builders import create_app
from tests.support.builders import create_pkg_version as create_version

LONG = 3600.0


def _env(
    client: WebPlusClient, app_id: str, env_id: str
) -> wp.DescribeAppEnvsResponseBodyAppEnvsAppEnv:
    [env] = envs(client, app_id, env_id=env_id, include_terminated=True)
    return env


def _later(emulator: Emulator) -> None:
    """Move the services' clock past every change started so far."""
    emulator.faults = FaultConfig(settle_s=0, clock_skew_s=2 * LONG)


def test_a_launch_initializes_then_runs(webplus: WebPlusClient, emulator: Emulator) -> None:
    """CreateAppEnv shows INITIALIZING with ApplyingChange and a banner until it settles, then
    RUNNING with no change applying."""
    emulator.faults = FaultConfig(settle_s=LONG)
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    env = _env(webplus, app_id, env_id)
    assert (env.env_status, env.applying_change) == ("INITIALIZING", True)
    assert env.change_banner and env.latest_change_id in env.change_banner
    _later(emulator)
    env = _env(webplus, app_id, env_id)
    assert (env.env_status, env.applying_change, env.change_banner) == ("RUNNING", False, None)


def test_a_failed_launch_ends_abnormal(webplus: WebPlusClient, emulator: Emulator) -> None:
    """A CreateAppEnv named in fail_async ends ABNORMAL, its banner naming the failed change."""
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"CreateAppEnv"}))
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    env = _env(webplus, app_id, env_id)
    assert (env.env_status, env.applying_change) == ("ABNORMAL", False)
    assert "CreateAppEnv" in env.change_banner and "failed" in env.change_banner


def test_update_app_env_runs_another_version(webplus: WebPlusClient, emulator: Emulator) -> None:
    """UpdateAppEnv moves the environment onto another version of its application at once,
    keeps it RUNNING with ApplyingChange while the change applies, and refuses a second change
    meanwhile with EnvOnChanging (400)."""
    app_id = create_app(webplus)
    v1 = create_version(webplus, app_id, "v1").pkg_version_id
    v2 = create_version(webplus, app_id, "v2").pkg_version_id
    emulator.faults = FaultConfig(settle_s=0)
    env_id = create_env(webplus, app_id, v1)
    emulator.faults = FaultConfig(settle_s=LONG)
    detail = webplus.update_app_env(
        wp.UpdateAppEnvRequest(env_id=env_id, pkg_version_id=v2, env_description="two")
    ).body.env_change_detail
    assert detail.env_id == env_id and detail.change_id.startswith("wc-")
    env = _env(webplus, app_id, env_id)
    assert (env.pkg_version_id, env.pkg_version_label, env.env_description) == (v2, "v2", "two")
    assert (env.env_status, env.applying_change, env.last_env_status) == (
        "RUNNING",
        True,
        "RUNNING",
    )
    assert env.latest_change_id == detail.change_id
    err = error_of(lambda: webplus.update_app_env(wp.UpdateAppEnvRequest(env_id=env_id)))
    assert (err.code, err.data["statusCode"]) == ("EnvOnChanging", 400)
    _later(emulator)
    assert _env(webplus, app_id, env_id).applying_change is False


def test_update_app_env_checks_its_package_version(
    webplus: WebPlusClient, emulator: Emulator
) -> None:
    """UpdateAppEnv to another application's version answers AppPackageOwnedByOthers (400), to
    an unknown one AppPackageNotExists; an unknown environment ResourceAuthFailed (403)."""
    emulator.faults = FaultConfig(settle_s=0)
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    elsewhere = create_version(webplus, create_app(webplus, "other"), "v1").pkg_version_id
    for pkg_version_id, code in (
        (elsewhere, "AppPackageOwnedByOthers"),
        ("wp-000000000000000000000000", "AppPackageNotExists"),
    ):
        request = wp.UpdateAppEnvRequest(env_id=env_id, pkg_version_id=pkg_version_id)
        assert error_of(lambda request=request: webplus.update_app_env(request)).code == code
    request = wp.UpdateAppEnvRequest(env_id="we-000000000000000000000000")
    err = error_of(lambda: webplus.update_app_env(request))
    assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)


def test_terminate_then_delete_app_env(webplus: WebPlusClient, emulator: Emulator) -> None:
    """TerminateAppEnv shows TERMINATING until it settles, then TERMINATED; DeleteAppEnv is
    refused (DeleteEnvNotAllowed, 403) until then, and afterwards removes the environment from
    every listing. A running environment cannot be deleted either."""
    emulator.faults = FaultConfig(settle_s=0)
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    delete = wp.DeleteAppEnvRequest(env_id=env_id)
    err = error_of(lambda: webplus.delete_app_env(delete))
    assert (err.code, err.data["statusCode"]) == ("DeleteEnvNotAllowed", 403)
    emulator.faults = FaultConfig(settle_s=LONG)
    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env_id))
    env = _env(webplus, app_id, env_id)
    assert (env.env_status, env.last_env_status, env.applying_change) == (
        "TERMINATING",
        "RUNNING",
        True,
    )
    assert error_of(lambda: webplus.delete_app_env(delete)).code == "DeleteEnvNotAllowed"
    _later(emulator)
    assert _env(webplus, app_id, env_id).env_status == "TERMINATED"
    assert webplus.delete_app_env(delete).body.code == "OK"
    assert envs(webplus, app_id, include_terminated=True) == []
    err = error_of(lambda: webplus.delete_app_env(delete))
    assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)


def test_a_failed_termination_ends_abnormal(webplus: WebPlusClient, emulator: Emulator) -> None:
    """A TerminateAppEnv named in fail_async ends ABNORMAL, which DeleteAppEnv refuses."""
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({"TerminateAppEnv"}))
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env_id))
    assert _env(webplus, app_id, env_id).env_status == "ABNORMAL"
    request = wp.DeleteAppEnvRequest(env_id=env_id)
    assert error_of(lambda: webplus.delete_app_env(request)).code == "DeleteEnvNotAllowed"


def test_an_application_with_a_launching_environment_cannot_be_deleted(
    webplus: WebPlusClient, emulator: Emulator
) -> None:
    """DeleteApplication is refused (AppDeleteNotAllowed) while an environment is not
    terminated, launching included."""
    emulator.faults = FaultConfig(settle_s=LONG)
    app_id = create_app(webplus)
    create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    request = wp.DeleteApplicationRequest(app_id=app_id)
    assert error_of(lambda: webplus.delete_application(request)).code == "AppDeleteNotAllowed"
