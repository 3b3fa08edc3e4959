"""The one road to the network: SDK clients built per call, one retry policy, one error mapping."""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .config import MAX_RETRY_TIME, Service, Settings
from .errors import (
    ApiError,
    ConfigurationError,
    Disclosure,
    LostCreateError,
    Target,
    TransientError,
)
from .failures import map_exception
from .operations import Operation

if TYPE_CHECKING:
    from tenacity import RetryCallState, Retrying

__all__ = [
    "ATTEMPT_TIMEOUT",
    "PAGE_SIZE",
    "RETRIES",
    "Session",
    "new_client",
    "paged",
    "preload",
    "record",
    "retry_policy",
]

R = TypeVar("R")

RETRIES = logging.getLogger("alicloud_versions.retries")
"""Where each retry is reported as it happens, one line at WARNING, which both front doors send
to the engine as a warning on the resource (`alicloud_versions._engine_log`)."""

# Milliseconds, as the SDK counts them: bounded so a hung connection becomes a retry.
_CONNECT_TIMEOUT_MS = 5_000
_READ_TIMEOUT_MS = 10_000
ATTEMPT_TIMEOUT = (_CONNECT_TIMEOUT_MS + _READ_TIMEOUT_MS) / 1000
"""Seconds one attempt of a call may last, connecting and reading."""

PAGE_SIZE = 100
"""The most a page of the services' listings holds."""


def record(model: Any) -> dict[str, Any]:
    """The set fields of an SDK response model, under the SDK's snake_case names."""
    if model is None:
        return {}
    return {k: v for k, v in vars(model).items() if not k.startswith("_") and v is not None}


def paged(fetch: Callable[[int], list[Any]], size: int = PAGE_SIZE) -> Iterator[Any]:
    """Every item of a listing `fetch(page_number)` answers `size` at a time, page by page
    until a short one; a page is asked for only when the caller gets that far."""
    for number in itertools.count(1):
        found = fetch(number)
        yield from found
        if len(found) < size:
            return


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
    endpoint = settings.endpoint(service, region)
    if endpoint is not None:
        config.endpoint = endpoint.host
        config.protocol = endpoint.protocol
    if settings.http_proxy is not None:
        config.http_proxy = settings.http_proxy
    return _client_class(service)(config)


def _client_class(service: Service) -> Any:
    if service is Service.WEBPLUS:
        from alibabacloud_webplus20190320.client import Client as WebPlusClient

        return WebPlusClient
    from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient

    return ServiceCatalogClient


def _import_sdk(service: Service) -> None:
    """Import what the first call on `service` needs (~0.3 s of SDK, aiohttp and requests); a
    failure is left to that call, which reports it where it matters."""
    with contextlib.suppress(Exception):
        _client_class(service)
        _runtime()


_preloading: set[Service] = set()
_preloading_lock = threading.Lock()


def preload(service: Service) -> None:
    """Start importing what calls on `service` need in a daemon thread, off the request path,
    once a process.

    The front doors start it when the engine announces a change (`Calls.expect_calls`), never
    before: a preview or an up that changes nothing makes no call, so it never pays the import.
    Python's import lock makes a call that needs a module still being imported here wait for
    this import, not start its own.
    """
    with _preloading_lock:
        if service in _preloading:
            return
        _preloading.add(service)
    threading.Thread(target=_import_sdk, args=(service,), name="preload-sdk", daemon=True).start()


def _runtime() -> Any:
    from darabonba.runtime import RuntimeOptions

    # One retry policy (ours): the SDK must not retry underneath it.
    return RuntimeOptions(
        autoretry=False,
        max_attempts=1,
        connect_timeout=_CONNECT_TIMEOUT_MS,
        read_timeout=_READ_TIMEOUT_MS,
    )


def _report(state: RetryCallState, limit: float) -> None:
    """Report the retry about to wait: what failed, which attempt, how long until the limit,
    and the setting that bounds it."""
    failed = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    left = max(0.0, limit - (state.seconds_since_start or 0.0))
    what = (
        f"{failed.target}: {failed.operation} failed with {failed.code}"
        if isinstance(failed, ApiError)
        else "a call failed"
    )
    RETRIES.warning(
        "%s (attempt %d); retrying in %.1fs, %.0fs left of the %gs retry limit (%s)",
        what,
        state.attempt_number,
        wait,
        left,
        limit,
        MAX_RETRY_TIME.stack_key,
    )


def retry_policy(max_retry_time: float) -> Retrying:
    """Jittered exponential backoff on `TransientError`, for at most `max_retry_time` seconds;
    each retry is reported (`RETRIES`) before its wait."""
    # Loaded with the first call: a process that makes none (a preview of unchanged resources)
    # does not pay for it.
    from tenacity import (
        Retrying,
        retry_if_exception_type,
        stop_after_delay,
        wait_random_exponential,
    )

    return Retrying(
        retry=retry_if_exception_type(TransientError),
        wait=wait_random_exponential(multiplier=0.25, max=8.0),
        stop=stop_after_delay(max_retry_time),
        sleep=lambda seconds: _sleep(seconds),
        before_sleep=lambda state: _report(state, max_retry_time),
        reraise=True,
    )


@dataclass(frozen=True)
class Session:
    """Calls one service for one resource; built inside a provider method, never stored."""

    settings: Settings
    service: Service
    region: str
    target: Target
    retries: bool = True
    """False for a session whose calls make one attempt each: the lookups `call` runs inside
    its own retries, which must not nest a second policy."""
    shown: Disclosure = field(default_factory=Disclosure)
    """Which inputs' values the messages of this call may quote."""
    hidden: tuple[str, ...] = ()
    """The input values they may not: redacted from whatever the API echoes."""

    def about(self, *, name: str | None = None, id_: str | None = None) -> Session:
        """The same session with a resource name or id learnt along the way."""
        target = Target(self.target.resource_type, name or self.target.name, id_ or self.target.id_)
        return replace(self, target=target)

    def once(self) -> Session:
        """The same session, each of whose calls makes a single attempt."""
        return replace(self, retries=False)

    def call_once(
        self, operation: Operation, request: Any, answer: Callable[[Any], Any] | None = None
    ) -> Any:
        """One attempt of `operation` with the SDK `request`, its response passed through
        `answer` when given, with every SDK failure mapped; anything else is a bug and raised
        as it is."""
        try:
            client = new_client(self.service, self.settings, self.region)
            response = operation.invoke(client, request, _runtime())
            return response if answer is None else answer(response)
        except Exception as exc:
            creds = self.settings.credentials
            secrets = (creds.access_key_secret, creds.security_token) if creds else ()
            mapped = map_exception(
                exc,
                target=self.target,
                operation=operation.action,
                secrets=secrets,
                hidden=self.hidden,
            )
            if mapped is None:
                raise
            raise mapped from None

    @overload
    def call(self, operation: Operation, request: Any) -> Any: ...

    @overload
    def call(
        self,
        operation: Operation,
        request: Any,
        *,
        answer: Callable[[Any], R],
        recover: Callable[[Session, float], R | None] | None = None,
    ) -> R: ...

    def call(
        self,
        operation: Operation,
        request: Any,
        *,
        answer: Callable[[Any], Any] | None = None,
        recover: Callable[[Session, float], Any] | None = None,
    ) -> Any:
        """`operation` with the SDK `request` under the retry policy (one attempt if not
        `retries`): the response, or what `answer` makes of it.

        `recover` guards non-idempotent calls (creates). After an attempt whose answer was lost
        (any `TransientError`: the server may have applied it) it looks, with a single-attempt
        session, for what the attempts made on the server since the first one began (the local
        time it is given; `_ownership` has the rule): before the next attempt, and once more
        after the last, so the worst case is the retry time plus one lookup. What it finds is
        the result, in place of `answer`'s. A lookup that fails inside the retries counts as a
        failed attempt; one that fails after the last is a `LostCreateError`.
        """
        if not self.retries:
            return self.call_once(operation, request, answer)
        started = time.time()
        lost: TransientError | None = None

        def look(failure: TransientError) -> Any:
            try:
                return recover(self.once(), started) if recover is not None else None
            except TransientError:
                raise
            except ApiError as failed:
                raise self._unconfirmed(failure, failed, started) from None

        def attempt_once() -> Any:
            nonlocal lost
            if lost is not None and (found := look(lost)) is not None:
                return found
            try:
                return self.call_once(operation, request, answer)
            except TransientError as exc:
                lost = exc
                raise

        try:
            for attempt in retry_policy(self.settings.max_retry_time):
                with attempt:
                    return attempt_once()
        except TransientError as exc:
            if recover is None or lost is None:
                raise
            try:
                found = look(exc)
            except TransientError as failed:
                raise self._unconfirmed(lost, failed, started) from None
            if found is not None:
                return found
            raise lost from None
        raise AssertionError("unreachable: tenacity reraises the last error")  # pragma: no cover

    def _unconfirmed(self, lost: ApiError, failed: ApiError, started: float) -> LostCreateError:
        """The error for a create whose answer was lost when the lookup for it failed too."""
        since = datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds")
        return LostCreateError(
            f"{lost}; the create may have been applied, and looking for what it made failed "
            f"too ({failed.operation}: {failed.code}: {failed.message}). Look for a "
            f"{self.target.resource_type} matching the inputs made since {since}: if there is "
            "one, set adopt_id to its id (after a killed update, `alicloud-versions recover` "
            "does this), otherwise run the update again"
        )
