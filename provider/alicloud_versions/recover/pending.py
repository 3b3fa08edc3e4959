"""Finishing the creates a killed ``pulumi up`` left pending, on evidence only.

A killed update leaves each create it started as a pending operation in the state. Each one
here is looked up in the cloud, with the settings of the provider resource that owns it (its
account, region and endpoints as recorded in the state), and judged by the records of the
creates the update sent (`evidence`, `core.journal`): the one resource they prove it made is
put into the state with its id; when none was made the pending create is cleared, so the next
``pulumi up`` creates it; several candidates, or a namesake of a create with no record of its
sending, stop the recovery with all of them listed. A Template cannot be found again (no API
lists, reads or deletes templates): it is cleared and listed as left behind.

The state is changed as ``pulumi refresh --import-pending-creates URN ID
--clear-pending-creates`` means to: engine 3.259 turns those into pending imports that its
refresh then drops, so the deployment is edited instead (exported, the pending creates of this
provider's resources replaced by resources carrying their ids, imported, which takes the stack
lock), and a refresh targeting each adopted one then reads it.

The update's start (for a pending create with no record only) is the timestamp of the lock the
killed update left (file backends); else the end of the last update in the stack's history;
else the oldest create time in the state.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..core.config import Settings
from ..core.fields import snake
from ..core.lifecycle import ResourceCore
from .engine import Pulumi
from .evidence import consume, matching, open_records, records_of
from .export import Entry, Export, ours, provider_settings, served
from .fast import plan_fast
from .locks import file_backend, file_locks, lock_note
from .markers import reveal
from .messages import RecoveryError, shown
from .steps import Plan, Step, judge_step, outputs_of, state_ids, unlock, update_start

__all__ = ["plan", "recover"]


def _core_inputs(
    cls: type[ResourceCore], plugin: bool, inputs: Mapping[str, Any], where: str
) -> dict[str, Any]:
    """A create's inputs in the state or a plan as the core names them, secrets revealed,
    only its declared inputs (not the provider's key, nor an output's placeholder)."""
    found = {}
    for key, value in inputs.items():
        name = snake(key) if plugin else key
        if name in cls.INPUTS:
            found[name] = reveal(value, where.format(shown(key)))
    return found


def plan(pulumi: Pulumi, *, fast: bool = False) -> Plan:
    """Look up every pending create of this provider's resources; change nothing.

    Each is judged by the records of the creates the killed update sent (`evidence`). With
    no pending create of ours, a killed update in fast mode (``PULUMI_SKIP_CHECKPOINTS``,
    which records nothing in the state until it ends) is recognised by its records alone:
    sends whose outcome the state does not hold. Then the program's own plan is searched
    (`plan_fast`). A lock, or `fast`, is no evidence of anything made.
    """
    exported = pulumi.export(show_secrets=True)
    export = Export.parse(exported)
    project, stack = export.project, export.stack
    if project is None or stack is None:  # an empty state: a first update, or none yet
        project, stack = pulumi.project_name(), pulumi.stack_name()
    backend = pulumi.backend_url()
    locks = file_locks(backend, project, stack)
    notes = [] if file_backend(backend) is not None else [lock_note(backend)]
    records = records_of(project, stack)
    ids = state_ids(export)
    pending = [entry for kind, entry in export.pending if ours(kind, entry)]
    if not pending:
        unsettled = open_records(records, ids)
        if unsettled:
            return plan_fast(pulumi, export, unsettled, locks=locks, notes=notes)
        if fast or locks:
            notes.insert(
                0,
                "No record shows the killed update sending a create of this provider's (the "
                "provider records each one before sending it), so it made none: nothing was "
                "looked up.",
            )
        return Plan(None, "unknown", locks=locks, notes=notes)
    history = [] if locks else pulumi.history()
    since, source = update_start(locks, history, exported["deployment"])
    result = Plan(since, source, locks=locks, notes=notes, pending=[str(e.urn) for e in pending])
    settings: dict[str, Settings] = {}  # by provider reference: one resolution each
    # One step for each resource, however many killed updates left a create of it pending: in
    # the order of the first, with the inputs of the last (the newest program's).
    unique: dict[str, Entry] = {}
    for entry in pending:
        unique[str(entry.urn)] = entry
    for entry in unique.values():
        found = served(entry.type)
        assert found is not None  # ours
        cls, plugin = found
        owner = export.provider_of(entry)
        assert entry.provider is not None  # provider_of
        if entry.provider not in settings:
            settings[entry.provider] = provider_settings(owner, plugin)
        provider = cls(settings[entry.provider])
        where = f"the input {{}} of {shown(str(entry.urn))}"
        inputs = _core_inputs(cls, plugin, entry.inputs, where)
        urn = str(entry.urn)
        mine = matching(records, urn, cls.TYPE, inputs)
        result.records += [r for r in mine if r not in result.records]
        step = judge_step(provider, urn, inputs, mine, result, ids, since=since)
        step.plugin = plugin
        result.steps.append(step)
    return result


def recover(pulumi: Pulumi, found: Plan) -> None:
    """Carry out `found`: remove the killed update's stale lock, put each adopted resource in
    the state and drop every pending create of this provider's, then refresh what was adopted.

    Nothing is imported unless the state still holds exactly the pending creates that were
    looked up, and nothing wrote the stack between the export edited here and the import.
    """
    unlock(found)
    if not found.steps:
        return
    exported = pulumi.export()
    before = copy.deepcopy(exported)
    export = Export.parse(exported)
    pending = [str(entry.urn) for kind, entry in export.pending if ours(kind, entry)]
    if pending != found.pending:
        raise RecoveryError(
            "the stack's pending creates changed since they were looked up (another update "
            "ran?): nothing was changed; run this command again"
        )
    deployment = exported["deployment"]
    adopted = found.adopted  # each one taken once, at its first pending create
    newest = {str(entry.urn): entry for kind, entry in export.pending if ours(kind, entry)}
    kept: list[dict[str, Any]] = []
    for (kind, entry), op in zip(export.pending, deployment["pending_operations"], strict=True):
        if not ours(kind, entry):
            kept.append(op)
            continue
        step = adopted.pop(str(entry.urn), None)
        if step is not None:
            # Pending creates start only once what they depend on exists, so appending them in
            # the order they began keeps the resources in dependency order.
            resource = newest[str(entry.urn)].raw  # as the lookup took its inputs
            deployment.setdefault("resources", []).append(_adopted(resource, step))
    deployment["pending_operations"] = kept
    if pulumi.export() != before:
        raise RecoveryError(
            "the stack changed while recovering (another update ran?): nothing was changed; "
            "run this command again"
        )
    pulumi.import_(exported)
    if found.adopted:
        pulumi.refresh(list(found.adopted))
    consume(found.records)


def _adopted(pending: Mapping[str, Any], step: Step) -> dict[str, Any]:
    """The state entry of a pending create found as `step`: its id, and for outputs its inputs
    as recorded (secrets still encrypted) over what the lookup saw, until the refresh."""
    inputs = dict(pending.get("inputs") or {})
    return {**pending, "id": step.id_, "inputs": inputs, "outputs": outputs_of(step, inputs)}
