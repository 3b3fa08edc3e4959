"""The errors this package raises: one tree, exported as it stands from the package root.

The hierarchy::

    AlicloudVersionsError            every error this package raises
    ├── ConfigurationError           settings or credentials cannot be resolved
    ├── AdoptionError                adopt_id names a resource that is missing or differs
    │   └── AdoptionMismatch         ... whose immutable fields differ from the inputs
    ├── ImportIdError                a `pulumi import` id is not of the kind's form
    ├── InUseError                   a version to delete is still in use
    ├── OwnershipError               a lost create's resource cannot be told from others
    ├── LostCreateError              a create's answer was lost and what it made cannot be looked up
    ├── ProviderBug                  an unexpected exception in this package's own code
    ├── WaitError                    an asynchronous operation did not reach its goal
    │   ├── WaitFailedError          ... it ended in a failed status (the last one, the reason)
    │   └── WaitTimeoutError         ... it was still under way when the timeout ran out
    └── ApiError                     an API call failed (resource, operation, code, RequestId)
        ├── AuthenticationError      wrong key, bad signature, forbidden: never retried
        └── TransientError           throttling, 5xx, InternalError: retried
            └── ConnectionLostError  the connection failed or dropped: retried

`__all__` is that tree, and the package root exports exactly it. What the SDKs raise becomes one
of these in one place, next to the client (`failures`). No error class means "the resource is
gone": only a resource kind's own declared not-found codes prove that. The `str()` of every error
is a single line, and quotes an input's value only where `Disclosure` allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AdoptionError",
    "AdoptionMismatch",
    "AlicloudVersionsError",
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionLostError",
    "ImportIdError",
    "InUseError",
    "LostCreateError",
    "OwnershipError",
    "ProviderBug",
    "TransientError",
    "WaitError",
    "WaitFailedError",
    "WaitTimeoutError",
]


@dataclass(frozen=True)
class Target:
    """What an API call is about, for error messages: a resource type and its name or id."""

    resource_type: str
    name: str | None = None
    id_: str | None = None

    def __str__(self) -> str:
        parts = [self.resource_type]
        if self.name:
            parts.append(f'"{self.name}"')
        if self.id_:
            parts.append(f"(id {self.id_})")
        return " ".join(parts)


@dataclass(frozen=True)
class Disclosure:
    """Which inputs' values a message may quote: only those the front door knows are not secret.

    The plugin knows (the engine marks each secret input); the dynamic provider host does not
    (the engine strips the marks before each call), so its front door answers
    ``Disclosure(known=False)`` and its messages quote no input value at all. An id (what
    ``adopt_id`` names) is never secret in Pulumi and may always be quoted.
    """

    secret: frozenset[str] = frozenset()
    """The inputs known to be secret (or declared so)."""
    known: bool = True
    """Whether every other input is known not to be secret."""

    def shows(self, name: str) -> bool:
        """Whether a message may quote the value of input `name`."""
        return self.known and name not in self.secret

    def hiding(self, secret: Iterable[str]) -> Disclosure:
        """The same, with `secret` secret too."""
        return Disclosure(self.secret | frozenset(secret), self.known)

    def hidden(self, props: Mapping[str, Any]) -> tuple[str, ...]:
        """The text values of `props` a message may not show: what an API's echo of them must
        have redacted."""
        found: list[str] = []
        for name, value in props.items():
            if self.shows(name):
                continue
            # A map's values (a provisioned product's parameters) are hidden one by one.
            values = value.values() if isinstance(value, Mapping) else (value,)
            found += [v for v in values if isinstance(v, str) and v]
        return tuple(found)


class AlicloudVersionsError(Exception):
    """Base class of every error this package raises."""


class ConfigurationError(AlicloudVersionsError):
    """Settings or credentials cannot be resolved."""


class AdoptionError(AlicloudVersionsError):
    """`adopt_id` names a resource that does not exist or whose immutable fields differ."""


class AdoptionMismatch(AdoptionError):
    """`adopt_id` names a resource whose immutable fields differ from the inputs; values are
    shown only where `shown` allows (neither the input's nor the existing one otherwise)."""

    def __init__(
        self,
        resource_type: str,
        adopt_id: str,
        mismatched: tuple[tuple[str, Any, Any], ...],
        shown: Disclosure,
    ) -> None:
        self.resource_type, self.adopt_id = resource_type, adopt_id
        self.mismatched, self.shown = mismatched, shown
        fields = "; ".join(
            f"{name} (input {given!r}, existing {found!r})"
            if shown.shows(name)
            else f"{name} ({'secret: ' if name in shown.secret else ''}the input and the "
            "existing value differ)"
            for name, given, found in mismatched
        )
        super().__init__(
            f"{resource_type}: cannot adopt {adopt_id!r}: immutable fields differ: {fields}"
        )


class ImportIdError(AlicloudVersionsError):
    """The id given to `pulumi import` is not of the form the resource kind takes."""


class InUseError(AlicloudVersionsError):
    """A version cannot be deleted: something still runs or uses it (and ``force_delete`` is
    not set). Nothing was changed."""


class OwnershipError(AlicloudVersionsError):
    """After a lost create answer, more than one resource could be the one it made; none is
    taken, since adopting another's would later delete it."""


class LostCreateError(AlicloudVersionsError):
    """A create's answer was lost, so it may have been applied, and the lookup for what it made
    failed too: the message says what to look for and how to take it over."""


class ProviderBug(AlicloudVersionsError):
    """An unexpected exception in this package's own code; its traceback is logged."""


class WaitError(AlicloudVersionsError):
    """An asynchronous operation (a launch, an update, a termination) did not reach its goal:
    the resource exists (`id_`) in its last `status`, with the service's `reason` if it gave
    one. The state keeps the resource."""

    created: tuple[str, dict[str, Any]] | None = None
    """For a create's or an update's wait: the id and outputs of the resource as the wait left
    it (what the create made; for an update, its status and the service's reason as a read
    finds them), for a front door to keep in the state."""

    def __init__(
        self,
        *,
        target: Target,
        operation: str,
        status: str | None,
        reason: str | None,
        waited: float,
        detail: str,
    ) -> None:
        self.target, self.operation = target, operation
        self.status, self.reason, self.waited = status, reason, waited
        last = status or "unknown"
        text = f"{target}: {operation} {detail} after {waited:.0f}s, in status {last}"
        if reason:
            text += f": {reason}"
        super().__init__(" ".join(text.split()))


class WaitFailedError(WaitError):
    """The operation ended in a status the service uses for failure (Error, Failed...)."""


class WaitTimeoutError(WaitError):
    """The operation was still under way when its timeout ran out; it may yet finish."""


class ApiError(AlicloudVersionsError):
    """An API call failed; the message names resource, operation, code, message and RequestId."""

    def __init__(
        self,
        *,
        target: Target,
        operation: str,
        code: str,
        message: str,
        request_id: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.target = target
        self.operation = operation
        self.code = code
        self.message = message
        self.request_id = request_id
        self.status_code = status_code
        super().__init__(self._render())

    def with_message(self, message: str) -> ApiError:
        """The same error (class, resource, operation, code, RequestId) with `message`."""
        return type(self)(
            target=self.target,
            operation=self.operation,
            code=self.code,
            message=message,
            request_id=self.request_id,
            status_code=self.status_code,
        )

    def _render(self) -> str:
        text = f"{self.target}: {self.operation} failed: {self.code}: {self.message}"
        if self.request_id:
            text += f" (RequestId: {self.request_id})"
        return text


class AuthenticationError(ApiError):
    """The access key is unknown, the signature is wrong or the caller is forbidden."""


class TransientError(ApiError):
    """A failure that may succeed when tried again."""


class ConnectionLostError(TransientError):
    """The connection could not be made or dropped before an answer arrived."""
