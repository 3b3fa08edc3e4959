"""A crafted region or endpoint is refused where settings are resolved, naming the setting, and
no signed request ever leaves for the host it names (issue 23, item 3).

The SDK puts a region into the host it opens TLS to: ``webplus.x@127.0.0.1:PORT#.aliyuncs.com``
is user info, a loopback host and a fragment. A listener on that port counts the connections
it is offered; each test asserts it is offered none.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from alicloud_versions import cli
from alicloud_versions.core.config import Endpoint, PluginConfig, Service, resolve_settings
from alicloud_versions.core.errors import ConfigurationError
from alicloud_versions.core.webplus import PkgVersionCore
from alicloud_versions.dynamic._resource import refuse_plain_secrets

# A key of the right shape, so that resolution and signing go as far as they can.
KEYS = {"alicloud:accessKey": "LTAI5tCrafted000001", "alicloud:secretKey": "crafted-secret-01"}


class Listener:
    """A TCP listener on loopback counting the connections offered to it (it closes each)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.offered = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed
                return
            self.offered += 1
            conn.close()

    @property
    def region(self) -> str:
        """A region that, put into a host name, makes this listener the host."""
        return f"x@127.0.0.1:{self.port}#"

    def close(self) -> None:
        # Shutting the listening socket down wakes the thread blocked in accept (Linux).
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self._thread.join(timeout=10)


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def _read(config: Any, environ: dict[str, str], props: dict[str, Any] | None = None) -> None:
    """Resolve settings from `config` and `environ`, then read a package version with them: the
    one call a stray provider process answers."""
    settings = resolve_settings(config, {"ALICLOUD_VERSIONS_MAX_RETRY_TIME": "0", **environ})
    PkgVersionCore(settings).read_resource(
        "pv-1", {"app_id": "app-1", "pkg_version_label": "1.0", **(props or {})}
    )


ENTRY_POINTS: dict[str, Callable[[str], tuple[Any, dict[str, str]]]] = {
    "alicloud:region": lambda region: ({**KEYS, "alicloud:region": region}, {}),
    "ALICLOUD_REGION": lambda region: (KEYS, {"ALICLOUD_REGION": region}),
    "ALIBABA_CLOUD_REGION_ID": lambda region: (KEYS, {"ALIBABA_CLOUD_REGION_ID": region}),
    "alicloud-versions:region": lambda region: (
        PluginConfig({"accessKey": "LTAI5tCrafted000001", "secretKey": "s", "region": region}),
        {},
    ),
}


@pytest.mark.parametrize("setting", sorted(ENTRY_POINTS))
def test_a_crafted_region_setting_is_refused_naming_it(setting: str, listener: Listener) -> None:
    """A region setting that is not a region id (stack config, either variable, the plugin's
    config) is refused naming that setting, and the host it would name is never contacted."""
    config, environ = ENTRY_POINTS[setting](listener.region)
    with pytest.raises(ConfigurationError, match=rf"^{setting} must be a region id"):
        _read(config, environ)
    assert listener.offered == 0


def test_a_crafted_region_input_is_refused_naming_it(listener: Listener) -> None:
    """A resource's `region` (from the state, for a read or a delete that no check precedes)
    is refused naming the input, before any client."""
    with pytest.raises(ConfigurationError, match=r"^region input must be a region id"):
        _read(KEYS, {}, {"region": listener.region})
    assert listener.offered == 0
    failures = PkgVersionCore(resolve_settings(KEYS, {})).check_inputs(
        {"app_id": "a", "package_source": "oss://b-1/k", "pkg_version_label": "1", "region": "x@"}
    )
    assert [name for name, _ in failures] == ["region"]


def test_sweep_refuses_a_crafted_region(
    listener: Listener, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sweep --region` is a usage error naming the option; nothing is listed."""
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tCrafted000001")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "crafted-secret-01")
    monkeypatch.setenv("ALICLOUD_VERSIONS_MAX_RETRY_TIME", "0")
    with pytest.raises(SystemExit) as exc:
        cli.main(["sweep", "--prefix", "abc", "--region", listener.region])
    assert exc.value.code == 2
    assert "--region" in capsys.readouterr().err
    assert listener.offered == 0


def test_a_region_id_passes() -> None:
    """Real region ids, from every part of the world, are taken as they are."""
    for region in ("cn-hangzhou", "ap-southeast-1", "eu-central-1", "cn-north-2-gov-1"):
        assert resolve_settings({"alicloud:region": region}, {}).region == region


@pytest.mark.parametrize(
    ("config", "environ", "setting"),
    [
        ({"alicloud-versions:endpoint": "http://wp.example.com"}, {}, "alicloud-versions:endpoint"),
        (
            {"alicloud-versions:servicecatalogEndpoint": "http://10.0.0.8:9000"},
            {},
            "alicloud-versions:servicecatalogEndpoint",
        ),
        (
            {},
            {"ALICLOUD_VERSIONS_ENDPOINT": "http://emulator.lan:9000"},
            "ALICLOUD_VERSIONS_ENDPOINT",
        ),
        (
            PluginConfig({"webplusEndpoint": "http://[2001:db8::1]:80"}),
            {},
            "alicloud-versions:webplusEndpoint",
        ),
    ],
)
def test_plain_http_to_another_host_is_refused_naming_the_setting(
    config: Any, environ: dict[str, str], setting: str
) -> None:
    """An http:// endpoint whose host is not loopback would carry signed requests in the clear:
    refused, naming the setting and the opt-in."""
    with pytest.raises(ConfigurationError, match=rf"^{setting} .*allowHttp"):
        resolve_settings(config, environ)


@pytest.mark.parametrize(
    "opt_in",
    [
        ({"alicloud-versions:allowHttp": "true"}, {}),
        ({}, {"ALICLOUD_VERSIONS_ALLOW_HTTP": "TRUE"}),
        (PluginConfig({"allowHttp": True}), {}),
    ],
)
def test_plain_http_to_another_host_is_taken_when_allowed(opt_in: tuple[Any, Any]) -> None:
    """allowHttp (or its variable) set true lets a plain http endpoint elsewhere through."""
    config, environ = opt_in
    if isinstance(config, PluginConfig):
        config = PluginConfig({**config._values, "endpoint": "http://emulator.internal:9000"})
    else:
        config = {**config, "alicloud-versions:endpoint": "http://emulator.internal:9000"}
    settings = resolve_settings(config, environ)
    assert settings.endpoint(Service.WEBPLUS) == Endpoint("emulator.internal:9000", "http")


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.0.0.1:9000", "http://127.8.0.1", "http://localhost:1", "http://[::1]:9000"],
)
def test_plain_http_to_loopback_needs_no_opt_in(endpoint: str) -> None:
    """The emulator's own endpoints, on loopback, are taken without allowHttp."""
    assert resolve_settings({"alicloud-versions:endpoint": endpoint}, {}).endpoints


@pytest.mark.parametrize(
    "endpoint", ["http://x@127.0.0.1:1", "https://h:1#.aliyuncs.com", "h?x=1", "h:port"]
)
def test_an_endpoint_that_is_not_host_and_port_is_refused(endpoint: str) -> None:
    """User info, a fragment, a query or a bad port in an endpoint is refused naming it."""
    with pytest.raises(ConfigurationError, match=r"^alicloud-versions:endpoint "):
        resolve_settings({"alicloud-versions:endpoint": endpoint}, {})


def test_allow_http_takes_only_true_or_false() -> None:
    """allowHttp is a boolean: anything else is refused naming it."""
    with pytest.raises(ConfigurationError, match=r"^ALICLOUD_VERSIONS_ALLOW_HTTP: expected"):
        resolve_settings({}, {"ALICLOUD_VERSIONS_ALLOW_HTTP": "yes please"})


@pytest.mark.parametrize(
    "key", ["alicloud-versions:httpProxy", "alicloud:secretKey", "alicloud-versions:secretKey"]
)
def test_a_secret_setting_held_in_plain_text_is_refused(key: str) -> None:
    """A program whose stack config holds httpProxy (user:password@) or the key secret in plain
    text is refused at its first resource, naming the key: the engine would copy it into the
    dynamic provider's inputs in the state unencrypted. Held as a secret, it is taken."""
    from pulumi.runtime.config import set_all_config

    from alicloud_versions import webplus

    value = "http://user:pa55@proxy.example:3128"
    try:
        set_all_config({key: value}, [])
        with pytest.raises(ConfigurationError, match=rf"^{key} is a secret.*--secret"):
            webplus.Application("app", app_name="shop")
        set_all_config({key: value}, [key])
        refuse_plain_secrets()
    finally:
        set_all_config({}, [])
