"""A resource kind's calls: its settings and sessions, the SDK requests its declared operations
send, and reading one, gone only on evidence."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .client import PAGE_SIZE, Session, paged, preload, record
from .config import INPUT_REGION, ConfigSource, Settings, resolve_settings
from .errors import ApiError, Target
from .kind import Kind, Secrets
from .operations import Operation

__all__ = ["Calls"]


class Calls(Kind):
    """What a kind's calls stand on: the settings `configure_settings` resolved, a `Session` per
    provider call, the request of each declared operation, listings, and the read hooks (`_get`,
    `_items`, `_absent`) with the rule that believes a resource gone (`_gone`)."""

    def __init__(self, settings: Settings | None = None) -> None:
        """A kind whose calls use `settings`, else those `configure_settings` resolves."""
        if settings is not None:
            self._settings = settings

    # the stack's resources -----------------------------------------------------------------

    def seen(self, id_: str, name: str | None = None) -> None:
        """Note that a resource of the stack holds `id_` (named `name`, when the front door
        knows it). Only the engine's calls teach this: a provider process serves one stack's
        deployment, and the engine sends it only that stack's ids."""
        if not id_:
            return
        held: dict[str, str | None] = self.__dict__.setdefault("_held", {})
        held[id_] = name or held.get(id_)

    def holder(self, id_: str) -> tuple[bool, str | None]:
        """Whether a resource of the stack is known to hold `id_`, and its name if known. False
        proves nothing: the engine may not have named that resource to this process yet."""
        held: dict[str, str | None] = self.__dict__.get("_held", {})
        return id_ in held, held.get(id_)

    # settings ------------------------------------------------------------------------------

    def configure_settings(self, config: ConfigSource) -> None:
        """Resolve settings from `config` and the environment, once per provider process."""
        self._settings = resolve_settings(config)

    def expect_calls(self) -> None:
        """Start importing the service's SDK off the request path (`client.preload`): the
        front doors call this when the engine announces a change, a check of a resource the
        state does not hold (a create to come) or a diff that finds one, and not before, since
        a preview or up of unchanged resources makes no call. A refresh or destroy, whose first
        request is itself a call, imports it there."""
        preload(self._SERVICE)

    @property
    def settings(self) -> Settings:
        """The configured settings, or (outside the engine) those of the environment alone."""
        found: Settings | None = self.__dict__.get("_settings")
        if found is None:
            found = resolve_settings()
            self._settings = found
        return found

    def session(
        self, props: Mapping[str, Any], *, id_: str | None = None, secret: Secrets = ()
    ) -> Session:
        """A session for one provider call on the resource `props` describe; its messages
        quote no value `secret` hides (the resource's name included)."""
        settings = self.settings
        shown = self.disclosure(secret)
        name = props.get(self._NAME_FIELD) if self._NAME_FIELD else None
        if not (isinstance(name, str) and self._NAME_FIELD and shown.shows(self._NAME_FIELD)):
            name = None
        return Session(
            settings=settings,
            service=self._SERVICE,
            region=settings.region_for(props.get(INPUT_REGION)),
            target=Target(self.TYPE, name, id_ or None),
            shown=shown,
            # An id is never secret in Pulumi: what adopt_id names may be echoed.
            hidden=shown.hidden(
                {k: v for k, v in props.items() if k in self.INPUTS and k != "adopt_id"}
            ),
        )

    # requests ------------------------------------------------------------------------------

    def _operation(self, operation: Operation | None, missing: str) -> Operation:
        """`operation`, declared; a kind without it is a bug in the caller."""
        if operation is None:
            raise NotImplementedError(f"{self.TYPE} {missing}")
        return operation

    def request(
        self,
        operation: Operation,
        session: Session,
        inputs: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Any:
        """The SDK request of `operation`: the `inputs` it sends (`Operation.sends`; an omitted
        one as its declared default, unless it is kept when omitted), the session's region when
        the service asks for it, and `fields` (ids, filters, pages)."""
        inputs = inputs or {}
        sent = {
            name: inputs.get(name)
            if self.INPUTS[name].kept_when_omitted
            else self._value(inputs, name)
            for name in operation.sends.fields(self.INPUTS)
        }
        if operation.regional:
            sent["region_id"] = session.region
        return operation.request(**sent, **fields)

    def listed(self, session: Session, **fields: Any) -> tuple[list[Any], Any]:
        """One `LIST` call with `fields`: the SDK models it answers, and the response (whose
        ``Date`` a lookup reads)."""
        listing = self._operation(self.LIST, "cannot be listed")
        response = session.call(listing, self.request(listing, session, **fields))
        return self._items(response), response

    def every(self, session: Session, **fields: Any) -> Iterator[Any]:
        """Every SDK model a paged `LIST` with `fields` answers, a page asked for at a time."""
        return paged(
            lambda number: self.listed(session, page_size=PAGE_SIZE, page_number=number, **fields)[
                0
            ]
        )

    def listed_under(
        self, session: Session, field: str, parent_id: str
    ) -> list[dict[str, Any]] | None:
        """Every record of this kind whose input `field` holds `parent_id` (how ``sweep`` finds
        a family); None when no listing of this kind tells. By default the paged `LIST`
        filtered on `field`."""
        if self.LIST is None or field not in self.INPUTS:
            return None
        return [record(m) for m in self.every(session, **{field: parent_id})]

    # reading one ---------------------------------------------------------------------------

    def _items(self, response: Any) -> list[Any]:
        """The SDK models a `LIST` (or a listing `READ`) response holds."""
        raise NotImplementedError(f"{self.TYPE} cannot be listed")

    def _get(self, session: Session, id_: str, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """The live record of `id_` (`state` holds the inputs or old outputs); None only when a
        call that succeeded shows it absent. API errors are raised as they are."""
        raise NotImplementedError(f"{self.TYPE} cannot be read")

    def _live(self, session: Session, id_: str, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """`_get`, with None also for an error that proves the resource gone (`_gone`)."""
        try:
            return self._get(session, id_, state)
        except ApiError as exc:
            if not self._gone(session, exc, id_, state):
                raise
            return None

    def _gone(self, session: Session, exc: ApiError, id_: str, state: Mapping[str, Any]) -> bool:
        """Whether `exc`, answered to a call about `id_`, proves the resource gone: one of the
        kind's `_NOT_FOUND` codes, or an `_AMBIGUOUS` one that a listing confirms."""
        if exc.code in self._NOT_FOUND:
            return True
        if exc.code not in self._AMBIGUOUS:
            return False
        try:
            return self._absent(session, id_, state)
        except ApiError:
            return False  # the confirmation failed too: nothing is proven

    def _absent(self, _session: Session, _id: str, _state: Mapping[str, Any]) -> bool:
        """Whether a listing that succeeds shows `id_` absent; False when none can tell."""
        return False
