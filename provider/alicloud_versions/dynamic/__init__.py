"""The dynamic front door: `pulumi.dynamic` resources whose providers run the resource core.

`webplus` and `servicecatalog`, a package per service with a module per resource, are generated
from the core's declarations (`scripts/generate.py`); `_provider` translates each
`pulumi.dynamic` call into the core.
"""
