"""An action request as the services see it, and what they share: parsing, ids, the clock."""

from __future__ import annotations

import json
import re
import secrets
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .errors import BadRequest, InvalidParameter, MissingParameter
from .signing import RPC_V1, SignedRequest

_ALNUM = string.ascii_lowercase + string.digits
# The deepest JSON body accepted; the APIs' own structures are two or three levels deep.
MAX_JSON_DEPTH = 32
# The region of a request that names none, as the SDKs' own default endpoints are.
DEFAULT_REGION = "cn-hangzhou"


@dataclass(frozen=True)
class Page:
    """One page of a listing, as both services take it and answer it."""

    number: int
    size: int

    def answer(self, total: int, **items: Any) -> dict[str, Any]:
        """The listing's answer: the paging fields, then the items under their API names."""
        return {"PageNumber": self.number, "PageSize": self.size, "TotalCount": total, **items}


@dataclass(frozen=True)
class ActionRequest:
    """The parameters of one API call and the account it acts for."""

    action: str
    params: Mapping[str, str]
    account_id: str
    access_key_id: str
    request_id: str
    # Resources live in one region and are reached only through it, as on the real services.
    region_id: str = DEFAULT_REGION

    def optional(self, name: str) -> str | None:
        """The parameter, or None when absent or blank."""
        value = self.params.get(name)
        return value if value not in (None, "") else None

    def required(self, name: str) -> str:
        """The parameter; MissingParameter when absent or blank."""
        value = self.optional(name)
        if value is None:
            raise MissingParameter(name)
        return value

    def boolean(self, name: str) -> bool | None:
        """A true/false parameter, accepting any casing since SDKs differ ("True" from Python)."""
        value = self.optional(name)
        if value is None:
            return None
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise InvalidParameter(name, f"expected true or false, got {value!r}")
        return lowered == "true"

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        """An integer parameter within bounds, or the default when absent."""
        value = self.optional(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError as exc:
            raise InvalidParameter(name, f"expected an integer, got {value!r}") from exc
        if not minimum <= number <= maximum:
            raise InvalidParameter(name, f"must be between {minimum} and {maximum}")
        return number

    def page(self) -> Page:
        """`PageNumber` and `PageSize`: 10 a page by default, 100 at most."""
        return Page(
            self.integer("PageNumber", 1, 1, 1_000_000), self.integer("PageSize", 10, 1, 100)
        )

    def length(self, name: str, value: str | None, minimum: int, maximum: int) -> str | None:
        """The value unchanged after checking its length, as the API's constraints state it."""
        if value is not None and not minimum <= len(value) <= maximum:
            raise InvalidParameter(name, f"the length must be {minimum} to {maximum} characters")
        return value

    def choice(self, name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
        """The value unchanged after checking it is one of the allowed values."""
        if value is not None and value not in allowed:
            raise InvalidParameter(name, f"valid values are {', '.join(allowed)}")
        return value


# Seconds the emulated services' clock runs ahead of the host's (a fault: `clock_skew_s`).
_clock_skew = 0.0


def set_clock_skew(seconds: float) -> None:
    """Make the services' clock (create times, the Date header) run `seconds` off the host's."""
    global _clock_skew
    _clock_skew = float(seconds)


def clock() -> float:
    """The services' time, in seconds since the epoch."""
    return time.time() + _clock_skew


def drop_none(record: dict[str, Any]) -> dict[str, Any]:
    """The record without its unset fields: Alibaba Cloud leaves them out rather than null."""
    return {k: v for k, v in record.items() if v is not None}


def snake_case(action: str) -> str:
    """`CreatePkgVersion` -> `create_pkg_version`: the method that answers an action."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def now_millis() -> int:
    """Milliseconds since the epoch, as WebPlus reports times."""
    return int(clock() * 1000)


def now_iso() -> str:
    """UTC time to the second in ISO 8601, as Service Catalog reports times."""
    return datetime.fromtimestamp(clock(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def object_id(prefix: str) -> str:
    """`prefix-` and 24 hex digits laid out like the ObjectIds WebPlus uses (time, then random)."""
    return f"{prefix}-{int(time.time()):08x}{secrets.token_hex(8)}"


def short_id(prefix: str) -> str:
    """`prefix-bp1` and 11 lower-case alphanumerics, like Service Catalog's `pv-bp15e79d2614pr`."""
    return f"{prefix}-bp1" + "".join(secrets.choice(_ALNUM) for _ in range(11))


def request_id() -> str:
    """A request id shaped like Alibaba Cloud's: upper-case hex in 8-4-4-4-12 groups."""
    raw = secrets.token_hex(16).upper()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def body_fields(request: SignedRequest, scheme: str) -> dict[str, str]:
    """The body's parameters, when the scheme covers the body.

    RPC v1 signs the form fields (checked by `verify`) and nothing else of the body, so a JSON
    body is ignored. ACS3 hashes the whole body; ROA covers it with `Content-MD5` when sent.
    """
    if request.form or scheme == RPC_V1:
        return dict(request.form)
    if request.headers.get("content-type", "").startswith("application/json") and request.body:
        data = parse_json(request.body)
        if isinstance(data, dict):
            return {k: _json_field(v) for k, v in data.items() if v is not None}
    return {}


def parse_json(body: bytes) -> Any:
    """A JSON body, or BadRequest when it is not JSON or nests deeper than MAX_JSON_DEPTH."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise BadRequest("the body is not valid JSON") from exc
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels")
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, (dict, list)):
            pending.extend((child, depth + 1) for child in children)
    return data


def _json_field(value: Any) -> str:
    # Scalars become the strings a form would carry; structures stay JSON, like shrunk params.
    if isinstance(value, str):
        return value
    return json.dumps(value)
