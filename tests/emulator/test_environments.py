"""WebPlus environments through the official SDK: what they run, and what that blocks."""

from __future__ import annotations

import pytest
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import Emulator, FaultConfig
from tests.emulator.conftest import error_of
from tests.support.builders import create_app
from tests.support.builders import create_pkg_version as create_version
from tests.support.builders import describe_pkg_versions as describe

STACK = "ws-5d1c0a5d913567334af00001"


@pytest.fixture(autouse=True)
def at_once(emulator: Emulator) -> None:
    """Environments' changes end at once here (their statuses over time: test_env_changes)."""
    emulator.faults = FaultConfig(settle_s=0)


def create_env(client: WebPlusClient, app_id: str, pkg_version_id: str, name: str = "prod") -> str:
    """Create an environment running the package version and answer its id."""
    request = wp.CreateAppEnvRequest(
        app_id=app_id, env_name=name, stack_id=STACK, pkg_version_id=pkg_version_id
    )
    detail = client.create_app_env(request).body.env_change_detail
    assert detail.change_id.startswith("wc-")
    return str(detail.env_id)


def envs(
    client: WebPlusClient, app_id: str, **filters: object
) -> list[wp.DescribeAppEnvsResponseBodyAppEnvsAppEnv]:
    """An application's environments as DescribeAppEnvs answers them."""
    request = wp.DescribeAppEnvsRequest(app_id=app_id, **filters)
    return list(client.describe_app_envs(request).body.app_envs.app_env)


def test_create_app_env(webplus: WebPlusClient) -> None:
    """CreateAppEnv answers a we- id; the environment runs the given package version."""
    app_id = create_app(webplus)
    version = create_version(webplus, app_id, "v1")
    env_id = create_env(webplus, app_id, version.pkg_version_id)
    assert env_id.startswith("we-")
    [env] = envs(webplus, app_id)
    assert (env.env_id, env.env_name, env.env_status) == (env_id, "prod", "RUNNING")
    assert (env.pkg_version_id, env.pkg_version_label) == (version.pkg_version_id, "v1")
    assert (env.app_id, env.app_name, env.stack_id) == (app_id, "shop", STACK)
    [app] = webplus.describe_applications(
        wp.DescribeApplicationsRequest(app_id=app_id)
    ).body.applications.application
    assert (app.total_envs, app.running_envs, app.terminated_envs) == (1, 1, 0)


def test_create_app_env_checks_its_package_version(
    webplus: WebPlusClient, other_webplus: WebPlusClient
) -> None:
    """No package version, an unknown or another account's answers AppPackageNotExists (404);
    another application's AppPackageOwnedByOthers (400); an unknown app ResourceAuthFailed."""
    app_id = create_app(webplus)
    other_app = create_app(webplus, "other")
    theirs = create_version(other_webplus, create_app(other_webplus), "v1").pkg_version_id
    elsewhere = create_version(webplus, other_app, "v1").pkg_version_id
    for pkg_version_id, code, status in (
        (None, "AppPackageNotExists", 404),
        ("wp-000000000000000000000000", "AppPackageNotExists", 404),
        (theirs, "AppPackageNotExists", 404),
        (elsewhere, "AppPackageOwnedByOthers", 400),
    ):
        request = wp.CreateAppEnvRequest(
            app_id=app_id, env_name="e", stack_id=STACK, pkg_version_id=pkg_version_id
        )
        err = error_of(lambda request=request: webplus.create_app_env(request))
        assert (err.code, err.data["statusCode"]) == (code, status)
    request = wp.CreateAppEnvRequest(
        app_id="wa-000000000000000000000000", stack_id=STACK, pkg_version_id=elsewhere
    )
    assert error_of(lambda: webplus.create_app_env(request)).code == "ResourceAuthFailed"
    assert envs(webplus, app_id) == []


def test_describe_app_envs_filters_and_hides_terminated(webplus: WebPlusClient) -> None:
    """DescribeAppEnvs filters by id, name and search; terminated ones only when asked."""
    app_id = create_app(webplus)
    pkg = create_version(webplus, app_id, "v1").pkg_version_id
    prod = create_env(webplus, app_id, pkg, "prod")
    staging = create_env(webplus, app_id, pkg, "staging")
    assert [e.env_id for e in envs(webplus, app_id)] == [staging, prod]
    assert [e.env_id for e in envs(webplus, app_id, env_name="prod")] == [prod]
    assert [e.env_id for e in envs(webplus, app_id, env_search="STAG")] == [staging]
    assert [e.env_id for e in envs(webplus, app_id, env_id=prod)] == [prod]
    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=prod))
    assert [e.env_id for e in envs(webplus, app_id)] == [staging]
    listed = envs(webplus, app_id, include_terminated=True)
    assert [(e.env_id, e.env_status) for e in listed] == [
        (staging, "RUNNING"),
        (prod, "TERMINATED"),
    ]


def test_describe_app_envs_of_an_unknown_application(
    webplus: WebPlusClient, other_webplus: WebPlusClient
) -> None:
    """Another account's application answers ResourceAuthFailed (403), like an unknown one."""
    app_id = create_app(webplus)
    for client, target in ((webplus, "wa-000000000000000000000000"), (other_webplus, app_id)):
        err = error_of(lambda client=client, target=target: envs(client, target))
        assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)


def test_terminate_app_env(webplus: WebPlusClient, other_webplus: WebPlusClient) -> None:
    """TerminateAppEnv terminates once: again answers StatusNotAllowedTerminated (403); an
    unknown or another account's environment ResourceAuthFailed (403)."""
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    err = error_of(
        lambda: other_webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env_id))
    )
    assert (err.code, err.data["statusCode"]) == ("ResourceAuthFailed", 403)
    detail = webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env_id)).body
    assert detail.env_change_detail.env_id == env_id
    err = error_of(lambda: webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env_id)))
    assert (err.code, err.data["statusCode"]) == ("StatusNotAllowedTerminated", 403)
    request = wp.TerminateAppEnvRequest(env_id="we-000000000000000000000000")
    assert error_of(lambda: webplus.terminate_app_env(request)).code == "ResourceAuthFailed"


def test_delete_application_waits_for_its_environments(webplus: WebPlusClient) -> None:
    """DeleteApplication answers AppDeleteNotAllowed (403) until every environment is terminated."""
    app_id = create_app(webplus)
    env_id = create_env(webplus, app_id, create_version(webplus, app_id, "v1").pkg_version_id)
    request = wp.DeleteApplicationRequest(app_id=app_id)
    err = error_of(lambda: webplus.delete_application(request))
    assert (err.code, err.data["statusCode"]) == ("AppDeleteNotAllowed", 403)
    assert describe(webplus, app_id).total_count == 1
    webplus.terminate_app_env(wp.TerminateAppEnvRequest(env_id=env_id))
    webplus.delete_application(request)
    err = error_of(lambda: envs(webplus, app_id, include_terminated=True))
    assert err.code == "ResourceAuthFailed"


def test_deleting_a_package_version_an_environment_runs(webplus: WebPlusClient) -> None:
    """DeletePkgVersion is not refused for a version in use (no such error is documented): the
    version is gone and the environment still names it. Callers must check DescribeAppEnvs."""
    app_id = create_app(webplus)
    pkg = create_version(webplus, app_id, "v1").pkg_version_id
    env_id = create_env(webplus, app_id, pkg)
    webplus.delete_pkg_version(wp.DeletePkgVersionRequest(pkg_version_id=pkg))
    assert describe(webplus, app_id).total_count == 0
    [env] = envs(webplus, app_id)
    assert (env.env_id, env.pkg_version_id, env.env_status) == (env_id, pkg, "RUNNING")


@pytest.mark.parametrize("missing", ["app_id", "stack_id"])
def test_create_app_env_missing_parameter(webplus: WebPlusClient, missing: str) -> None:
    """CreateAppEnv without AppId or StackId answers MissingParameter naming it."""
    app_id = create_app(webplus)
    fields = {
        "app_id": app_id,
        "stack_id": STACK,
        "pkg_version_id": create_version(webplus, app_id, "v1").pkg_version_id,
    }
    del fields[missing]
    err = error_of(lambda: webplus.create_app_env(wp.CreateAppEnvRequest(**fields)))
    assert err.code == "MissingParameter"
    assert {"app_id": "AppId", "stack_id": "StackId"}[missing] in err.data["Message"]
