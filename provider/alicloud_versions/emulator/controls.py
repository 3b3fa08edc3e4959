"""The `/_emulator/` test controls: health, the request log, resets, inventory and faults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .answers import Answer
from .errors import BadRequest, ForeignCaller
from .faults import FaultConfig
from .params import parse_json

if TYPE_CHECKING:
    from .app import EmulatorApp


def answer(
    app: EmulatorApp, method: str, path: str, headers: Mapping[str, str], body: bytes
) -> Answer:
    """Answer a control request; these need no signature, only a local caller.

    A web page in a browser on the same machine must not reach them: the `OriginRule`
    applies as to the API, and writes must be JSON, which no page can send cross-origin
    without a preflight the controls never answer.
    """
    try:
        app.origin.check(headers)
    except ForeignCaller as refused:
        return Answer(403, {"error": refused.message})
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != "application/json":
            return Answer(415, {"error": "control writes need Content-Type: application/json"})
    route = (method, path.rstrip("/"))
    if route == ("GET", "/_emulator/health"):
        return Answer(200, {"ok": True})
    if route == ("GET", "/_emulator/requests"):
        return Answer(200, app.log.snapshot())
    if route == ("POST", "/_emulator/requests/reset"):
        app.log.clear()
        return Answer(200, {"ok": True})
    if route == ("POST", "/_emulator/reset"):
        app.reset()
        return Answer(200, {"ok": True})
    if route == ("GET", "/_emulator/inventory"):
        return Answer(200, app.inventory())
    if route == ("GET", "/_emulator/faults"):
        return Answer(200, app.faults.config.to_json())
    if route == ("PUT", "/_emulator/faults"):
        return _set_faults(app, body)
    return Answer(404, {"error": f"no control {method} {path}"})


def _set_faults(app: EmulatorApp, body: bytes) -> Answer:
    try:
        data = parse_json(body or b"{}")
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        app.faults.set(FaultConfig.from_json(data))
    except BadRequest as exc:
        return Answer(400, {"error": exc.message})
    except ValueError as exc:
        return Answer(400, {"error": str(exc)})
    return Answer(200, app.faults.config.to_json())
