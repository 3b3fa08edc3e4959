"""Pulumi resources for Alibaba Cloud WebPlus package versions and Service Catalog product
versions.

``from alicloud_versions import webplus, servicecatalog`` gives the dynamic front door's
resources (`alicloud_versions.dynamic`); the service modules (and the cloud SDKs, which load only
when a call is made) are imported on first use to keep start-up cheap. The layout: `core` (what
each resource is and does, no Pulumi), `dynamic` and `plugin` (the two front doors), `cli` (the
`alicloud-versions` command), `emulator` (the local services, on its own).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import servicecatalog, webplus
    from .core.errors import (
        AdoptionError,
        AlicloudVersionsError,
        ApiError,
        AuthenticationError,
        ConfigurationError,
        ConnectionLostError,
        ImportIdError,
        LostCreateError,
        OwnershipError,
        ProviderBug,
        TransientError,
    )

__version__ = "0.1.0"

__all__ = [
    "AdoptionError",
    "AlicloudVersionsError",
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionLostError",
    "ImportIdError",
    "LostCreateError",
    "OwnershipError",
    "ProviderBug",
    "TransientError",
    "__version__",
    "servicecatalog",
    "webplus",
]

_LAZY_MODULES = frozenset({"webplus", "servicecatalog"})


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `alicloud_versions.emulator` (which stands on its own) and
    # the plugin load only what they need.
    if name in _LAZY_MODULES:
        value: Any = importlib.import_module(f".{name}", __name__)
    elif name in __all__:  # the error classes
        value = getattr(importlib.import_module(".core.errors", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
