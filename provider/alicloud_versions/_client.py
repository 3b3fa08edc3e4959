"""The one road to the network: SDK clients built per call, one retry policy, one error mapping."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_delay,
    wait_random_exponential,
)

from ._config import Service, Settings
from ._errors import ConfigurationError, Target, TransientError, map_exception

__all__ = ["Session", "new_client", "preload", "retry_policy"]

R = TypeVar("R")

# Milliseconds, as the SDK counts them: bounded so a hung connection becomes a retry.
_CONNECT_TIMEOUT_MS = 5_000
_READ_TIMEOUT_MS = 10_000

# Replaced in unit tests so retries do not sleep.
_sleep: Callable[[float], None] = time.sleep


def _credential_client() -> Any:
    """The default chain of alibabacloud-credentials, checked now so a failure is clear."""
    from alibabacloud_credentials.client import Client as CredentialClient
    from alibabacloud_credentials.exceptions import CredentialException

    try:
        chain = CredentialClient()
        chain.get_credential()
    except CredentialException as exc:
        raise ConfigurationError(
            "no Alibaba Cloud credentials: set alicloud:accessKey and alicloud:secretKey "
            "(secret) in the stack config, or ALIBABA_CLOUD_ACCESS_KEY_ID and "
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment, or configure a profile or "
            f"RAM role ({exc})"
        ) from None
    return chain


def new_client(service: Service, settings: Settings, region: str) -> Any:
    """A fresh SDK client for `service` in `region`; the SDKs are imported only here."""
    from alibabacloud_tea_openapi.models import Config

    config = Config(
        region_id=region,
        connect_timeout=_CONNECT_TIMEOUT_MS,
        read_timeout=_READ_TIMEOUT_MS,
    )
    creds = settings.credentials
    if creds is not None:
        config.access_key_id = creds.access_key_id
        config.access_key_secret = creds.access_key_secret
        config.security_token = creds.security_token
    else:
        config.credential = _credential_client()
    endpoint = settings.endpoint(service)
    if endpoint is not None:
        config.endpoint = endpoint.host
        config.protocol = endpoint.protocol
    return _client_class(service)(config)


def _client_class(service: Service) -> Any:
    if service is Service.WEBPLUS:
        from alibabacloud_webplus20190320.client import Client as WebPlusClient

        return WebPlusClient
    from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient

    return ServiceCatalogClient


def preload(service: Service) -> None:
    """Import what the first call on `service` needs (~0.25 s of SDK, aiohttp and requests).

    Run by the provider's configure in a daemon thread, off the request path. Python's import
    lock makes a call that needs a module still being imported here wait for this import, not
    start its own. A failure is left to that call, which reports it where it matters.
    """
    with contextlib.suppress(Exception):
        _client_class(service)
        _runtime()


def _runtime() -> Any:
    from darabonba.runtime import RuntimeOptions

    # One retry policy (ours): the SDK must not retry underneath it.
    return RuntimeOptions(
        autoretry=False,
        max_attempts=1,
        connect_timeout=_CONNECT_TIMEOUT_MS,
        read_timeout=_READ_TIMEOUT_MS,
    )


def retry_policy(max_retry_time: float) -> Retrying:
    """Jittered exponential backoff on `TransientError`, for at most `max_retry_time` seconds."""
    return Retrying(
        retry=retry_if_exception_type(TransientError),
        wait=wait_random_exponential(multiplier=0.25, max=8.0),
        stop=stop_after_delay(max_retry_time),
        sleep=lambda seconds: _sleep(seconds),
        reraise=True,
    )


@dataclass(frozen=True)
class Session:
    """Calls one service for one resource; built inside a provider method, never stored."""

    settings: Settings
    service: Service
    region: str
    target: Target

    def about(self, *, name: str | None = None, id_: str | None = None) -> Session:
        """The same session with a resource name or id learnt along the way."""
        target = Target(self.target.resource_type, name or self.target.name, id_ or self.target.id_)
        return Session(self.settings, self.service, self.region, target)

    def call_once(self, operation: str, request: Callable[[Any, Any], R]) -> R:
        """One attempt of `request(client, runtime)`, with every failure mapped."""
        try:
            client = new_client(self.service, self.settings, self.region)
            return request(client, _runtime())
        except Exception as exc:
            creds = self.settings.credentials
            secrets = (creds.access_key_secret, creds.security_token) if creds else ()
            raise map_exception(
                exc, target=self.target, operation=operation, secrets=secrets
            ) from None

    def call(
        self,
        operation: str,
        request: Callable[[Any, Any], R],
        *,
        recover: Callable[[float], R | None] | None = None,
    ) -> R:
        """`request(client, runtime)` under the retry policy.

        `recover` guards non-idempotent calls (creates): before each retry it looks for what
        a failed attempt may have made on the server since the first attempt began (the local
        time it is given; `_ownership` has the rule) and, if it finds it, that is the result.
        """
        started = time.time()

        def attempt_once(state: RetryCallState | None) -> R:
            if recover is not None and state is not None and state.attempt_number > 1:
                found = recover(started)
                if found is not None:
                    return found
            return self.call_once(operation, request)

        for attempt in retry_policy(self.settings.max_retry_time):
            with attempt:
                return attempt_once(attempt.retry_state)
        raise AssertionError("unreachable: tenacity reraises the last error")  # pragma: no cover
