"""What every provider shares: declared input fields, check and diff derived from them, settings."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    DiffResult,
    ReadResult,
    ResourceProvider,
)
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN, is_rpc_secret, unwrap_rpc_secret

from ._client import Session, preload
from ._config import Service, Settings, resolve_settings
from ._errors import AdoptionError, Target, install_traceback_filter
from ._ownership import Candidate, Lookup, clock_offset, made_since, parse_time
from ._validate import Rule, is_bool, is_str, length, matches, not_blank, quote, region

__all__ = [
    "ADOPT_ID",
    "BOOL",
    "PROVIDER_KEY",
    "REGION",
    "UNKNOWN",
    "BaseProvider",
    "Field",
    "is_unknown",
    "plain",
    "resource_props",
    "text_field",
]

PROVIDER_KEY = "__provider"


@dataclass(frozen=True)
class Field:
    """One input property: whether it is required, its rules, and the server's default."""

    required: bool = False
    rules: tuple[Rule, ...] = (is_str,)
    default: Any = None
    """The value the server uses when the input is omitted; diff treats omission as it."""

    def problems(self, value: Any) -> list[str]:
        """Every reason `value` is invalid; type first, since later rules assume the type."""
        first = self.rules[0](value) if self.rules else None
        if first is not None:
            return [first]
        return [reason for rule in self.rules[1:] if (reason := rule(value)) is not None]


REGION = Field(rules=(is_str, region))
ADOPT_ID = Field(rules=(is_str, length(1, 256), matches(r"\S+", "an id without spaces")))
BOOL = Field(rules=(is_bool,))


def is_unknown(value: Any) -> bool:
    """Whether `value` is not known until the update runs (preview of a computed input).

    The dynamic provider host turns the engine's unknown sentinel (`rpc.UNKNOWN`) into a
    `pulumi.output.Unknown` in check and diff; the raw sentinel string is accepted too.
    """
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def resource_props(args: Any, outputs: Iterable[str]) -> dict[str, Any]:
    """A resource's props: every field of its args dataclass as given, then its outputs unset
    (the engine fills in what the provider answers)."""
    props = {f.name: getattr(args, f.name) for f in dataclasses.fields(args)}
    return {**props, **dict.fromkeys(outputs)}


def plain(props: Mapping[str, Any]) -> dict[str, Any]:
    """Top-level property values with secret wrappers removed, for validation and API calls."""
    return {k: unwrap_rpc_secret(v) for k, v in props.items() if k != PROVIDER_KEY}


class BaseProvider(ResourceProvider):
    """A provider whose check and diff follow from its declared fields.

    Subclasses declare `_FIELDS` (every input), `_REPLACES` (inputs whose change replaces the
    resource), and `_CREATE_ONLY` (inputs read only by create, such as ``adopt_id``, which never
    cause a diff). The instance holds nothing but what `configure` resolved in the provider
    process, which `__getstate__` drops so that it never reaches the serialized provider.
    """

    # Nothing secret is ever captured by the provider object, so the blob need not be a secret.
    serialize_as_secret_always = False

    _TYPE: ClassVar[str]
    _SERVICE: ClassVar[Service]
    _FIELDS: ClassVar[Mapping[str, Field]]
    _REPLACES: ClassVar[frozenset[str]]
    _CREATE_ONLY: ClassVar[frozenset[str]] = frozenset({"adopt_id"})
    _NAME_FIELD: ClassVar[str | None] = None
    # The output that holds the resource's id; it never changes in an update.
    _ID_FIELD: ClassVar[str]
    # What adoption (and the ownership rule) compares with an existing resource.
    _ADOPT_MATCH: ClassVar[frozenset[str]] = frozenset()
    # The create call, and what its resources are called in messages ("applications").
    _CREATE: ClassVar[str] = ""
    _PLURAL: ClassVar[str] = "resources"
    # Inputs that read cannot see on the server, so a refresh keeps them as they are.
    _KEEP_ON_READ: ClassVar[frozenset[str]] = frozenset({"adopt_id", "region"})
    # Inputs an omission leaves as they are on the server (the update APIs cannot unset them),
    # so omitting one is no change.
    _KEEP_WHEN_OMITTED: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        super().__init__()

    def __getstate__(self) -> None:
        # Settings (credentials included) exist only in the provider process. None, not {}:
        # pulumi's serialize_provider wraps pickle's dict writer once more on every call and
        # never unwraps it, so after ~1000 resources in one program pickling any dict exceeds
        # the recursion limit; with no state at all, no dict is ever pickled.
        return None

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        # Providers serialized before state became None carry an empty dict.
        self.__dict__.update(state or {})

    def configure(self, req: ConfigureRequest) -> None:
        """Resolve settings from the stack config and environment, once per provider process."""
        install_traceback_filter()
        self._settings = resolve_settings(req.config)
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

    def session(self, props: Mapping[str, Any], *, id_: str | None = None) -> Session:
        """A session for one provider call on the resource `props` describe."""
        settings = self.settings
        name = props.get(self._NAME_FIELD) if self._NAME_FIELD else None
        target = Target(self._TYPE, name if isinstance(name, str) else None, id_ or None)
        region_ = props.get("region")
        return Session(
            settings=settings,
            service=self._SERVICE,
            region=region_ if isinstance(region_, str) and region_ else settings.region,
            target=target,
        )

    # check ---------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Every problem with every input, each naming its property; unknowns pass."""
        failures: list[CheckFailure] = []
        values = plain(news)
        secret = {k for k, v in news.items() if is_rpc_secret(v)}
        for name in sorted(values):
            if name not in self._FIELDS:
                failures.append(CheckFailure(name, f"{self._TYPE} has no input named {name!r}"))
        for name, field in self._FIELDS.items():
            value = values.get(name)
            if value is None:
                if field.required:
                    failures.append(CheckFailure(name, f"{name} is required"))
                continue
            if is_unknown(value):
                continue
            for why in field.problems(value):
                if name in secret:  # the reason without the value
                    why = why.replace(quote(value), "(secret value)")
                failures.append(CheckFailure(name, f"{name} {why}"))
        failures.extend(self._check_together(values))
        return CheckResult(news, failures)

    def _check_together(self, _values: Mapping[str, Any]) -> list[CheckFailure]:
        """Rules spanning several inputs; none by default."""
        return []

    # diff ----------------------------------------------------------------------------------

    def _value(self, props: Mapping[str, Any], name: str) -> Any:
        value = unwrap_rpc_secret(props.get(name))
        return self._FIELDS[name].default if value is None else value

    def changed(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """Inputs whose value differs (an unknown new value counts as a change)."""
        out = []
        for name in self._FIELDS:
            if name in self._CREATE_ONLY:
                continue
            if name in self._KEEP_WHEN_OMITTED and unwrap_rpc_secret(news.get(name)) is None:
                continue
            new = self._value(news, name)
            if is_unknown(new) or self._value(olds, name) != new:
                out.append(name)
        return out

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Exactly the changed inputs; those in `_REPLACES` replace. Makes no API call."""
        changed = self.changed(olds, news)
        replaces = [name for name in changed if name in self._REPLACES]
        return DiffResult(
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
        after = {k: v for k, v in before.items() if k != PROVIDER_KEY}
        after.update(
            {
                name: field.default
                for name, field in self._FIELDS.items()
                if field.default is not None
            }
        )
        after.update({k: v for k, v in plain(inputs).items() if v is not None})
        return after

    def outputs(
        self, live: Mapping[str, Any], props: Mapping[str, Any], keep: frozenset[str] | None = None
    ) -> dict[str, Any]:
        """The live record overlaid with the inputs in `keep` (all inputs by default) as given."""
        outs = dict(live)
        for name in self._FIELDS if keep is None else keep:
            value = props.get(name)
            if value is not None:
                outs[name] = value
        return outs

    def refreshed(
        self, id_: str, live: Mapping[str, Any] | None, props: Mapping[str, Any]
    ) -> ReadResult:
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
            return ReadResult("", {})
        outs = self.outputs(live, props, self._KEEP_ON_READ)
        drifted = {
            k
            for k in self._FIELDS
            if unwrap_rpc_secret(outs.get(k)) != unwrap_rpc_secret(props.get(k))
        }
        if not drifted:
            return ReadResult(id_, outs)
        inputs = {
            k: outs[k]
            for k, field in self._FIELDS.items()
            if outs.get(k) is not None
            and (k in drifted or unwrap_rpc_secret(outs[k]) != field.default)
        }
        return ReadResult(id_, outs, inputs)

    # ownership -----------------------------------------------------------------------------

    def lookup(self, _session: Session, _inputs: Mapping[str, Any]) -> Lookup:
        """Every existing resource that a create of `inputs` could have made, in one call."""
        raise NotImplementedError(f"{self._TYPE} cannot be found again once created")

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
            operation=self._CREATE,
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
    ) -> None:
        """Raise `AdoptionError` unless `live` exists and matches `inputs` on `compare`."""
        if live is None:
            raise AdoptionError(
                f"{self._TYPE}: cannot adopt {adopt_id!r}: no such resource in this account "
                "and region"
            )
        mismatched = [
            f"{name} (input {inputs.get(name)!r}, existing {live.get(name)!r})"
            for name in sorted(compare)
            if inputs.get(name) is not None and inputs.get(name) != live.get(name)
        ]
        if mismatched:
            raise AdoptionError(
                f"{self._TYPE}: cannot adopt {adopt_id!r}: immutable fields differ: "
                + "; ".join(mismatched)
            )


def text_field(*, required: bool = False, low: int = 1, high: int = 128) -> Field:
    """A string input of `low` to `high` characters, not only whitespace."""
    return Field(required=required, rules=(is_str, length(low, high), not_blank))
