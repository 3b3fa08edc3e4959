"""Hand-made requests, signed by the older official SDK's own signing code (aliyun-python-sdk-core).

For what no client can express: unsigned extras beside a signed request, a wrong Content-MD5.
The signing comes from the SDK, not from the emulator, so the two are checked against each other.
"""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlencode

from aliyunsdkcore.auth.composer import roa_signature_composer, rpc_signature_composer

from alicloud_versions.emulator import AccessKey, Emulator, EmulatorProcess
from tests.emulator.conftest import DEFAULT_KEY


def send(
    emulator: Emulator | EmulatorProcess,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes = b"",
) -> tuple[int, dict[str, Any]]:
    """Send one request on a fresh connection; the status and the JSON answer."""
    connection = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    try:
        connection.request(method, target, body=body or None, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def rpc_target(params: dict[str, str], key: AccessKey = DEFAULT_KEY, method: str = "GET") -> str:
    """`/?…` for a Service Catalog call signed with RPC v1 over exactly `params`."""
    signed = {"Version": "2021-09-01", **params}
    url, _ = rpc_signature_composer.get_signed_url(signed, key.id, key.secret, "JSON", method, {})
    return str(url)


def roa_headers(
    method: str,
    path: str,
    headers: dict[str, str],
    query: dict[str, str] | None = None,
    key: AccessKey = DEFAULT_KEY,
) -> dict[str, str]:
    """The headers of a WebPlus call signed with ROA v1, as aliyun-python-sdk-core signs them."""
    signed = {"x-acs-version": "2019-03-20", **headers}
    result, _ = roa_signature_composer.get_signature_headers(
        dict(query or {}), key.id, key.secret, "JSON", signed, path, None, method
    )
    return dict(result)


def roa_target(path: str, query: dict[str, str] | None) -> str:
    """The path and query as the ROA request sends them."""
    return f"{path}?{urlencode(query)}" if query else path
