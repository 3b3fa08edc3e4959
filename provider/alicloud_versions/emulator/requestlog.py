"""The request log: what the emulator was asked and answered, never a secret."""

from __future__ import annotations

import threading
from collections import Counter, deque
from typing import Any

# Enough for every test run and a load test; older entries fall off, the counts stay exact.
_LOG_LIMIT = 100_000


class RequestLog:
    """What the emulator was asked, without secrets, signatures or Authorization headers, and
    which actions are being handled right now (``in_flight``: arrived, not yet answered)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=_LOG_LIMIT)
        self._counts: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()

    def arrived(self, action: str | None) -> None:
        """Count a call as in flight until its entry is added."""
        with self._lock:
            self._in_flight[action or ""] += 1

    def add(self, entry: dict[str, Any]) -> None:
        """Record an answered call (its action no longer in flight)."""
        with self._lock:
            self._entries.append(entry)
            if entry["action"]:
                self._counts[entry["action"]] += 1
            self._in_flight[entry["action"] or ""] -= 1

    def snapshot(self) -> dict[str, Any]:
        """The entries, counts per action and calls in flight, as the control answers them."""
        with self._lock:
            return {
                "requests": list(self._entries),
                "counts": dict(self._counts),
                "in_flight": {a: n for a, n in self._in_flight.items() if a and n > 0},
            }

    def clear(self) -> None:
        """Forget the entries and counts (calls in flight stay counted)."""
        with self._lock:
            self._entries.clear()
            self._counts.clear()
