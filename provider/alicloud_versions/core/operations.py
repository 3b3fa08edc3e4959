"""Each API operation declared once: its service and action name; the SDK's request class and
method, and which of a kind's inputs it sends, follow from them."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .config import INPUT_REGION, Service
from .fields import Input, snake

__all__ = ["Operation", "Sends"]

# Each service's SDK package, and whether it is a ROA API (its methods take a headers dict
# between the request and the runtime, and every request names the region).
_SDK: Mapping[Service, tuple[str, bool]] = {
    Service.WEBPLUS: ("alibabacloud_webplus20190320", True),
    Service.SERVICECATALOG: ("alibabacloud_servicecatalog20210901", False),
}


class Sends(Enum):
    """Which of a kind's inputs an operation sends, as the inputs' flags decide."""

    NOTHING = "nothing"
    """Only the fields its call site gives (ids, filters, pages)."""
    CREATE = "create"
    """Every input the API knows: not local, not create-only, not the region."""
    UPDATE = "update"
    """Every input the API knows that updates in place (does not replace)."""

    def fields(self, inputs: Mapping[str, Input]) -> tuple[str, ...]:
        """The names of the `inputs` this sends."""
        if self is Sends.NOTHING:
            return ()
        return tuple(
            name
            for name, field in inputs.items()
            if not (field.local or field.create_only or name == INPUT_REGION)
            and (self is Sends.CREATE or not field.replaces)
        )


@dataclass(frozen=True)
class Operation:
    """One API action: ``DescribePkgVersions`` of WebPlus is sent as a
    ``models.DescribePkgVersionsRequest`` through ``describe_pkg_versions_with_options``."""

    service: Service
    action: str
    sends: Sends = Sends.NOTHING

    def __str__(self) -> str:
        return self.action

    @property
    def request_class(self) -> str:
        """The SDK's request model for this action, by name."""
        return f"{self.action}Request"

    @property
    def method(self) -> str:
        """The SDK client's method for this action."""
        return f"{snake(self.action)}_with_options"

    @property
    def regional(self) -> bool:
        """Whether every request names the region (``region_id``)."""
        return _SDK[self.service][1]

    def request(self, **fields: Any) -> Any:
        """The SDK request of this action with `fields` (snake_case, as the SDK names them); the
        SDK is imported here."""
        models = importlib.import_module(f"{_SDK[self.service][0]}.models")
        return getattr(models, self.request_class)(**fields)

    def invoke(self, client: Any, request: Any, runtime: Any) -> Any:
        """Send `request` with an SDK `client` of this service; the SDK's response."""
        method = getattr(client, self.method)
        if self.regional:
            return method(request, {}, runtime)
        return method(request, runtime)
