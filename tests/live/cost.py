"""What a live run costs: the API calls it made and the resources it made and left."""

from __future__ import annotations

from collections import Counter

from tests.live.target import CallLog
from tests.support.stacks import Events

APPLICATION, PKG_VERSION, TEMPLATE, PRODUCT, PRODUCT_VERSION = (
    "webplus:Application",
    "webplus:PkgVersion",
    "servicecatalog:Template",
    "servicecatalog:Product",
    "servicecatalog:ProductVersion",
)
_CREATES = frozenset({"create", "create-replacement"})
_READS = frozenset({"refresh", "read", "import"})
_DELETES = frozenset({"delete", "delete-replaced"})


def kind_of(type_token: str) -> str:
    """``webplus:PkgVersion`` for the dynamic provider's type token and the plugin's alike."""
    return type_token.rsplit("/", 1)[-1].removeprefix("alicloud-versions:")


def provider_calls(kind: str, op: str) -> int:
    """The API calls the provider makes for one engine step on one resource, at the budget it
    is held to (tests/contract/test_call_budget.py, bench/): one a create, update or read; a
    version's delete first asks what uses it (one page; the live stack has one version per
    parent, so no delete shares another's listing); a template has no read or delete API.
    Steps that call nothing (same, the replace marker) cost nothing."""
    if op in _CREATES or op == "update":
        return 1
    if op in _READS:
        return 0 if kind == TEMPLATE else 1
    if op in _DELETES:
        return {TEMPLATE: 0, PKG_VERSION: 2, PRODUCT_VERSION: 2}.get(kind, 1)
    return 0


class Ledger:
    """The cost of one run: the suite's own calls (counted on the client), the provider's
    (from the engine's steps), and the resources made, kind by kind."""

    def __init__(self) -> None:
        self.suite = CallLog()
        self.provider: Counter[str] = Counter()
        self.made: Counter[str] = Counter()
        self.left: list[str] = []

    def engine(self, events: Events) -> None:
        """Account for the steps of one engine operation (up, refresh, destroy)."""
        for step in events.steps():
            self.step(kind_of(step.type), step.op.value)

    def step(self, kind: str, op: str) -> None:
        self.provider[kind] += provider_calls(kind, op)
        if op in _CREATES:
            self.made[kind] += 1

    def report(self) -> list[str]:
        """The lines the run prints."""
        suite = sum(self.suite.calls.values())
        provider = sum(self.provider.values())
        made = sum(self.made.values())
        lines = [
            f"API calls: {suite + provider} ({provider} by the provider, counted from the "
            f"engine's steps at its call budget; {suite} by the suite's own SDK clients)",
            "  provider: " + _each(self.provider),
            "  suite:    " + _each(self.suite.calls),
            f"resources made: {made} ({_each(self.made)})",
        ]
        lines += [f"left behind: {what}" for what in self.left] or ["left behind: nothing"]
        return lines


def _each(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()) if n) or "none"
