"""``alicloud-versions sweep``: find, and with ``--yes`` delete, what test runs left behind
(its command line is `_sweep_command`).

A resource is swept only when its own name starts with the prefix: an application by its
``app_name`` (with every package version in it), a product by its ``product_name`` (with every
product version of it). With an age limit, each of them must be old enough, versions too: a
family with one version too new belongs to a run still going, and is kept whole. Versions go
before their parent; a version still in use (an environment runs it, a provisioned product was
launched from it) is not deleted, and neither is its parent. Templates cannot be listed, read
or deleted through the API, so none is ever swept. ``--yes`` deletes only what the plan the
user reviewed listed: the plan prints its digest, and ``--yes`` takes it back (``--plan``).
The services record no owner, so whether a stack holds a resource is known only from the state
of the stacks named (``--stack``): a family one of whose resources such a state holds is kept.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .core.client import record
from .core.config import Settings
from .core.errors import AlicloudVersionsError
from .core.fields import camel
from .core.lifecycle import ResourceCore
from .core.ownership import parse_time
from .core.servicecatalog import ProductCore, ProductVersionCore
from .core.webplus import ApplicationCore, PkgVersionCore
from .recover import Pulumi, RecoveryError, printable

__all__ = ["MIN_PREFIX", "Leftover", "SweepPlan", "held_by", "plan", "sweep"]

# The shortest prefix taken: a prefix of one or two characters names half an account.
MIN_PREFIX = 3


@dataclass(frozen=True)
class Leftover:
    """A resource the prefix names: its kind, id, name, create time (epoch seconds, NaN when
    the API gave none) and the state its kind's delete needs."""

    kind: type[ResourceCore]
    id_: str
    name: str
    created: float
    state: Mapping[str, Any]
    versions: tuple[Leftover, ...] = ()
    # Why it is kept, when it is: it is too new, or one of its versions is.
    kept: str = ""

    def created_text(self) -> str:
        if math.isnan(self.created):
            return "unknown"
        return datetime.fromtimestamp(self.created, timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SweepPlan:
    """The parents to delete (each with its versions) and those kept for being too new (or
    for holding a version that is)."""

    prefix: str
    region: str
    delete: list[Leftover] = field(default_factory=list)
    kept: list[Leftover] = field(default_factory=list)

    def ordered(self) -> Iterator[Leftover]:
        """Every resource to delete, each parent's versions before it."""
        for parent in self.delete:
            yield from parent.versions
            yield parent

    @property
    def digest(self) -> str:
        """What the plan deletes, in a few characters: the user reviews a plan and gives its
        digest back to ``--yes``, which deletes only when a fresh plan has the same one."""
        listed = [self.prefix, self.region]
        listed += [f"{i.kind.TYPE} {i.id_} {i.name}" for i in self.ordered()]
        return hashlib.sha256("\n".join(listed).encode()).hexdigest()[:16]


def _every(settings: Settings, kind: type[ResourceCore], **fields: Any) -> Iterator[dict[str, Any]]:
    """Every record of `kind`'s paged listing (its declared `LIST`) with `fields`, in the
    settings' region."""
    core = kind(settings)
    return (record(m) for m in core.every(core.session({}), **fields))


def _product_versions(settings: Settings, product_id: str) -> list[dict[str, Any]]:
    """Every version of the product (one unpaged `LIST`)."""
    core = ProductVersionCore(settings)
    versions, _ = core.listed(core.session({}), product_id=product_id)
    return [record(v) for v in versions]


_SWEPT = (ApplicationCore, PkgVersionCore, ProductCore, ProductVersionCore)


def held_by(stacks: Iterable[str], cwd: Path) -> dict[str, str]:
    """Every id of a kind sweep deletes that the state of one of `stacks` (of the project in
    `cwd`) holds, with the stack's name: a resource's id, and its id output under either
    front door's name for it (``app_id``, ``appId``)."""
    fields = {name for kind in _SWEPT for name in (kind._ID_FIELD, camel(kind._ID_FIELD))}
    held: dict[str, str] = {}
    for stack in stacks:
        exported = Pulumi(cwd, stack).export()
        deployment = exported.get("deployment") if isinstance(exported, dict) else None
        resources = deployment.get("resources") if isinstance(deployment, dict) else None
        if not isinstance(resources, list):
            raise RecoveryError(f"the state of stack {printable(stack)} lists no resources")
        for resource in (r for r in resources if isinstance(r, dict)):
            outputs = resource.get("outputs")
            found = [resource.get("id")]
            if isinstance(outputs, dict):
                found += [outputs.get(name) for name in fields]
            held.update((id_, stack) for id_ in found if isinstance(id_, str) and id_)
    return held


def _leftover(
    kind: type[ResourceCore], found: Mapping[str, Any], state: Mapping[str, Any]
) -> Leftover:
    """A listed record of `kind` as a leftover, by the kind's declared id and name fields."""
    name = found.get(kind._NAME_FIELD) if kind._NAME_FIELD else None
    return Leftover(
        kind,
        str(found[kind._ID_FIELD]),
        str(name or ""),
        parse_time(found.get("create_time")),
        state,
    )


def plan(
    settings: Settings,
    prefix: str,
    older_than: float | None = None,
    now: float | None = None,
    held: Mapping[str, str] | None = None,
) -> SweepPlan:
    """What `sweep` would delete: every application and product in `settings.region` whose
    name starts with `prefix` (made more than `older_than` seconds before `now`, when given),
    with their versions, less every family one of whose ids is in `held` (id -> the stack whose
    state holds it). Listing calls only."""
    held = held or {}
    if len(prefix) < MIN_PREFIX:
        raise ValueError(f"prefix {prefix!r} is shorter than {MIN_PREFIX} characters")
    now = time.time() if now is None else now
    region = settings.region
    found = SweepPlan(prefix, region)

    def old(created: float) -> bool:
        # An unknown create time is never taken as old enough.
        return older_than is None or (not math.isnan(created) and created <= now - older_than)

    # Each parent kind, its listing, and its versions' kind and listing; the ids and names come
    # from the kinds' own declarations.
    families: tuple[
        tuple[
            type[ResourceCore],
            Iterable[dict[str, Any]],
            type[ResourceCore],
            Callable[[str], Iterable[dict[str, Any]]],
        ],
        ...,
    ] = (
        (
            ApplicationCore,
            _every(settings, ApplicationCore),
            PkgVersionCore,
            lambda id_: _every(settings, PkgVersionCore, app_id=id_),
        ),
        (
            ProductCore,
            _every(settings, ProductCore),
            ProductVersionCore,
            lambda id_: _product_versions(settings, id_),
        ),
    )
    for parent, records, child, children in families:
        # Every kind swept is named (its _NAME_FIELD is declared).
        assert parent._NAME_FIELD is not None and child._NAME_FIELD is not None
        parent_name, child_name = parent._NAME_FIELD, child._NAME_FIELD
        for found_parent in records:
            leftover = _leftover(parent, found_parent, {"region": region})
            if not leftover.name.startswith(prefix):
                continue
            if leftover.id_ in held:
                found.kept.append(replace(leftover, state={}, kept=f"held by {held[leftover.id_]}"))
                continue
            if not old(leftover.created):
                found.kept.append(replace(leftover, state={}, kept="too new"))
                continue
            link = {parent._ID_FIELD: leftover.id_, "region": region}
            versions = tuple(
                _leftover(child, v, {**link, child_name: v.get(child_name)})
                for v in children(leftover.id_)
            )
            holder = next((held[v.id_] for v in versions if v.id_ in held), None)
            if holder is not None:
                # A stack holds a version: deleting the parent would take it from under it.
                kept = tuple(
                    replace(v, state={}, kept=f"held by {held[v.id_]}" if v.id_ in held else "")
                    for v in versions
                )
                found.kept.append(
                    replace(
                        leftover, state={}, versions=kept, kept=f"a version is held by {holder}"
                    )
                )
                continue
            if not all(old(version.created) for version in versions):
                # A version made within the age limit: a run is still using the family.
                kept = tuple(
                    replace(v, state={}, kept="" if old(v.created) else "too new") for v in versions
                )
                found.kept.append(
                    replace(leftover, state={}, versions=kept, kept="a version is too new")
                )
                continue
            state = {parent_name: leftover.name, "region": region}
            found.delete.append(replace(leftover, state=state, versions=versions))
    return found


def sweep(settings: Settings, found: SweepPlan, report: Callable[[str], None] = print) -> int:
    """Delete what `found` lists, versions first, through each kind's delete (which checks a
    version is not in use); a parent whose versions did not all go is left. The failures."""
    failures = 0

    def delete(item: Leftover) -> bool:
        nonlocal failures
        try:
            item.kind(settings).delete_resource(item.id_, item.state)
        except AlicloudVersionsError as exc:
            report(f"failed  {item.kind.TYPE} {printable(item.id_)}: {printable(str(exc))}")
            failures += 1
            return False
        report(f"deleted {item.kind.TYPE} {printable(item.id_)} ({printable(item.name)})")
        return True

    for parent in found.delete:
        if all([delete(version) for version in parent.versions]):  # every one tried
            delete(parent)
        else:
            report(
                f"left    {parent.kind.TYPE} {printable(parent.id_)}: not all its versions were "
                "deleted"
            )
            failures += 1
    return failures
