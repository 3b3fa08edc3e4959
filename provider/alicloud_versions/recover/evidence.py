"""recover's evidence: the creates a killed update recorded sending (`core.journal`), and which
resource found in the cloud, if any, each one made.

A found resource is the stack's only when a record of the killed update's create proves it:
the id the create's answer named, or a create time inside the window in which the create
could have landed (from just before it was sent to the end of its retry budget, on the
server's clock). A resource made before or after that window never qualifies, however well
its fields match; several in it, or a create the engine began with no record of it being
sent while a namesake exists, are listed with what would settle them and never imported.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..core.journal import Record, folder, read_records
from ..core.lifecycle import ResourceCore
from ..core.ownership import CLOCK_SKEW, Candidate

__all__ = ["Finding", "consume", "judge", "matching", "open_records", "records_of"]

# Seconds added to each side of a window: CLOCK_SKEW, and the second a Date header rounds off.
_SLACK = CLOCK_SKEW + 1.0


def records_of(project: str, stack: str, environ: Mapping[str, str] | None = None) -> list[Record]:
    """The create records of `project` that may be `stack`'s: those naming a URN of another
    stack are left out (the dynamic provider's name none)."""
    found = read_records(folder(project, os.environ if environ is None else environ))
    return [r for r in found if r.urn is None or _stack_of(r.urn) == stack]


def _stack_of(urn: str) -> str:
    return urn[len("urn:pulumi:") :].split("::", 1)[0] if urn.startswith("urn:pulumi:") else ""


def open_records(records: Iterable[Record], state_ids: Iterable[str]) -> list[Record]:
    """The records whose outcome the state does not hold: sends with no answer, and answers
    naming an id the state has no resource with."""
    ids = set(state_ids)
    return [r for r in records if not r.answered or (r.id_ is not None and r.id_ not in ids)]


def matching(
    records: Iterable[Record],
    urn: str,
    kind: str,
    inputs: Mapping[str, Any],
    hidden: Iterable[str] = (),
) -> list[Record]:
    """The records of a create of `urn`, a `kind` with `inputs` (as the core names them;
    `hidden` ones set to values not known here)."""
    return [
        r for r in records if (r.urn is None or r.urn == urn) and r.matches(kind, inputs, hidden)
    ]


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Finding:
    """What the evidence says of one create: the resource it made (`mine`), or none; `problem`
    when it cannot be told, saying what would settle it."""

    found: str
    mine: Candidate | None = None
    problem: str | None = None


def judge(
    provider: ResourceCore,
    urn: str,
    inputs: Mapping[str, Any],
    records: Sequence[Record],
    *,
    state_ids: Iterable[str] = (),
    since: float | None = None,
    hidden: Iterable[str] = (),
) -> Finding:
    """Look up what a create of `inputs` could have made and judge it by its `records` (those
    `matching` it). Without a record, a candidate made since `since` (the update's start) makes
    it ambiguous (any candidate, without `since`); none means nothing to adopt."""
    lookup = provider.lookup(provider.session(inputs), inputs)
    taken = set(state_ids)
    candidates = [c for c in lookup.candidates if c.id_ not in taken]
    if not records:
        bound = -math.inf if since is None else math.floor(since + lookup.offset - CLOCK_SKEW)
        recent = [c for c in candidates if math.isnan(c.created) or c.created >= bound]
        if not recent:
            return Finding("nothing made since the update began")
        listed = ", ".join(c.describe() for c in recent)
        return Finding(
            "no record of its create being sent",
            problem=(
                f"{urn}: matching {provider.TYPE} made since the update began: {listed}; but no "
                "record proves the killed update sent its create (the provider records each "
                "create in its user's state folder, on the machine that ran it). If one is the "
                "stack's, set "
                "adopt_id to its id and run `pulumi refresh --clear-pending-creates`, then "
                "`pulumi up`; if none is, run `pulumi refresh --clear-pending-creates`"
            ),
        )
    ids = {r.id_ for r in records if r.id_}
    windows = [(r.sent, r.deadline) for r in records if not r.answered]
    offset = lookup.offset

    def landed(c: Candidate) -> bool:
        return not math.isnan(c.created) and any(
            lo + offset - _SLACK <= c.created <= hi + offset + _SLACK for lo, hi in windows
        )

    mine = [c for c in candidates if c.id_ in ids or landed(c)]
    span = "; ".join(
        f"answered {r.id_}"
        if r.id_
        else f"sent {_when(r.sent)}, could land until {_when(r.deadline)}"
        for r in records
        if r.id_ or not r.answered
    )
    if len(mine) == 1:
        return Finding(mine[0].describe(), mine[0])
    undated = [c for c in candidates if math.isnan(c.created)]
    if not mine and windows and undated and not provider.DATED:
        # Its listings give no create time (an association): one that exists may be what the
        # unanswered create made, or not; nothing proves either, so it is listed, not taken.
        listed = ", ".join(c.describe() for c in undated)
        return Finding(
            "no create time",
            problem=(
                f"{urn}: {provider.TYPE} {listed} exists and the killed update's create of it "
                f"was sent ({span}) with no answer; no create time tells whether it made it: "
                "if it is the stack's, run `pulumi refresh --clear-pending-creates`, then "
                f"`pulumi import` it by that id; if not, run `pulumi refresh "
                "--clear-pending-creates`"
            ),
        )
    if not mine:
        return Finding(f"nothing made by its create ({span or 'answered: nothing made'})")
    listed = ", ".join(c.describe() for c in mine)
    return Finding(
        "several candidates",
        problem=(
            f"{urn}: {len(mine)} {provider.TYPE} matching its inputs were made while the killed "
            f"update's create could land ({span}): {listed}. None can be proven the stack's: "
            "set adopt_id to the one to adopt, or delete those that are not yours, then run "
            "this command again"
        ),
    )


def consume(records: Iterable[Record]) -> None:
    """Remove the files holding `records`, once recover has settled what they record."""
    for path in {r.path for r in records}:
        Path(path).unlink(missing_ok=True)
