"""The program's plan (`pulumi preview --json`) read for fast-mode recovery: each create of
this provider's resources, with the inputs the plan knows, those it does not know yet (and the
resources they come from) and those it hides as secret."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.fields import snake
from ..core.lifecycle import ResourceCore
from .export import Entry, as_items, as_object, served
from .markers import HIDDEN, PROVIDER_KEY, holds, is_unknown, reveal
from .messages import shown

__all__ = ["PLAN_ONLY", "Planned", "planned_creates"]

# What the plan's resource entries carry that a state entry has no use for.
PLAN_ONLY = ("sourcePosition", "stackTrace")


@dataclass(frozen=True)
class Planned:
    """One create of this provider's resources in the program's plan."""

    entry: Entry
    cls: type[ResourceCore]
    plugin: bool
    inputs: Mapping[str, Any]
    """Its inputs as the core names them, secrets revealed; those the plan does not know left
    out."""
    unknown: frozenset[str]
    """The inputs the plan does not know yet, as the state names them."""
    parents: frozenset[str]
    """The URNs those unknown inputs come from (their property dependencies)."""
    hidden: frozenset[str] = frozenset()
    """The secret inputs, which the plan shows as ``[secret]``: never compared, and the state
    gets what was found for them, as a secret."""

    @property
    def uncompared(self) -> list[str]:
        """The inputs the lookup cannot compare, as the core names them."""
        names = sorted(self.unknown | self.hidden)
        return [snake(k) if self.plugin else k for k in names]


def planned_creates(preview: Any) -> tuple[list[Planned], dict[str, Entry]]:
    """The creates of this provider's resources in ``pulumi preview --json``'s output, in the
    plan's order; and every resource the plan creates, by URN."""
    doc = as_object(preview, "the plan")
    created: dict[str, Entry] = {}
    ours = []
    for n, value in enumerate(as_items(doc.get("steps"), "the plan's steps")):
        step = as_object(value, f"the plan's steps[{n}]")
        if step.get("op") != "create":
            continue
        entry = Entry.parse(step.get("newState"), f"the plan's steps[{n}].newState")
        created[str(entry.urn)] = entry
        found = served(entry.type)
        if found is None:
            continue
        cls, plugin = found
        deps = as_object(entry.raw.get("propertyDependencies") or {}, f"steps[{n}] dependencies")
        unknown = frozenset(k for k, v in entry.inputs.items() if is_unknown(v))
        hidden = frozenset(k for k, v in entry.inputs.items() if holds(v, HIDDEN)) - unknown
        parents = frozenset(
            urn
            for key in unknown
            for urn in as_items(deps.get(key), f"steps[{n}] dependencies of {shown(key)}")
            if isinstance(urn, str)
        )
        where = f"the input {{}} of {shown(str(entry.urn))} in the plan"
        inputs = {
            snake(k) if plugin else k: reveal(v, where.format(shown(k)))
            for k, v in entry.inputs.items()
            if k != PROVIDER_KEY and k not in unknown | hidden
        }
        ours.append(Planned(entry, cls, plugin, inputs, unknown, parents, hidden))
    return ours, created
