"""The declaration each emulated service registers: all the server knows of one service."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .params import ActionRequest
from .store import Store

if TYPE_CHECKING:  # faults imports the services' errors, which import this module
    from .faults import Faults

Inventory = dict[str, dict[str, list[dict[str, Any]]]]
"""Records per account, then per table, in the API's field names."""


class Responses(Protocol):
    """A service's answers: one method per action behind `dispatch`, and what it holds."""

    def dispatch(self, request: ActionRequest) -> dict[str, Any]:
        """The success answer to an authenticated call of one of the service's actions."""
        ...

    def inventory(self) -> Inventory:
        """Every account's resources, as whole records."""
        ...


@dataclass(frozen=True)
class Service:
    """One emulated API: how requests reach it, what it takes, where it keeps its state.

    An ROA service owns the paths under `prefix` and names each action by method and path
    (`routes`); an RPC service owns the path `prefix` (`/`) and takes the signed `Action` when
    it is one of `actions`. `lengths` and `choices` are the parameter limits it enforces, by API
    name, written once: its responses check them and a contract test compares them with the
    provider's declarations. `tables` are its tables in the shared store, each with its DDL.
    """

    name: str
    """The request log's `service`."""
    product: str
    """The product name in an error's troubleshooting link."""
    version: str
    """The one API version it answers."""
    prefix: str
    actions: tuple[str, ...]
    tables: Mapping[str, str]
    responses: Callable[[Store, Faults], Responses]
    """Its answers over the shared store, with the faults in force (asynchronous changes
    settle after `FaultConfig.settle_s`, or fail, `transitions`)."""
    routes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    lengths: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def action(self, method: str, path: str, named: str | None) -> str | None:
        """The action a request is for (`named`: the signed Action an RPC call names), or None
        when it is none of this service's."""
        if self.routes:
            return self.routes.get((method, path))
        return named if path == self.prefix and named in self.actions else None
