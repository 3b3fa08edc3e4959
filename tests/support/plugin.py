"""A Pulumi YAML project on the provider plugin, driven through the CLI: the builders the plugin's
end-to-end and reliability tests share."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

from harness.config import plugin_config
from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT
from tests.support.stacks import plain_outputs

EXAMPLE = ROOT / "examples" / "yaml" / "Pulumi.yaml"
# Where the package's console scripts, the plugin among them, are installed.
VENV_BIN = Path(sys.executable).parent


def search_path(*first: Path) -> str:
    """PATH with `first` ahead, and without the virtual environment unless it is among them."""
    rest = [p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != VENV_BIN]
    return os.pathsep.join([*map(str, first), *rest])


def yaml_project(
    work: Path, program: str, config: dict[str, auto.ConfigValue], *, path: str
) -> CliProject:
    """A Pulumi YAML project running `program`, its stack configured, with PATH `path`."""
    name = yaml.safe_load(program)["name"]
    project = CliProject(work, project=name, env={"PATH": path})
    (project.dir / "__main__.py").unlink()
    (project.dir / "Pulumi.yaml").write_text(program)
    return project.init(config)


def account_plugin_config(
    emulator: EmulatorProcess, account: Account
) -> dict[str, auto.ConfigValue]:
    """The plugin's configuration: the emulator as `account`."""
    return plugin_config(emulator.url, account.access_key_id, account.access_key_secret)


def edit_program(project: CliProject, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in the project's program."""
    text = (project.dir / "Pulumi.yaml").read_text()
    assert old in text
    (project.dir / "Pulumi.yaml").write_text(text.replace(old, new))


def stack_outputs(project: CliProject) -> dict[str, Any]:
    """The stack's outputs, as `pulumi stack output --json --show-secrets` prints them: read
    from its checkpoint without that command, unless one of them is a secret, which only the
    engine decrypts."""
    found = plain_outputs(project.export())
    if found is None:
        shown: dict[str, Any] = json.loads(
            project.run("stack", "output", "--json", "--show-secrets").stdout
        )
        return shown
    return found
