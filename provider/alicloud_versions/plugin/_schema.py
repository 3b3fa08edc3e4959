"""The plugin's schema, derived from the resources' declarations: tokens, properties, replaces."""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import itertools
import re
from collections.abc import Mapping
from typing import Any

from .. import __version__
from .._config import Service
from .._core import ResourceCore
from ..servicecatalog import ProductCore, ProductVersionCore, TemplateCore
from ..webplus import ApplicationCore, PkgVersionCore

__all__ = ["CONFIG", "PACKAGE", "PROVIDERS", "PluginConfig", "camel", "schema", "snake", "token"]

PACKAGE = "alicloud-versions"

# Every resource the plugin serves; each one's token, properties and replaces follow from it.
PROVIDERS: tuple[type[ResourceCore], ...] = (
    ApplicationCore,
    PkgVersionCore,
    TemplateCore,
    ProductCore,
    ProductVersionCore,
)

_SECRET = {"type": "string", "secret": True}

# Provider configuration (`alicloud-versions:KEY`): what `_config.resolve_settings` reads under
# `alicloud:KEY` or `alicloud-versions:KEY`, before the environment and the credentials chain.
CONFIG: dict[str, dict[str, Any]] = {
    "accessKey": {"type": "string", "description": "Access key id."},
    "secretKey": {**_SECRET, "description": "Access key secret."},
    "securityToken": {**_SECRET, "description": "STS security token, with a temporary key."},
    "region": {"type": "string", "description": "Default region id (else `cn-hangzhou`)."},
    "endpoint": {
        "type": "string",
        "description": "Endpoint of every service, `host[:port]` or `http://host:port` "
        "(else the SDK's regional endpoint).",
    },
    **{
        f"{service.value}Endpoint": {
            "type": "string",
            "description": f"Endpoint of {service.value} only; overrides `endpoint`.",
        }
        for service in Service
    },
    "maxRetryTime": {
        "type": "number",
        "description": "Seconds a call may spend retrying transient failures (default 60).",
    },
}


class PluginConfig:
    """The plugin's configuration (`alicloud-versions:KEY`, here by `KEY`) as `resolve_settings`
    asks for it: it asks `alicloud:accessKey` or `alicloud-versions:endpoint`, the plugin has
    `accessKey` and `endpoint` in its own namespace."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    @classmethod
    def from_stack(cls, config: Mapping[str, Any]) -> PluginConfig:
        """The plugin's keys among a stack's whole config (`alicloud-versions:accessKey`...)."""
        prefix = f"{PACKAGE}:"
        return cls({k[len(prefix) :]: v for k, v in config.items() if k.startswith(prefix)})

    def get(self, key: str) -> Any:
        return self._values.get(key.rpartition(":")[2])


_TYPES = {"str": "string", "bool": "boolean", "int": "integer", "float": "number"}


def camel(name: str) -> str:
    """`pkg_version_id` -> `pkgVersionId`: a Pulumi schema's spelling of a property."""
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def snake(name: str) -> str:
    """`pkgVersionId` -> `pkg_version_id`: the providers' spelling of a property."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def token(provider: type[ResourceCore]) -> str:
    """`webplus.Application` -> `alicloud-versions:webplus:Application`."""
    module, name = provider._TYPE.split(".")
    return f"{PACKAGE}:{module}:{name}"


def _classes(provider: type[ResourceCore]) -> tuple[type, type]:
    """The `Resource` class and its `*Args` dataclass, found by the provider's `_TYPE`."""
    module_name, name = provider._TYPE.split(".")
    module = importlib.import_module(f"alicloud_versions.{module_name}")
    return getattr(module, name), getattr(module, f"{name}Args")


def _type(annotation: str) -> str:
    """The schema type of `pulumi.Input[X] | None` or `pulumi.Output[X | None]`."""
    found = re.search(r"(?:Input|Output)\[(\w+)", annotation)
    return _TYPES.get(found.group(1) if found else "str", "string")


def _attribute_docs(cls: type) -> dict[str, str]:
    """The docstring written under each annotated attribute of `cls`, by attribute name."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = _plugin_spelling(after.value.value)
    return docs


def _plugin_spelling(doc: str) -> str:
    """A Python docstring as the schema shows it: one paragraph, property names in camelCase."""
    text = " ".join(inspect.cleandoc(doc).split()).replace("``", "`")
    text = text.replace("`alicloud:", f"`{PACKAGE}:")
    return re.sub(r"`([a-z]+(?:_[a-z]+)+)`", lambda m: f"`{camel(m.group(1))}`", text)


def _resource(provider: type[ResourceCore]) -> dict[str, Any]:
    resource, args = _classes(provider)
    docs = _attribute_docs(args)
    arg_types = {f.name: _type(str(f.type)) for f in dataclasses.fields(args)}
    kind = provider._TYPE.split(".")[1]
    inputs = {}
    for name, field in provider._FIELDS.items():
        spec: dict[str, Any] = {"type": arg_types.get(name, "string"), "description": docs[name]}
        if name in provider._REPLACES:
            spec["replaceOnChanges"] = True
        if field.default is not None:
            spec["default"] = field.default
        inputs[camel(name)] = spec
    outputs = {
        camel(name): {
            "type": _type(str(annotation)),
            "description": f"The {kind}'s `{camel(name)}`, as the API answers it.",
        }
        for name, annotation in resource.__annotations__.items()
        if name not in provider._FIELDS
    }
    return {
        "description": _plugin_spelling(resource.__doc__ or kind),
        "properties": {**outputs, **inputs},
        "inputProperties": inputs,
        "requiredInputs": sorted(camel(n) for n, f in provider._FIELDS.items() if f.required),
    }


@functools.cache
def schema() -> dict[str, Any]:
    """The package schema `pulumi package get-schema` shows and language hosts read."""
    return {
        "name": PACKAGE,
        "displayName": "Alibaba Cloud versions",
        "version": __version__,
        "description": "WebPlus package versions and Service Catalog product versions.",
        "config": {"variables": CONFIG},
        "provider": {
            "description": "Credentials, region and endpoints for the resources.",
            "inputProperties": CONFIG,
        },
        "resources": {token(p): _resource(p) for p in PROVIDERS},
    }
