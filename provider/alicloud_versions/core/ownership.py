"""The ownership rule: which resource, if any, a create whose answer was lost made.

A create is not idempotent, and an answer can be lost before or after the server applied it.
A resource found afterwards belongs to the stack only if it did not exist before the create
began: its create time, on the server's clock, is not earlier than the moment the first attempt
started. The server's clock is learnt from the ``Date`` header of the lookup's own answer, so
the fault-free path makes no extra call. ``Date`` has a resolution of one second and is stamped
before the answer leaves the server, so ``Date - local time on receipt`` is a lower bound of the
offset between the two clocks; `CLOCK_SKEW` more is allowed for a service whose create times and
``Date`` come from different hosts. Exactly one qualifying candidate is adopted; none means the
lost attempt made nothing (create again); two or more fail with every candidate listed, because
no rule can tell which one is the stack's.

`alicloud-versions recover` applies it bounded on both sides: a candidate must have been made
while a recorded create of the killed update could land (`journal`, `recover.evidence`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from .errors import OwnershipError, Target

__all__ = [
    "CLOCK_SKEW",
    "Candidate",
    "Lookup",
    "clock_offset",
    "made_since",
    "parse_time",
]

CLOCK_SKEW = 2.0
"""Seconds a candidate's create time may precede the first attempt's start and still qualify."""


@dataclass(frozen=True)
class Candidate:
    """A resource that matches a create's inputs, with its create time on the server's clock."""

    id_: str
    created: float
    """Seconds since the epoch; NaN when the server gave no create time."""
    live: Mapping[str, Any] = field(repr=False)

    def describe(self) -> str:
        if math.isnan(self.created):
            return f"{self.id_} (create time unknown)"
        stamp = datetime.fromtimestamp(self.created, timezone.utc)
        return f"{self.id_} (created {stamp.isoformat(timespec='seconds')})"


@dataclass(frozen=True)
class Lookup:
    """What one lookup call found, and the server clock's offset it implies."""

    candidates: tuple[Candidate, ...]
    offset: float = 0.0
    """Server clock minus local clock, a lower bound (0 when the answer carried no Date)."""


def parse_time(value: Any) -> float:
    """A create time as the APIs answer it (epoch milliseconds, or ISO 8601), in seconds."""
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, int | float):
        return float(value) / 1000.0
    text = str(value).strip()
    if text.isdigit():
        return int(text) / 1000.0
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return math.nan
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.timestamp()


def clock_offset(headers: Mapping[str, Any] | None, received: float | None = None) -> float:
    """A lower bound of (server clock - local clock) from an answer's ``Date`` header."""
    received = time.time() if received is None else received
    for name, value in (headers or {}).items():
        if str(name).lower() != "date":
            continue
        try:
            return parsedate_to_datetime(str(value)).timestamp() - received
        except (TypeError, ValueError):
            return 0.0
    return 0.0


def made_since(
    lookup: Lookup, since: float, *, target: Target, operation: str, kind: str
) -> Candidate | None:
    """The one candidate made at or after local time `since`; None when there is none.

    Raises `OwnershipError`, listing every candidate, when more than one qualifies.
    """
    bound = math.floor(since + lookup.offset - CLOCK_SKEW)
    mine = [c for c in lookup.candidates if not math.isnan(c.created) and c.created >= bound]
    if len(mine) <= 1:
        return mine[0] if mine else None
    raise OwnershipError(
        f"{target}: {operation}'s answer was lost, and {len(mine)} {kind} matching the inputs "
        f"were made since it began: {_listed(mine)}. None of them can be proven to be this "
        "stack's: set adopt_id to the one to adopt, or delete those that are not yours, "
        "then run the update again"
    )


def _listed(candidates: Iterable[Candidate]) -> str:
    return ", ".join(c.describe() for c in candidates)
