"""``alicloud-versions plugin install``: the provider plugin into the engine's plugin cache."""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .core.config import PluginConfig
from .core.errors import AlicloudVersionsError

if TYPE_CHECKING:
    from .recover import Pulumi

__all__ = ["EXECUTABLE", "add_parser", "install", "launcher"]

NAME = PluginConfig.NAMESPACE
EXECUTABLE = f"pulumi-resource-{NAME}"


def launcher(python: str) -> str:
    """The plugin's executable: the plugin of this package, run by the Python that has it."""
    return f'#!/bin/sh\nexec {shlex.quote(python)} -m alicloud_versions.plugin "$@"\n'


def install(pulumi: Pulumi, python: str = sys.executable) -> str:
    """Install the plugin at this package's version with `pulumi plugin install --file`, in
    place of any copy there (one that ran another environment's Python); the version."""
    with tempfile.TemporaryDirectory() as folder:
        exe = Path(folder) / EXECUTABLE
        exe.write_text(launcher(python))
        exe.chmod(0o755)
        pulumi.run(
            "plugin", "install", "resource", NAME, __version__, "--file", folder, "--reinstall",
            stack=False,
        )  # fmt: skip
    return __version__


def add_parser(commands: Any) -> None:
    """Register ``plugin install`` on the command's subparsers."""
    plugin = commands.add_parser(
        "plugin",
        help="install the provider plugin where the Pulumi engine looks for it",
        description="Install the provider plugin (`pulumi-resource-alicloud-versions`) in the "
        "Pulumi plugin cache ($PULUMI_HOME/plugins, ~/.pulumi/plugins by default) at this "
        "package's version, running the Python this command runs on; then YAML, TypeScript, "
        "Go and Python programs using sdk/ find it with no PATH entry and no download. Runs "
        "the pulumi on PATH, or $PULUMI_COMMAND.",
    )
    actions = plugin.add_subparsers(dest="action", required=True)
    actions.add_parser("install", help="install (or replace) the plugin at this version")


def main(args: argparse.Namespace) -> int:
    """Run ``plugin install``; the exit status."""
    from .recover import Pulumi  # Pulumi's Automation API: only this command loads it

    try:
        version = install(Pulumi(Path.cwd()))
    except AlicloudVersionsError as exc:
        print(f"alicloud-versions plugin install: {exc}", file=sys.stderr)
        return 1
    print(
        f"Installed resource plugin {NAME} {version}, running {sys.executable}; "
        "`pulumi plugin ls` lists it."
    )
    return 0
