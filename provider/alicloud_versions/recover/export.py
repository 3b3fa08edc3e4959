"""A stack's exported deployment, checked as untrusted input: anyone can `pulumi stack import`
anything, so URNs are parsed by the engine's grammar, and anything malformed is one line naming
where, every name escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core import kind_named
from ..core.config import PluginConfig, Settings, resolve_settings
from ..core.lifecycle import ResourceCore
from .markers import reveal
from .messages import RecoveryError, shown

__all__ = [
    "PACKAGE",
    "Entry",
    "Export",
    "Urn",
    "as_items",
    "as_object",
    "ours",
    "provider_settings",
    "served",
]

# The dynamic provider's type tokens, and the plugin's (whose inputs are camelCase).
PACKAGE = PluginConfig.NAMESPACE
_DYNAMIC_PREFIX = f"pulumi-python:dynamic/{PACKAGE}/"
_PLUGIN_PREFIX = f"{PACKAGE}:"
# The provider resources that serve each front door's resources.
_DYNAMIC_PROVIDER = "pulumi:providers:pulumi-python"
_PLUGIN_PROVIDER = f"pulumi:providers:{PACKAGE}"


@dataclass(frozen=True)
class Urn:
    """A resource's URN, ``urn:pulumi:STACK::PROJECT::TYPE::NAME``, by the engine's grammar:
    the qualified type is the parent types and the type joined by ``$``, and the name is all
    that follows the third ``::`` (it may hold ``::`` itself)."""

    stack: str
    project: str
    qualified_type: str
    name: str

    PREFIX = "urn:pulumi:"

    @classmethod
    def parse(cls, text: Any, where: str = "a URN") -> Urn:
        """The parts of `text`; `RecoveryError` unless it is a URN with a stack, a project and
        a type."""
        if not isinstance(text, str):
            raise _malformed(where, "a URN string", text)
        parts = text[len(cls.PREFIX) :].split("::", 3) if text.startswith(cls.PREFIX) else []
        if len(parts) < 4 or not all(parts[:3]) or not parts[2].rsplit("$", 1)[-1]:
            raise RecoveryError(
                f"the exported state is malformed: {where} {shown(text)} is not a URN "
                "(urn:pulumi:STACK::PROJECT::TYPE::NAME)"
            )
        return cls(*parts)

    @property
    def type(self) -> str:
        """The resource's own type, without its parents'."""
        return self.qualified_type.rsplit("$", 1)[-1]

    def __str__(self) -> str:
        return f"{self.PREFIX}{self.stack}::{self.project}::{self.qualified_type}::{self.name}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _malformed(where: str, expected: str, value: Any) -> RecoveryError:
    return RecoveryError(
        f"the exported state is malformed: {where} is {_kind(value)}, expected {expected}"
    )


def as_object(value: Any, where: str) -> dict[str, Any]:
    """`value`, which must be an object of the export."""
    if not isinstance(value, dict):
        raise _malformed(where, "an object", value)
    return value


def as_items(value: Any, where: str) -> list[Any]:
    """A list of the export that may be absent."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _malformed(where, "a list", value)
    return value


@dataclass(frozen=True)
class Entry:
    """One resource of an exported deployment, checked: in its resources, or the resource of
    a pending operation."""

    urn: Urn
    type: str
    inputs: Mapping[str, Any]
    provider: str | None
    """The reference to the provider resource that owns it, ``PROVIDER_URN::PROVIDER_ID``."""
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def parse(cls, value: Any, where: str) -> Entry:
        """`value` checked as a resource of the export found at `where`."""
        raw = as_object(value, where)
        urn = Urn.parse(raw.get("urn"), f"{where}.urn")
        type_ = raw.get("type")
        if not isinstance(type_, str):
            raise _malformed(f"{where}.type", "a type token", type_)
        if type_ != urn.type:
            raise RecoveryError(
                f"the exported state is malformed: {where}.type {shown(type_)} is not the type "
                f"of its URN ({shown(urn.type)})"
            )
        inputs = raw.get("inputs")
        provider = raw.get("provider")
        if provider is not None and not isinstance(provider, str):
            raise _malformed(f"{where}.provider", "a provider reference", provider)
        return cls(
            urn,
            type_,
            {} if inputs is None else as_object(inputs, f"{where}.inputs"),
            provider or None,
            raw,
        )


@dataclass(frozen=True)
class Export:
    """A stack's exported deployment, checked as untrusted input: the resources by URN, the
    pending operations, and the stack and project every URN names."""

    resources: Mapping[str, Entry]
    pending: Sequence[tuple[str, Entry]]
    """Each pending operation: its kind (``creating``...) and its resource."""
    stack: str | None
    project: str | None

    @classmethod
    def parse(cls, exported: Any) -> Export:
        deployment = as_object(exported, "the export")
        deployment = as_object(deployment.get("deployment") or {}, "deployment")
        resources: dict[str, Entry] = {}
        for n, value in enumerate(as_items(deployment.get("resources"), "deployment.resources")):
            entry = Entry.parse(value, f"resources[{n}]")
            # A resource being replaced is listed twice; the one not marked for deletion is it.
            if not entry.raw.get("delete") or str(entry.urn) not in resources:
                resources[str(entry.urn)] = entry
        pending = []
        ops = as_items(deployment.get("pending_operations"), "deployment.pending_operations")
        for n, value in enumerate(ops):
            op = as_object(value, f"pending_operations[{n}]")
            kind = op.get("type")
            if not isinstance(kind, str):
                raise _malformed(f"pending_operations[{n}].type", "an operation name", kind)
            pending.append((kind, Entry.parse(op.get("resource"), f"pending_operations[{n}]")))
        entries = [*resources.values(), *(entry for _, entry in pending)]
        names = {(e.urn.stack, e.urn.project) for e in entries}
        if len(names) > 1:
            listed = ", ".join(f"{shown(s)}/{shown(p)}" for s, p in sorted(names))
            raise RecoveryError(
                f"the exported state is malformed: its URNs name several stacks ({listed})"
            )
        stack, project = next(iter(names), (None, None))
        return cls(resources, pending, stack, project)

    def provider_of(self, entry: Entry) -> Entry:
        """The provider resource that owns `entry`, as its provider reference names it."""
        if entry.provider is None:
            raise RecoveryError(
                f"the exported state is malformed: {shown(str(entry.urn))} names no provider"
            )
        urn, _, id_ = entry.provider.rpartition("::")
        found = self.resources.get(urn)
        if found is None or not id_ or found.raw.get("id") != id_:
            raise RecoveryError(
                f"the exported state is malformed: the provider {shown(entry.provider)} of "
                f"{shown(str(entry.urn))} is not in the state"
            )
        return found


def served(type_token: str) -> tuple[type[ResourceCore], bool] | None:
    """The provider of a resource type token, and whether the plugin serves it."""
    for prefix, plugin in ((_DYNAMIC_PREFIX, False), (_PLUGIN_PREFIX, True)):
        if type_token.startswith(prefix):
            found = kind_named(type_token[len(prefix) :].replace(":", ".", 1))
            return (found, plugin) if found else None
    return None


def ours(kind: str, entry: Entry) -> bool:
    """Whether a pending operation is a create of one of this provider's resources."""
    return kind == "creating" and served(entry.type) is not None


def provider_settings(provider: Entry, plugin: bool) -> Settings:
    """The settings of the provider resource `provider`, from its inputs in the state (keys,
    region, endpoints; secrets revealed), then the environment, as that provider resolved them.

    Its inputs are what the engine configured it with: an explicit provider's properties, and
    for a default provider the stack's config (the plugin's namespace; for the dynamic
    provider's, the whole config with its namespaces).
    """
    expected = _PLUGIN_PROVIDER if plugin else _DYNAMIC_PROVIDER
    if provider.type != expected:
        raise RecoveryError(
            f"the exported state is malformed: the provider {shown(str(provider.urn))} is "
            f"not a {expected}"
        )
    values = {
        key: reveal(value, f"the input {shown(key)} of {shown(str(provider.urn))}")
        for key, value in provider.inputs.items()
    }
    return resolve_settings(PluginConfig(values) if plugin else values)
