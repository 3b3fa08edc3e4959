"""The lifecycle every generated SDK goes through on the real engine, against the emulator: the
YAML example's five resources declared by a program in that language (tests/e2e/programs/*),
driven one operation per run (`PROGRAM up|preview|refresh|destroy`, one JSON line out)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from alicloud_versions.plugin import schema
from tests.e2e.test_plugin import CREATED, _config_args, _counts, _imports
from tests.support.accounts import Account, account_requests, servicecatalog_client, writes
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.engine import TOOLS
from tests.support.plugin import VENV_BIN, account_plugin_config, search_path

PROGRAMS = Path(__file__).parent / "programs"
Drive = Callable[..., dict[str, Any]]


def sdk_project(work: Path, runtime: str) -> CliProject:
    """A project of `runtime` on a file backend, with the plugin installed in its Pulumi home
    (`alicloud-versions plugin install`) and not on its PATH."""
    project = CliProject(work, project="sdk-e2e", env={"PATH": search_path(TOOLS / "bin")})
    (project.dir / "__main__.py").unlink()
    (project.dir / "Pulumi.yaml").write_text(f"name: sdk-e2e\nruntime: {runtime}\n")
    subprocess.run(
        [str(VENV_BIN / "alicloud-versions"), "plugin", "install"],
        env=project.env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    return project


def driver(project: CliProject, argv: list[str], env: dict[str, str] | None = None) -> Drive:
    """Run `argv + [operation]` in the project; its JSON answer."""

    def drive(operation: str, stack: str = "test") -> dict[str, Any]:
        done = subprocess.run(
            [*argv, operation],
            cwd=project.dir,
            env={**project.env, **(env or {}), "STACK": stack},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{operation}:\n{done.stdout}\n{done.stderr}"
        said = done.stdout + done.stderr
        assert "from $PATH" not in said and "download" not in said.lower(), said
        found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return found

    return drive


def _changed(result: dict[str, Any]) -> dict[str, set[str]]:
    return {name: set(ops) for name, ops in result["ops"].items() if set(ops) != {"same"}}


def _state_shape(project: CliProject, stack: str = "test") -> dict[str, set[str]]:
    """Each resource's type -> the names of its outputs."""
    project.run("stack", "select", stack)
    return {
        r["type"]: set(r.get("outputs", {}))
        for r in project.export()["resources"]
        if r["type"].startswith("alicloud-versions:")
    }


def run_lifecycle(
    project: CliProject,
    drive: Drive,
    emulator: EmulatorProcess,
    account: Account,
    *,
    imports: bool = True,
) -> None:
    """Up from empty; an unchanged preview making no call; an in-place update and a replace,
    each shown by preview as what up then does; refresh taking in a change made outside;
    with `imports`, `pulumi import` of every resource, diffing cleanly against the program;
    destroy."""
    config: dict[str, auto.ConfigValue] = {
        **account_plugin_config(emulator, account),
        "sdk-e2e:bucket": auto.ConfigValue("sdk-artifacts"),
    }
    project.init(config)
    up = drive("up")
    assert up["summary"] == {"create": 6}, up  # the five and their default provider
    assert _counts(emulator, account) == CREATED
    out = up["outputs"]
    state = json.dumps(project.export())
    assert out["pkgVersionId"] in state
    assert account.access_key_secret not in state
    # The state holds every property the schema declares for each resource but the optional
    # inputs the program leaves out, as the YAML example's does.
    resources = schema()["resources"]
    for type_, outputs in _state_shape(project).items():
        assert outputs <= set(resources[type_]["properties"]), type_
        assert set(resources[type_]["required"]) <= outputs, (type_, outputs)

    before = len(account_requests(emulator, account))
    assert _changed(drive("preview")) == {}
    assert len(account_requests(emulator, account)) == before

    project.run("config", "set", "guidance", "Latest")
    assert _changed(drive("preview")) == {"productVersion": {"update"}}
    emulator.reset_log()
    drive("up")
    assert writes(account_requests(emulator, account)) == ["UpdateProductVersion"]

    project.run("config", "set", "release", "v1.1")
    assert _changed(drive("preview")) == {
        "package": {"create-replacement", "replace", "delete-replaced"},
        "productVersion": {"update"},
    }
    emulator.reset_log()
    out = drive("up")["outputs"]
    # The new label differs, so the new version is made before the old one goes.
    assert writes(account_requests(emulator, account)) == [
        "CreatePkgVersion",
        "UpdateProductVersion",
        "DeletePkgVersion",
    ]
    held = emulator.inventory(account.account_id)
    assert [v["PkgVersionId"] for v in held["pkg_versions"]] == [out["pkgVersionId"]]

    from alibabacloud_servicecatalog20210901 import models

    servicecatalog_client(emulator, account).update_product_version(
        models.UpdateProductVersionRequest(
            product_version_id=out["productVersionId"],
            product_version_name="v1.1",
            guidance="Deprecated",
        )
    )
    assert drive("refresh")["summary"].get("update") == 1
    versions = [r for r in project.export()["resources"] if r["type"].endswith(":ProductVersion")]
    assert versions[0]["outputs"]["guidance"] == "Deprecated"

    if imports:
        drive("up")  # the program puts its guidance back, which the imported stack reads
        import_all(project, config, out, drive, emulator, account)

    assert drive("destroy")["summary"] == {"delete": 6}
    # Service Catalog has no DeleteTemplate: only the uploaded template stays.
    assert _counts(emulator, account) == {**dict.fromkeys(CREATED, 0), "templates": 1}


def import_all(
    project: CliProject,
    config: dict[str, auto.ConfigValue],
    out: dict[str, Any],
    drive: Drive,
    emulator: EmulatorProcess,
    account: Account,
) -> None:
    """`pulumi import` of the five into a stack of their own, which the program then previews
    as unchanged; the stack goes, the resources stay."""
    imports = project.dir.parent / "imports.json"
    imports.write_text(json.dumps({"resources": _imports(out)}))
    project.init_stack("imported")
    project.run(
        "config",
        "set-all",
        *_config_args(config),
        "--plaintext",
        "sdk-e2e:guidance=Latest",
        "--plaintext",
        "sdk-e2e:release=v1.1",
    )
    emulator.reset_log()
    project.run("import", "--file", str(imports), "--yes", "--generate-code=false")
    assert writes(account_requests(emulator, account)) == []
    assert _changed(drive("preview", "imported")) == {}
    project.run("stack", "rm", "imported", "--force", "--yes")  # the resources stay
    project.run("stack", "select", "test")
