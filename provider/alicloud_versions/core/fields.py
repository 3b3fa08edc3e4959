"""The declaration of a resource's properties: each input and output, written once.

Every front door and document derives from these: check and diff (`kind`), the plugin's
schema, the dynamic front door's typed classes (generated from them by `codegen`), the README's
tables. A description here states what the property means; what it does on a change, its
constraints and its default are added from the declaration, never written into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from .config import DEFAULT_REGION
from .validate import (
    Rule,
    describe,
    explain,
    is_bool,
    is_str,
    length,
    matches,
    not_blank,
    region,
    str_map,
)

__all__ = [
    "FORCE_DELETE",
    "PYTHON_TYPES",
    "REGION",
    "Input",
    "Output",
    "PropertyType",
    "adopt_id",
    "boolean_input",
    "camel",
    "map_input",
    "snake",
    "text_input",
]

PropertyType = Literal["string", "boolean", "integer", "map"]
"""A property's type, as a Pulumi schema names it; ``map`` is an object of strings (a schema's
``type: object, additionalProperties: {type: string}``)."""

PYTHON_TYPES: dict[str, str] = {
    "string": "str",
    "boolean": "bool",
    "integer": "int",
    "map": "Mapping[str, str]",
}


@dataclass(frozen=True)
class Input:
    """One input property: what it means and everything that follows from it."""

    description: str
    required: bool = False
    rules: tuple[Rule, ...] = (is_str,)
    type: PropertyType = "string"
    default: Any = None
    """The value an omitted input stands for (the server's default, or one the provider sends);
    diff takes omission as this value."""
    replaces: bool = False
    """A change replaces the resource; otherwise it updates in place."""
    secret: bool = False
    create_only: bool = False
    """Read only by create (``adopt_id``): never a diff, never sent again."""
    kept_when_omitted: bool = False
    """The update API cannot unset it, so omitting it leaves the server's value: no diff."""
    unreadable: bool = False
    """No read gives it back, so a refresh keeps the state's value."""
    imported_as: str | None = None
    """The output whose value `pulumi import` records for it, the API giving back no other
    (a package version's ``package_url`` for its ``package_source``). That value stands for the
    input, which no program could have given: check takes it as long as it is unchanged and the
    resource is not replaced, and diff takes the program's value in its place."""
    unless_adopted: bool = False
    """Required only to create: with ``adopt_id`` (what `pulumi import` records, the API giving
    the input back in no way) the resource exists and the input is not needed."""
    local: bool = False
    """Read only by the provider (from the state, at delete): a change is an update that calls
    no API."""

    def problems(self, value: Any, *, show: bool = True, hint: bool = True) -> list[str]:
        """Every reason `value` is invalid, type first, since later rules assume the type; with
        the value quoted only when `show`, a near miss suggested only when `hint` (`explain`)."""
        found = []
        for rule in self.rules:
            reason = rule(value)
            if reason is not None:
                found.append(explain(rule, reason, value, show=show, hint=hint))
                if rule is self.rules[0]:
                    break
        return found

    def doc(self) -> str:
        """The whole description, as docstrings, the schema and README state it (reST
        literals, ``x``)."""
        parts = [self.description.rstrip(".") + "."]
        if self.unless_adopted:
            parts.append("Required unless ``adopt_id`` is set.")
        constraints = describe(self.rules)
        if constraints:
            text = "; ".join(constraints)
            parts.append(text[0].upper() + text[1:] + ".")
        if self.default is not None:
            parts.append(f"Default ``{_literal(self.default)}``.")
        if self.create_only:
            parts.append("Read only by create: changing it later changes nothing.")
        elif self.local:
            parts.append("Changing it calls no API; an update records it for the next delete.")
        elif self.replaces:
            parts.append("Replaces.")
        else:
            parts.append("Updates in place.")
        if self.kept_when_omitted:
            parts.append("Omitting it leaves it as it is.")
        return " ".join(parts)

    @property
    def required_always(self) -> bool:
        """Required whatever else is given: what a schema and a typed class declare required."""
        return self.required and not self.unless_adopted

    def change(self) -> str:
        """What a change of this input does, in the words of the README's tables."""
        if self.create_only:
            return "nothing (read only by create)"
        if self.local:
            return "updates the state only (no API call)"
        return "replaces" if self.replaces else "updates in place"


@dataclass(frozen=True)
class Output:
    """One output property that is not also an input: what the API answers."""

    description: str
    type: PropertyType = "string"
    optional: bool = False
    """Unset until a read (or when the API leaves it out)."""
    derived_from: tuple[str, ...] = ()
    """Inputs the value is made from: secret whenever one of them is."""

    def doc(self) -> str:
        """The whole description."""
        return self.description.rstrip(".") + "."


def camel(name: str) -> str:
    """``pkg_version_id`` -> ``pkgVersionId``: a Pulumi schema's spelling of a property."""
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def snake(name: str) -> str:
    """``pkgVersionId`` -> ``pkg_version_id``: the core's spelling of a property."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def text_input(
    description: str,
    *,
    required: bool = False,
    low: int = 1,
    high: int = 128,
    replaces: bool = False,
    kept_when_omitted: bool = False,
) -> Input:
    """A string input of `low` to `high` characters, not only whitespace."""
    return Input(
        description,
        required=required,
        rules=(is_str, length(low, high), not_blank),
        replaces=replaces,
        kept_when_omitted=kept_when_omitted,
    )


def map_input(
    description: str,
    *,
    most: int,
    key_rules: tuple[Rule, ...] = (),
    value_high: int = 128,
    secret: bool = False,
    unreadable: bool = False,
) -> Input:
    """A string-to-string map input of at most `most` entries, updated in place."""
    return Input(
        description,
        rules=(str_map(most, key_rules, value_high),),
        type="map",
        secret=secret,
        unreadable=unreadable,
    )


def boolean_input(description: str, *, default: bool | None = None) -> Input:
    """A true-or-false input."""
    return Input(description, rules=(is_bool,), type="boolean", default=default)


REGION = Input(
    f"Region id; defaults to ``alicloud:region``, else ``{DEFAULT_REGION}``",
    rules=(is_str, region),
    replaces=True,
    unreadable=True,
)


FORCE_DELETE = Input(
    "Delete even while something uses it. Without it, delete first asks the service what uses "
    "the version and, if anything does, fails before any change, naming each user",
    rules=(is_bool,),
    type="boolean",
    default=False,
    unreadable=True,
    local=True,
)


def adopt_id(description: str, rules: tuple[Rule, ...] | None = None) -> Input:
    """The ``adopt_id`` input of a kind: the id of an existing resource create takes over."""
    return Input(
        description,
        rules=rules or (is_str, length(1, 256), matches(r"\S+", "an id without spaces")),
        create_only=True,
        unreadable=True,
    )
