"""Finding a kind's resources again: adopting the one ``adopt_id`` names once it matches the
inputs, and finding what a create whose answer was lost made (the ownership rule), from a record
written before the create is sent."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .calls import Calls
from .client import ATTEMPT_TIMEOUT, Session
from .errors import AdoptionError, AdoptionMismatch, Disclosure
from .journal import journal
from .ownership import Candidate, Lookup, clock_offset, made_since, parse_time

__all__ = ["Adoption"]


class Adoption(Calls):
    """Adoption (`_adopt`, `check_adoption`) and the lost-create lookup: a kind that fills in
    `lookup` is `findable`, so its creates are recorded (`_record_create`) and a retried create
    takes what its lost attempts made (`recovered`)."""

    # adoption ------------------------------------------------------------------------------

    def _adopt(self, session: Session, adopt_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The live record of `adopt_id`, once it is checked to match `inputs`."""
        live = self._live(session, adopt_id, inputs)
        self.check_adoption(adopt_id, inputs, live, self._ADOPT_MATCH, session.shown)
        assert live is not None
        return live

    def check_adoption(
        self,
        adopt_id: str,
        inputs: Mapping[str, Any],
        live: Mapping[str, Any] | None,
        compare: frozenset[str],
        shown: Disclosure,
    ) -> None:
        """Raise `AdoptionError` unless `live` exists and matches `inputs` on `compare`; the
        values of a mismatch are quoted only where `shown` allows."""
        if live is None:
            raise AdoptionError(
                f"{self.TYPE}: cannot adopt {adopt_id!r}: no such resource in this account "
                "and region"
            )
        mismatched = tuple(
            (name, inputs.get(name), live.get(name))
            for name in sorted(compare)
            if inputs.get(name) is not None and inputs.get(name) != live.get(name)
        )
        if mismatched:
            raise AdoptionMismatch(self.TYPE, adopt_id, mismatched, shown)

    # the lost-create lookup ----------------------------------------------------------------

    @classmethod
    def findable(cls) -> bool:
        """Whether a resource of this kind can be found again after a lost create answer."""
        return cls.lookup is not Adoption.lookup

    def lookup(self, _session: Session, _inputs: Mapping[str, Any]) -> Lookup:
        """Every existing resource that a create of `inputs` could have made, in one call."""
        raise NotImplementedError(f"{self.TYPE} cannot be found again once created")

    def candidates(
        self, records: Iterable[Mapping[str, Any]], inputs: Mapping[str, Any]
    ) -> tuple[Candidate, ...]:
        """The `records` that match `inputs` on every `_ADOPT_MATCH` field the inputs set."""
        return tuple(
            Candidate(str(r[self._ID_FIELD]), parse_time(r.get("create_time")), r)
            for r in records
            if r.get(self._ID_FIELD)
            and all(inputs.get(k) is None or inputs.get(k) == r.get(k) for k in self._ADOPT_MATCH)
        )

    def found(
        self, records: Iterable[Mapping[str, Any]], inputs: Mapping[str, Any], response: Any
    ) -> Lookup:
        """A `Lookup` of the matching `records` of one SDK `response` (for its ``Date``)."""
        return Lookup(
            self.candidates(records, inputs),
            clock_offset(getattr(response, "headers", None)),
        )

    def made_since(
        self, inputs: Mapping[str, Any], since: float, session: Session | None = None
    ) -> Candidate | None:
        """The one resource matching `inputs` made at or after local time `since` (the
        ownership rule of `_ownership`), None when there is none; `OwnershipError` when several
        qualify."""
        session = session or self.session(inputs)
        return made_since(
            self.lookup(session, inputs),
            since,
            target=session.target,
            operation=str(self.CREATE),
            kind=self._PLURAL,
        )

    def recovered(
        self, session: Session, inputs: Mapping[str, Any], since: float
    ) -> dict[str, Any] | None:
        """For `Session.call`'s `recover`: what the lost attempts of this create made."""
        mine = self.made_since(inputs, since, session)
        return None if mine is None else dict(mine.live)

    def _record_create(
        self, inputs: Mapping[str, Any], secret: Iterable[str], urn: str | None
    ) -> Callable[[str | None], None] | None:
        """Record, durably, a create about to be sent; the function that records its answer.
        None outside the engine, and for a kind that cannot be found again anyway."""
        found = journal()
        if found is None or not self.findable():
            return None
        now = time.time()
        # Its last attempt starts within the retry time and ends within one attempt's timeout.
        deadline = now + self.settings.max_retry_time + ATTEMPT_TIMEOUT
        declared = {k: v for k, v in inputs.items() if k in self.INPUTS}
        number = found.sent(
            self.TYPE, declared, set(secret) | self.declared_secret, urn, now, deadline
        )
        return lambda id_: found.answered(number, id_)
