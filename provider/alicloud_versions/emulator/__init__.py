"""A local emulator of Alibaba Cloud WebPlus 2019-03-20 and Service Catalog 2021-09-01."""

from .errors import ApiError
from .faults import FAILURE_KINDS, KNOWN_ERRORS, ErrorFault, FaultConfig
from .process import ACCESS_KEYS_ENV, EmulatorControls, EmulatorProcess
from .server import Emulator
from .service import Service
from .services import SERVICES
from .signing import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_ACCOUNT_ID,
    AccessKey,
)

__all__ = [
    "ACCESS_KEYS_ENV",
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_ACCOUNT_ID",
    "FAILURE_KINDS",
    "KNOWN_ERRORS",
    "SERVICES",
    "AccessKey",
    "ApiError",
    "Emulator",
    "EmulatorControls",
    "EmulatorProcess",
    "ErrorFault",
    "FaultConfig",
    "Service",
]
