"""What every generated resource constructor shares: its two call forms, checked at run time."""

from __future__ import annotations

import dataclasses
import difflib
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

# grpcio ships no type information (types-grpcio is not a dependency of this package).
import grpc  # type: ignore[import-untyped]
import pulumi
import pulumi.dynamic
from pulumi.runtime.config import get_config, is_config_secret

from ..core.config import KEYS
from ..core.errors import ConfigurationError, Disclosure
from ..core.lifecycle import UNKNOWN

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from ._provider import BaseProvider

__all__ = [
    "init_resource",
    "keyword_form",
    "refuse_plain_secrets",
    "report_problems",
    "resource_args",
]

A = TypeVar("A", bound="DataclassInstance")
F = TypeVar("F", bound=Callable[..., None])


class _Written(str):
    """An annotation shown as it is written in the generated module (``pulumi.Input[str]``),
    rather than as the union it evaluates to or as a quoted string."""

    def __repr__(self) -> str:
        return str(self)


def keyword_form(args_type: type) -> Callable[[F], F]:
    """Give a resource constructor the signature of its keyword form,
    ``(resource_name, opts=None, *, <every input>)``, typed as `args_type` declares it, so that
    help(), `inspect.signature` and editors show the inputs instead of ``*args, **kwargs``.
    The call itself still takes both forms (`resource_args`)."""
    fields = [
        p.replace(annotation=_Written(p.annotation))
        for p in inspect.signature(args_type).parameters.values()
    ]
    head = [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("resource_name", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
        inspect.Parameter(
            "opts",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=None,
            annotation=_Written("pulumi.ResourceOptions | None"),
        ),
    ]
    signature = inspect.Signature([*head, *fields], return_annotation=None)

    def apply(init: F) -> F:
        init.__signature__ = signature  # type: ignore[attr-defined]
        return init

    return apply


def resource_args(
    resource: type, args_type: type[A], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[A, pulumi.ResourceOptions | None]:
    """The `args_type` and options of a resource constructor called in either of its forms,
    ``Resource(name, args, opts)`` or ``Resource(name, opts, **keywords)``, as Pulumi's
    generated SDKs take them.

    Anything else is a `TypeError` naming the resource, before any API call: a misspelled
    keyword names the closest input, a missing required one names every one missing.
    """
    # Each resource's generated module sits in its service's package (`dynamic.webplus`).
    service = resource.__module__.rpartition(".")[0].rpartition(".")[2]
    where = f"{service}.{resource.__name__}()"
    positional = list(args)
    given = kwargs.pop("args", None)
    opts = kwargs.pop("opts", None)
    if positional and isinstance(positional[0], args_type):
        if given is not None:
            raise TypeError(f"{where} got multiple values for argument 'args'")
        given = positional.pop(0)
    if positional:
        if opts is not None:
            raise TypeError(f"{where} got multiple values for argument 'opts'")
        opts = positional.pop(0)
    if positional:
        raise TypeError(f"{where} takes a name, then {args_type.__name__} and/or options")
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"{where} opts must be pulumi.ResourceOptions, not {type(opts).__name__}")
    if given is not None:
        if not isinstance(given, args_type):
            raise TypeError(
                f"{where} args must be {args_type.__name__}, not {type(given).__name__}"
            )
        if kwargs:
            raise TypeError(
                f"{where} takes {args_type.__name__} or keyword inputs, not both "
                f"(got {', '.join(sorted(kwargs))})"
            )
        return given, opts

    fields = dataclasses.fields(args_type)
    names = [f.name for f in fields]
    for name in sorted(set(kwargs) - set(names)):
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; the inputs are {', '.join(names)}"
        raise TypeError(f"{where} got an unexpected keyword argument {name!r}{hint}")
    missing = [
        f.name
        for f in fields
        if f.name not in kwargs
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise TypeError(f"{where} missing required keyword argument(s): {', '.join(missing)}")
    return args_type(**kwargs), opts


def init_resource(
    resource: pulumi.dynamic.Resource,
    provider: BaseProvider,
    args_type: type[DataclassInstance],
    resource_name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Register `resource` (called either way `resource_args` takes) with every input as given
    and every other declared output unset, for the engine to fill in from what the provider
    answers; then make its id-valued output the id itself (`id_output`)."""
    given, opts = resource_args(type(resource), args_type, args, kwargs)
    refuse_plain_secrets()
    props = {f.name: getattr(given, f.name) for f in dataclasses.fields(given)}
    report_problems(provider, resource_name, props)
    props.update(dict.fromkeys(n for n in provider.kind.OUTPUTS if n not in props))
    for name, output in provider.kind.OUTPUTS.items():
        if output.derived_from:
            props[name] = _secret_like(*(props[n] for n in output.derived_from))
    pulumi.dynamic.Resource.__init__(resource, provider, resource_name, props, opts)
    id_output(resource, provider.kind._ID_FIELD)


def refuse_plain_secrets() -> None:
    """A `ConfigurationError` for a setting declared secret (``alicloud:secretKey``,
    ``alicloud-versions:httpProxy``, which may hold a password...) that the stack's config holds
    in plain text: the engine copies the whole config into the dynamic provider's inputs in the
    state, and encrypts only what the config marks secret."""
    for stack_key in (k for key in KEYS if key.secret for k in key.stack_keys):
        if get_config(stack_key) and not is_config_secret(stack_key):
            raise ConfigurationError(
                f"{stack_key} is a secret but the stack's config holds it in plain text, "
                "which the state would copy: set it again with `pulumi config set --secret "
                f"{stack_key} ...`"
            )


def report_problems(provider: BaseProvider, resource_name: str, props: dict[str, Any]) -> None:
    """Log, as errors, every problem with the inputs of `resource_name` known now (plain
    values, not outputs), before it is registered.

    The engine stops a preview at the first resource whose check fails, so four bad fields in
    four resources would take four previews; the program constructs every resource before the
    engine sees the first, so each reports its own here and one preview shows them all. The
    check that stops the preview is still the provider's. No value is quoted (the front door's
    rule: any input may be a secret)."""
    known = {k: UNKNOWN if _pending(v) else v for k, v in props.items()}
    for _name, reason in provider.core.check_inputs(known, Disclosure(known=False)):
        try:
            pulumi.log.error(f"{provider.TYPE} {resource_name!r}: {reason}")
        except grpc.RpcError:
            # The engine has already ended the preview (at another resource's failed check):
            # there is no one left to tell, and the program must not fail on it.
            return


def _pending(value: Any) -> bool:
    """Whether `value` is not known until the engine resolves it (an output or awaitable)."""
    return isinstance(value, pulumi.Output) or inspect.isawaitable(value)


def _secret_like(*sources: Any) -> pulumi.Output[str | None]:
    """A placeholder input for an output made from `sources`: a secret empty string when one of
    them is secret, else nothing. The dynamic provider host takes no secrets (the engine strips
    them before each call), so the provider cannot mark a derived output secret; the engine
    marks an output secret when the input of the same name is, and this is that input."""
    combined = pulumi.Output.all(*sources)

    async def value() -> str | None:
        return "" if await combined.is_secret() else None

    async def known() -> bool:
        return True

    return pulumi.Output(set(), value(), known(), combined.is_secret())


def id_output(resource: pulumi.CustomResource, name: str) -> None:
    """Make the output `name` (``app_id``, ``product_id``...), which always equals the resource's
    id, the id itself.

    A dynamic provider cannot preview an update (its host does not support provider previews),
    so during the preview of an in-place update the engine knows only the new inputs: every
    other output, the id-valued one included, would be unknown, and whatever is built from it
    (a package version's ``app_id``) would preview as replaced although the update keeps the id.
    The resource's ``id`` stays known through an update, so the output is taken from it.
    """
    setattr(resource, name, resource.id)
