"""The HTTP server: routing, signature checks, fault injection and the /_emulator/ controls."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import random
import re
import socket
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from . import servicecatalog, webplus
from .errors import (
    ApiError,
    BadRequest,
    ForbiddenHost,
    ForbiddenOrigin,
    ForeignCaller,
    InjectedAnswer,
    InternalError,
    InvalidActionNotFound,
    InvalidVersion,
    MissingParameter,
    RequestEntityTooLarge,
    ResourceAuthFailed,
    ServiceUnavailable,
    Throttling,
)
from .params import DEFAULT_REGION, ActionRequest, clock, request_id, set_clock_skew
from .signing import (
    DEFAULT_ACCESS_KEY,
    RPC_V1,
    AccessKey,
    SignedRequest,
    claimed_access_key_id,
    scheme_of,
    verify,
)
from .store import TABLES, Store

FAILURE_KINDS = ("Throttling", "ServiceUnavailable", "InternalError", "DropConnection")
_INJECTED: dict[str, type[Throttling | ServiceUnavailable | InternalError]] = {
    "Throttling": Throttling,
    "ServiceUnavailable": ServiceUnavailable,
    "InternalError": InternalError,
}
_PRODUCT = {webplus.SERVICE: "WebPlus", servicecatalog.SERVICE: "servicecatalog"}
# Enough for every test run and a load test; older entries fall off, the counts stay exact.
_LOG_LIMIT = 100_000
# The largest body the emulator reads: a 512 KiB template body (CreateTemplate's limit), even
# percent-encoded into a form, fits. Anything larger is refused before it is read.
MAX_BODY_BYTES = 4 * 1024 * 1024
# The deepest JSON body accepted; the APIs' own structures are two or three levels deep.
MAX_JSON_DEPTH = 32
# A host label that names a region, as in servicecatalog.cn-shanghai.aliyuncs.com or
# webplus.ap-southeast-1.aliyuncs.com: the real services learn the region from it.
_REGION_LABEL = re.compile(r"^(?:cn|ap|us|eu|me|na|sa|af|in)-[a-z]+(?:-[a-z0-9]+)*$")
# The real endpoints' domain: such a Host reaches the emulator only as a client's HTTP proxy, and
# no web page can make one of its names resolve to this machine.
_REAL_ENDPOINTS = ".aliyuncs.com"
# A query parameter's value in a logged request line (quoted by http.server's own errors).
_QUERY_VALUE = re.compile(r"([?&][^=&\s'\"]*)=[^&\s'\"]*")

# What an `error` fault answers when it names one of these codes without a status or message:
# the gateway's answer for an API it does not serve, WebPlus's documented ResourceAuthFailed,
# and the common RAM refusal (sources in the README's error table).
KNOWN_ERRORS: dict[str, tuple[int, str]] = {
    InvalidActionNotFound.code: (InvalidActionNotFound.status, InvalidActionNotFound().message),
    ResourceAuthFailed.code: (ResourceAuthFailed.status, ResourceAuthFailed("").message),
    "Forbidden.RAM": (
        403,
        "User not authorized to operate on the specified resource, or this API doesn't "
        "support RAM.",
    ),
}


@dataclass(frozen=True)
class ErrorFault:
    """Answer every authenticated call to `actions` (all when None) with this HTTP status, code
    and message, after its signature is verified and before the action runs: a path that
    answers the wrong thing (a gateway, a proxy, a RAM policy). `ErrorFault.of(code)` fills
    in the status and message of a code in `KNOWN_ERRORS`."""

    code: str
    status: int
    message: str
    actions: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("an error fault needs a code")
        if not 400 <= self.status <= 599:
            raise ValueError("an error fault's status must be between 400 and 599")

    @classmethod
    def of(
        cls,
        code: str,
        status: int | None = None,
        message: str | None = None,
        actions: Iterable[str] | None = None,
    ) -> ErrorFault:
        """The fault for `code`; status and message default to the code's known answer."""
        known_status, known_message = KNOWN_ERRORS.get(code, (None, None))
        status = status if status is not None else known_status
        if status is None:
            known = ", ".join(KNOWN_ERRORS)
            raise ValueError(f"error {code!r} needs a status (known codes: {known})")
        return cls(
            code=code,
            status=status,
            message=message or known_message or f"The request failed with {code}.",
            actions=frozenset(actions) if actions is not None else None,
        )

    @staticmethod
    def known() -> list[str]:
        """The codes `of` knows a status and message for."""
        return list(KNOWN_ERRORS)

    def applies(self, action: str) -> bool:
        """Whether a call to `action` gets this error."""
        return self.actions is None or action in self.actions

    def to_json(self) -> dict[str, Any]:
        """The fault as `GET /_emulator/faults` answers it under `error`."""
        return {
            "code": self.code,
            "status": self.status,
            "message": self.message,
            "actions": sorted(self.actions) if self.actions is not None else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> ErrorFault:
        """The fault from its JSON: `code`, and optionally `status`, `message`, `actions`."""
        if not isinstance(data, dict):
            raise ValueError("error must be an object with a code")
        unknown = set(data) - {"code", "status", "message", "actions"}
        if unknown:
            raise ValueError(f"unknown error fault settings {sorted(unknown)}")
        actions = data.get("actions")
        status = data.get("status")
        return cls.of(
            str(data.get("code") or ""),
            int(status) if status is not None else None,
            str(data["message"]) if data.get("message") is not None else None,
            [str(a) for a in actions] if actions is not None else None,
        )


@dataclass(frozen=True)
class FaultConfig:
    """Latency and transient failures to inject into API calls (never into /_emulator/ controls).

    `failure_rate` is the chance that an authenticated call to one of `actions` (all when None)
    fails with one of `failure_kinds`. `DropConnection` closes the socket without an answer,
    after applying the action when `drop_after_apply` is set (the answer was lost on the way).
    `max_failures` caps how many failures are injected; `seed` makes the draws repeatable.
    `clock_skew_s` sets the services' clock (create times and the ``Date`` header) that many
    seconds ahead of the host's (behind when negative); signatures are still checked against
    the host's. `error` answers the calls it names with a chosen error (see `ErrorFault`),
    before any transient failure is drawn.
    """

    latency_ms: int = 0
    failure_rate: float = 0.0
    failure_kinds: tuple[str, ...] = FAILURE_KINDS
    actions: frozenset[str] | None = None
    drop_after_apply: bool = False
    max_failures: int | None = None
    seed: int | None = None
    clock_skew_s: float = 0.0
    error: ErrorFault | None = None

    def __post_init__(self) -> None:
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError("failure_rate must be between 0 and 1")
        unknown = set(self.failure_kinds) - set(FAILURE_KINDS)
        if unknown:
            raise ValueError(f"unknown failure kinds {sorted(unknown)}; known: {FAILURE_KINDS}")
        if self.max_failures is not None and self.max_failures < 0:
            raise ValueError("max_failures must not be negative")

    def to_json(self) -> dict[str, Any]:
        """The settings as `GET /_emulator/faults` answers them."""
        return {
            "latency_ms": self.latency_ms,
            "failure_rate": self.failure_rate,
            "failure_kinds": list(self.failure_kinds),
            "actions": sorted(self.actions) if self.actions is not None else None,
            "drop_after_apply": self.drop_after_apply,
            "max_failures": self.max_failures,
            "seed": self.seed,
            "clock_skew_s": self.clock_skew_s,
            "error": self.error.to_json() if self.error is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultConfig:
        """Settings from a `PUT /_emulator/faults` body; absent keys take their defaults."""
        known = set(cls().to_json())
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings {sorted(unknown)}; known: {sorted(known)}")
        actions = data.get("actions")
        kinds = data.get("failure_kinds", FAILURE_KINDS)
        try:
            return cls(
                latency_ms=int(data.get("latency_ms", 0)),
                failure_rate=float(data.get("failure_rate", 0.0)),
                failure_kinds=tuple(str(k) for k in kinds),
                actions=frozenset(str(a) for a in actions) if actions is not None else None,
                drop_after_apply=bool(data.get("drop_after_apply", False)),
                max_failures=(
                    int(data["max_failures"]) if data.get("max_failures") is not None else None
                ),
                seed=int(data["seed"]) if data.get("seed") is not None else None,
                clock_skew_s=float(data.get("clock_skew_s", 0.0)),
                error=(
                    ErrorFault.from_json(data["error"]) if data.get("error") is not None else None
                ),
            )
        except TypeError as exc:
            raise ValueError(str(exc)) from exc


@dataclass(frozen=True)
class OriginRule:
    """Which `Host` and `Origin` the emulator answers, on the API and the controls alike.

    A web page in a browser on this machine must not reach a running emulator, whose default key
    is published: a DNS-rebinding page sends its own name as `Host`, a page of another origin
    (another local port included) sends its `Origin`. So a request must name a loopback host
    (`localhost`, 127.0.0.0/8, `[::1]`, any port), a real endpoint (`*.aliyuncs.com`, the
    emulator as a proxy) or one of `allowed_hosts` (the name a container network gives it), and
    carry no `Origin` but its own `http://<Host>`.
    """

    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def allowing(cls, names: Iterable[str]) -> OriginRule:
        """The rule that also answers these host names (a port given with one is ignored)."""
        allowed = frozenset(_host_name(name) for name in names)
        if "" in allowed:
            raise ValueError("an allowed host needs a name")
        return cls(allowed)

    def check(self, headers: Mapping[str, str]) -> None:
        """Raise ForbiddenHost or ForbiddenOrigin unless the request may be answered."""
        host = headers.get("host", "")
        name = _host_name(host)
        if not (
            is_loopback_host(host) or name in self.allowed_hosts or name.endswith(_REAL_ENDPOINTS)
        ):
            raise ForbiddenHost(host)
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() != f"http://{host.lower()}":
            raise ForbiddenOrigin(origin)


def redact_query(text: str) -> str:
    """`text` with every query parameter's value (`Signature` included) replaced by `***`."""
    return _QUERY_VALUE.sub(r"\1=***", text)


class _Faults:
    """The current fault settings and the random draws made against them."""

    def __init__(self, config: FaultConfig) -> None:
        self._lock = threading.Lock()
        self.set(config)

    def set(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            set_clock_skew(config.clock_skew_s)
            self._random = random.Random(config.seed)
            self._injected = 0

    def draw(self, action: str) -> str | None:
        """The failure to inject into this call, if any."""
        with self._lock:
            config = self.config
            if config.failure_rate <= 0 or not config.failure_kinds:
                return None
            if config.actions is not None and action not in config.actions:
                return None
            if config.max_failures is not None and self._injected >= config.max_failures:
                return None
            if self._random.random() >= config.failure_rate:
                return None
            self._injected += 1
            return self._random.choice(config.failure_kinds)


class _RequestLog:
    """What the emulator was asked, without secrets, signatures or Authorization headers, and
    which actions are being handled right now (``in_flight``: arrived, not yet answered)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=_LOG_LIMIT)
        self._counts: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()

    def arrived(self, action: str | None) -> None:
        with self._lock:
            self._in_flight[action or ""] += 1

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)
            if entry["action"]:
                self._counts[entry["action"]] += 1
            self._in_flight[entry["action"] or ""] -= 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": list(self._entries),
                "counts": dict(self._counts),
                "in_flight": {a: n for a, n in self._in_flight.items() if a and n > 0},
            }

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()


@dataclass
class _Answer:
    status: int
    body: dict[str, Any] | None  # None: drop the connection without answering
    headers: dict[str, str] = field(default_factory=dict)


class _DropConnection(Exception):
    """Close the socket without an answer."""


class EmulatorApp:
    """Everything but the sockets: keys, state, services, faults and the request log."""

    def __init__(
        self,
        store: Store,
        access_keys: Iterable[AccessKey],
        faults: FaultConfig,
        *,
        controls: bool = True,
        origin: OriginRule | None = None,
    ) -> None:
        self.store = store
        self.origin = origin or OriginRule()
        # Off, every /_emulator/ path answers as any unknown path does: nothing a cloud lacks.
        self.controls_enabled = controls
        self.access_keys = {key.id: key for key in access_keys}
        self.faults = _Faults(faults)
        self.log = _RequestLog()
        self.webplus = webplus.WebPlusResponses(webplus.WebPlusBackend(store))
        self.servicecatalog = servicecatalog.ServiceCatalogResponses(
            servicecatalog.ServiceCatalogBackend(store)
        )

    # --- API calls ------------------------------------------------------------------------

    def call(self, request: SignedRequest) -> _Answer:
        """Answer one API call, recording it in the request log."""
        rid = request_id()
        service, action, version = self._route(request)
        self.log.arrived(action)
        entry: dict[str, Any] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "service": service,
            "action": action,
            "status": None,
            "code": None,
            "request_id": rid,
            "access_key_id": claimed_access_key_id(request),
            "account_id": None,
            "signature_scheme": None,
            "injected": False,
        }
        try:
            answer = self._call(request, rid, service, action, version, entry)
        except _DropConnection:
            entry["code"] = "DropConnection"
            entry["injected"] = True
            answer = _Answer(0, None)
        except ApiError as error:
            entry["code"] = error.code
            answer = error_answer(error, rid, service, request.headers.get("host", ""))
        except Exception:
            # A bug in the emulator: answer as the service would, and say so on stderr.
            traceback.print_exc(file=sys.stderr)
            entry["code"] = InternalError.code
            answer = error_answer(InternalError(), rid, service, request.headers.get("host", ""))
        entry["status"] = answer.status if answer.body is not None else None
        self.log.add(entry)
        answer.headers["x-acs-request-id"] = rid
        return answer

    def _call(
        self,
        request: SignedRequest,
        rid: str,
        service: str,
        action: str | None,
        version: str | None,
        entry: dict[str, Any],
    ) -> _Answer:
        self.origin.check(request.headers)
        latency = self.faults.config.latency_ms
        if latency:
            time.sleep(latency / 1000)
        if action is None:
            raise InvalidActionNotFound()
        caller = verify(request, self.access_keys.get, self.store)
        entry["account_id"] = caller.access_key.account_id
        entry["signature_scheme"] = caller.scheme
        error = self.faults.config.error
        if error is not None and error.applies(action):
            # A signed request that reaches a broken path gets the broken answer.
            entry["injected"] = True
            raise InjectedAnswer(error.status, error.code, error.message)
        expected = webplus.VERSION if service == webplus.SERVICE else servicecatalog.VERSION
        if not version:
            raise MissingParameter("Version")
        if version != expected:
            raise InvalidVersion(version)
        fault = self.faults.draw(action)
        if fault is not None and not (
            fault == "DropConnection" and self.faults.config.drop_after_apply
        ):
            entry["injected"] = True
            if fault == "DropConnection":
                raise _DropConnection()
            raise _INJECTED[fault]()
        params = {**_body_fields(request, caller.scheme), **request.query}
        # RPC v1 does not sign headers, so there no x-acs-region-id header names the region.
        region_header = request.headers.get("x-acs-region-id") if caller.scheme != RPC_V1 else None
        action_request = ActionRequest(
            action,
            params,
            caller.access_key.account_id,
            caller.access_key.id,
            rid,
            params.get("RegionId")
            or host_region(request.headers.get("host", ""))
            or region_header
            or DEFAULT_REGION,
        )
        responses = self.webplus if service == webplus.SERVICE else self.servicecatalog
        if fault == "DropConnection":
            # The action runs to its end, then its answer, success or error, is lost.
            with contextlib.suppress(ApiError):
                responses.dispatch(action_request)
            raise _DropConnection()
        return _Answer(200, responses.dispatch(action_request))

    @staticmethod
    def _route(request: SignedRequest) -> tuple[str, str | None, str | None]:
        """Service, action and API version the request is for, from what its scheme signs.

        ROA v1 signs every `x-acs-*` header and ACS3 refuses unsigned ones, so both may name
        the action and version in headers. RPC v1 signs only its parameters (query and form):
        an `x-acs-action` or `x-acs-version` header beside them is ignored, as the gateway does.
        """
        if scheme_of(request) == RPC_V1:
            signed = {**request.form, **request.query}
            action, version = signed.get("Action"), signed.get("Version")
        else:
            action = request.headers.get("x-acs-action") or request.query.get("Action")
            version = request.headers.get("x-acs-version") or request.query.get("Version")
        if request.path.startswith("/pop/"):
            action = webplus.ROUTES.get((request.method, request.path))
            return webplus.SERVICE, action, version
        if request.path != "/" or action not in servicecatalog.ACTIONS:
            action = None
        return servicecatalog.SERVICE, action, version

    # --- /_emulator/ controls -------------------------------------------------------------

    def control(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> _Answer:
        """Answer a test control request; these need no signature, only a local caller.

        A web page in a browser on the same machine must not reach them: the `OriginRule`
        applies as to the API, and writes must be JSON, which no page can send cross-origin
        without a preflight the controls never answer.
        """
        try:
            self.origin.check(headers)
        except ForeignCaller as refused:
            return _Answer(403, {"error": refused.message})
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
            if media_type != "application/json":
                return _Answer(415, {"error": "control writes need Content-Type: application/json"})
        route = (method, path.rstrip("/"))
        if route == ("GET", "/_emulator/health"):
            return _Answer(200, {"ok": True})
        if route == ("GET", "/_emulator/requests"):
            return _Answer(200, self.log.snapshot())
        if route == ("POST", "/_emulator/requests/reset"):
            self.log.clear()
            return _Answer(200, {"ok": True})
        if route == ("POST", "/_emulator/reset"):
            self.reset()
            return _Answer(200, {"ok": True})
        if route == ("GET", "/_emulator/inventory"):
            return _Answer(200, self.inventory())
        if route == ("GET", "/_emulator/faults"):
            return _Answer(200, self.faults.config.to_json())
        if route == ("PUT", "/_emulator/faults"):
            try:
                data = parse_json(body or b"{}")
                if not isinstance(data, dict):
                    raise ValueError("the body must be a JSON object")
                self.faults.set(FaultConfig.from_json(data))
            except BadRequest as exc:
                return _Answer(400, {"error": exc.message})
            except ValueError as exc:
                return _Answer(400, {"error": str(exc)})
            return _Answer(200, self.faults.config.to_json())
        return _Answer(404, {"error": f"no control {method} {path}"})

    def reset(self) -> None:
        """Forget the request log and every account's resources."""
        self.log.clear()
        self.store.reset()

    def inventory(self) -> dict[str, Any]:
        """Every account's resources as whole records, for comparing with a stack's state."""
        accounts: dict[str, dict[str, list[dict[str, Any]]]] = {
            key.account_id: {table: [] for table in TABLES} for key in self.access_keys.values()
        }
        for backend in (self.webplus.backend, self.servicecatalog.backend):
            for account_id, holdings in backend.inventory().items():
                accounts.setdefault(account_id, {table: [] for table in TABLES}).update(holdings)
        return {"accounts": accounts}


def host_region(host: str) -> str | None:
    """The region a `Host` header names, as the regional endpoints do
    (`servicecatalog.cn-shanghai.aliyuncs.com`): its first label that is a region id."""
    name = _host_name(host)
    return next((label for label in name.split(".") if _REGION_LABEL.match(label)), None)


def _host_name(host: str) -> str:
    """`host[:port]` or `[v6]:port` without the port, in lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def is_loopback_host(host: str) -> bool:
    """Whether a `Host` header names this machine's loopback: localhost, 127.0.0.0/8, ::1."""
    name = _host_name(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def error_answer(error: ApiError, rid: str, service: str, host: str) -> _Answer:
    """Alibaba Cloud's JSON error body for `error`, with its HTTP status."""
    body = {
        "RequestId": rid,
        "HostId": host,
        "Code": error.code,
        "Message": error.message,
        "Recommend": (
            f"https://api.aliyun.com/troubleshoot?q={error.code}"
            f"&product={_PRODUCT[service]}&requestId={rid}"
        ),
    }
    return _Answer(error.status, body, {"x-acs-request-id": rid})


def _body_fields(request: SignedRequest, scheme: str) -> dict[str, str]:
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


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, lets the app answer it and writes the answer."""

    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects
    server_version = "alicloud-versions-emulator"
    # Without it, the body waits for the client's delayed ACK of the headers (40 ms a call).
    disable_nagle_algorithm = True
    timeout = 60  # idle keep-alive connections are closed after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, open_=False)

    def __getattr__(self, name: str) -> Any:
        # http.server looks up do_<METHOD>; every method gets the JSON answers, so PATCH or
        # OPTIONS on an API path is InvalidAction.NotFound rather than an HTML 501.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def version_string(self) -> str:
        return self.server_version

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The Date header on the services' clock, which clients take the server's time from.
        return formatdate(clock() if timestamp is None else timestamp, usegmt=True)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines carry RPC signatures and every parameter in their query: names only.
        if self.server.verbose:
            super().log_message("%s", redact_query(format % args))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, long URI or headers) as JSON errors.

        They are all the client's doing, so a 5xx among them (505 for an HTTP version it does
        not speak) answers 400: a 5xx only ever comes from fault injection.
        """
        status = HTTPStatus(code if code < 500 else 400)
        error = BadRequest(message or status.phrase)
        answer = error_answer(error, request_id(), self._service(), self.headers_host())
        answer.status = status
        body = answer.body
        assert body is not None
        body["Code"] = status.phrase.replace(" ", "").replace("-", "")
        self.close_connection = True
        # A refused request line leaves the HTTP/0.9 default, which would drop the status line.
        self.request_version = self.protocol_version
        self._send(answer)

    def headers_host(self) -> str:
        headers = getattr(self, "headers", None)
        return str(headers.get("host", "")) if headers is not None else ""

    def _service(self) -> str:
        path = getattr(self, "path", "")
        return webplus.SERVICE if path.startswith("/pop/") else servicecatalog.SERVICE

    def _read_body(self) -> bytes:
        """The body, refusing before reading anything a length it cannot or will not read."""
        if "transfer-encoding" in self.headers:
            # No SDK sends a chunked body; without a length the next request's start is unknown.
            raise BadRequest("Transfer-Encoding is not supported, send Content-Length")
        lengths = self.headers.get_all("content-length") or []
        if not lengths:
            return b""
        if len(set(lengths)) != 1 or not lengths[0].strip().isdigit():
            raise BadRequest("Content-Length must be one non-negative integer")
        length = int(lengths[0])
        if length > MAX_BODY_BYTES:
            raise RequestEntityTooLarge(MAX_BODY_BYTES)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        try:
            body = self._read_body()
        except ApiError as error:
            # The unread body would be taken for the next request: answer, then close.
            self.close_connection = True
            self._send(error_answer(error, request_id(), self._service(), self.headers_host()))
            return
        url = urlsplit(self.path)
        path = unquote(url.path) or "/"
        app = self.server.app
        headers = {name.lower(): value for name, value in self.headers.items()}
        if path.startswith("/_emulator/") and app.controls_enabled:
            self._send(app.control(self.command, path, headers, body))
            return
        form: dict[str, str] = {}
        if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            text = body.decode("utf-8", errors="replace")
            form = dict(parse_qsl(text, keep_blank_values=True))
        request = SignedRequest(
            method=self.command,
            path=path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers=headers,
            body=body,
            form=form,
        )
        self._send(app.call(request))

    def _send(self, answer: _Answer) -> None:
        if answer.body is None:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        payload = json.dumps(answer.body, separators=(",", ":")).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: EmulatorApp, verbose: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.app = app
        self.verbose = verbose
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        """End idle keep-alive connections so no pooled client talks to a stopped emulator."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


_Running = TypeVar("_Running", bound="Address")


class Address:
    """`endpoint` and `url` of an emulator listening on `host` and `port`; as a context
    manager it is started on entry (unless it runs already) and stopped on exit."""

    host: str
    port: int

    @property
    def running(self) -> bool:
        raise NotImplementedError

    def start(self: _Running) -> _Running:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Running) -> _Running:
        # `with X(...).start() as emu` is as good as `with X(...) as emu`.
        return self if self.running else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        """`host:port` (`[v6]:port`), the value for the SDK's `Config.endpoint`."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """`http://host:port`."""
        return f"http://{self.endpoint}"


class Emulator(Address):
    """A local WebPlus and Service Catalog that the unmodified Alibaba Cloud SDK clients talk to.

    Point `Config(endpoint=emu.endpoint, protocol="http")` at it. State lives in SQLite at
    `state` (":memory:" for throw-away runs); a new Emulator on the same file sees it again.
    With `controls=False` no `/_emulator/` path answers over HTTP (black-box runs); the
    methods below still work in process. Only a loopback `Host`, a real endpoint's (as a proxy)
    or one of `allowed_hosts` is answered (see `OriginRule`); `host="::1"` listens on IPv6.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state: str | os.PathLike[str] = ":memory:",
        access_keys: Iterable[AccessKey] | None = None,
        faults: FaultConfig | None = None,
        *,
        controls: bool = True,
        verbose: bool = False,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self.host = host
        self.origin = OriginRule.allowing(allowed_hosts)
        self.controls_enabled = controls
        self.port = port
        self.state = os.fspath(state)
        self.access_keys = list(access_keys) if access_keys is not None else [DEFAULT_ACCESS_KEY]
        self._faults = faults or FaultConfig()
        self._verbose = verbose
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._app: EmulatorApp | None = None

    def start(self) -> Emulator:
        """Start serving in a background thread."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        store = Store(self.state)
        self._app = EmulatorApp(
            store,
            self.access_keys,
            self._faults,
            controls=self.controls_enabled,
            origin=self.origin,
        )
        try:
            self._server = _Server((self.host, self.port), self._app, self._verbose)
        except OSError:
            store.close()
            raise
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"alicloud-versions-emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the state; safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
        if self._app is not None:
            self._app.store.close()

    @property
    def faults(self) -> FaultConfig:
        """The fault settings in force."""
        return self._app.faults.config if self._app is not None else self._faults

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self._faults = config
        if self._app is not None:
            self._app.faults.set(config)

    def requests(self) -> dict[str, Any]:
        """The request log, as `GET /_emulator/requests` answers it."""
        return self._running().log.snapshot()

    def inventory(self) -> dict[str, Any]:
        """Every account's resources, as `GET /_emulator/inventory` answers it."""
        return self._running().inventory()

    def reset(self) -> None:
        """Forget the request log and all state, as `POST /_emulator/reset` does."""
        self._running().reset()

    def reset_requests(self) -> None:
        """Forget the request log and keep the state, as `POST /_emulator/requests/reset` does."""
        self._running().log.clear()

    def _running(self) -> EmulatorApp:
        if self._app is None or self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._app

    @property
    def running(self) -> bool:
        return self._server is not None
