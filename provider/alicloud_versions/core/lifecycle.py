"""The resources' behaviour over plain values: check, diff and the lifecycle, from each kind's
declared inputs and outputs (`fields`).

Nothing here knows Pulumi. Both front doors (`dynamic`, `plugin`) hand it top-level values with
secrets unwrapped and anything not yet known replaced by `UNKNOWN`, and translate what it
answers into their own protocol.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from .client import ATTEMPT_TIMEOUT, PAGE_SIZE, Session, paged, preload
from .config import INPUT_REGION, ConfigSource, Service, Settings, resolve_settings
from .errors import (
    AdoptionError,
    AdoptionMismatch,
    ApiError,
    Disclosure,
    InUseError,
    Target,
    TransientError,
)
from .fields import Input, Output
from .journal import journal
from .operations import Operation
from .ownership import Candidate, Lookup, clock_offset, made_since, parse_time

__all__ = [
    "UNKNOWN",
    "Diff",
    "Read",
    "ResourceCore",
    "Secrets",
    "is_unknown",
]


class _Unknown:
    """The type of `UNKNOWN`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""A value not known until the update runs (a computed input, in a preview)."""


def is_unknown(value: Any) -> bool:
    """Whether `value` is not known until the update runs."""
    return value is UNKNOWN


@dataclass(frozen=True)
class Diff:
    """What a change of inputs does: whether anything changes, which inputs replace."""

    changes: bool
    replaces: list[str]
    stables: list[str]
    delete_before_replace: bool | None
    """Whether a replacement deletes the old resource first; None when nothing replaces."""


@dataclass(frozen=True)
class Read:
    """What a read found: a blank `id` when the resource is gone; `inputs` None when the state's
    inputs stand as they are."""

    id: str
    outs: dict[str, Any]
    inputs: dict[str, Any] | None = None


Secrets = Iterable[str] | Disclosure
"""What a front door knows of which inputs are secret: their names, or a whole `Disclosure`."""


class ResourceCore:
    """A resource kind: its declaration, check and diff derived from it, and its lifecycle.

    A subclass declares what the kind is (`TYPE`, `DESCRIPTION`, `INPUTS`, `OUTPUTS`, its
    operations and the codes that prove it gone) and fills in the hooks of the lifecycle
    (`_made`, `_get`, `_items`, `lookup`). Which inputs replace, which never diff, which a read
    cannot see, which each operation sends, all follow from `INPUTS`. The instance holds
    nothing but the settings `configure_settings` resolved, in the provider process, and the ids
    of the stack's resources the engine has named to it (`seen`), neither of which is ever
    serialized.
    """

    TYPE: ClassVar[str]
    """``module.Name``: ``webplus.Application``."""
    DESCRIPTION: ClassVar[str]
    INPUTS: ClassVar[Mapping[str, Input]]
    OUTPUTS: ClassVar[Mapping[str, Output]]
    """The outputs that are not inputs (every input is an output too)."""
    IMPORT_ID: ClassVar[str] = ""
    """What `pulumi import` takes as the id, when it is not the resource's id."""
    _SERVICE: ClassVar[Service]
    _NAME_FIELD: ClassVar[str | None] = None
    # The output that holds the resource's id; it never changes in an update.
    _ID_FIELD: ClassVar[str]
    # What adoption (and the ownership rule) compares with an existing resource.
    _ADOPT_MATCH: ClassVar[frozenset[str]] = frozenset()
    CREATE: ClassVar[Operation | None] = None
    """The operation that makes one (it sends the create inputs, `Sends.CREATE`)."""
    READ: ClassVar[Operation | None] = None
    """The operation that reads one."""
    LIST: ClassVar[Operation | None] = None
    """The operation that lists them (to find one again, and for ``sweep``)."""
    UPDATE: ClassVar[Operation | None] = None
    """The operation that updates one in place, with its id (`Sends.UPDATE`)."""
    DELETE: ClassVar[Operation | None] = None
    """The operation that deletes one, by its id."""
    USERS: ClassVar[Operation | None] = None
    """The operation that lists what uses one, asked before a delete (`_users`)."""
    # What the resources are called in messages.
    _PLURAL: ClassVar[str] = "resources"
    # The error codes that prove a resource of this kind gone, each with where it is
    # documented; no other answer does (a bare 404, a gateway's InvalidAction.NotFound...).
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {}
    # Codes that mean "gone" or "not allowed" alike, with their source: believed only when a
    # listing that succeeds shows the resource absent (`_absent`).
    _AMBIGUOUS: ClassVar[Mapping[str, str]] = {}

    # Derived from INPUTS and OUTPUTS (`__init_subclass__`).
    _REPLACES: ClassVar[frozenset[str]] = frozenset()
    _CREATE_ONLY: ClassVar[frozenset[str]] = frozenset()
    _KEEP_ON_READ: ClassVar[frozenset[str]] = frozenset()
    _KEEP_WHEN_OMITTED: ClassVar[frozenset[str]] = frozenset()
    _LOCAL: ClassVar[frozenset[str]] = frozenset()
    # What to do when a delete finds the resource in use (`_users`).
    _IN_USE_HINT: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        inputs = cls.__dict__.get("INPUTS")
        if inputs is None:
            return
        cls._REPLACES = frozenset(n for n, i in inputs.items() if i.replaces)
        cls._CREATE_ONLY = frozenset(n for n, i in inputs.items() if i.create_only)
        cls._KEEP_ON_READ = frozenset(n for n, i in inputs.items() if i.unreadable)
        cls._KEEP_WHEN_OMITTED = frozenset(n for n, i in inputs.items() if i.kept_when_omitted)
        cls._LOCAL = frozenset(n for n, i in inputs.items() if i.local)
        cls.declared_secret = frozenset(n for n, i in inputs.items() if i.secret)

    declared_secret: ClassVar[frozenset[str]] = frozenset()
    """The inputs the declaration makes secret."""

    def secret_outputs(self, secret_inputs: Iterable[str]) -> frozenset[str]:
        """The outputs that must be secret when `secret_inputs` are: those inputs (each input is
        an output too), the inputs declared secret, and every output derived from one of them."""
        secret = set(secret_inputs) | self.declared_secret
        derived = {n for n, o in self.OUTPUTS.items() if secret & set(o.derived_from)}
        return frozenset(secret | derived)

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
        # The first call after configure (a Check; in a destroy, a Delete) would import the
        # SDK; start that now, while the engine is busy elsewhere.
        threading.Thread(
            target=preload, args=(self._SERVICE,), name="preload-sdk", daemon=True
        ).start()

    @property
    def settings(self) -> Settings:
        """The configured settings, or (outside the engine) those of the environment alone."""
        found: Settings | None = self.__dict__.get("_settings")
        if found is None:
            found = resolve_settings()
            self._settings = found
        return found

    def disclosure(self, secret: Secrets = ()) -> Disclosure:
        """Which inputs' values messages may quote, given what the front door knows of
        `secret`: never a declared secret's."""
        shown = secret if isinstance(secret, Disclosure) else Disclosure(frozenset(secret))
        return shown.hiding(self.declared_secret)

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

    # check ---------------------------------------------------------------------------------

    def check_inputs(
        self,
        news: Mapping[str, Any],
        secret: Secrets = (),
        olds: Mapping[str, Any] | None = None,
    ) -> list[tuple[str, str]]:
        """Every problem with every input as (property, reason); unknowns pass. A reason quotes
        a value only where `secret` allows, and suggests a near miss only for an input not
        known to be secret. `olds`, the state's inputs, holds what `pulumi import` recorded
        for an input the API does not give back (`Input.imported_as`): that value passes while
        it stays as it is and nothing replaces the resource."""
        shown = self.disclosure(secret)
        failures: list[tuple[str, str]] = []
        for name in sorted(news):
            # An output's name may come as a placeholder input (the dynamic front door's
            # derived-secret marker), never with a value to check.
            if name not in self.INPUTS and name not in self.OUTPUTS:
                failures.append((name, f"{name} is not an input of {self.TYPE}"))
        for name, field in self.INPUTS.items():
            value = news.get(name)
            if value is None:
                if field.required_always:
                    failures.append((name, f"{name} is required"))
                elif field.required and not news.get("adopt_id"):
                    failures.append((name, f"{name} is required (unless adopt_id is set)"))
                continue
            if is_unknown(value):
                continue
            hint = name not in shown.secret
            problems = field.problems(value, show=shown.shows(name), hint=hint)
            if problems and self._stand_in(name, value, olds or {}):
                replaces = self.diff_inputs(olds or {}, news).replaces
                if not replaces:
                    continue
                problems = [
                    f"holds what `pulumi import` recorded for it (the {field.imported_as}: the "
                    f"API gives back no {name}), and changing {', '.join(replaces)} replaces "
                    f"the resource, making a new one from {name}: set it to the value to make it "
                    f"from, which " + "; ".join(problems)
                ]
            for why in problems:
                failures.append((name, f"{name} {why}"))
        return failures

    def _stand_in(self, name: str, value: Any, olds: Mapping[str, Any]) -> bool:
        """Whether `value` of input `name`, which fails its rules, is what `pulumi import`
        recorded for it (`Input.imported_as`) and `olds` still holds."""
        field = self.INPUTS[name]
        return field.imported_as is not None and olds.get(name) == value

    # diff ----------------------------------------------------------------------------------

    def _value(self, props: Mapping[str, Any], name: str) -> Any:
        value = props.get(name)
        return self.INPUTS[name].default if value is None else value

    def known_olds(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        """`olds` with the program's value for each input the state cannot know: a required
        one missing (not given back when the resource was imported by an older version) or
        one holding what `pulumi import` recorded in its place (`Input.imported_as`: a value
        that fails the input's rules). The API cannot say otherwise, so it is no change."""
        known = dict(olds)
        for name, field in self.INPUTS.items():
            new, old = news.get(name), olds.get(name)
            if new is None or is_unknown(new):
                continue
            if (old is None and field.required) or (
                field.imported_as is not None and old is not None and field.problems(old)
            ):
                known[name] = new
        return known

    def changed(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """Inputs whose value differs (an unknown new value counts as a change); an input the
        state cannot know takes the program's value (`known_olds`)."""
        olds = self.known_olds(olds, news)
        out = []
        for name in self.INPUTS:
            if name in self._CREATE_ONLY:
                continue
            if name in self._KEEP_WHEN_OMITTED and news.get(name) is None:
                continue
            new = self._value(news, name)
            if is_unknown(new) or self._value(olds, name) != new:
                out.append(name)
        return out

    def diff_inputs(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        """Exactly the changed inputs; those in `_REPLACES` replace. Makes no API call."""
        changed = self.changed(olds, news)
        replaces = [name for name in changed if name in self._REPLACES]
        return Diff(
            changes=bool(changed),
            replaces=replaces,
            stables=sorted(self._REPLACES - set(changed)),
            delete_before_replace=self._delete_before_replace(olds, news) if replaces else None,
        )

    def _delete_before_replace(self, _olds: Mapping[str, Any], _news: Mapping[str, Any]) -> bool:
        """Whether a replacement must delete the old resource first; create first by default."""
        return False

    # outputs -------------------------------------------------------------------------------

    def written(self, before: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The record `before` as a create or update of `inputs` leaves it: the inputs given,
        the server's default for an omitted input that has one, the rest as it was."""
        after = dict(before)
        after.update(
            {
                name: field.default
                for name, field in self.INPUTS.items()
                if field.default is not None
            }
        )
        after.update({k: v for k, v in inputs.items() if v is not None})
        return after

    def outputs(
        self, live: Mapping[str, Any], props: Mapping[str, Any], keep: frozenset[str] | None = None
    ) -> dict[str, Any]:
        """The live record overlaid with the inputs in `keep` (all inputs by default) as given."""
        outs = dict(live)
        for name in self.INPUTS if keep is None else keep:
            value = props.get(name)
            if value is not None:
                outs[name] = value
        return outs

    def update_outputs(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
        """The outputs after an update of `olds` (outputs) to `news` (inputs)."""
        return self.outputs(self.written(olds, news), news)

    def refreshed(self, id_: str, live: Mapping[str, Any] | None, props: Mapping[str, Any]) -> Read:
        """What read reports: the live outputs and the inputs they imply, or gone (blank id).

        Read sees the old outputs (`props`), never the old inputs, and outputs hold the server's
        default for an input left out (``active: true``), so which inputs the user set is not
        known here. Hence: when no input's live value differs from its old output, no inputs are
        answered and the engine keeps the state's as they are; otherwise an input is answered
        when it drifted or its live value is not the field's declared server default. A server
        default the user left out then stays out of the state's inputs (no ``+active`` on
        refresh, no ``- active: true`` in the next preview); one the user set explicitly and
        that did not drift is dropped too, which only shows when another input of that resource
        drifted.
        """
        if live is None:
            return Read("", {})
        outs = self.outputs(live, props, self._KEEP_ON_READ)
        drifted = {k for k in self.INPUTS if outs.get(k) != props.get(k)}
        if not drifted:
            return Read(id_, outs)
        inputs = {
            k: outs[k]
            for k, field in self.INPUTS.items()
            if outs.get(k) is not None and (k in drifted or outs[k] != field.default)
        }
        return Read(id_, outs, inputs)

    # lifecycle -----------------------------------------------------------------------------

    def create_resource(
        self, inputs: Mapping[str, Any], secret: Secrets = (), urn: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Create the resource, or adopt ``adopt_id``; a retried create adopts its own work.
        Answers the id and the outputs. No message shows a value `secret` hides. A create of a
        kind that can be found again is recorded (`journal`) before it is sent, with the
        resource's `urn` when the front door knows it, and its answer after."""
        session = self.session(inputs, secret=secret)
        adopt_id = inputs.get("adopt_id")
        if adopt_id:
            live = self._adopt(session.about(id_=adopt_id), adopt_id, inputs)
            self.seen(adopt_id)
            return adopt_id, self.outputs(live, inputs)

        def recover(once: Session, since: float) -> dict[str, Any] | None:
            return self.recovered(once, inputs, since)

        create = self._operation(self.CREATE, "has no create")
        record = self._record_create(inputs, self.disclosure(secret).secret, urn)
        try:
            made = session.call(
                create,
                self.request(create, session, inputs),
                answer=self._made,
                recover=recover if self.findable() else None,
            )
        except ApiError as exc:
            if record is not None and not isinstance(exc, TransientError):
                record(None)  # the service answered, and made nothing
            clearer = self._create_failed(session, inputs, exc)
            if clearer is None:
                raise
            raise clearer from None
        id_ = str(made[self._ID_FIELD])
        self.seen(id_)
        if record is not None:
            record(id_)
        return id_, self.outputs(self._created(made, inputs), inputs)

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

    def read_resource(self, id_: str, state: Mapping[str, Any], secret: Secrets = ()) -> Read:
        """The live resource; a blank id only when an answer proves it gone (`_gone`)."""
        session = self.session(state, id_=id_, secret=secret)
        self.seen(id_)
        return self.refreshed(id_, self._live(session, id_, state), state)

    def update_resource(
        self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], secret: Secrets = ()
    ) -> dict[str, Any]:
        """Apply `news` in place; answers the outputs. The id stays. A change of local inputs
        only (``force_delete``) calls no API."""
        self.seen(id_)
        if set(self.changed(olds, news)) - self._LOCAL:
            self._update_call(self.session(news, id_=id_, secret=secret), id_, news)
        return self.update_outputs(olds, news)

    def delete_resource(self, id_: str, state: Mapping[str, Any], secret: Secrets = ()) -> None:
        """Delete the resource; one already gone is success, under the same rule as read. A
        kind that can be in use is first checked for users (`_users`), unless ``force_delete``:
        any fails the delete before it changes anything."""
        session = self.session(state, id_=id_, secret=secret)
        if "force_delete" in self.INPUTS and not state.get("force_delete"):
            users = self._users(session, id_, state)
            if users:
                raise InUseError(
                    f"{session.target}: cannot delete: in use by {', '.join(users)}. "
                    f"{self._IN_USE_HINT}; or, to delete it anyway, set force_delete to true "
                    "and run `pulumi up` (it changes nothing else) before the update or destroy "
                    "that deletes it"
                )
        delete = self._operation(self.DELETE, "has no delete")
        try:
            session.call(delete, self.request(delete, session, None, **{self._ID_FIELD: id_}))
        except ApiError as exc:
            if not self._gone(session, exc, id_, state):
                raise
        self.__dict__.get("_held", {}).pop(id_, None)

    def read_imported(self, import_id: str) -> Read:
        """The resource `pulumi import` names by `import_id`, with no state to go by."""
        session = self.session({}, id_=import_id)
        self.seen(import_id)
        return self.imported(import_id, self._live(session, import_id, {}))

    def imported(self, id_: str, live: Mapping[str, Any] | None) -> Read:
        """What `pulumi import` records of the live resource `id_`: its outputs, and as inputs
        those the API gives back, which pass check, so that the code the engine generates from
        them passes too and previews unchanged. An input the API does not give back stands as
        its declared output (`Input.imported_as`), or is needless once ``adopt_id`` names the
        resource (`Input.unless_adopted`); an optional one the API answers blank is left out,
        as a program leaves it."""
        if live is None:
            return Read("", {})
        found = dict(live)
        for name, field in self.INPUTS.items():
            if field.imported_as is not None and found.get(field.imported_as) is not None:
                found[name] = found[field.imported_as]
        if any(field.unless_adopted for field in self.INPUTS.values()):
            found["adopt_id"] = id_
        blank = {
            k
            for k, v in found.items()
            if k in self.INPUTS
            and not self.INPUTS[k].required
            and isinstance(v, str)
            and not v.strip()
        }
        read = self.refreshed(id_, {k: v for k, v in found.items() if k not in blank}, {})
        return Read(read.id, read.outs, read.inputs or {})

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

    # hooks ---------------------------------------------------------------------------------

    def _made(self, response: Any) -> dict[str, Any]:
        """The new record (its id at least) in the `CREATE` response."""
        return {self._ID_FIELD: getattr(response.body, self._ID_FIELD)}

    def _items(self, response: Any) -> list[Any]:
        """The SDK models a `LIST` (or a listing `READ`) response holds."""
        raise NotImplementedError(f"{self.TYPE} cannot be listed")

    def _created(self, made: Mapping[str, Any], _inputs: Mapping[str, Any]) -> Mapping[str, Any]:
        """The record a create leaves, from what its call answered."""
        return made

    def _create_failed(
        self, _session: Session, _inputs: Mapping[str, Any], _exc: ApiError
    ) -> Exception | None:
        """A clearer error for a failed create, or None to raise the API's as it is."""
        return None

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

    def _adopt(self, session: Session, adopt_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The live record of `adopt_id`, once it is checked to match `inputs`."""
        live = self._live(session, adopt_id, inputs)
        self.check_adoption(adopt_id, inputs, live, self._ADOPT_MATCH, session.shown)
        assert live is not None
        return live

    def _update_call(self, session: Session, id_: str, inputs: Mapping[str, Any]) -> None:
        """Apply `inputs` to `id_` in place, in one `UPDATE`."""
        update = self._operation(self.UPDATE, "has no update: every input replaces")
        session.call(update, self.request(update, session, inputs, **{self._ID_FIELD: id_}))

    def _users(self, session: Session, id_: str, state: Mapping[str, Any]) -> list[str]:
        """What still uses `id_`, each described for a message; API errors are raised."""
        return []

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

    # ownership -----------------------------------------------------------------------------

    @classmethod
    def findable(cls) -> bool:
        """Whether a resource of this kind can be found again after a lost create answer."""
        return cls.lookup is not ResourceCore.lookup

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

    # adoption ------------------------------------------------------------------------------

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
