"""``alicloud-versions sweep``: find, and with ``--yes`` delete, what test runs left behind
(its command line is `_sweep_command`).

What it sweeps follows from the kinds' declarations (`core.KINDS`): a kind whose input holds
another kind's id (``app_id``, ``product_id``, ``portfolio_id``...) belongs to that kind's
resource, and a kind that belongs to none, can be listed (`LIST`) and deleted (`DELETE`) and
is named is a root. A root is swept when its own name starts with the prefix (an application
by its ``app_name``, a product by its ``product_name``, a portfolio by its ``portfolio_name``),
with its family: every resource that belongs to it (`listed_under`: package versions and
environments; product versions, provisioned products and associations). Families that share a
resource (a provisioned product of a swept product launched through a swept portfolio) are
one. With an age limit, every resource of a family must be old enough (one whose kind's
listings give no create time, an association, goes with its family): a family with one too
new belongs to a run still going, and is kept whole. Deletes go in the order the declarations
give: a kind before every kind it names (provisioned products, environments and associations,
then versions and portfolios, then applications and products), each through its kind's delete
(which waits for a termination); what a failed delete still names is left. Templates cannot
be listed, read or deleted through the API, so none is ever swept. ``--yes`` deletes only what
the plan the user reviewed listed: the plan prints its digest, and ``--yes`` takes it back
(``--plan``). The services record no owner, so whether a stack holds a resource is known only
from the state of the stacks named (``--stack``): a family one of whose resources such a state
holds is kept.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .core import KINDS
from .core.client import record
from .core.config import Settings
from .core.errors import AlicloudVersionsError
from .core.fields import camel
from .core.lifecycle import ResourceCore
from .core.ownership import parse_time
from .recover import RecoveryError, printable

__all__ = [
    "MIN_PREFIX",
    "ROOTS",
    "SWEPT",
    "Family",
    "Leftover",
    "SweepPlan",
    "delete_order",
    "families",
    "held_by",
    "judged",
    "plan",
    "references",
    "sweep",
]

# The shortest prefix taken: a prefix of one or two characters names half an account.
MIN_PREFIX = 3

Kind = type[ResourceCore]


def references(kind: Kind, kinds: Sequence[Kind] = KINDS) -> dict[str, Kind]:
    """The inputs of `kind` that hold the id of a resource of another of `kinds` (its
    `_ID_FIELD`), each with that kind: what a resource of `kind` belongs to."""
    by_id = {k._ID_FIELD: k for k in kinds}
    return {n: by_id[n] for n in kind.INPUTS if n in by_id and by_id[n] is not kind}


def delete_order(kinds: Sequence[Kind] = KINDS) -> tuple[Kind, ...]:
    """`kinds` in an order that deletes each before every kind it names (`references`)."""
    left, order = list(kinds), []
    while left:
        free = [k for k in left if not any(k in references(o, left).values() for o in left)]
        if not free:  # a cycle: no declaration makes one today
            raise ValueError(f"the kinds {[k.TYPE for k in left]} name each other")
        order += free
        left = [k for k in left if k not in free]
    return tuple(order)


def _roots(kinds: Sequence[Kind]) -> tuple[Kind, ...]:
    """The kinds a prefix selects: listed, deleted, named, and belonging to no other."""
    return tuple(
        k
        for k in kinds
        if k.LIST and k.DELETE and k._NAME_FIELD and not references(k, _listed(kinds))
    )


def _listed(kinds: Sequence[Kind]) -> list[Kind]:
    return [k for k in kinds if k.LIST is not None]


ROOTS = _roots(KINDS)
"""Applications, products and portfolios."""
SWEPT = delete_order(
    [k for k in KINDS if k in ROOTS or (k.DELETE and set(references(k).values()) & set(ROOTS))]
)
"""Every kind sweep deletes, in the order it deletes them."""


@dataclass(frozen=True)
class Leftover:
    """A resource the prefix names, or that belongs to one: its kind, id, name, create time
    (epoch seconds, NaN when the API gave none) and the state its kind's delete needs."""

    kind: Kind
    id_: str
    name: str
    created: float
    state: Mapping[str, Any]
    # Why it is kept, when it is: it is too new, or a stack holds it.
    kept: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.kind.TYPE, self.id_

    def created_text(self) -> str:
        if math.isnan(self.created):
            return "unknown"
        return datetime.fromtimestamp(self.created, timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Family:
    """Roots the prefix names and every resource that belongs to one of them, in delete order
    (`SWEPT`); `kept` says why the family is kept, when it is."""

    resources: tuple[Leftover, ...]
    kept: str = ""


@dataclass(frozen=True)
class SweepPlan:
    """The families to delete and those kept (too new, or held by a stack)."""

    prefix: str
    region: str
    delete: list[Family] = field(default_factory=list)
    kept: list[Family] = field(default_factory=list)

    def ordered(self) -> Iterator[Leftover]:
        """Every resource to delete, in delete order within each family."""
        for family in self.delete:
            yield from family.resources

    @property
    def digest(self) -> str:
        """What the plan deletes, in a few characters: the user reviews a plan and gives its
        digest back to ``--yes``, which deletes only when a fresh plan has the same one."""
        listed = [self.prefix, self.region]
        listed += [f"{i.kind.TYPE} {i.id_} {i.name}" for i in self.ordered()]
        return hashlib.sha256("\n".join(listed).encode()).hexdigest()[:16]


def held_by(stacks: Iterable[str], cwd: Path) -> dict[str, str]:
    """Every id of a kind sweep deletes that the state of one of `stacks` (of the project in
    `cwd`) holds, with the stack's name: a resource's id, and its id output under either
    front door's name for it (``app_id``, ``appId``)."""
    from .recover import Pulumi  # Pulumi's Automation API: only `--stack` loads it

    fields = {name for kind in SWEPT for name in (kind._ID_FIELD, camel(kind._ID_FIELD))}
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


def _leftover(kind: Kind, found: Mapping[str, Any], region: str) -> Leftover:
    """A listed record of `kind` as a leftover, by the kind's declared id and name fields; the
    state its delete takes is the record's inputs."""
    name = found.get(kind._NAME_FIELD) if kind._NAME_FIELD else None
    state = {k: v for k, v in found.items() if k in kind.INPUTS and v is not None}
    return Leftover(
        kind,
        str(found[kind._ID_FIELD]),
        str(name or ""),
        parse_time(found.get("create_time")),
        {**state, "region": region},
    )


Listing = Callable[[Kind, str, str], Iterable[Mapping[str, Any]] | None]
"""A kind's records whose input (the second argument) holds an id (the third)."""


def families(
    roots: Iterable[Leftover], listing: Listing, kinds: Sequence[Kind] = SWEPT
) -> list[list[Leftover]]:
    """Each root with what belongs to it (every kind of `kinds` naming the root's kind,
    `listing` it under the root), roots sharing a resource joined, each in `kinds`' order."""
    groups: list[dict[tuple[str, str], Leftover]] = []
    for root in roots:
        group = {root.key: root}
        for kind in kinds:
            for name, parent in references(kind, kinds).items():
                if parent is root.kind:
                    found = listing(kind, name, root.id_) or ()
                    region = str(root.state.get("region", ""))
                    group.update((m.key, m) for m in (_leftover(kind, r, region) for r in found))
        joined = [g for g in groups if g.keys() & group.keys()]
        for other in joined:
            group.update(other)
            groups.remove(other)
        groups.append(group)
    rank = {k.TYPE: n for n, k in enumerate(kinds)}
    return [sorted(g.values(), key=lambda r: rank[r.kind.TYPE]) for g in groups]


def plan(
    settings: Settings,
    prefix: str,
    older_than: float | None = None,
    now: float | None = None,
    held: Mapping[str, str] | None = None,
) -> SweepPlan:
    """What `sweep` would delete: every root (`ROOTS`) in `settings.region` whose name starts
    with `prefix`, with its family, each resource made more than `older_than` seconds before
    `now` (when given), less every family one of whose ids is in `held` (id -> the stack whose
    state holds it). Listing calls only."""
    held = held or {}
    if len(prefix) < MIN_PREFIX:
        raise ValueError(f"prefix {prefix!r} is shorter than {MIN_PREFIX} characters")
    now = time.time() if now is None else now
    region = settings.region
    cores: dict[Kind, ResourceCore] = {}

    def core(kind: Kind) -> ResourceCore:
        return cores.setdefault(kind, kind(settings))

    def listing(kind: Kind, name: str, id_: str) -> Iterable[Mapping[str, Any]] | None:
        return core(kind).listed_under(core(kind).session({}), name, id_)

    roots = [
        _leftover(kind, record, region)
        for kind in SWEPT
        if kind in ROOTS
        for record in _every(core(kind))
    ]
    named = [r for r in roots if r.name.startswith(prefix)]
    return judged(prefix, region, families(named, listing), older_than, now, held)


def _every(core: ResourceCore) -> Iterator[dict[str, Any]]:
    """Every record of the kind's paged listing (its declared `LIST`)."""
    return (record(m) for m in core.every(core.session({})))


def judged(
    prefix: str,
    region: str,
    found: Iterable[Sequence[Leftover]],
    older_than: float | None,
    now: float,
    held: Mapping[str, str],
) -> SweepPlan:
    """The plan of the `found` families: one that a stack in `held` holds a resource of, or
    with a resource made within `older_than` seconds of `now`, is kept whole, saying why."""
    result = SweepPlan(prefix, region)

    def old(item: Leftover) -> bool:
        # An unknown create time is never taken as old enough, unless no listing of the kind
        # gives one (an association): it goes with its family.
        if older_than is None or not item.kind.DATED:
            return True
        return not math.isnan(item.created) and item.created <= now - older_than

    for family in found:
        holder = next((held[r.id_] for r in family if r.id_ in held), None)
        if holder is not None:
            kept = tuple(
                replace(r, state={}, kept=f"held by {held[r.id_]}" if r.id_ in held else "")
                for r in family
            )
            result.kept.append(Family(kept, f"a member is held by {holder}"))
        elif not all(old(r) for r in family):
            kept = tuple(replace(r, state={}, kept="" if old(r) else "too new") for r in family)
            result.kept.append(Family(kept, "a member is too new"))
        else:
            result.delete.append(Family(tuple(family)))
    return result


def sweep(settings: Settings, found: SweepPlan, report: Callable[[str], None] = print) -> int:
    """Delete what `found` lists, in each family's order, through each kind's delete (which
    checks that a version is not in use, and waits for a termination); a resource that a
    failed or left one names is left too. The failures."""
    failures = 0
    for family in found.delete:
        left: set[str] = set()  # ids named by a resource not deleted
        for item in family.resources:
            if item.id_ in left:
                report(
                    f"left    {item.kind.TYPE} {printable(item.id_)}: what belongs to it was "
                    "not all deleted"
                )
                failures += 1
            else:
                try:
                    item.kind(settings).delete_resource(item.id_, item.state)
                except AlicloudVersionsError as exc:
                    report(f"failed  {item.kind.TYPE} {printable(item.id_)}: {printable(str(exc))}")
                    failures += 1
                else:
                    report(
                        f"deleted {item.kind.TYPE} {printable(item.id_)} ({printable(item.name)})"
                    )
                    continue
            left.update(str(item.state.get(name, "")) for name in references(item.kind))
    return failures
