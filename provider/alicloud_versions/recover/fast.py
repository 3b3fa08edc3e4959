"""Recovering a killed fast-mode update, round by round, from the program's plan.

An update run with ``PULUMI_SKIP_CHECKPOINTS`` writes the state only when it ends: killed, it
leaves nothing of itself in the state but its lock and its create records. What it may have
made is then what the program still plans to create (`preview`), judged by those records
(`evidence`). Those found are imported, and the plan is made again, so that a create whose
inputs came from a parent found in this round (unknown in a plan without that parent) is
looked up in the next. A round that finds nothing new ends it, and so does one that leaves no
create waiting for a parent: every other create was judged on evidence a new plan would not
change (the same records, and ids already in the state only ever excluded).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..core.config import KEYS, Settings
from ..core.fields import camel, snake
from ..core.journal import Record
from .engine import Pulumi
from .evidence import consume, matching
from .export import PACKAGE, Entry, Export, Urn, ours, provider_settings
from .locks import Lock
from .markers import HIDDEN, is_unknown, secret
from .messages import RecoveryError, shown
from .preview import PLAN_ONLY, Planned, planned_creates
from .steps import Plan, Step, judge_step, outputs_of, state_ids, unlock

__all__ = ["plan_fast", "recover_fast"]

# The provider settings that are secrets, as the state keeps a provider's inputs.
_SECRET_KEYS = frozenset(key.name for key in KEYS if key.secret)


class _Owners:
    """The provider resource that owns each planned create, with its settings: the one in the
    state, else one the plan creates (an explicit provider), else the default provider the
    update would have made from the stack's config. Those not in the state are kept, as the
    state gets them, for when a resource they own is imported."""

    def __init__(self, pulumi: Pulumi, export: Export, created: Mapping[str, Entry]) -> None:
        self.pulumi, self.export, self.created = pulumi, export, created
        self._config: dict[str, Any] | None = None
        self._made: dict[str, Entry] = {}  # by URN: provider entries made here
        self._settings: dict[str, Settings] = {}

    def config(self) -> dict[str, Any]:
        """The stack's config, secrets wrapped as the state keeps a provider's secrets."""
        if self._config is None:
            self._config = {
                key: secret(value) if kept_secret else value
                for key, (value, kept_secret) in self.pulumi.config().items()
            }
        return self._config

    def owner(self, planned: Planned) -> Entry:
        """The provider resource of `planned`, as the state has it or will."""
        reference = planned.entry.provider
        if reference is None:
            raise RecoveryError(
                f"the plan is malformed: {shown(str(planned.entry.urn))} names no provider"
            )
        urn = reference.rpartition("::")[0]
        found = self.export.resources.get(urn) or self._made.get(urn)
        if found is not None:
            return found
        entry = self.created.get(urn)
        parsed = Urn.parse(urn, "a provider URN in the plan")
        if entry is not None:  # an explicit provider this update creates
            inputs = {
                k: secret(v) if k in _SECRET_KEYS and not isinstance(v, dict) else v
                for k, v in entry.inputs.items()
            }
            if any(is_unknown(v) or v == HIDDEN for v in inputs.values()):
                raise RecoveryError(
                    f"the plan does not show every input of the provider {shown(urn)}: its "
                    "resources cannot be looked up"
                )
            raw = {k: v for k, v in entry.raw.items() if k not in PLAN_ONLY}
        elif parsed.name == "default" or parsed.name.startswith("default_"):
            config = self.config()
            if planned.plugin:
                prefix = f"{PACKAGE}:"
                inputs = {k[len(prefix) :]: v for k, v in config.items() if k.startswith(prefix)}
            else:
                inputs = dict(config)
            raw = {"urn": urn, "custom": True, "type": parsed.type}
        else:
            raise RecoveryError(
                f"the provider {shown(urn)} of {shown(str(planned.entry.urn))} is neither in "
                "the state nor in the plan"
            )
        made = Entry.parse(
            {**raw, "id": str(uuid.uuid4()), "inputs": inputs, "outputs": inputs}, "a provider"
        )
        self._made[urn] = made
        return made

    def settings(self, planned: Planned) -> Settings:
        owner = self.owner(planned)
        key = str(owner.urn)
        if key not in self._settings:
            self._settings[key] = provider_settings(owner, planned.plugin)
        return self._settings[key]

    def reference(self, planned: Planned) -> str:
        owner = self.owner(planned)
        return f"{owner.urn}::{owner.raw['id']}"

    def made(self, urn: str) -> Entry | None:
        return self._made.get(urn)


def plan_fast(
    pulumi: Pulumi,
    export: Export,
    records: Sequence[Record],
    *,
    locks: Sequence[Lock] = (),
    notes: Sequence[str] = (),
) -> Plan:
    """One round of recovering a killed fast-mode update, whose `records` show creates it
    sent that the state does not hold: look up each create the program still plans and
    judge it by its records (`evidence`); change nothing.

    A planned create with no record was never sent: left to the next up. A create whose
    unknown inputs come from a parent the plan creates and that could be found waits for the
    next round (`Plan.deferred`).
    """
    since = min((r.sent for r in records), default=None)
    result = Plan(
        since,
        "its first recorded create",
        locks=list(locks),
        notes=list(notes),
        fast=True,
        known=frozenset(export.resources),
        records=list(records),
    )
    held = [lock for lock in locks if not lock.stale]
    if held:  # an update may be running: its plan is not what a killed one left
        result.blocked.append(
            "the stack is locked by "
            + "; ".join(f"{lock.describe()} ({lock.verdict.why})" for lock in held)
            + ": an update may be running, so its plan was not searched. If it is no longer "
            "running, run `pulumi cancel`, then run this command again"
        )
        return result
    planned, created = planned_creates(pulumi.preview())
    owners = _Owners(pulumi, export, created)
    findable = {str(p.entry.urn) for p in planned if p.cls.findable()}
    present = set(export.resources)
    for item in planned:
        urn = str(item.entry.urn)
        waiting = sorted(item.parents & findable)
        if waiting:
            names = ", ".join(Urn.parse(u).name for u in waiting)
            result.steps.append(
                Step(
                    urn,
                    item.cls.TYPE.replace(".", ":"),
                    f"inputs wait for {names}",
                    "looked up once its parent is imported",
                    plugin=item.plugin,
                )
            )
            result.deferred.append(urn)
            continue
        provider = item.cls(owners.settings(item))
        inputs = {k: v for k, v in item.inputs.items() if k in item.cls.INPUTS}
        hidden = {snake(k) if item.plugin else k for k in item.hidden}
        # Unknown here, from a parent that cannot be looked up (a template's URL): the
        # records name it, and match on the rest.
        unknown = {snake(k) if item.plugin else k for k in item.unknown}
        mine = matching(
            records, urn, item.cls.TYPE, inputs, (hidden | unknown) & set(item.cls.INPUTS)
        )
        try:
            step = judge_step(
                provider, urn, inputs, mine, result, state_ids(export), hidden=hidden, fast=True
            )
        except KeyError as exc:
            if not exc.args or exc.args[0] not in item.uncompared:
                raise  # a bug, not an input the plan left out
            result.blocked.append(
                f"{shown(urn)}: its lookup needs {shown(exc.args[0])}, which the plan does not "
                "show (a secret, or a value from a resource that cannot be looked up)"
            )
            step = Step(urn, item.cls.TYPE.replace(".", ":"), "not looked up", "none")
        step.plugin = item.plugin
        if step.id_ and item.uncompared:
            step.found += f"; not compared: {', '.join(item.uncompared)}"
        if step.id_:
            for needed in _needed(item.entry, owners, created, export, present):
                result.providers.append(needed)
                present.add(str(needed["urn"]))
            step.resource = _planned_resource(item, step, owners.reference(item), present)
            present.add(urn)
        result.steps.append(step)
    if not result.adopted:
        # Their parents were looked up and not found: the killed update cannot have made them.
        for step in result.steps:
            if step.urn in result.deferred:
                step.found = "its parent was not made, so neither was it"
                step.action = "leave (the next up creates it)"
        result.deferred.clear()
    return result


def _needed(
    entry: Entry,
    owners: _Owners,
    created: Mapping[str, Entry],
    export: Export,
    present: set[str],
) -> list[dict[str, Any]]:
    """The resources `entry` needs in the state before it (its provider, its parents up to the
    stack), absent from it, parents first."""
    found: list[dict[str, Any]] = []
    seen = set(present)

    def add(urn: str | None) -> None:
        if not urn or urn in seen:
            return
        made = owners.made(urn)
        plan_entry = created.get(urn)
        if made is not None:
            raw = dict(made.raw)
        elif plan_entry is not None and not plan_entry.raw.get("custom"):
            raw = {k: v for k, v in plan_entry.raw.items() if k not in PLAN_ONLY}
        else:
            raise RecoveryError(
                f"{shown(str(entry.urn))} needs {shown(urn)} in the state, which the killed "
                "update made and recover cannot: run `pulumi up` without adopting it"
            )
        seen.add(urn)
        add(raw.get("parent"))
        found.append(raw)

    add(entry.raw.get("parent"))
    if entry.provider:
        add(entry.provider.rpartition("::")[0])
    return found


def _planned_resource(
    item: Planned, step: Step, provider: str, present: set[str]
) -> dict[str, Any]:
    """The state entry of a planned create found as `step`: its id, its inputs as planned with
    the ones the plan did not know or hid taken from what was found (a hidden one kept
    secret), its outputs those inputs over what the lookup saw (until the refresh),
    dependencies only on what the state holds."""
    live = {camel(k) if item.plugin else k: v for k, v in step.live.items() if v is not None}
    inputs = {}
    for key, value in item.entry.inputs.items():
        if key in item.unknown or key in item.hidden:
            if live.get(key) is None:
                continue  # the next up sets it
            value = secret(live[key]) if key in item.hidden else live[key]
        inputs[key] = value
    raw = {k: v for k, v in item.entry.raw.items() if k not in PLAN_ONLY}
    raw["dependencies"] = [u for u in raw.get("dependencies") or [] if u in present]
    deps = raw.get("propertyDependencies") or {}
    raw["propertyDependencies"] = {
        k: [u for u in urns if u in present] for k, urns in deps.items() if k in inputs
    }
    return {
        **raw,
        "id": step.id_,
        "provider": provider,
        "inputs": inputs,
        "outputs": outputs_of(step, inputs, item.hidden),
    }


def recover_fast(
    pulumi: Pulumi, found: Plan, report: Callable[[int, Plan], None] | None = None
) -> list[Plan]:
    """Carry out a fast-mode `found` round by round: remove the killed update's stale lock,
    import what the round found, plan again, until a round finds nothing new or leaves no
    create waiting for a parent (the plan, a preview, is not made again for nothing); then
    refresh what was adopted. Each round after the first is passed to `report`; all are
    returned.

    A round imports nothing unless the state still holds exactly the resources it held when
    the round's plan was made, no pending create of ours, and nothing wrote the stack between
    the export edited and the import.
    """
    unlock(found)
    rounds = [found]
    adopted: list[str] = []
    current = found
    while current.adopted:
        _import_round(pulumi, current)
        adopted += current.adopted
        if not current.deferred:
            break
        export = Export.parse(pulumi.export(show_secrets=True))
        current = plan_fast(pulumi, export, found.records)
        rounds.append(current)
        if report is not None:
            report(len(rounds), current)
        if current.blocked:
            raise RecoveryError(
                f"imported {len(adopted)} resources, then stopped:\n"
                + "\n".join(f"- {b}" for b in current.blocked)
            )
    if adopted:
        pulumi.refresh(adopted)
    consume(found.records)
    return rounds


def _import_round(pulumi: Pulumi, found: Plan) -> None:
    exported = pulumi.export()
    before = copy.deepcopy(exported)
    export = Export.parse(exported)
    if set(export.resources) != found.known or any(ours(k, e) for k, e in export.pending):
        raise RecoveryError(
            "the stack changed since its plan was searched (another update ran?): nothing more "
            "was changed; run this command again"
        )
    resources = exported["deployment"].setdefault("resources", [])
    resources += found.providers
    resources += [step.resource for step in found.adopted.values() if step.resource]
    if pulumi.export() != before:
        raise RecoveryError(
            "the stack changed while recovering (another update ran?): nothing more was "
            "changed; run this command again"
        )
    pulumi.import_(exported)
