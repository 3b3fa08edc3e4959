"""What every resource constructor shares: its two call forms, checked at run time."""

from __future__ import annotations

import dataclasses
import difflib
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["id_output", "output_names", "resource_args", "resource_props"]

A = TypeVar("A", bound="DataclassInstance")


def resource_args(
    resource: type, args_type: type[A], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[A, pulumi.ResourceOptions | None]:
    """The `args_type` and options of a resource constructor called in either of its forms,
    ``Resource(name, args, opts)`` or ``Resource(name, opts, **keywords)``, as Pulumi's
    generated SDKs take them.

    Anything else is a `TypeError` naming the resource, before any API call: a misspelled
    keyword names the closest input, a missing required one names every one missing.
    """
    where = f"{resource.__module__.rsplit('.', 1)[-1]}.{resource.__name__}()"
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


def output_names(resource: type) -> tuple[str, ...]:
    """The outputs `resource` declares: its ``pulumi.Output`` annotations, in order."""
    names: dict[str, None] = {}
    for cls in reversed(resource.__mro__):
        for name, annotation in vars(cls).get("__annotations__", {}).items():
            if str(annotation).startswith("pulumi.Output["):
                names[name] = None
    return tuple(names)


def resource_props(resource: type, args: DataclassInstance) -> dict[str, Any]:
    """The props of a `resource` made with `args`: every input as given, then every other
    output it declares unset (the engine fills in what the provider answers)."""
    props = {f.name: getattr(args, f.name) for f in dataclasses.fields(args)}
    return {**props, **dict.fromkeys(n for n in output_names(resource) if n not in props)}
