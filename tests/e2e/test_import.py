"""`pulumi import` through the provider plugin: the code the engine generates passes check and,
pasted as the program, previews with no change; a package version's id in the wrong form
fails in one line that says the right one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.test_plugin import _imports
from tests.support.accounts import Account, account_requests, writes
from tests.support.cli import CliError, CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.engine import TOOLS
from tests.support.plugin import (
    EXAMPLE,
    VENV_BIN,
    account_plugin_config,
    search_path,
    stack_outputs,
    yaml_project,
)

HEADER = "name: imported\nruntime: yaml\n"
APPLICATION = (
    HEADER + "resources:\n  app:\n    type: alicloud-versions:webplus:Application\n"
    "    properties:\n      appName: shop\noutputs:\n  appId: ${app.appId}\n"
)
# What the engine prints when the inputs read answers for an import fail the provider's check.
CHECK_WARNINGS = ("failed to validate", "almost certainly a bug")


def _values(code: dict[str, Any]) -> list[Any]:
    return [v for r in code["resources"].values() for v in r.get("properties", {}).values()]


def test_generated_yaml_passes_check_and_previews_unchanged(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """The YAML example's five resources imported into a project of their own with the code
    generated: the engine warns of no failed check, a package version's `packageSource` is its
    `packageUrl` (the API gives back no `oss://` source), a template is adopted by its URL (no
    API gives back its type or body), no input is a blank placeholder; pasted as the program, that
    code previews with no change and makes no write."""
    config = account_plugin_config(emulator_process, account)
    path = search_path(TOOLS / "bin", VENV_BIN)
    made = yaml_project(tmp_path / "made", EXAMPLE.read_text(), config, path=path)
    made.up()
    out = stack_outputs(made)

    project = yaml_project(tmp_path / "imported", HEADER, config, path=path)
    imports, generated = tmp_path / "imports.json", tmp_path / "generated.yaml"
    imports.write_text(json.dumps({"resources": _imports(out)}))
    emulator_process.reset_log()
    done = project.run("import", "--file", str(imports), "--yes", "--out", str(generated))
    said = done.stdout + done.stderr
    assert not [w for w in CHECK_WARNINGS if w in said], said
    assert writes(account_requests(emulator_process, account)) == []

    code = yaml.safe_load(generated.read_text())
    resources = code["resources"]
    assert set(resources) == {"app", "package", "template", "product", "productVersion"}
    assert resources["package"]["properties"]["packageSource"] == out["packageUrl"]
    assert resources["template"]["properties"] == {"adoptId": out["templateUrl"]}
    assert "" not in _values(code)

    (project.dir / "Pulumi.yaml").write_text(HEADER + generated.read_text())
    project.run("preview", "--expect-no-changes")
    up = project.run("up", "--yes", "--skip-preview", "--expect-no-changes")
    assert not [w for w in CHECK_WARNINGS if w in up.stdout + up.stderr]
    assert writes(account_requests(emulator_process, account)) == []


def test_pkg_version_import_id_in_the_wrong_form_fails_in_one_line(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """`pulumi import` of a package version by its bare id fails, before any API call, with
    one line naming the id's form `APP_ID:PKG_VERSION_ID` and where the application's id is;
    no traceback, nothing imported."""
    project = yaml_project(
        tmp_path,
        HEADER,
        account_plugin_config(emulator_process, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    emulator_process.reset_log()
    done = project.run(
        "import", "alicloud-versions:webplus:PkgVersion", "pkg", "wp-123", "--yes", check=False
    )
    said = done.stdout + done.stderr
    assert done.returncode != 0
    [line] = {
        line.split("error: ", 1)[1]
        .removeprefix("Preview failed: ")
        .removeprefix("preview failed: step application failed: ")
        for line in said.splitlines()
        if "import id 'wp-123'" in line
    }
    assert line.startswith("webplus.PkgVersion: import id 'wp-123' is not APP_ID:PKG_VERSION_ID")
    assert "app_id output of its webplus.Application resource" in line
    assert "WebPlus console" in line
    assert "Traceback" not in said and "Unexpected <class" not in said
    assert account_requests(emulator_process, account) == []
    held = project.export().get("resources") or []
    assert [r["type"] for r in held if r["type"] != "pulumi:pulumi:Stack"] == []


# The Python language host built here (v3.79, docs/development.md, "The Pulumi engine")
# predates code generation in language hosts.
NO_PYTHON_CODEGEN = (
    "`pulumi import --out` in a python project: the resources import, then 'error: method "
    "GenerateProgram not implemented' from the Python language host"
)


@pytest.mark.xfail(strict=True, raises=CliError, reason=NO_PYTHON_CODEGEN)
def test_python_project_import_generates_code(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """`pulumi import` in a Python project writes Python code for the plugin's SDK
    (`alicloud_versions_sdk`), as it writes YAML in a YAML project."""
    config = account_plugin_config(emulator_process, account)
    path = search_path(TOOLS / "bin", VENV_BIN)
    app = yaml_project(tmp_path / "made", APPLICATION, config, path=path)
    app.up()
    project = CliProject(tmp_path / "python", project="imported", env={"PATH": path})
    project.init(config)
    generated = tmp_path / "generated.py"
    app_id = stack_outputs(app)["appId"]
    project.run(
        "import", "alicloud-versions:webplus:Application", "app", app_id, "--yes",
        "--out", str(generated),
    )  # fmt: skip
    assert "alicloud_versions_sdk" in generated.read_text()
