"""Real SDK exceptions, shaped as the SDKs raise them, for the error and retry tests."""

from __future__ import annotations

import http.client

import requests
from alibabacloud_tea_openapi import exceptions as openapi_exceptions
from darabonba.exceptions import UnretryableException
from darabonba.policy.retry import RetryPolicyContext

REQUEST_ID = "5DB4D0F3-D0DF-6CFB-2E70-8591244348F2"


def api_exception(code: str, status: int, message: str = "something went wrong") -> Exception:
    """What the SDK raises for an HTTP error answer with this code and status."""
    data = {"Code": code, "Message": message, "RequestId": REQUEST_ID}
    kwargs = {
        "status_code": status,
        "code": code,
        "message": f"code: {status}, {message} request id: {REQUEST_ID}",
        "data": data,
        "request_id": REQUEST_ID,
    }
    if status >= 500:
        return openapi_exceptions.ServerException(**kwargs)
    if code.startswith("Throttling"):
        return openapi_exceptions.ThrottlingException(**kwargs)
    return openapi_exceptions.ClientException(**kwargs)


def dropped_connection() -> Exception:
    """What the SDK raises when the server closes the connection without answering."""
    cause = requests.ConnectionError(
        "Connection aborted.",
        http.client.RemoteDisconnected("Remote end closed connection without response"),
    )
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=cause))


def connection_reset() -> Exception:
    """What the SDK raises when the connection is reset by the peer."""
    cause = requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer"))
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=cause))
