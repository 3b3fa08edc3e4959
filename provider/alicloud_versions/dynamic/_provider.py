"""The dynamic front door: `pulumi.dynamic` calls translated into the resources' core."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

# No public API exists for these: the dynamic provider host hands the provider the engine's
# secret wrappers and unknown sentinel as they are, so only this adapter knows them.
from pulumi.runtime.rpc import UNKNOWN as RPC_UNKNOWN
from pulumi.runtime.rpc import is_rpc_secret, unwrap_rpc_secret, wrap_rpc_secret

from .._engine_log import install
from .._watch import in_dynamic_host, watch_own_engine
from ..core import kind_named
from ..core.errors import Disclosure, WaitError
from ..core.failures import reported
from ..core.lifecycle import UNKNOWN, ResourceCore
from ..core.waits import timeout_of
from ._host import answered, engine_timeout, install_traceback_filter, not_initialized

__all__ = ["PROVIDER_KEY", "BaseProvider", "plain"]

PROVIDER_KEY = "__provider"

# Pulumi's dynamic provider host never exits on its own: one that outlives a killed engine goes
# on answering any local process with the stack's credentials. The host imports this module
# when it unpickles the first of our providers, so the engine watch starts here, once.
if in_dynamic_host():
    watch_own_engine(sys.argv[1:])


def _plain(value: Any) -> Any:
    value = unwrap_rpc_secret(value)
    # The host turns the sentinel into `Unknown` in check and diff; the raw string passes too.
    if isinstance(value, Unknown) or (isinstance(value, str) and value == RPC_UNKNOWN):
        return UNKNOWN
    return value


def plain(props: Mapping[str, Any]) -> dict[str, Any]:
    """Top-level property values as the core takes them: secret wrappers removed, unknowns as
    `UNKNOWN`, the provider's own key left out."""
    return {k: _plain(v) for k, v in props.items() if k != PROVIDER_KEY}


def _secret_names(*props: Mapping[str, Any]) -> set[str]:
    """The properties that arrived as secrets."""
    return {k for p in props for k, v in p.items() if is_rpc_secret(v)}


def _disclosure(*props: Mapping[str, Any]) -> Disclosure:
    """What messages may quote: no input's value. The engine strips the secret marks before
    each call to this host, so an input that arrives plain may be a secret all the same."""
    return Disclosure(frozenset(_secret_names(*props)), known=False)


class BaseProvider(ResourceProvider):
    """A resource's dynamic provider: each `pulumi.dynamic` call translated into the resource
    core its `TYPE` names (`kind`), which it holds rather than is.

    The instance holds nothing but that core once a call needs it (in the provider process,
    configured there), which `__getstate__` drops so that it never reaches the serialized
    provider.
    """

    TYPE: ClassVar[str]
    """The resource kind served, ``webplus.Application``."""
    kind: ClassVar[type[ResourceCore]]
    """The core class `TYPE` names."""

    # Nothing secret is ever captured by the provider object, so the blob need not be a secret.
    serialize_as_secret_always = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = kind_named(cls.TYPE)
        if kind is None:
            raise TypeError(f"{cls.__name__}: no resource kind is named {cls.TYPE!r}")
        cls.kind = kind
        # The serialized provider names its class, and it is written twice into every resource's
        # state (inputs and outputs), which the engine rewrites after every step. So each
        # service's providers go by their service's public module, `alicloud_versions.webplus`,
        # rather than the generated module that defines them
        # (`alicloud_versions.dynamic.webplus.pkg_version`), as numpy's `set_module` does: a
        # shorter blob, and the name states written by older versions hold, so a state written
        # now also loads in them and whatever module holds the class next. The class stays
        # importable from `alicloud_versions.dynamic.<service>` and from its own module.
        if cls.__module__.startswith(f"{__package__}."):
            service = cls.TYPE.partition(".")[0]
            cls.__module__ = f"{__package__.rpartition('.')[0]}.{service}"

    def __getstate__(self) -> None:
        # The core's settings (credentials included) exist only in the provider process. None,
        # not {}: pulumi's serialize_provider wraps pickle's dict writer once more on every
        # call and never unwraps it, so after ~1000 resources in one program pickling any dict
        # exceeds the recursion limit; with no state at all, no dict is ever pickled. (Blobs
        # written before carry an empty dict, which unpickling takes as it is.)
        return None

    @property
    def core(self) -> ResourceCore:
        """The core this provider serves, made at its first use."""
        core: ResourceCore | None = self.__dict__.get("_core")
        if core is None:
            core = self._core = self.kind()
        return core

    @answered
    def configure(self, req: ConfigureRequest) -> None:
        """Resolve settings from the stack config and environment, once per provider process."""
        install_traceback_filter()
        if in_dynamic_host():  # its arguments are the engine's, the address first (`_engine_log`)
            install(sys.argv[1:])
        self.core.configure_settings(req.config)

    @answered
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Every problem with every input, each named in its reason with what is allowed, and
        no value quoted; unknowns pass. No failure names a property, since the engine prints
        the value of the property a failure names, and any may be a secret here."""
        failures = self.core.check_inputs(plain(news), _disclosure(news), plain(olds))
        if not olds:  # a resource the state does not hold: a create is to come
            self.core.expect_calls()
        return CheckResult(news, [CheckFailure("", why) for _name, why in failures])

    @answered
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Exactly the changed inputs; those in `_REPLACES` replace. Makes no API call."""
        self.core.seen(id_)  # the host names no resource: only that one of the stack holds `id_`
        found = self.core.diff_inputs(plain(olds), plain(news))
        if found.changes:
            self.core.expect_calls()
        return DiffResult(
            changes=found.changes,
            replaces=found.replaces,
            stables=found.stables,
            delete_before_replace=found.delete_before_replace,
        )

    @answered
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the resource, or adopt ``adopt_id``; a retried create adopts its own work."""
        secret = _secret_names(props)
        with timeout_of(engine_timeout()):
            try:
                id_, outs = reported(
                    self.TYPE, self.core.create_resource, plain(props), _disclosure(props)
                )
            except WaitError as exc:
                if exc.created is not None:  # made, but it did not start: the state keeps it
                    made, made_outs = exc.created
                    answer = {**self._secrets(secret, made_outs), PROVIDER_KEY: props[PROVIDER_KEY]}
                    not_initialized(exc, made, answer, props)
                raise
        return CreateResult(id_, self._secrets(secret, outs))

    @answered
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The live resource; a blank id when it is gone."""
        read = reported(self.TYPE, self.core.read_resource, id_, plain(props), _disclosure(props))
        secret = _secret_names(props)
        if read.inputs is None:
            return ReadResult(read.id, self._secrets(secret, read.outs))
        return ReadResult(
            read.id, self._secrets(secret, read.outs), self._secrets(secret, read.inputs)
        )

    @answered
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Apply the inputs that update in place; the id stays."""
        secret = _secret_names(olds, news)
        with timeout_of(engine_timeout()):
            try:
                outs = reported(
                    self.TYPE,
                    self.core.update_resource,
                    id_,
                    plain(olds),
                    plain(news),
                    _disclosure(olds, news),
                )
            except WaitError as exc:
                if exc.created is not None:  # the state takes what the failed wait left
                    _, left = exc.created
                    answer = {**self._secrets(secret, left), PROVIDER_KEY: news.get(PROVIDER_KEY)}
                    not_initialized(exc, id_, answer, news)
                raise
        # What the update keeps of the old outputs stays as secret as it was.
        return UpdateResult(self._secrets(secret, outs))

    def _secrets(self, secret: set[str], values: Mapping[str, Any]) -> dict[str, Any]:
        """`values` with every one that must stay secret (`secret_outputs`) wrapped as one."""
        keep = self.core.secret_outputs(secret)
        return {
            k: wrap_rpc_secret(v) if k in keep and v is not None and not is_rpc_secret(v) else v
            for k, v in values.items()
        }

    @answered
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete the resource; one already gone is success."""
        with timeout_of(engine_timeout()):
            reported(self.TYPE, self.core.delete_resource, id_, plain(props), _disclosure(props))
