"""What the server writes back: an answer, or Alibaba Cloud's JSON error body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .service import Service


@dataclass
class Answer:
    """One HTTP answer: a status and a JSON body (None: drop the connection, answering nothing)."""

    status: int
    body: dict[str, Any] | None
    headers: dict[str, str] = field(default_factory=dict)


class DropConnection(Exception):
    """Close the socket without an answer."""


def error_answer(error: ApiError, rid: str, service: Service, host: str) -> Answer:
    """Alibaba Cloud's JSON error body for `error`, with its HTTP status."""
    body = {
        "RequestId": rid,
        "HostId": host,
        "Code": error.code,
        "Message": error.message,
        "Recommend": (
            f"https://api.aliyun.com/troubleshoot?q={error.code}"
            f"&product={service.product}&requestId={rid}"
        ),
    }
    return Answer(error.status, body, {"x-acs-request-id": rid})
