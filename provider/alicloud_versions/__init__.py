"""Pulumi resources for Alibaba Cloud WebPlus package versions and Service Catalog product
versions.

``from alicloud_versions import webplus, servicecatalog`` gives the dynamic front door's
resources (`alicloud_versions.dynamic`); the service modules (and the cloud SDKs, which load only
when a call is made) are imported on first use to keep start-up cheap. The layout: `core` (what
each resource is and does, no Pulumi), `dynamic` and `plugin` (the two front doors), `cli` (the
`alicloud-versions` command), `emulator` (the local services, on its own). Every error the
package raises is exported here, exactly as `core.errors` lists its tree.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import servicecatalog as servicecatalog
    from . import webplus as webplus
    from .core.errors import *  # noqa: F403 (the error tree, `core.errors.__all__`)

__version__ = "0.1.0"

_LAZY_MODULES = ("servicecatalog", "webplus")


def _exported() -> list[str]:
    """The package's public names: the service modules and the error tree, which
    `core.errors.__all__` lists once."""
    errors = importlib.import_module(".core.errors", __name__)
    return sorted(["__version__", *_LAZY_MODULES, *errors.__all__])


def __getattr__(name: str) -> Any:
    # Everything is loaded on first use, `__all__` included, so that `alicloud_versions.emulator`
    # (which stands on its own) and the plugin load only what they need.
    if name in _LAZY_MODULES:
        value: Any = importlib.import_module(f".{name}", __name__)
    elif name == "__all__":
        value = _exported()
    elif name in _exported():
        value = getattr(importlib.import_module(".core.errors", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_exported()})
