"""The plugin's schema, built from the resource core's declarations: tokens, properties, replaces,
defaults, secrets, descriptions; nothing here is written twice."""

from __future__ import annotations

import functools
import re
from typing import Any

from .. import __version__
from ..core import KINDS
from ..core.config import KEYS, PluginConfig
from ..core.fields import Input, Output, camel
from ..core.lifecycle import ResourceCore

__all__ = ["CONFIG", "PACKAGE", "schema", "token"]

PACKAGE = PluginConfig.NAMESPACE

# Provider configuration (`alicloud-versions:KEY`): the settings' own keys, in the plugin's
# namespace.
CONFIG: dict[str, dict[str, Any]] = {
    key.name: {
        "type": key.type,
        "description": key.description,
        **({"secret": True} if key.secret else {}),
    }
    for key in KEYS
}


def token(kind: type[ResourceCore]) -> str:
    """`webplus.Application` -> `alicloud-versions:webplus:Application`."""
    module, name = kind.TYPE.split(".")
    return f"{PACKAGE}:{module}:{name}"


def _text(doc: str) -> str:
    """A declaration's text as the schema shows it: Markdown code, property names in camelCase,
    the plugin's own config namespace."""
    text = doc.replace("``", "`").replace("`alicloud:", f"`{PACKAGE}:")
    return re.sub(r"`([a-z]+(?:_[a-z]+)+)`", lambda m: f"`{camel(m.group(1))}`", text)


def _property(prop: Input | Output) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": prop.type, "description": _text(prop.doc())}
    if prop.type == "map":
        spec.update(type="object", additionalProperties={"type": "string"})
    if isinstance(prop, Input):
        if prop.replaces:
            spec["replaceOnChanges"] = True
        if prop.default is not None:
            spec["default"] = prop.default
        if prop.secret:
            spec["secret"] = True
    return spec


def _resource(kind: type[ResourceCore]) -> dict[str, Any]:
    inputs = {camel(name): _property(spec) for name, spec in kind.INPUTS.items()}
    outputs = {camel(name): _property(spec) for name, spec in kind.OUTPUTS.items()}
    return {
        "description": _text(kind.DESCRIPTION),
        "properties": {**outputs, **inputs},
        "inputProperties": inputs,
        "requiredInputs": sorted(
            camel(n) for n, spec in kind.INPUTS.items() if spec.required_always
        ),
        # Always in the state, so the typed SDKs give them as plain values: the required inputs
        # and the id every create answers (other outputs can be missing until a read).
        "required": sorted(
            {camel(kind._ID_FIELD)}
            | {camel(n) for n, spec in kind.INPUTS.items() if spec.required_always}
        ),
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
        "resources": {token(kind): _resource(kind) for kind in KINDS},
        # The SDKs of sdk/ (scripts/gen-sdk): names that differ from this project's own
        # distribution and import package, which are the dynamic front door.
        "meta": {"supportPack": True},
        "language": {
            "nodejs": {"packageName": "pulumi-alicloud-versions"},
            "python": {"packageName": "alicloud_versions_sdk", "pyproject": {"enabled": True}},
            "go": {"generateResourceContainerTypes": True},
        },
    }
