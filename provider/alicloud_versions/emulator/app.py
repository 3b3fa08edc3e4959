"""Everything but the sockets: each API call verified, routed to its service and logged."""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from . import controls
from .answers import Answer, DropConnection, error_answer
from .errors import (
    ApiError,
    InjectedAnswer,
    InternalError,
    InvalidActionNotFound,
    InvalidVersion,
    MissingParameter,
)
from .faults import INJECTED, FaultConfig, Faults
from .hosts import OriginRule, host_region
from .params import DEFAULT_REGION, ActionRequest, body_fields, request_id
from .requestlog import RequestLog
from .service import Inventory, Responses, Service
from .services import SERVICES, service_for
from .signing import RPC_V1, AccessKey, SignedRequest, claimed_access_key_id, scheme_of, verify
from .store import Store


class EmulatorApp:
    """The keys, the state, the registered services, the faults and the request log."""

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
        # Off, every /_emulator/ path answers as any unknown path does: nothing a cloud lacks.
        self.controls_enabled = controls
        self.origin = origin or OriginRule()
        self.access_keys = {key.id: key for key in access_keys}
        self.faults = Faults(faults)
        self.log = RequestLog()
        self.responses: dict[str, Responses] = {
            s.name: s.responses(store, self.faults) for s in SERVICES
        }

    def call(self, request: SignedRequest) -> Answer:
        """Answer one API call, recording it in the request log."""
        rid = request_id()
        service, action, version = self._route(request)
        self.log.arrived(action)
        entry: dict[str, Any] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "service": service.name,
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
        except DropConnection:
            entry["code"] = "DropConnection"
            entry["injected"] = True
            answer = Answer(0, None)
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
        service: Service,
        action: str | None,
        version: str | None,
        entry: dict[str, Any],
    ) -> Answer:
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
        if not version:
            raise MissingParameter("Version")
        if version != service.version:
            raise InvalidVersion(version)
        fault = self.faults.draw(action)
        if fault is not None and not (
            fault == "DropConnection" and self.faults.config.drop_after_apply
        ):
            entry["injected"] = True
            if fault == "DropConnection":
                raise DropConnection()
            raise INJECTED[fault]()
        params = {**body_fields(request, caller.scheme), **request.query}
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
        responses = self.responses[service.name]
        if fault == "DropConnection":
            # The action runs to its end, then its answer, success or error, is lost.
            with contextlib.suppress(ApiError):
                responses.dispatch(action_request)
            raise DropConnection()
        return Answer(200, responses.dispatch(action_request))

    @staticmethod
    def _route(request: SignedRequest) -> tuple[Service, str | None, str | None]:
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
        service = service_for(request.path)
        return service, service.action(request.method, request.path, action), version

    def control(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Answer a test control request (see `controls`)."""
        return controls.answer(self, method, path, headers, body)

    def reset(self) -> None:
        """Forget the request log and every account's resources."""
        self.log.clear()
        self.store.reset()

    def inventory(self) -> dict[str, Inventory]:
        """Every account's resources as whole records, for comparing with a stack's state."""
        tables = self.store.tables
        accounts: Inventory = {
            key.account_id: {table: [] for table in tables} for key in self.access_keys.values()
        }
        for responses in self.responses.values():
            for account_id, holdings in responses.inventory().items():
                accounts.setdefault(account_id, {table: [] for table in tables}).update(holdings)
        return {"accounts": accounts}
