"""How failures become the package's errors, for the client: what the SDKs raise mapped in one
place (`map_exception`), everything an API echoes redacted (`redact`), a bug of ours reported as
one (`reported`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import (
    AlicloudVersionsError,
    ApiError,
    AuthenticationError,
    ConnectionLostError,
    ProviderBug,
    Target,
    TransientError,
)

__all__ = ["REDACTED", "api_error", "classify", "map_exception", "redact", "reported"]

R = TypeVar("R")
_log = logging.getLogger("alicloud_versions")

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
# A URL's query string (a connection error prints the URL it asked for): it carries the
# request's parameters, any input among them.
_URL_QUERY = re.compile(r"\?[^\s'\"()<>?]*=[^\s'\"()<>]*")
REDACTED = "[redacted]"
# Input values shorter than this are redacted only as whole words, so that a one-letter value
# does not take every such letter out of the message with it.
_WHOLE_WORD_BELOW = 8


def redact(text: str, secrets: tuple[str | None, ...] = (), hidden: tuple[str, ...] = ()) -> str:
    """`text` with signed strings, signatures, tokens, URL query strings, the given secret values
    (the key secret and token in use) and input values that may not be shown removed."""
    for value in secrets:
        if value:
            text = text.replace(value, REDACTED)
    for value in sorted(set(hidden), key=len, reverse=True):
        if len(value) >= _WHOLE_WORD_BELOW:
            text = text.replace(value, REDACTED)
        else:
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", REDACTED, text)
    text = _URL_QUERY.sub("?" + REDACTED, text)
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
    hidden: tuple[str, ...] = (),
) -> AlicloudVersionsError | None:
    """The package error for what an SDK call raised; the one place SDK errors are mapped.
    None for anything else, which is a bug to be raised as it is, never an API error.

    Every message is redacted (`redact`): `secrets` (the key secret and STS token in use) and
    `hidden` (the input values a message may not show) removed wherever they appear."""
    mapped = _mapped(exc, target=target, operation=operation)
    if mapped is None:
        return None
    if isinstance(mapped, ApiError):
        clean = redact(mapped.message, secrets, hidden)
        if clean != mapped.message:
            mapped = mapped.with_message(clean)
    elif redact(str(mapped), secrets, hidden) != str(mapped):
        mapped = type(mapped)(redact(str(mapped), secrets, hidden))
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
    with its traceback and raised as a `ProviderBug` naming its type, its text left to the log
    (it may hold an input's value); never retried."""
    try:
        return call(*args)
    except AlicloudVersionsError:
        raise
    except Exception as exc:
        _log.exception("%s: unexpected error in alicloud-versions", what)
        raise ProviderBug(
            f"{what}: a bug in alicloud-versions: {type(exc).__name__} (its message and "
            "traceback are in the provider's log)"
        ) from exc
