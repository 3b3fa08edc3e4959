"""Provider settings: region, credentials, endpoints and retry limit, resolved from config and env.

Order, first match wins:

* credentials: stack config ``alicloud:accessKey`` / ``alicloud:secretKey`` /
  ``alicloud:securityToken`` (shared with pulumi-alicloud), then the environment
  (``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` /
  ``ALIBABA_CLOUD_SECURITY_TOKEN``, then ``ALICLOUD_ACCESS_KEY`` / ``ALICLOUD_SECRET_KEY`` /
  ``ALICLOUD_SECURITY_TOKEN``), then the default chain of ``alibabacloud-credentials``
  (profile files, RAM role, ...), which `Settings.credentials` being ``None`` stands for.
* region: a resource's ``region`` input, then ``alicloud:region``, then ``ALICLOUD_REGION``,
  then ``ALIBABA_CLOUD_REGION_ID``, then ``cn-hangzhou``.
* endpoint of a service: ``alicloud-versions:webplusEndpoint`` or
  ``alicloud-versions:servicecatalogEndpoint``, then ``alicloud-versions:endpoint``, then
  ``ALICLOUD_VERSIONS_ENDPOINT``; none means the SDK's regional endpoint. ``http://host:port``
  means plain HTTP to ``host:port``, refused for a host other than loopback unless
  ``alicloud-versions:allowHttp`` (or ``ALICLOUD_VERSIONS_ALLOW_HTTP``) is true: signed
  requests would cross the network in the clear. ``{region}`` in the host stands for each
  call's region (``servicecatalog.{region}.aliyuncs.com``), as the regional endpoints name it:
  Service Catalog learns the region only from the host.
* retry time limit in seconds: ``alicloud-versions:maxRetryTime``, then
  ``ALICLOUD_VERSIONS_MAX_RETRY_TIME``, then 60.

Every region is checked to be a region id as it is resolved, before any client exists (see
`hosts`): a crafted one (``x@127.0.0.1:9#``) would send the signed request elsewhere. An error
names the setting as its user wrote it.
"""

from __future__ import annotations

import os
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
    "ConfigSource",
    "Credentials",
    "Endpoint",
    "Key",
    "PluginConfig",
    "Service",
    "Settings",
    "checked_region",
    "resolve_settings",
]

DEFAULT_REGION = "cn-hangzhou"
DEFAULT_MAX_RETRY_TIME = 60.0

_ENV_KEY_PAIRS = (
    (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
    ),
    ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
)
_ENV_REGIONS = ("ALICLOUD_REGION", "ALIBABA_CLOUD_REGION_ID")
_ENV_ENDPOINT = "ALICLOUD_VERSIONS_ENDPOINT"
_ENV_MAX_RETRY_TIME = "ALICLOUD_VERSIONS_MAX_RETRY_TIME"
_ENV_ALLOW_HTTP = "ALICLOUD_VERSIONS_ALLOW_HTTP"
INPUT_REGION = "region"
"""The resource input that overrides the settings' region for one resource."""

# Every environment variable the settings are read from (tests clear them to be hermetic).
ENVIRONMENT_VARIABLES = (
    *(var for pair in _ENV_KEY_PAIRS for var in pair),
    *_ENV_REGIONS,
    _ENV_ENDPOINT,
    _ENV_ALLOW_HTTP,
    _ENV_MAX_RETRY_TIME,
)


class Service(str, Enum):
    """An Alibaba Cloud service this package calls."""

    WEBPLUS = "webplus"
    SERVICECATALOG = "servicecatalog"


@dataclass(frozen=True)
class Key:
    """One configuration key: read by the dynamic provider as ``namespace:name`` from stack
    config, by the plugin as ``alicloud-versions:name`` (its own namespace)."""

    name: str
    namespace: str
    description: str
    type: str = "string"
    secret: bool = False

    @property
    def stack_key(self) -> str:
        """The key as the dynamic provider reads it from stack config."""
        return f"{self.namespace}:{self.name}"


_SHARED, _OWN = "alicloud", "alicloud-versions"
ACCESS_KEY = Key("accessKey", _SHARED, "Access key id.")
SECRET_KEY = Key("secretKey", _SHARED, "Access key secret.", secret=True)
SECURITY_TOKEN = Key(
    "securityToken", _SHARED, "STS security token, with a temporary key.", secret=True
)
REGION = Key("region", _SHARED, f"Default region id (else `{DEFAULT_REGION}`).")
ENDPOINT = Key(
    "endpoint",
    _OWN,
    "Endpoint of every service, `host[:port]` or `http://host:port` (else the SDK's regional "
    "endpoint; plain http only to loopback, unless `allowHttp`); `{region}` in the host stands "
    "for each call's region.",
)
ALLOW_HTTP = Key(
    "allowHttp",
    _OWN,
    "Allow a plain `http://` endpoint whose host is not loopback (else refused: signed "
    "requests would cross the network in the clear); also `ALICLOUD_VERSIONS_ALLOW_HTTP`.",
    type="boolean",
)
HTTP_PROXY = Key(
    "httpProxy",
    _OWN,
    "HTTP proxy for every API call, `http://[user:password@]host:port` (else the environment's "
    "`HTTP_PROXY`). With the emulator as the proxy and "
    "`http://servicecatalog.{region}.aliyuncs.com` as an endpoint (and `allowHttp`), the "
    "emulator learns each call's region from its host, as the real service does.",
    secret=True,
)
MAX_RETRY_TIME = Key(
    "maxRetryTime",
    _OWN,
    f"Seconds a call may spend retrying transient failures (default {DEFAULT_MAX_RETRY_TIME:g}).",
    type="number",
)


def _service_endpoint(service: Service) -> Key:
    return Key(
        f"{service.value}Endpoint", _OWN, f"Endpoint of {service.value} only; overrides `endpoint`."
    )


KEYS: tuple[Key, ...] = (
    ACCESS_KEY,
    SECRET_KEY,
    SECURITY_TOKEN,
    REGION,
    ENDPOINT,
    *(_service_endpoint(service) for service in Service),
    ALLOW_HTTP,
    HTTP_PROXY,
    MAX_RETRY_TIME,
)
"""Every configuration key the settings are resolved from."""


class ConfigSource(Protocol):
    """Anything with ``get(fully_qualified_key)``: `pulumi.dynamic.Config` or a dict. One
    that also has ``origin(key)`` says how its user wrote `key` (a plugin's namespace, a
    command's option), for errors to name it."""

    def get(self, key: str, /) -> Any: ...


def _origin(config: ConfigSource, key: Key) -> str:
    """`key` as `config`'s user wrote it."""
    named = getattr(config, "origin", None)
    return str(named(key)) if callable(named) else key.stack_key


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
    """Configuration in the plugin's own namespace (``alicloud-versions:KEY``, held by ``KEY``)
    as `resolve_settings` asks for it: it asks ``alicloud:accessKey`` or
    ``alicloud-versions:endpoint``, the plugin has ``accessKey`` and ``endpoint``."""

    NAMESPACE = _OWN

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    @classmethod
    def from_stack(cls, config: Mapping[str, Any]) -> PluginConfig:
        """The plugin's keys among a stack's whole config (``alicloud-versions:accessKey``...)."""
        prefix = f"{cls.NAMESPACE}:"
        return cls({k[len(prefix) :]: v for k, v in config.items() if k.startswith(prefix)})

    def get(self, key: str) -> Any:
        return self._values.get(key.rpartition(":")[2])

    def origin(self, key: Key) -> str:
        """`key` in the plugin's namespace, as its user sets it."""
        return f"{self.NAMESPACE}:{key.name}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _config_credentials(config: ConfigSource) -> Credentials | None:
    key_id = _text(config.get(ACCESS_KEY.stack_key))
    secret = _text(config.get(SECRET_KEY.stack_key))
    if key_id is None and secret is None:
        return None
    if key_id is None or secret is None:
        missing = _origin(config, ACCESS_KEY if key_id is None else SECRET_KEY)
        raise ConfigurationError(
            f"stack config sets only half of an access key: {missing} is missing"
        )
    token = _text(config.get(SECURITY_TOKEN.stack_key))
    return Credentials(key_id, secret, token, source="stack config")


def _env_credentials(environ: Mapping[str, str]) -> Credentials | None:
    for id_var, secret_var, token_var in _ENV_KEY_PAIRS:
        key_id, secret = _text(environ.get(id_var)), _text(environ.get(secret_var))
        if key_id and secret:
            token = _text(environ.get(token_var))
            return Credentials(key_id, secret, token, source=f"environment ({id_var})")
    return None


def _first(
    config: ConfigSource, key: Key, environ: Mapping[str, str], *variables: str
) -> tuple[str, str] | None:
    """The first value set among `key` in `config`, then `variables`, with where it came from."""
    value = _text(config.get(key.stack_key))
    if value is not None:
        return value, _origin(config, key)
    for var in variables:
        value = _text(environ.get(var))
        if value is not None:
            return value, var
    return None


def _max_retry_time(config: ConfigSource, environ: Mapping[str, str]) -> float:
    found = _first(config, MAX_RETRY_TIME, environ, _ENV_MAX_RETRY_TIME)
    if found is None:
        return DEFAULT_MAX_RETRY_TIME
    raw, origin = found
    try:
        seconds = float(raw)
    except ValueError:
        raise ConfigurationError(f"{origin}: expected a number of seconds, got {raw!r}") from None
    if seconds < 0:
        raise ConfigurationError(f"{origin}: must not be negative, got {raw!r}")
    return seconds


def _allow_http(config: ConfigSource, environ: Mapping[str, str]) -> bool:
    found = _first(config, ALLOW_HTTP, environ, _ENV_ALLOW_HTTP)
    if found is None:
        return False
    value, origin = found
    if value.lower() not in ("true", "false"):
        raise ConfigurationError(f"{origin}: expected true or false, got {value!r}")
    return value.lower() == "true"


def _endpoints(config: ConfigSource, environ: Mapping[str, str]) -> dict[Service, Endpoint]:
    allow_http = _allow_http(config, environ)
    shared = _first(config, ENDPOINT, environ, _ENV_ENDPOINT)
    endpoints: dict[Service, Endpoint] = {}
    for service in Service:
        found = _first(config, _service_endpoint(service), environ) or shared
        if found is None:
            continue
        raw, origin = found
        endpoint = Endpoint.parse(raw, origin)
        if endpoint.protocol == "http" and not endpoint.loopback and not allow_http:
            raise ConfigurationError(
                f"{origin} {raw!r}: plain http to a host other than loopback would send signed "
                f"requests in the clear; use https, or set {_origin(config, ALLOW_HTTP)} (or "
                f"{_ENV_ALLOW_HTTP}) to true to allow it"
            )
        endpoints[service] = endpoint
    return endpoints


def resolve_settings(
    config: ConfigSource | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from stack config (fully qualified keys) and the environment, in that order;
    a `ConfigurationError` naming the setting for any that is invalid, before any client."""
    cfg: ConfigSource = config if config is not None else {}
    env: Mapping[str, str] = environ if environ is not None else os.environ
    region = _first(cfg, REGION, env, *_ENV_REGIONS)
    return Settings(
        region=checked_region(*region) if region is not None else DEFAULT_REGION,
        credentials=_config_credentials(cfg) or _env_credentials(env),
        endpoints=_endpoints(cfg, env),
        max_retry_time=_max_retry_time(cfg, env),
        http_proxy=_text(cfg.get(HTTP_PROXY.stack_key)),
    )
