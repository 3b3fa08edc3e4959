"""Errors raised by the providers, and the one place SDK and network exceptions become them.

The hierarchy::

    AlicloudVersionsError            every error this package raises
    ├── ConfigurationError           settings or credentials cannot be resolved
    ├── AdoptionError                adopt_id names a resource that is missing or differs
    ├── ImportIdError                a `pulumi import` id is not of the kind's form
    ├── InUseError                   a version to delete is still in use
    ├── OwnershipError               a lost create's resource cannot be told from others
    ├── LostCreateError              a create's answer was lost and what it made cannot be looked up
    ├── ProviderBug                  an unexpected exception in this package's own code
    └── ApiError                     an API call failed (resource, operation, code, RequestId)
        ├── AuthenticationError      wrong key, bad signature, forbidden: never retried
        └── TransientError           throttling, 5xx, InternalError: retried
            └── ConnectionLostError  the connection failed or dropped: retried

`map_exception` turns what the SDKs raise into one of these; anything else (a bug) is left as
it is. No error class means "the resource is gone": only a resource kind's own declared
not-found codes prove that (`_core.ResourceCore`). The `str()` of every error is a single line;
the dynamic provider host answers the engine with
``Exception calling application: <that line>`` and no traceback. gRPC logs the exception with
its traceback only where logging is configured, and `install_traceback_filter` (run by
`configure`) keeps even that log to the one line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "AdoptionError",
    "AdoptionMismatch",
    "AlicloudVersionsError",
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionLostError",
    "ImportIdError",
    "InUseError",
    "LostCreateError",
    "OwnershipError",
    "ProviderBug",
    "Target",
    "TransientError",
    "install_traceback_filter",
    "map_exception",
    "redact",
    "reported",
]

R = TypeVar("R")
_log = logging.getLogger("alicloud_versions")


@dataclass(frozen=True)
class Target:
    """What an API call is about, for error messages: a resource type and its name or id."""

    resource_type: str
    name: str | None = None
    id_: str | None = None

    def __str__(self) -> str:
        parts = [self.resource_type]
        if self.name:
            parts.append(f'"{self.name}"')
        if self.id_:
            parts.append(f"(id {self.id_})")
        return " ".join(parts)


class AlicloudVersionsError(Exception):
    """Base class of every error this package raises."""


class ConfigurationError(AlicloudVersionsError):
    """Settings or credentials cannot be resolved."""


class AdoptionError(AlicloudVersionsError):
    """`adopt_id` names a resource that does not exist or whose immutable fields differ."""


class AdoptionMismatch(AdoptionError):
    """`adopt_id` names a resource whose immutable fields differ from the inputs; a secret
    input's values are never shown."""

    def __init__(
        self,
        resource_type: str,
        adopt_id: str,
        mismatched: tuple[tuple[str, Any, Any], ...],
        secret: frozenset[str] = frozenset(),
    ) -> None:
        self.resource_type, self.adopt_id = resource_type, adopt_id
        self.mismatched, self.secret = mismatched, secret
        fields = "; ".join(
            f"{name} (secret: the input and the existing value differ)"
            if name in secret
            else f"{name} (input {given!r}, existing {found!r})"
            for name, given, found in mismatched
        )
        super().__init__(
            f"{resource_type}: cannot adopt {adopt_id!r}: immutable fields differ: {fields}"
        )

    def hiding(self, secret: frozenset[str]) -> AdoptionMismatch:
        """The same mismatch with the values of the inputs in `secret` left out."""
        return AdoptionMismatch(
            self.resource_type, self.adopt_id, self.mismatched, self.secret | secret
        )


class ImportIdError(AlicloudVersionsError):
    """The id given to `pulumi import` is not of the form the resource kind takes."""


class InUseError(AlicloudVersionsError):
    """A version cannot be deleted: something still runs or uses it (and ``force_delete`` is
    not set). Nothing was changed."""


class OwnershipError(AlicloudVersionsError):
    """After a lost create answer, more than one resource could be the one it made; none is
    taken, since adopting another's would later delete it."""


class LostCreateError(AlicloudVersionsError):
    """A create's answer was lost, so it may have been applied, and the lookup for what it made
    failed too: the message says what to look for and how to take it over."""


class ProviderBug(AlicloudVersionsError):
    """An unexpected exception in this package's own code; its traceback is logged."""


class ApiError(AlicloudVersionsError):
    """An API call failed; the message names resource, operation, code, message and RequestId."""

    def __init__(
        self,
        *,
        target: Target,
        operation: str,
        code: str,
        message: str,
        request_id: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.target = target
        self.operation = operation
        self.code = code
        self.message = message
        self.request_id = request_id
        self.status_code = status_code
        super().__init__(self._render())

    def with_message(self, message: str) -> ApiError:
        """The same error (class, resource, operation, code, RequestId) with `message`."""
        return type(self)(
            target=self.target,
            operation=self.operation,
            code=self.code,
            message=message,
            request_id=self.request_id,
            status_code=self.status_code,
        )

    def _render(self) -> str:
        text = f"{self.target}: {self.operation} failed: {self.code}: {self.message}"
        if self.request_id:
            text += f" (RequestId: {self.request_id})"
        return text


class AuthenticationError(ApiError):
    """The access key is unknown, the signature is wrong or the caller is forbidden."""


class TransientError(ApiError):
    """A failure that may succeed when tried again."""


class ConnectionLostError(TransientError):
    """The connection could not be made or dropped before an answer arrived."""


_AUTH_CODES = re.compile(
    r"^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|InvalidSecurityToken"
    r"|Forbidden|NoPermission|InvalidCredentials)"
)
_TRANSIENT_CODES = re.compile(
    r"^(Throttling|ServiceUnavailable|InternalError|RequestTimeout|ServiceTimeout"
    r"|SystemBusy|LastOperationNotFinished)"
)

# SDK prefixes "code: 404, " and suffixes " request id: X" around the server's message.
_SDK_MESSAGE = re.compile(r"^code: \d+, (?P<msg>.*?)(?: request id: [^ ]*)?$", re.S)


# What a service may echo in an error that must never reach a message: the string it signed
# (which carries the token and every signed header), signatures, STS tokens and secrets.
_SIGNED_STRING = re.compile(r"(?i)(string[ -]?to[ -]?sign(?:\s+is)?\s*[:=]?\s*)\S+")
_SECRET_FIELDS = re.compile(
    r"(?i)((?:x-acs-)?security[-_]?token|signature|access[-_]?key[-_]?secret|authorization)"
    r"((?:\s*[:=]\s*|%3D|%253D)[\"']?)[^\s&\"',;]+"
)
REDACTED = "[redacted]"


def redact(text: str, secrets: tuple[str | None, ...] = ()) -> str:
    """`text` with signed strings, signatures, tokens and the given secret values removed."""
    for value in secrets:
        if value:
            text = text.replace(value, REDACTED)
    text = _SIGNED_STRING.sub(lambda m: m.group(1) + REDACTED, text)
    return _SECRET_FIELDS.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)


def classify(code: str, status_code: int | None) -> type[ApiError]:
    """The error class for an API error code and HTTP status. None of them means "gone": a 404
    or a code naming something not found may come from a gateway or a proxy as well as from the
    service, so only a resource kind's declared codes are taken as proof."""
    if _AUTH_CODES.match(code):
        return AuthenticationError
    if _TRANSIENT_CODES.match(code) or (status_code is not None and status_code >= 500):
        return TransientError
    return ApiError


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if text in ("", "None") else text


def api_error(
    *,
    target: Target,
    operation: str,
    code: str,
    message: str,
    request_id: str | None = None,
    status_code: int | None = None,
) -> ApiError:
    """An `ApiError` of the class the code implies (for errors found in a response body)."""
    cls = classify(code, status_code)
    return cls(
        target=target,
        operation=operation,
        code=code,
        message=message,
        request_id=request_id,
        status_code=status_code,
    )


def _is_connection_failure(exc: BaseException) -> bool:
    import http.client
    import socket

    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        cur = stack.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(
            cur,
            ConnectionError | TimeoutError | socket.timeout | http.client.RemoteDisconnected,
        ):
            return True
        name = type(cur).__name__
        if name in {
            "ConnectionError",
            "ProtocolError",
            "ReadTimeout",
            "ConnectTimeout",
            "ReadTimeoutError",
            "NewConnectionError",
            "MaxRetryError",
            "ChunkedEncodingError",
        }:
            return True
        stack.extend([cur.__cause__, cur.__context__, getattr(cur, "inner_exception", None)])
    return False


def map_exception(
    exc: BaseException,
    *,
    target: Target,
    operation: str,
    secrets: tuple[str | None, ...] = (),
) -> AlicloudVersionsError | None:
    """The package error for what an SDK call raised; the one place SDK errors are mapped.
    None for anything else, which is a bug to be raised as it is, never an API error.

    Every message is redacted (`redact`), with `secrets` (the key secret and STS token in use)
    removed wherever they appear."""
    mapped = _mapped(exc, target=target, operation=operation)
    if mapped is None:
        return None
    if isinstance(mapped, ApiError):
        clean = redact(mapped.message, secrets)
        if clean != mapped.message:
            mapped = mapped.with_message(clean)
    elif any(v and v in str(mapped) for v in secrets) or redact(str(mapped)) != str(mapped):
        mapped = type(mapped)(redact(str(mapped), secrets))
    return mapped


def _mapped(exc: BaseException, *, target: Target, operation: str) -> AlicloudVersionsError | None:
    if isinstance(exc, AlicloudVersionsError):
        return exc
    # The SDK exceptions derive from Tea.exceptions.TeaException; imported here to keep the
    # package import cheap.
    from Tea.exceptions import TeaException, UnretryableException

    if isinstance(exc, UnretryableException):
        inner = getattr(exc, "inner_exception", None)
        if isinstance(inner, TeaException) and not isinstance(inner, UnretryableException):
            return _mapped(inner, target=target, operation=operation)
        detail = getattr(inner, "message", None) or str(inner or exc)
        return ConnectionLostError(
            target=target, operation=operation, code="ConnectionError", message=str(detail)
        )
    if isinstance(exc, TeaException):
        data = getattr(exc, "data", None)
        data = data if isinstance(data, dict) else {}
        code = _clean(getattr(exc, "code", None)) or _clean(data.get("Code")) or "Unknown"
        status = getattr(exc, "status_code", None) or getattr(exc, "statusCode", None)
        status = status if isinstance(status, int) else data.get("statusCode")
        request_id = (
            _clean(getattr(exc, "request_id", None))
            or _clean(data.get("RequestId"))
            or _clean(data.get("requestId"))
        )
        message = _clean(data.get("Message")) or _clean(data.get("message"))
        if message is None:
            raw = _clean(getattr(exc, "message", None)) or code
            found = _SDK_MESSAGE.match(raw)
            message = found.group("msg") if found else raw
        if code in ("Unknown", "None") and _is_connection_failure(exc):
            return ConnectionLostError(
                target=target, operation=operation, code="ConnectionError", message=message
            )
        return api_error(
            target=target,
            operation=operation,
            code=code,
            message=message,
            request_id=request_id,
            status_code=status if isinstance(status, int) else None,
        )
    if _is_connection_failure(exc):
        return ConnectionLostError(
            target=target, operation=operation, code="ConnectionError", message=str(exc)
        )
    return None


def reported(what: str, call: Callable[..., R], *args: Any) -> R:
    """`call(*args)`, with an unexpected exception (a bug of ours, never an API error) logged
    with its traceback and raised as a `ProviderBug` naming its type; never retried."""
    try:
        return call(*args)
    except AlicloudVersionsError:
        raise
    except Exception as exc:
        _log.exception("%s: unexpected error in alicloud-versions", what)
        raise ProviderBug(
            f"{what}: a bug in alicloud-versions: {type(exc).__name__}: {redact(str(exc))} "
            "(its traceback is in the provider's log)"
        ) from exc


class _DropOwnTracebacks(logging.Filter):
    """Keeps gRPC's "Exception calling application" log to our one-line message."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, AlicloudVersionsError):
            record.exc_info = None
            record.exc_text = None
            record.msg, record.args = "%s", (str(exc),)
        return True


# Where gRPC logs a handler's exception: the threaded server (the dynamic provider host) and
# the asyncio one (the plugin).
_GRPC_LOGGERS = ("grpc._server", "grpc._cython.cygrpc")


def install_traceback_filter() -> None:
    """Stop the gRPC servers printing tracebacks for our errors (the message says it all)."""
    for name in _GRPC_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropOwnTracebacks) for f in logger.filters):
            logger.addFilter(_DropOwnTracebacks())
