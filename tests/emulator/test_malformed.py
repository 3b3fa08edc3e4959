"""Malformed requests get a JSON error and a 4xx at once: never a 500, a hang or a dropped link."""

from __future__ import annotations

import json
import socket

import pytest

from alicloud_versions.emulator import Emulator
from alicloud_versions.emulator.params import MAX_JSON_DEPTH
from alicloud_versions.emulator.server import MAX_BODY_BYTES
from tests.emulator.conftest import Controls
from tests.emulator.raw import roa_headers, send


def exchange(emulator: Emulator, head: bytes, body: bytes = b"") -> tuple[int, dict[str, object]]:
    """Write raw bytes, read the whole answer (the server closes after a refusal)."""
    with socket.create_connection((emulator.host, emulator.port), timeout=10) as sock:
        sock.sendall(head + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    header, _, payload = answer.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    assert b"application/json" in header, header
    return status, json.loads(payload)


def post(emulator: Emulator, headers: str, body: bytes = b"") -> tuple[int, dict[str, object]]:
    """A POST to the Service Catalog path with raw header lines; Connection: close."""
    head = f"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n".encode()
    return exchange(emulator, head, body)


@pytest.mark.parametrize("length", ["abc", "-1", "1, 2"])
def test_a_bad_content_length_is_bad_request(emulator: Emulator, length: str) -> None:
    """A Content-Length that is not one non-negative integer answers 400 BadRequest."""
    status, body = post(emulator, f"Content-Length: {length}\r\n")
    assert (status, body["Code"]) == (400, "BadRequest")


def test_a_huge_content_length_is_refused_at_once(emulator: Emulator) -> None:
    """A Content-Length past the limit answers 413 before any of the body is sent."""
    status, body = post(emulator, "Content-Length: 10000000000\r\n")
    assert (status, body["Code"]) == (413, "RequestEntityTooLarge")


def test_a_body_over_the_limit_is_refused(emulator: Emulator) -> None:
    """A body one byte over MAX_BODY_BYTES answers 413 without being read."""
    status, body = post(emulator, f"Content-Length: {MAX_BODY_BYTES + 1}\r\n", b"x" * 1024)
    assert (status, body["Code"]) == (413, "RequestEntityTooLarge")


def test_a_chunked_body_is_refused(emulator: Emulator) -> None:
    """Transfer-Encoding (which no SDK sends) answers 400 rather than desynchronising."""
    status, body = post(emulator, "Transfer-Encoding: chunked\r\n", b"0\r\n\r\n")
    assert (status, body["Code"]) == (400, "BadRequest")


def test_deeply_nested_json_is_bad_request(emulator: Emulator, controls: Controls) -> None:
    """A signed ROA call whose JSON body nests too deep answers 400, never InternalError."""
    path = "/pop/v1/wam/application"
    nested = b'{"AppName": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    shallow = b'{"AppName": ' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}"
    for payload in (nested, shallow):
        headers = roa_headers("POST", path, {"Content-Type": "application/json"})
        status, body = send(emulator, "POST", path, headers, payload)
        assert (status, body["Code"]) == (400, "BadRequest")
    assert [e["status"] for e in controls.requests()] == [400, 400]


def test_deeply_nested_fault_settings_are_refused(controls: Controls) -> None:
    """The fault control refuses a deeply nested body with 400 too."""
    status, _ = controls.request("PUT", "/_emulator/faults", [[[[]]]] * 1)
    assert status == 400
    status, body = controls.request("PUT", "/_emulator/faults", None)
    assert status == 200, body


@pytest.mark.parametrize("method", ["PATCH", "OPTIONS", "TRACE", "BREW"])
def test_other_methods_answer_json(emulator: Emulator, method: str) -> None:
    """Any other method answers Alibaba's JSON error, InvalidAction.NotFound, not an HTML 501."""
    status, body = send(emulator, method, "/pop/v1/wam/application", {})
    assert (status, body["Code"]) == (404, "InvalidAction.NotFound")


def test_an_oversized_uri_answers_json(emulator: Emulator) -> None:
    """A request line over http.server's limit answers 414 with the JSON error body."""
    head = f"GET /?{'a' * 70_000} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    status, body = exchange(emulator, head)
    assert (status, body["Code"]) == (414, "RequestURITooLong")


def test_an_unknown_http_version_is_a_client_error(emulator: Emulator) -> None:
    """HTTP/2.0 on a plain socket answers 400, not http.server's 505: 5xx is for faults only."""
    status, body = exchange(emulator, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n")
    assert (status, body["Code"]) == (400, "BadRequest")
