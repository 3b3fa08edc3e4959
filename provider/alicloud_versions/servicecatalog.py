"""The Service Catalog resources of the dynamic front door
(`alicloud_versions.dynamic.servicecatalog`), under the name programs import (and providers
serialized into existing states refer to)."""

from .dynamic.servicecatalog import *  # noqa: F403 - this module is that one's public name
from .dynamic.servicecatalog import __all__ as __all__
