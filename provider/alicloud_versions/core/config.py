"""Provider settings, each declared once with its keys, variables and default, and resolved."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from .errors import ConfigurationError
from .hosts import Endpoint, checked_region

__all__ = [
    "DEFAULT_MAX_RETRY_TIME",
    "DEFAULT_REGION",
    "ENVIRONMENT_VARIABLES",
    "INPUT_REGION",
    "KEYS",
    "NAMESPACE",
    "PRECEDENCE",
    "SHARED_NAMESPACE",
    "ConfigSource",
    "Credentials",
    "Endpoint",
    "Key",
    "PluginConfig",
    "Service",
    "Settings",
    "checked_region",
    "places",
    "resolve_settings",
    "settings_table",
]

DEFAULT_REGION = "cn-hangzhou"
DEFAULT_MAX_RETRY_TIME = 60.0
NAMESPACE = "alicloud-versions"
"""The provider's own config namespace: both front doors read it."""
SHARED_NAMESPACE = "alicloud"
"""pulumi-alicloud's namespace: the dynamic front door also reads the keys it shares."""
INPUT_REGION = "region"
"""The resource input that overrides the settings' region for one resource."""

PRECEDENCE = (
    f"First match wins: `{NAMESPACE}:KEY`, then `{SHARED_NAMESPACE}:KEY` for a key shared with "
    f"pulumi-alicloud (the dynamic front door only: the engine gives the plugin its own "
    f"namespace alone), then each environment variable in order, then the default. The "
    f"provider's own namespace wins because it is the more specific. An access key is taken "
    f"whole (id, secret and token) from the first place that sets its id or secret, never "
    f"half from one and half from another."
)
"""The order every setting is resolved in, as the README and `resolve_settings` say it."""


class Service(str, Enum):
    """An Alibaba Cloud service this package calls."""

    WEBPLUS = "webplus"
    SERVICECATALOG = "servicecatalog"


@dataclass(frozen=True)
class Key:
    """One setting: its key (``alicloud-versions:NAME``, and ``alicloud:NAME`` too when
    `shared` with pulumi-alicloud), the environment variables read after the config, in order,
    and the default after them; `otherwise` says what an unset setting without a default
    means. `falls_back_to` is read after this one's own places (a per-service endpoint falls
    back to ``endpoint``)."""

    name: str
    description: str
    type: str = "string"
    secret: bool = False
    shared: bool = False
    env: tuple[str, ...] = ()
    default: str | None = None
    otherwise: str = ""
    falls_back_to: Key | None = None

    @property
    def stack_keys(self) -> tuple[str, ...]:
        """The stack config keys the setting is read from, the first that is set winning."""
        own = f"{NAMESPACE}:{self.name}"
        return (own, f"{SHARED_NAMESPACE}:{self.name}") if self.shared else (own,)

    @property
    def stack_key(self) -> str:
        """The key in the provider's own namespace, as errors name it."""
        return self.stack_keys[0]


_ENV_AK = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY")
_ENV_SK = ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY")
_ENV_TOKEN = ("ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN")
_CHAIN = "the default chain of `alibabacloud-credentials` (profile file, RAM role, ...)"

ACCESS_KEY = Key("accessKey", "Access key id.", shared=True, env=_ENV_AK, otherwise=_CHAIN)
SECRET_KEY = Key(
    "secretKey", "Access key secret.", secret=True, shared=True, env=_ENV_SK, otherwise=_CHAIN
)
SECURITY_TOKEN = Key(
    "securityToken",
    "STS security token, with a temporary key.",
    secret=True,
    shared=True,
    env=_ENV_TOKEN,
    otherwise="none",
)
REGION = Key(
    "region",
    f"Default region id (else `{DEFAULT_REGION}`).",
    shared=True,
    env=("ALICLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"),
    default=DEFAULT_REGION,
)
ENDPOINT = Key(
    "endpoint",
    "Endpoint of every service, `host[:port]` or `http://host:port` (else the SDK's regional "
    "endpoint; plain http only to loopback, unless `allowHttp`); `{region}` in the host stands "
    "for each call's region.",
    env=("ALICLOUD_VERSIONS_ENDPOINT",),
    otherwise="the SDK's regional endpoint",
)
ALLOW_HTTP = Key(
    "allowHttp",
    "Allow a plain `http://` endpoint whose host is not loopback (else refused: signed "
    "requests would cross the network in the clear); also `ALICLOUD_VERSIONS_ALLOW_HTTP`.",
    type="boolean",
    env=("ALICLOUD_VERSIONS_ALLOW_HTTP",),
    default="false",
)
HTTP_PROXY = Key(
    "httpProxy",
    "HTTP proxy for every API call, `http://[user:password@]host:port` (else the environment's "
    "`HTTP_PROXY`). With the emulator as the proxy and "
    "`http://servicecatalog.{region}.aliyuncs.com` as an endpoint (and `allowHttp`), the "
    "emulator learns each call's region from its host, as the real service does.",
    secret=True,
    otherwise="the environment's `HTTP_PROXY`, as the SDK reads it",
)
MAX_RETRY_TIME = Key(
    "maxRetryTime",
    f"Seconds a call may spend retrying transient failures (default {DEFAULT_MAX_RETRY_TIME:g}).",
    type="number",
    env=("ALICLOUD_VERSIONS_MAX_RETRY_TIME",),
    default=f"{DEFAULT_MAX_RETRY_TIME:g}",
)
SERVICE_ENDPOINTS: Mapping[Service, Key] = {
    service: Key(
        f"{service.value}Endpoint",
        f"Endpoint of {service.value} only; overrides `endpoint`.",
        falls_back_to=ENDPOINT,
    )
    for service in Service
}

KEYS: tuple[Key, ...] = (
    ACCESS_KEY,
    SECRET_KEY,
    SECURITY_TOKEN,
    REGION,
    ENDPOINT,
    *SERVICE_ENDPOINTS.values(),
    ALLOW_HTTP,
    HTTP_PROXY,
    MAX_RETRY_TIME,
)
"""Every setting, in the order the plugin's schema and the README list them."""


def places(key: Key) -> tuple[str, ...]:
    """Where `key` is read, in order: its stack config keys, its variables, then those of the
    setting it falls back to (its default aside)."""
    after = places(key.falls_back_to) if key.falls_back_to is not None else ()
    return (*key.stack_keys, *key.env, *after)


def _default(key: Key) -> str:
    """What an unset `key` means."""
    while key.default is None and not key.otherwise and key.falls_back_to is not None:
        key = key.falls_back_to
    return f"`{key.default}`" if key.default is not None else key.otherwise


def settings_table() -> str:
    """The settings as a Markdown table, each row in the order `resolve_settings` reads them."""
    rows = ["| setting | read from, first match wins | else |", "| --- | --- | --- |"]
    for key in KEYS:
        secret = " (secret)" if key.secret else ""
        read = ", ".join(f"`{place}`" for place in places(key))
        rows.append(f"| `{key.name}`{secret} | {read} | {_default(key)} |")
    return "\n".join(rows) + "\n"


ENVIRONMENT_VARIABLES = tuple(var for key in KEYS for var in key.env)
"""Every environment variable a setting is read from (tests clear them to be hermetic)."""


class ConfigSource(Protocol):
    """Anything with ``get(fully_qualified_key)``: `pulumi.dynamic.Config` or a dict. One
    that also has ``origin(stack_key)`` says how its user wrote that key (a command's option),
    for errors to name it."""

    def get(self, key: str, /) -> Any: ...


def _origin(config: ConfigSource, stack_key: str) -> str:
    """`stack_key` as `config`'s user wrote it."""
    named = getattr(config, "origin", None)
    return str(named(stack_key)) if callable(named) else stack_key


@dataclass(frozen=True)
class Credentials:
    """An access key (and optional STS token); never printed, pickled or returned."""

    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    source: str = ""

    def __reduce__(self) -> Any:
        raise TypeError("credentials must never be serialized")


@dataclass(frozen=True)
class Settings:
    """Everything a provider needs to call the APIs; lives only in the provider process."""

    region: str = DEFAULT_REGION
    credentials: Credentials | None = None
    endpoints: Mapping[Service, Endpoint] = field(default_factory=dict)
    max_retry_time: float = DEFAULT_MAX_RETRY_TIME
    http_proxy: str | None = None

    def region_for(self, region: Any) -> str:
        """The region of a call on a resource whose ``region`` input is `region`: it when
        given (checked, as the settings' own region was), else the settings' region."""
        if isinstance(region, str) and region:
            return checked_region(region, f"{INPUT_REGION} input")
        return self.region

    def endpoint(self, service: Service, region: str | None = None) -> Endpoint | None:
        """The override for `service` in `region` (the settings' region when None), or None
        for the SDK's regional endpoint."""
        endpoint = self.endpoints.get(service)
        return endpoint.for_region(region or self.region) if endpoint is not None else None

    def __reduce__(self) -> Any:
        raise TypeError("provider settings must never be serialized")


class PluginConfig:
    """The plugin's configuration (``alicloud-versions:KEY``, held by ``KEY``) as
    `resolve_settings` asks for it: the engine gives a plugin its own namespace only, so a key
    of another (``alicloud:accessKey``) is never set."""

    NAMESPACE = NAMESPACE

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    @classmethod
    def from_stack(cls, config: Mapping[str, Any]) -> PluginConfig:
        """The plugin's keys among a stack's whole config (``alicloud-versions:accessKey``...)."""
        prefix = f"{cls.NAMESPACE}:"
        return cls({k[len(prefix) :]: v for k, v in config.items() if k.startswith(prefix)})

    def get(self, key: str) -> Any:
        namespace, _, name = key.rpartition(":")
        return self._values.get(name) if namespace == self.NAMESPACE else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _lookup(config: ConfigSource, key: Key, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The value of `key` and where it came from, in the one order of `PRECEDENCE`; None when
    it is unset and has no default."""
    for stack_key in key.stack_keys:
        value = _text(config.get(stack_key))
        if value is not None:
            return value, _origin(config, stack_key)
    for var in key.env:
        value = _text(environ.get(var))
        if value is not None:
            return value, var
    if key.falls_back_to is not None:
        return _lookup(config, key.falls_back_to, environ)
    return (key.default, "the default") if key.default is not None else None


def _credentials(config: ConfigSource, environ: Mapping[str, str]) -> Credentials | None:
    """The access key from the first place (a namespace, then a pair of variables) that sets
    its id or secret, whole from there; None leaves it to the default chain."""
    for at, id_key in enumerate(ACCESS_KEY.stack_keys):
        secret_key, token_key = SECRET_KEY.stack_keys[at], SECURITY_TOKEN.stack_keys[at]
        key_id, secret = _text(config.get(id_key)), _text(config.get(secret_key))
        if key_id is None and secret is None:
            continue
        if key_id is None or secret is None:
            missing = _origin(config, secret_key if key_id else id_key)
            present = _origin(config, id_key if key_id else secret_key)
            raise ConfigurationError(
                f"the config sets only half of an access key: {present} without {missing}"
            )
        token = _text(config.get(token_key))
        return Credentials(key_id, secret, token, source=_origin(config, id_key))
    variables = zip(ACCESS_KEY.env, SECRET_KEY.env, SECURITY_TOKEN.env, strict=True)
    for id_var, secret_var, token_var in variables:
        key_id, secret = _text(environ.get(id_var)), _text(environ.get(secret_var))
        if key_id and secret:
            token = _text(environ.get(token_var))
            return Credentials(key_id, secret, token, source=f"environment ({id_var})")
    return None


def _max_retry_time(config: ConfigSource, environ: Mapping[str, str]) -> float:
    raw, origin = _lookup(config, MAX_RETRY_TIME, environ) or ("", "")
    try:
        seconds = float(raw)
    except ValueError:
        raise ConfigurationError(f"{origin}: expected a number of seconds, got {raw!r}") from None
    if seconds < 0:
        raise ConfigurationError(f"{origin}: must not be negative, got {raw!r}")
    return seconds


def _allow_http(config: ConfigSource, environ: Mapping[str, str]) -> bool:
    value, origin = _lookup(config, ALLOW_HTTP, environ) or ("", "")
    if value.lower() not in ("true", "false"):
        raise ConfigurationError(f"{origin}: expected true or false, got {value!r}")
    return value.lower() == "true"


def _endpoints(config: ConfigSource, environ: Mapping[str, str]) -> dict[Service, Endpoint]:
    allow_http = _allow_http(config, environ)
    endpoints: dict[Service, Endpoint] = {}
    for service, key in SERVICE_ENDPOINTS.items():
        found = _lookup(config, key, environ)
        if found is None:
            continue
        raw, origin = found
        endpoint = Endpoint.parse(raw, origin)
        if endpoint.protocol == "http" and not endpoint.loopback and not allow_http:
            raise ConfigurationError(
                f"{origin} {raw!r}: plain http to a host other than loopback would send signed "
                f"requests in the clear; use https, or set {_origin(config, ALLOW_HTTP.stack_key)}"
                f" (or {ALLOW_HTTP.env[0]}) to true to allow it"
            )
        endpoints[service] = endpoint
    return endpoints


def resolve_settings(
    config: ConfigSource | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from stack config (fully qualified keys) and the environment; a
    `ConfigurationError` naming the setting for any that is invalid, before any client.

    The order is declared beside each key (`KEYS`), and applied here only."""
    cfg: ConfigSource = config if config is not None else {}
    env: Mapping[str, str] = environ if environ is not None else os.environ
    region, origin = _lookup(cfg, REGION, env) or (DEFAULT_REGION, "")
    proxy = _lookup(cfg, HTTP_PROXY, env)
    return Settings(
        # A region is checked as it is resolved, before any client: a crafted one
        # (``x@127.0.0.1:9#``) would send the signed request elsewhere.
        region=checked_region(region, origin),
        credentials=_credentials(cfg, env),
        endpoints=_endpoints(cfg, env),
        max_retry_time=_max_retry_time(cfg, env),
        http_proxy=proxy[0] if proxy is not None else None,
    )


# The order, in the docstring too, from the declarations.
_ORDER = f"{textwrap.fill(PRECEDENCE, 92, break_on_hyphens=False)}\n\n{settings_table()}"
resolve_settings.__doc__ = f"{resolve_settings.__doc__}\n\n{textwrap.indent(_ORDER, '    ')}"
