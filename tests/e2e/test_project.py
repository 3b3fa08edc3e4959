"""The repository's own entry points: the quickstart project and `scripts/demo.py`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT, engine_env
from tests.support.stacks import outputs, project_stack, unique_stack_name

# The quickstart: an application, two package versions, a template, a product and two product
# versions, and the stack itself.
QUICKSTART_RESOURCES = 8
# What `pulumi stack output --json` of the quickstart holds: name -> how many ids.
QUICKSTART_OUTPUTS = {
    "app_id": 1,
    "pkg_version_ids": 2,
    "product_id": 1,
    "template_url": 1,
    "product_version_ids": 2,
}


def _ids(found: dict[str, Any]) -> dict[str, list[str]]:
    """Each quickstart output as a list of the ids it holds."""
    return {key: value if isinstance(value, list) else [value] for key, value in found.items()}


def test_quickstart_project_deploys_through_the_language_host(
    tmp_path: Path,
    stack_config: dict[str, auto.ConfigValue],
    emulator_process: EmulatorProcess,
    account: Account,
) -> None:
    """The quickstart project (Pulumi.yaml, run by the Python language host) creates its eight
    resources, then has nothing to change, and destroy empties the account."""
    with project_stack(tmp_path, stack_config) as stack:
        up = stack.up()
        assert up.summary.resource_changes == {"create": QUICKSTART_RESOURCES}
        out = _ids(outputs(stack))
        assert {key: len(ids) for key, ids in out.items()} == QUICKSTART_OUTPUTS

        held = emulator_process.inventory(account.account_id)
        assert [a["AppId"] for a in held["applications"]] == out["app_id"]
        assert sorted(p["PkgVersionId"] for p in held["pkg_versions"]) == sorted(
            out["pkg_version_ids"]
        )
        assert sorted(p["PkgVersionLabel"] for p in held["pkg_versions"]) == ["1.4", "1.5"]
        assert [p["ProductId"] for p in held["products"]] == out["product_id"]
        assert [t["TemplateUrl"] for t in held["templates"]] == out["template_url"]
        assert sorted(v["ProductVersionId"] for v in held["product_versions"]) == sorted(
            out["product_version_ids"]
        )

        again = stack.up()
        assert again.summary.resource_changes == {"same": QUICKSTART_RESOURCES}

        down = stack.destroy()
        assert down.summary.resource_changes == {"delete": QUICKSTART_RESOURCES}
        held = emulator_process.inventory(account.account_id)
        # Service Catalog has no DeleteTemplate: only the uploaded template body stays.
        assert {kind: len(records) for kind, records in held.items()} == {
            "applications": 0,
            "pkg_versions": 0,
            "products": 0,
            "templates": 1,
            "product_versions": 0,
            "app_envs": 0,
            "provisioned_products": 0,
            "portfolios": 0,
            "portfolio_products": 0,
            "portfolio_principals": 0,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_script_deploys_then_changes_nothing_then_destroys(tmp_path: Path) -> None:
    """`scripts/demo.py` starts its own emulator, deploys and prints the outputs, a second run
    reports everything unchanged, and `--destroy` deletes the stack and stops the emulator."""
    port, stack = _free_port(), unique_stack_name()
    state = tmp_path / "state"
    env = {
        **os.environ,
        **engine_env(tmp_path / "backend", tmp_path / "pulumi-home"),
        "PYTHONUNBUFFERED": "1",
    }
    (tmp_path / "backend").mkdir()
    base = [sys.executable, str(ROOT / "scripts" / "demo.py"), "--port", str(port)]
    base += ["--stack", stack, "--state-dir", str(state)]

    def demo(*extra: str) -> str:
        done = subprocess.run(
            [*base, *extra], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    url = f"http://127.0.0.1:{port}"
    try:
        first = demo()
        assert f"started the emulator at {url}" in first
        printed = json.loads(first[first.index("\n{") : first.index("\n}") + 2])
        out = _ids(printed)
        assert {key: len(ids) for key, ids in out.items()} == QUICKSTART_OUTPUTS
        assert f"{QUICKSTART_RESOURCES} created" in first

        second = demo()
        assert f"reusing the emulator already answering at {url}" in second
        assert f"{QUICKSTART_RESOURCES} unchanged" in second
        assert "created" not in second
        assert json.loads(second[second.index("\n{") : second.index("\n}") + 2]) == printed

        with urllib.request.urlopen(f"{url}/_emulator/inventory", timeout=10) as resp:
            accounts = json.load(resp)["accounts"]
        (held,) = accounts.values()
        assert [a["AppId"] for a in held["applications"]] == out["app_id"]

        down = demo("--destroy")
        assert f"{QUICKSTART_RESOURCES} deleted" in down
        assert "stopped the emulator" in down
        assert (state / "emulator.sqlite").exists()
        assert not (state / "emulator.pid").exists()
    finally:
        # Whatever happened: no emulator left running, no stack config left in the repository.
        subprocess.run([*base, "--stop"], env=env, capture_output=True, timeout=60, check=False)
        (ROOT / f"Pulumi.{stack}.yaml").unlink(missing_ok=True)
