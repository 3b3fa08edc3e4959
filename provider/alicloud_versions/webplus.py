"""The WebPlus resources of the dynamic front door (`alicloud_versions.dynamic.webplus`), under
the name programs import (and providers serialized into existing states refer to)."""

from .dynamic.webplus import *  # noqa: F403 - this module is that one's public name
from .dynamic.webplus import __all__ as __all__
