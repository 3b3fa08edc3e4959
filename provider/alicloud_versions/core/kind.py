"""A resource kind's declaration and what follows from it without a call: check, diff and the
outputs, from its declared inputs and outputs (`fields`).

Nothing here knows Pulumi. Both front doors (`dynamic`, `plugin`) hand it top-level values with
secrets unwrapped and anything not yet known replaced by `UNKNOWN`, and translate what it
answers into their own protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from .config import Service
from .errors import Disclosure
from .fields import Input, Output
from .operations import Operation

__all__ = [
    "UNKNOWN",
    "Diff",
    "Kind",
    "Read",
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


class Kind:
    """A resource kind's declaration (`TYPE`, `DESCRIPTION`, `INPUTS`, `OUTPUTS`, its operations
    and the codes that prove it gone), and check, diff and outputs derived from it.

    Which inputs replace, which never diff, which a read cannot see, which each operation sends,
    all follow from `INPUTS`. Nothing here calls the API: `ResourceCore` adds the lifecycle.
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
    DATED: ClassVar[bool] = True
    """Whether its listings give each one's create time (by which ``sweep`` judges its age)."""
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

    def disclosure(self, secret: Secrets = ()) -> Disclosure:
        """Which inputs' values messages may quote, given what the front door knows of
        `secret`: never a declared secret's."""
        shown = secret if isinstance(secret, Disclosure) else Disclosure(frozenset(secret))
        return shown.hiding(self.declared_secret)

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
        field = self.INPUTS[name]
        # An empty map sends nothing, as an omitted one does, and a read answers `{}` for none
        # (a provisioned product's tags): the same value, not a change.
        if value is None or (value == {} and field.type == "map"):
            return field.default
        return value

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
