"""What recover found for each create and what it does about it (`Step`, `Plan`), the update's
start, and what a pending create and a fast-mode planned create share: judging one create by
its evidence, the outputs an adopted resource gets, and removing the killed update's lock."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core import kind_named
from ..core.errors import AlicloudVersionsError
from ..core.fields import camel, snake
from ..core.journal import Record
from ..core.lifecycle import ResourceCore
from ..core.ownership import parse_time
from .evidence import judge
from .export import Export, Urn
from .locks import Lock
from .markers import is_secret, secret
from .messages import RecoveryError

__all__ = [
    "Plan",
    "Step",
    "fast_mode_requested",
    "judge_step",
    "outputs_of",
    "state_ids",
    "unlock",
    "update_start",
]


@dataclass
class Step:
    """What recovery found for one pending create, and what it does about it."""

    urn: str
    kind: str
    found: str
    action: str
    id_: str | None = None
    live: Mapping[str, Any] = field(default_factory=dict, repr=False)
    """The adopted resource's fields as the lookup saw them (outputs until the refresh)."""
    plugin: bool = False
    """Whether the plugin serves it (camelCase properties) rather than the dynamic provider."""
    resource: Mapping[str, Any] | None = field(default=None, repr=False)
    """Fast mode: the planned resource as the state gets it (inputs the plan did not know
    taken from what was found), with the provider it references."""

    @property
    def name(self) -> str:
        """The resource's name, as its URN has it (unescaped)."""
        return Urn.parse(self.urn).name


@dataclass
class Plan:
    """Every pending create of this provider, each with its step; the update's start."""

    since: float | None
    since_source: str
    steps: list[Step] = field(default_factory=list)
    locks: list[Lock] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    """Why the plan cannot be carried out; empty when it can."""
    notes: list[str] = field(default_factory=list)
    """What the user should know besides the steps (a lock recover cannot see)."""
    pending: list[str] = field(default_factory=list)
    """The URN of every pending create of this provider's that was seen, in the state's order
    (one URN twice when a second update was killed before it was recovered)."""
    fast: bool = False
    """Found from the program's plan: the killed update skipped checkpoints (see `plan_fast`)."""
    deferred: list[str] = field(default_factory=list)
    """Fast mode: the URNs of planned creates waiting for a parent a later round may find."""
    known: frozenset[str] = frozenset()
    """Fast mode: the URNs the state held when the plan was made."""
    providers: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """Fast mode: the stack and provider resources the adopted ones need, absent from the
    state (the killed update was the stack's first), as the state gets them."""
    records: list[Record] = field(default_factory=list, repr=False)
    """The create records judged (`evidence`): the killed update's, removed once carried out."""

    @property
    def adopted(self) -> dict[str, Step]:
        """The steps that import what they found, by URN."""
        return {s.urn: s for s in self.steps if s.id_}


def update_start(
    locks: Sequence[Lock], history: Sequence[Mapping[str, Any]], deployment: Mapping[str, Any]
) -> tuple[float | None, str]:
    """The earliest moment the killed update may have begun, and where that came from."""
    if locks:
        return min(lock.timestamp for lock in locks), "the lock it left"
    ends = _times(h.get("endTime") for h in history)
    if ends:
        return max(ends), "the end of the last update in the stack's history"
    created = _times(
        r.get("created") for r in deployment.get("resources") or [] if isinstance(r, dict)
    )
    if created:
        return min(created), "the oldest create time in the state"
    return None, "unknown"


def _times(values: Iterable[Any]) -> list[float]:
    """The values that parse as times, in seconds since the epoch."""
    return [t for t in map(parse_time, values) if not math.isnan(t)]


def fast_mode_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this environment runs updates in the engine's fast mode
    (``PULUMI_SKIP_CHECKPOINTS`` set to a true value, as the engine reads it)."""
    value = (os.environ if environ is None else environ).get("PULUMI_SKIP_CHECKPOINTS", "")
    return value == "1" or value.lower() == "true"  # the engine's cmdutil.IsTruthy


def state_ids(export: Export) -> set[str]:
    """The id of every resource the state holds."""
    return {str(e.raw["id"]) for e in export.resources.values() if e.raw.get("id")}


def judge_step(
    provider: ResourceCore,
    urn: str,
    inputs: Mapping[str, Any],
    records: Sequence[Record],
    result: Plan,
    state_ids: Iterable[str],
    *,
    since: float | None = None,
    hidden: Iterable[str] = (),
    fast: bool = False,
) -> Step:
    """Judge one create of `urn` by its `records` (`evidence.judge`): what was found, and the
    step that follows; what stops the recovery is added to `result.blocked`."""
    kind = provider.TYPE.replace(".", ":")
    # In fast mode there is no pending create to clear: what is not imported is left to up.
    leave = "leave" if fast else "clear"
    if not provider.findable():  # a kind that cannot be found again
        return Step(
            urn,
            kind,
            "cannot be looked up",
            f"{leave} (left behind: no API lists, reads or deletes templates; if the upload "
            "was made it stays unused, and the next up uploads the body again)",
        )
    if inputs.get("adopt_id"):
        return Step(urn, kind, f"adopt_id {inputs['adopt_id']}", f"{leave} (the next up adopts it)")
    if fast and not records:  # the killed update never sent it
        return Step(urn, kind, "no record of its create", f"{leave} (the next up creates it)")
    try:
        found = judge(
            provider, urn, inputs, records, state_ids=state_ids, since=since, hidden=hidden
        )
    except AlicloudVersionsError as exc:
        result.blocked.append(str(exc))
        return Step(urn, kind, "not looked up", "none (see below)")
    if found.problem is not None:
        result.blocked.append(found.problem)
        return Step(urn, kind, found.found, "none (see below)")
    if found.mine is None:
        return Step(urn, kind, found.found, f"{leave} (the next up creates it)")
    mine = found.mine
    return Step(urn, kind, mine.describe(), f"import {mine.id_}", mine.id_, mine.live)


def unlock(found: Plan) -> None:
    """Stop on what blocks `found`; else remove the killed update's locks, each proven stale."""
    if found.blocked:
        raise RecoveryError("nothing was changed:\n" + "\n".join(f"- {b}" for b in found.blocked))
    held = [lock for lock in found.locks if not lock.stale]
    if held:
        raise RecoveryError(
            "the stack is locked by "
            + "; ".join(f"{lock.describe()} (not removed: {lock.verdict.why})" for lock in held)
            + ". If that update is no longer running (killed, or on a lost machine), run "
            "`pulumi cancel`, then run this command again; otherwise wait for it to end"
        )
    for lock in found.locks:
        lock.remove()


def outputs_of(step: Step, inputs: Mapping[str, Any], hidden: Iterable[str] = ()) -> dict[str, Any]:
    """The outputs of an adopted resource until its refresh: `inputs` (as the state gets them)
    over what the lookup saw, each one the front doors keep secret (`secret_outputs`: the
    secret inputs, those `hidden` as secret by a plan included, and what is derived from one,
    as a package's URL from its source) a secret."""
    cls = kind_named(step.kind.replace(":", ".", 1))
    assert cls is not None  # a step is made for a kind of ours
    secrets = {snake(k) if step.plugin else k for k, v in inputs.items() if is_secret(v)}
    secrets |= {snake(k) if step.plugin else k for k in hidden}
    keep = cls().secret_outputs(secrets)
    live = {
        camel(k) if step.plugin else k: secret(v) if k in keep else v
        for k, v in step.live.items()
        if v is not None
    }
    return {**live, **inputs}
