"""`pulumi-resource-alicloud-versions`: the resources as a Pulumi provider plugin, for any language.

The engine starts the plugin as it starts any `pulumi-resource-NAME` executable on PATH (the
package installs it as a console script) or at the path a project's `plugins:` names.
"""

from __future__ import annotations

from ._provider import WORKERS, AlicloudVersionsProvider
from ._schema import CONFIG, PACKAGE, schema, token

__all__ = ["CONFIG", "PACKAGE", "WORKERS", "AlicloudVersionsProvider", "main", "schema", "token"]


def main() -> None:
    """Serve the provider protocol on a loopback port, printed on stdout for the engine, until
    the engine whose address is the first argument is gone."""
    import sys

    from .. import __version__
    from .._engine_log import install
    from .._watch import watch_own_engine
    from ._serve import serve

    watch_own_engine(sys.argv[1:])
    install(sys.argv[1:])
    serve(sys.argv[1:], __version__, AlicloudVersionsProvider())
