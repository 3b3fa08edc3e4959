"""The plugin's `Provider`: Pulumi's provider protocol translated into the resources' core.

The resource core (`alicloud_versions.core`) works on plain dicts of snake_case values;
this adapter renames properties (camelCase here), converts values, and runs every call in a
thread pool, since the cores make blocking SDK calls and the engine sends as many calls at once
as ``--parallel`` allows.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pulumi.provider.experimental.property_value import Computed, PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pulumi.provider.experimental.provider import (
    ConfigureRequest as PluginConfigureRequest,
)
from pulumi.provider.experimental.provider import (
    ConfigureResponse as PluginConfigureResponse,
)

# No public API names the engine's unknown sentinel, and the experimental server passes it
# through as a plain string where the engine sends it so (check of a computed input).
from pulumi.runtime.rpc import UNKNOWN as RPC_UNKNOWN

from .._engine_log import serving
from .._init_failed import InitFailed
from ..core import KINDS
from ..core.config import KEYS, PluginConfig
from ..core.errors import WaitError
from ..core.failures import reported
from ..core.fields import camel, snake
from ..core.lifecycle import UNKNOWN, ResourceCore, is_unknown
from ..core.waits import within
from ._schema import PACKAGE, schema, token

__all__ = ["WORKERS", "AlicloudVersionsProvider"]

# Threads for provider calls: well above any `--parallel` the engine is run with (default 16).
WORKERS = 64

T = TypeVar("T")


def _plain(value: PropertyValue) -> Any:
    """A property value as the core takes it: secrets unwrapped, unknowns as `UNKNOWN`."""
    inner = value.value
    if isinstance(inner, Computed) or (isinstance(inner, str) and inner == RPC_UNKNOWN):
        return UNKNOWN
    if isinstance(inner, float) and inner.is_integer():
        return int(inner)
    if isinstance(inner, Mapping):
        return {k: _plain(v) for k, v in inner.items()}
    if isinstance(inner, tuple):
        return [_plain(v) for v in inner]
    return inner


def _value(value: Any) -> PropertyValue:
    """A plain value as a property value (numbers travel as floats)."""
    if isinstance(value, PropertyValue):
        return value
    if is_unknown(value):
        # The wire's unknown, as inputs arrive: PropertyValue.computed() does not marshal.
        return PropertyValue(RPC_UNKNOWN)
    if isinstance(value, int) and not isinstance(value, bool):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(k): _value(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([_value(v) for v in value])
    return PropertyValue(value)


def _props(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    """Engine properties (camelCase) as the core's snake_case props."""
    return {snake(k): _plain(v) for k, v in values.items()}


def _properties(
    props: Mapping[str, Any], secret: frozenset[str] = frozenset()
) -> dict[str, PropertyValue]:
    """The core's props as engine properties, those in `secret` as secrets; unset ones are
    left out."""
    return {
        camel(k): _value(v).with_secret(True) if k in secret else _value(v)
        for k, v in props.items()
        if v is not None
    }


def _secret(*values: Mapping[str, PropertyValue]) -> set[str]:
    """The properties (snake_case) that arrived as secrets."""
    return {snake(k) for props in values for k, v in props.items() if v.is_secret}


def _name(urn: str) -> str:
    """A resource's name in its stack, the last part of its URN."""
    return urn.rpartition("::")[2]


def _config_values(request: PluginConfigureRequest) -> dict[str, Any]:
    """Configuration from the request's typed args, else its `pkg:config:key` variables."""
    values = {k: _plain(v) for k, v in request.args.items()}
    for key, text in request.variables.items():
        values.setdefault(key.rpartition(":")[2], text)
    return {k: v for k, v in values.items() if v is not None and not is_unknown(v)}


def _detailed(
    olds: Mapping[str, Any], news: Mapping[str, Any], changed: list[str], replaces: list[str]
) -> dict[str, PropertyDiff]:
    """Each changed input's kind of change, as the engine displays it."""
    out = {}
    for name in changed:
        if olds.get(name) is None:
            kind = PropertyDiffKind.ADD_REPLACE if name in replaces else PropertyDiffKind.ADD
        elif news.get(name) is None:
            kind = PropertyDiffKind.DELETE_REPLACE if name in replaces else PropertyDiffKind.DELETE
        else:
            kind = PropertyDiffKind.UPDATE_REPLACE if name in replaces else PropertyDiffKind.UPDATE
        out[camel(name)] = PropertyDiff(kind, input_diff=True)
    return out


class AlicloudVersionsProvider(Provider):
    """The five resources of `alicloud_versions` behind Pulumi's resource-provider protocol."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=PACKAGE)
        self._providers: dict[str, ResourceCore] = {token(k): k() for k in KINDS}

    def _provider(self, type_: str) -> ResourceCore:
        try:
            return self._providers[type_]
        except KeyError:
            raise ValueError(f"{PACKAGE} has no resource type {type_!r}") from None

    async def _run(self, urn: str, type_: str, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` on the pool for the resource `urn`, a bug in it reported as one
        (`reported`), its retries reported beside the resource (`serving`)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, serving, urn, reported, type_, call, *args)

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(json.dumps(schema()))

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        """The configuration as given, every key the settings declare secret (`secretKey`,
        `httpProxy`, which may hold a password...) marked so: the engine stores the provider's
        checked inputs in the state, and encrypts only what is marked, whether or not the
        stack config held it as a secret."""
        secret = {key.name for key in KEYS if key.secret}
        inputs = request.new_inputs
        return CheckResponse(
            inputs={k: v.with_secret(True) if k in secret else v for k, v in inputs.items()}
        )

    async def configure(self, request: PluginConfigureRequest) -> PluginConfigureResponse:
        """Settings from the plugin's configuration, then the environment and credentials chain,
        exactly as the dynamic provider resolves them from stack config."""
        config = PluginConfig(_config_values(request))
        for provider in self._providers.values():
            provider.configure_settings(config)
        # Previews are answered here (create and update with `preview`), so that an in-place
        # update keeps its outputs known and nothing built from them previews as replaced.
        return PluginConfigureResponse(accept_secrets=True, supports_preview=True)

    async def check(self, request: CheckRequest) -> CheckResponse:
        provider = self._provider(request.type)
        failures = []
        secret = _secret(request.new_inputs)
        news, olds = _props(request.new_inputs), _props(request.old_inputs)
        for name, reason in provider.check_inputs(news, secret, olds):
            if reason.startswith(name):
                reason = camel(name) + reason[len(name) :]
            # The engine prints the value of a property a failure names: a secret's is unnamed.
            failures.append(CheckFailure("" if name in secret else camel(name), reason))
        if not request.old_inputs:  # a resource the state does not hold: a create is to come
            provider.expect_calls()
        return CheckResponse(inputs=request.new_inputs, failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        provider = self._provider(request.type)
        provider.seen(request.resource_id, _name(request.urn))
        news = _props(request.new_inputs)
        olds = provider.known_olds(_props(request.old_state), news)
        result = provider.diff_inputs(olds, news)
        if result.changes:
            provider.expect_calls()
        changed = provider.changed(olds, news)
        replaces = result.replaces
        return DiffResponse(
            changes=result.changes,
            replaces=[camel(n) for n in replaces],
            stables=[camel(n) for n in result.stables],
            delete_before_replace=bool(result.delete_before_replace),
            diffs=[camel(n) for n in changed],
            detailed_diff=_detailed(olds, news, changed, replaces),
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        if request.preview:  # nothing is made: the inputs, every other output unknown
            return CreateResponse(None, dict(request.properties))
        provider = self._provider(request.type)
        secret = _secret(request.properties)
        try:
            id_, outs = await self._run(
                request.urn,
                request.type,
                within,
                request.timeout,
                provider.create_resource,
                _props(request.properties),
                secret,
                request.urn,
            )
        except WaitError as exc:
            if exc.created is None:
                raise
            # Made, but it did not start: the state keeps it, with the reason (`InitFailed`).
            id_, outs = exc.created
            provider.seen(id_, _name(request.urn))
            props = _properties(outs, provider.secret_outputs(secret))
            raise InitFailed(
                str(exc),
                id_,
                PropertyValue.marshal_map(props),
                PropertyValue.marshal_map(dict(request.properties)),
            ) from exc
        provider.seen(id_, _name(request.urn))
        return CreateResponse(id_, _properties(outs, provider.secret_outputs(secret)))

    async def read(self, request: ReadRequest) -> ReadResponse:
        """The live resource; with no old state (`pulumi import`, `get`), found by its id alone,
        its inputs being what the API answers."""
        provider = self._provider(request.type)
        provider.seen(request.resource_id, _name(request.urn))
        if request.properties:
            state = _props(request.properties)
            result = await self._run(
                request.urn,
                request.type,
                provider.read_resource,
                request.resource_id,
                state,
                _secret(request.properties, request.inputs),
            )
        else:
            result = await self._run(
                request.urn, request.type, provider.read_imported, request.resource_id
            )
        if not result.id:
            return ReadResponse("", {}, {})
        secret = provider.secret_outputs(_secret(request.properties, request.inputs))
        inputs = request.inputs if result.inputs is None else _properties(result.inputs, secret)
        return ReadResponse(result.id, _properties(result.outs, secret), inputs)

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        provider = self._provider(request.type)
        provider.seen(request.resource_id, _name(request.urn))
        secret = provider.secret_outputs(_secret(request.olds, request.news))
        if request.preview:  # what the update will write, over the outputs that stay
            olds, news = _props(request.olds), _props(request.news)
            return UpdateResponse(_properties(provider.update_outputs(olds, news), secret))
        try:
            outs = await self._run(
                request.urn,
                request.type,
                within,
                request.timeout,
                provider.update_resource,
                request.resource_id,
                _props(request.olds),
                _props(request.news),
                _secret(request.olds, request.news),
            )
        except WaitError as exc:
            if exc.created is None:
                raise
            # The state takes what the failed wait left (status and reason), as a bridged
            # provider's partial failure does, with the reason (`InitFailed`).
            _, left = exc.created
            raise InitFailed(
                str(exc),
                request.resource_id,
                PropertyValue.marshal_map(_properties(left, secret)),
                PropertyValue.marshal_map(dict(request.news)),
            ) from exc
        return UpdateResponse(_properties(outs, secret))

    async def delete(self, request: DeleteRequest) -> None:
        provider = self._provider(request.type)
        await self._run(
            request.urn,
            request.type,
            within,
            request.timeout,
            provider.delete_resource,
            request.resource_id,
            _props(request.properties),
            _secret(request.properties),
        )
