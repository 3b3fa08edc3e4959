"""A local emulator of Alibaba Cloud WebPlus 2019-03-20 and Service Catalog 2021-09-01."""

from .errors import ApiError
from .process import EmulatorControls, EmulatorProcess
from .server import FAILURE_KINDS, Emulator, FaultConfig
from .signing import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    DEFAULT_ACCOUNT_ID,
    AccessKey,
)

__all__ = [
    "DEFAULT_ACCESS_KEY_ID",
    "DEFAULT_ACCESS_KEY_SECRET",
    "DEFAULT_ACCOUNT_ID",
    "FAILURE_KINDS",
    "AccessKey",
    "ApiError",
    "Emulator",
    "EmulatorControls",
    "EmulatorProcess",
    "FaultConfig",
]
