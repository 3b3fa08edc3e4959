"""AppEnv's parts that need no service: what one poll reports, the settings rule, and the
timeout the dynamic host's request carries."""

from __future__ import annotations

from typing import Any

from pulumi.runtime.proto import provider_pb2

from alicloud_versions.core.appenv import AppEnvCore, _seen, option_settings
from alicloud_versions.core.waits import Seen, current_timeout, within
from alicloud_versions.dynamic._host import engine_timeout


def test_a_change_that_applies_is_not_its_end_status() -> None:
    """RUNNING while a change applies is reported apart from RUNNING, with the banner."""
    applying = {"env_status": "RUNNING", "applying_change": True, "change_banner": "busy"}
    assert _seen(applying) == Seen("RUNNING (applying a change)", "busy")
    assert _seen({"env_status": "RUNNING", "applying_change": False}) == Seen("RUNNING")
    assert _seen({"env_status": "INITIALIZING", "applying_change": True}) == Seen("INITIALIZING")
    assert _seen(None) == Seen(None)


def test_option_settings_are_webplus_json() -> None:
    """Only a JSON array of path/name/value string objects passes."""
    assert option_settings('[{"path": "a", "name": "b", "value": "c"}]') is None
    assert option_settings("[]") is None
    for bad in (
        "[",
        "{}",
        '[{"path": "a", "name": "b"}]',
        '[{"path": "a", "name": "b", "value": 1}]',
    ):
        assert option_settings(bad) is not None


def test_a_version_moves_in_place_and_a_name_replaces() -> None:
    """A new package version, stack, description or settings update in place; a new name,
    application or profile replaces."""
    olds: dict[str, Any] = {
        "app_id": "wa-1",
        "env_name": "prod",
        "stack_id": "ws-1",
        "pkg_version_id": "wp-1",
    }
    core = AppEnvCore()
    moved = core.diff_inputs(olds, {**olds, "pkg_version_id": "wp-2", "stack_id": "ws-2"})
    assert moved.changes and moved.replaces == []
    for name, value in (
        ("env_name", "staging"),
        ("app_id", "wa-2"),
        ("profile_name", "StandAlone"),
    ):
        assert core.diff_inputs(olds, {**olds, name: value}).replaces == [name]


def _handler(request: Any, context: object) -> float | None:
    """Stands for the host's Create handler, calling the provider through a wrapper."""
    return _wrapper()


def _wrapper() -> float | None:
    return engine_timeout()


def test_the_dynamic_host_request_timeout_is_read() -> None:
    """The timeout of the request the host serves (customTimeouts) is found; 0 is none."""
    assert _handler(provider_pb2.CreateRequest(timeout=7.0), object()) == 7.0
    assert _handler(provider_pb2.CreateRequest(), object()) is None
    assert engine_timeout() is None  # no request in reach


def test_within_sets_the_timeout_of_waits_inside() -> None:
    """A call made through `within` sees its timeout; without one, the default."""
    assert within(12.0, current_timeout) == 12.0
    assert within(None, current_timeout) == current_timeout() == 300.0
