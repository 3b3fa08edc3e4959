"""The HTTP server: reads requests, hands them to the app, writes the answers."""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import socket
import threading
from collections.abc import Iterable
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from .answers import Answer, error_answer
from .app import EmulatorApp
from .errors import ApiError, BadRequest, RequestEntityTooLarge
from .faults import FaultConfig
from .hosts import OriginRule
from .params import clock, request_id
from .service import Service
from .services import TABLES, service_for
from .signing import DEFAULT_ACCESS_KEY, AccessKey, SignedRequest
from .store import Store

# The largest body the emulator reads: a 512 KiB template body (CreateTemplate's limit), even
# percent-encoded into a form, fits. Anything larger is refused before it is read.
MAX_BODY_BYTES = 4 * 1024 * 1024
# A query parameter's value in a logged request line (quoted by http.server's own errors).
_QUERY_VALUE = re.compile(r"([?&][^=&\s'\"]*)=[^&\s'\"]*")


def redact_query(text: str) -> str:
    """`text` with every query parameter's value (`Signature` included) replaced by `***`."""
    return _QUERY_VALUE.sub(r"\1=***", text)


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

    def _service(self) -> Service:
        return service_for(urlsplit(getattr(self, "path", "")).path)

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

    def _send(self, answer: Answer) -> None:
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
        # `serve` sleeps until a connection comes or `stop_serving` writes here: an idle
        # emulator does not wake at all (serve_forever's poll woke it ten times a second).
        self._stopping = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()

    def serve(self) -> None:
        """Accept connections, each answered in a thread of its own, until `stop_serving`."""
        with selectors.DefaultSelector() as selector:
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self and not self._stopping.is_set():
                        # A connection is waiting: accepted at once, answered in a thread.
                        self.handle_request()

    def stop_serving(self) -> None:
        """Make `serve` return (it returns at once: no poll interval to wait out)."""
        self._stopping.set()
        self._wake_writer.send(b"\0")

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

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
        store = Store(self.state, TABLES)
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
            target=self._server.serve,
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
        server.stop_serving()
        if self._thread is not None:
            self._thread.join()
        server.close_connections()
        server.server_close()
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
