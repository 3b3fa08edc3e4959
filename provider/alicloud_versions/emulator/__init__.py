"""A local emulator of Alibaba Cloud WebPlus 2019-03-20 and Service Catalog 2021-09-01."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._exports import lazy_exports

if TYPE_CHECKING:  # what each name is, for type checkers (the `as` re-exports it)
    from .command import ACCESS_KEYS_ENV as ACCESS_KEYS_ENV
    from .errors import ApiError as ApiError
    from .faults import FAILURE_KINDS as FAILURE_KINDS
    from .faults import KNOWN_ERRORS as KNOWN_ERRORS
    from .faults import ErrorFault as ErrorFault
    from .faults import FaultConfig as FaultConfig
    from .process import EmulatorControls as EmulatorControls
    from .process import EmulatorProcess as EmulatorProcess
    from .server import Emulator as Emulator
    from .service import Service as Service
    from .services import SERVICES as SERVICES
    from .signing import DEFAULT_ACCESS_KEY_ID as DEFAULT_ACCESS_KEY_ID
    from .signing import DEFAULT_ACCESS_KEY_SECRET as DEFAULT_ACCESS_KEY_SECRET
    from .signing import DEFAULT_ACCOUNT_ID as DEFAULT_ACCOUNT_ID
    from .signing import AccessKey as AccessKey

# Each public name and its module, loaded on first use: the emulator's own process
# (`python -m alicloud_versions.emulator`) then never imports the spawner's side (`process`:
# subprocess, urllib.request), which serving does not need and which each start paid for.
_EXPORTS = {
    "ACCESS_KEYS_ENV": "command",
    "ApiError": "errors",
    "FAILURE_KINDS": "faults",
    "KNOWN_ERRORS": "faults",
    "ErrorFault": "faults",
    "FaultConfig": "faults",
    "EmulatorControls": "process",
    "EmulatorProcess": "process",
    "Emulator": "server",
    "Service": "service",
    "SERVICES": "services",
    "DEFAULT_ACCESS_KEY_ID": "signing",
    "DEFAULT_ACCESS_KEY_SECRET": "signing",
    "DEFAULT_ACCOUNT_ID": "signing",
    "AccessKey": "signing",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
