"""The emulator's inventory of an account against a stack's state, kind by kind, by id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tests.support.emulator import EmulatorProcess


@dataclass(frozen=True)
class Kind:
    """One resource kind: its type token suffix, its inventory list and its id and name fields."""

    type_suffix: str
    inventory_key: str
    id_field: str
    name_field: str


KINDS = (
    Kind("webplus:Application", "applications", "AppId", "AppName"),
    Kind("webplus:PkgVersion", "pkg_versions", "PkgVersionId", "PkgVersionLabel"),
    Kind("servicecatalog:Product", "products", "ProductId", "ProductName"),
    Kind("servicecatalog:Template", "templates", "TemplateUrl", "TemplateId"),
    Kind(
        "servicecatalog:ProductVersion",
        "product_versions",
        "ProductVersionId",
        "ProductVersionName",
    ),
)
# The dynamic provider's type tokens and the plugin's.
_BY_TYPE = {
    f"{prefix}{k.type_suffix}": k
    for k in KINDS
    for prefix in ("pulumi-python:dynamic/alicloud-versions/", "alicloud-versions:")
}


def kind_of(type_token: str) -> Kind | None:
    """The kind of a resource type token, or None for anything not of this provider."""
    return _BY_TYPE.get(type_token)


def state_ids(deployment: Mapping[str, Any]) -> dict[str, list[str]]:
    """Inventory key -> sorted ids of the stack's resources of that kind (pending ops excluded)."""
    ids: dict[str, list[str]] = {k.inventory_key: [] for k in KINDS}
    for resource in deployment.get("resources") or []:
        kind = kind_of(resource["type"])
        if kind is not None and not resource.get("delete"):
            ids[kind.inventory_key].append(resource["id"])
    return {key: sorted(values) for key, values in ids.items()}


def pending_operations(deployment: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The operations the engine started and never saw end."""
    return list(deployment.get("pending_operations") or [])


def inventory_ids(inventory: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Inventory key -> sorted ids the emulator holds for an account."""
    return {
        k.inventory_key: sorted(r[k.id_field] for r in inventory.get(k.inventory_key, []))
        for k in KINDS
    }


@dataclass(frozen=True)
class Comparison:
    """What the emulator holds beyond the state (orphans) and what the state holds in vain."""

    orphans: dict[str, list[dict[str, Any]]]
    missing: dict[str, list[str]]
    duplicate_names: dict[str, dict[str, int]]

    @property
    def converged(self) -> bool:
        """Inventory equals state: no orphan, nothing missing, no name made twice."""
        return not (self.orphans or self.missing or self.duplicate_names)

    def __str__(self) -> str:
        if self.converged:
            return "inventory == state"
        return (
            f"inventory != state: orphans {self.orphans}, missing {self.missing}, "
            f"names made more than once {self.duplicate_names}"
        )


def compare(
    emulator: EmulatorProcess, account_id: str, deployment: Mapping[str, Any]
) -> Comparison:
    """The emulator's inventory of `account_id` against the resources in `deployment`."""
    inventory = emulator.inventory(account_id)
    in_state = state_ids(deployment)
    orphans: dict[str, list[dict[str, Any]]] = {}
    missing: dict[str, list[str]] = {}
    duplicates: dict[str, dict[str, int]] = {}
    for kind in KINDS:
        records = inventory.get(kind.inventory_key, [])
        known = set(in_state[kind.inventory_key])
        extra = [
            {"id": r[kind.id_field], "name": r.get(kind.name_field)}
            for r in records
            if r[kind.id_field] not in known
        ]
        if extra:
            orphans[kind.inventory_key] = extra
        held = {r[kind.id_field] for r in records}
        absent = sorted(known - held)
        if absent:
            missing[kind.inventory_key] = absent
        names = Counter(r.get(kind.name_field) for r in records)
        twice = {str(name): n for name, n in names.items() if n > 1}
        if twice:
            duplicates[kind.inventory_key] = twice
    return Comparison(orphans, missing, duplicates)
