"""A proxy's password in `alicloud-versions:httpProxy` never reaches the state in plain text, on
either front door (issue 23, item 5): the plugin marks the key secret in CheckConfig, and the
dynamic resources refuse it unless the stack config holds it as a secret.

The emulator is the proxy: the SDK sends each call to it in absolute form, and it answers as
the service the URL names.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pulumi import automation as auto
from pulumi.runtime import rpc

from tests.support.accounts import Account
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.engine import TOOLS
from tests.support.plugin import (
    EXAMPLE,
    VENV_BIN,
    account_plugin_config,
    search_path,
    yaml_project,
)

PASSWORD = "pr0xy-pa55-0000000000000001"


def _proxy(emulator: EmulatorProcess) -> str:
    """The emulator as an HTTP proxy, with user info."""
    return f"http://proxyuser:{PASSWORD}@{urlsplit(emulator.url).netloc}"


def _state(project: CliProject) -> str:
    path = project.backend / ".pulumi" / "stacks" / project.project / f"{project.stack}.json"
    return path.read_text() if path.exists() else ""


def test_the_plugin_keeps_a_plain_proxy_password_out_of_the_state(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """httpProxy set in plain text for the plugin: up works through the proxy, and the state
    holds the provider's httpProxy encrypted."""
    config = {
        **account_plugin_config(emulator_process, account),
        "alicloud-versions:httpProxy": auto.ConfigValue(_proxy(emulator_process)),
    }
    project = yaml_project(
        tmp_path, EXAMPLE.read_text(), config, path=search_path(TOOLS / "bin", VENV_BIN)
    )
    project.up()
    state = _state(project)
    assert "pkgVersionId" in state
    assert PASSWORD not in state
    providers = [
        r for r in project.export()["resources"] if r["type"].startswith("pulumi:providers:")
    ]
    assert providers
    for provider in providers:
        proxy = provider["inputs"]["httpProxy"]
        assert proxy[rpc._special_sig_key] == rpc._special_secret_sig, proxy


def test_the_dynamic_resources_refuse_a_plain_proxy_password(
    tmp_path: Path,
    emulator_process: EmulatorProcess,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """httpProxy set in plain text for the dynamic resources: up fails naming the key before
    anything is created or stored; set as a secret, up works and the state holds it
    encrypted."""
    project = CliProject(tmp_path, in_process=True)
    plain = {
        **stack_config,
        "reliability:pkgVersions": auto.ConfigValue("1"),
        "reliability:productVersions": auto.ConfigValue("1"),
        "alicloud-versions:httpProxy": auto.ConfigValue(_proxy(emulator_process)),
    }
    project.init(plain)
    failed = project.up(check=False)
    assert failed.returncode != 0
    assert "alicloud-versions:httpProxy is a secret" in failed.stdout + failed.stderr
    assert PASSWORD not in _state(project)

    project.run(
        "config", "set", "--secret", "alicloud-versions:httpProxy", _proxy(emulator_process)
    )
    project.up()
    state = _state(project)
    assert "release-app" in state
    assert PASSWORD not in state
