"""The provider plugin on the real engine: the YAML example through its whole lifecycle."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from tests.e2e.conftest import (
    Account,
    account_requests,
    servicecatalog_client,
    writes,
)
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT, TOOLS

EXAMPLE = ROOT / "examples" / "yaml" / "Pulumi.yaml"
# Where the package's console scripts, the plugin among them, are installed.
VENV_BIN = Path(sys.executable).parent
PLUGIN = "pulumi-resource-alicloud-versions"
ON_PATH = f"using {PLUGIN} from $PATH at {VENV_BIN / PLUGIN}"
CREATED = {
    "applications": 1,
    "pkg_versions": 1,
    "products": 1,
    "templates": 1,
    "product_versions": 1,
    "app_envs": 0,
    "provisioned_products": 0,
}


def _path(*first: Path) -> str:
    """PATH with `first` ahead, and without the virtual environment unless it is among them."""
    rest = [p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != VENV_BIN]
    return os.pathsep.join([*map(str, first), *rest])


def _project(
    work: Path, program: str, config: dict[str, auto.ConfigValue], *, path: str
) -> CliProject:
    """A Pulumi YAML project running `program`, its stack configured, with PATH `path`."""
    project = CliProject(work, project="alicloud-versions-yaml", env={"PATH": path})
    (project.dir / "__main__.py").unlink()
    (project.dir / "Pulumi.yaml").write_text(program)
    return project.init(config)


def _config(emulator: EmulatorProcess, account: Account) -> dict[str, auto.ConfigValue]:
    """The plugin's configuration: the emulator as `account`."""
    return {
        "alicloud-versions:endpoint": auto.ConfigValue(emulator.url),
        "alicloud-versions:accessKey": auto.ConfigValue(account.access_key_id),
        "alicloud-versions:secretKey": auto.ConfigValue(account.access_key_secret, secret=True),
    }


def _counts(emulator: EmulatorProcess, account: Account) -> dict[str, int]:
    return {k: len(v) for k, v in emulator.inventory(account.account_id).items()}


def _edit(project: CliProject, old: str, new: str) -> None:
    text = (project.dir / "Pulumi.yaml").read_text()
    assert old in text
    (project.dir / "Pulumi.yaml").write_text(text.replace(old, new))


def _outputs(project: CliProject) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(project.run("stack", "output", "--json").stdout)
    return found


def test_yaml_example_lifecycle(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """The YAML example, its plugin found on PATH: up creates the five resources with the secret
    key absent from the state; an unchanged preview makes no API call; a guidance change
    updates in place and a release change replaces the package; refresh takes in a change made
    outside; every resource imports by its id and then diffs cleanly; destroy empties the
    account."""
    project = _project(
        tmp_path,
        EXAMPLE.read_text(),
        _config(emulator, account),
        path=_path(TOOLS / "bin", VENV_BIN),
    )
    up = project.up()
    assert ON_PATH in up.stdout
    assert _counts(emulator, account) == CREATED
    out = _outputs(project)
    state = (project.backend / ".pulumi" / "stacks" / project.project / "test.json").read_text()
    assert out["pkgVersionId"] in state
    assert account.access_key_secret not in state

    before = len(account_requests(emulator, account))
    project.run("preview", "--expect-no-changes")
    assert len(account_requests(emulator, account)) == before

    emulator.reset_log()
    _edit(project, "default: Recommended", "default: Latest")
    project.up()
    assert writes(account_requests(emulator, account)) == ["UpdateProductVersion"]
    assert _outputs(project)["productVersionId"] == out["productVersionId"]

    # An in-place update of a parent previews as that update alone: the plugin answers the
    # preview, so the application's id stays known to everything built from it.
    _edit(project, "appDescription: Web shop declared", "appDescription: Shop declared")
    steps = json.loads(project.run("preview", "--json").stdout)["steps"]
    assert {s["urn"].rsplit("::", 1)[1]: s["op"] for s in steps if s["op"] != "same"} == {
        "app": "update"
    }
    emulator.reset_log()
    project.up()
    assert writes(account_requests(emulator, account)) == ["UpdateApplication"]
    assert _outputs(project)["appId"] == out["appId"]

    emulator.reset_log()
    _edit(project, "default: v1.0", "default: v1.1")
    project.up()
    # The new label differs, so the new version is made before the old one goes.
    assert writes(account_requests(emulator, account)) == [
        "CreatePkgVersion",
        "UpdateProductVersion",
        "DeletePkgVersion",
    ]
    out = _outputs(project)
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
    refresh = project.run("refresh", "--yes", "--skip-preview")
    assert "1 updated" in refresh.stdout
    versions = [r for r in project.export()["resources"] if r["type"].endswith(":ProductVersion")]
    assert versions[0]["outputs"]["guidance"] == "Deprecated"
    project.up()  # the program puts its guidance back

    imports = tmp_path / "imports.json"
    imports.write_text(json.dumps({"resources": _imports(out)}))
    project.run("stack", "init", "imported")
    project.run("config", "set-all", *_config_args(_config(emulator, account)))
    emulator.reset_log()
    project.run("import", "--file", str(imports), "--yes", "--generate-code=false")
    assert writes(account_requests(emulator, account)) == []
    project.run("preview", "--expect-no-changes")
    project.run("stack", "rm", "imported", "--force", "--yes")  # the resources stay
    project.run("stack", "select", "test")

    project.run("destroy", "--yes", "--skip-preview")
    # Service Catalog has no DeleteTemplate: only the uploaded template stays.
    assert _counts(emulator, account) == {**dict.fromkeys(CREATED, 0), "templates": 1}


def test_yaml_example_takes_project_config_defaults_and_stack_values(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """The YAML example's project-level `config:` block on the installed engine and YAML host: a
    value set on the stack (`release`) overrides its default, and the defaults stand for the
    keys the stack leaves unset (`bucket`, `guidance`)."""
    config = {**_config(emulator, account), "release": auto.ConfigValue("v2.3")}
    project = _project(tmp_path, EXAMPLE.read_text(), config, path=_path(TOOLS / "bin", VENV_BIN))
    project.up()
    held = emulator.inventory(account.account_id)
    [package] = held["pkg_versions"]
    assert package["PkgVersionLabel"] == "v2.3"
    assert package["SubmittedPackageSource"] == "oss://yaml-artifacts/yaml-shop/yaml-shop-v2.3.war"
    [version] = held["product_versions"]
    assert (version["ProductVersionName"], version["Guidance"]) == ("v2.3", "Recommended")
    project.run("destroy", "--yes", "--skip-preview")
    assert _counts(emulator, account) == {**dict.fromkeys(CREATED, 0), "templates": 1}


def _imports(out: dict[str, Any]) -> list[dict[str, str]]:
    """`pulumi import --file` entries for the example's five resources, under its names."""
    return [
        {"type": f"alicloud-versions:{type_}", "name": name, "id": id_}
        for type_, name, id_ in (
            ("webplus:Application", "app", out["appId"]),
            ("webplus:PkgVersion", "package", f"{out['appId']}:{out['pkgVersionId']}"),
            ("servicecatalog:Template", "template", out["templateUrl"]),
            ("servicecatalog:Product", "product", out["productId"]),
            ("servicecatalog:ProductVersion", "productVersion", out["productVersionId"]),
        )
    ]


def _config_args(config: dict[str, auto.ConfigValue]) -> list[str]:
    args: list[str] = []
    for key, value in config.items():
        args += ["--secret" if value.secret else "--plaintext", f"{key}={value.value}"]
    return args


def test_project_names_the_plugin_by_path(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """With the plugin off PATH, a project's `plugins: providers:` entry points the engine at it."""
    program = EXAMPLE.read_text() + (
        f"plugins:\n  providers:\n    - name: alicloud-versions\n      path: {VENV_BIN}\n"
    )
    project = _project(tmp_path, program, _config(emulator, account), path=_path(TOOLS / "bin"))
    preview = project.run("preview")
    assert "+ 6 to create" in preview.stdout
    assert ON_PATH not in preview.stdout


SECRET_DESCRIPTION = "kept-secret-by-the-program"


def test_explicit_provider_resource_takes_the_configuration(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """A `pulumi:providers:alicloud-versions` resource configured by its properties (the secret
    key a secret) serves the resources that name it; the key, and an input the program made
    secret, stay out of the state."""
    program = f"""name: explicit
runtime: yaml
resources:
  prov:
    type: pulumi:providers:alicloud-versions
    properties:
      endpoint: {emulator.url}
      accessKey: {account.access_key_id}
      secretKey:
        fn::secret: {account.access_key_secret}
  app:
    type: alicloud-versions:webplus:Application
    properties:
      appName: explicit-app
      appDescription:
        fn::secret: {SECRET_DESCRIPTION}
    options:
      provider: ${{prov}}
"""
    project = _project(tmp_path, program, {}, path=_path(TOOLS / "bin", VENV_BIN))
    project.up()
    assert _counts(emulator, account)["applications"] == 1
    state = json.dumps(project.export())
    assert account.access_key_secret not in state
    assert SECRET_DESCRIPTION not in state
    project.run("destroy", "--yes", "--skip-preview")
    assert _counts(emulator, account)["applications"] == 0


def _applications(n: int) -> str:
    return "".join(
        f"  app{i:02d}:\n    type: alicloud-versions:webplus:Application\n"
        f"    properties:\n      appName: app-{i:02d}\n"
        for i in range(n)
    )


LATENCY_MS = 1000
PARALLEL = 16


def test_plugin_serves_calls_concurrently(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """With `--parallel 16` and 1 s per API call, all 16 creates are in flight at once (the
    dynamic provider's host serves four at a time): each began less than 1 s after the first."""
    program = f"name: concurrency\nruntime: yaml\nresources:\n{_applications(PARALLEL)}"
    project = _project(
        tmp_path, program, _config(emulator, account), path=_path(TOOLS / "bin", VENV_BIN)
    )
    emulator.set_faults(latency_ms=LATENCY_MS)
    try:
        project.up("--parallel", str(PARALLEL))
    finally:
        emulator.set_faults()
    starts = sorted(
        datetime.fromisoformat(r["time"])
        for r in account_requests(emulator, account)
        if r["action"] == "CreateApplication"
    )
    assert len(starts) == PARALLEL
    # Each call lasts at least the latency, so calls that began within it of the first
    # were all running when the last of them began.
    in_flight = sum((t - starts[0]).total_seconds() * 1000 < LATENCY_MS for t in starts)
    assert in_flight == PARALLEL
    project.run("destroy", "--yes", "--skip-preview")


FAILING = """\
name: alicloud-versions-yaml
runtime: yaml
resources:
  app:
    type: alicloud-versions:webplus:Application
    properties:
      appName: shop
  pkg:
    type: alicloud-versions:webplus:PkgVersion
    properties:
      appId: wa-missing
      packageSource: oss://bucket/app.war
      pkgVersionLabel:
        fn::secret: hunter2-label
"""


def test_errors_and_retries_through_the_plugin(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """Through the plugin: a throttled create shows each retry beside its resource as it happens,
    and a failed create ends with its one-line message alone (no traceback, no gRPC prefix),
    which never shows the secret label, in its title or anywhere else."""
    project = _project(
        tmp_path, FAILING, _config(emulator, account), path=_path(TOOLS / "bin", VENV_BIN)
    )
    emulator.set_faults(
        failure_rate=1.0,
        failure_kinds=["Throttling"],
        actions=["CreateApplication"],
        max_failures=2,
    )
    try:
        done = project.up(check=False)
    finally:
        emulator.set_faults()
    output = done.stdout + done.stderr
    assert done.returncode != 0
    for attempt in (1, 2):
        assert (
            f'webplus.Application "shop": CreateApplication failed with Throttling.User '
            f"(attempt {attempt}); retrying in "
        ) in output
    assert "s retry limit (alicloud-versions:maxRetryTime)" in output
    lines = [line for line in output.splitlines() if "CreatePkgVersion failed" in line]
    assert lines and all(
        line.strip().startswith("error: webplus.PkgVersion: CreatePkgVersion failed: ")
        or " error: webplus.PkgVersion: CreatePkgVersion failed: " in line
        for line in lines
    ), lines
    assert "Traceback" not in output and "Unexpected <class" not in output
    assert "hunter2" not in output


TWO_WITH_ONE_LABEL = """\
name: alicloud-versions-yaml
runtime: yaml
resources:
  app:
    type: alicloud-versions:webplus:Application
    properties:
      appName: shop
  web-1-5:
    type: alicloud-versions:webplus:PkgVersion
    properties:
      appId: ${app.appId}
      packageSource: oss://bucket/app-1.5.war
      pkgVersionLabel: v1.5
  web-1-5-again:
    type: alicloud-versions:webplus:PkgVersion
    properties:
      appId: ${app.appId}
      packageSource: oss://bucket/app-1.5.war
      pkgVersionLabel: v1.5
    options:
      dependsOn:
        - ${web-1-5}
"""


def test_a_label_held_in_the_same_stack_names_its_resource(
    tmp_path: Path, emulator: EmulatorProcess, account: Account
) -> None:
    """Two package versions of one stack given the same label: the second fails naming the
    resource of the stack that holds the version, and does not advise adopting it (which would
    put one version under two resources)."""
    project = _project(
        tmp_path,
        TWO_WITH_ONE_LABEL,
        _config(emulator, account),
        path=_path(TOOLS / "bin", VENV_BIN),
    )
    done = project.up(check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    [held] = emulator.inventory(account.account_id)["pkg_versions"]
    assert (
        f"the label belongs to version {held['PkgVersionId']}: resource 'web-1-5' of this "
        "stack manages it, and one version cannot be under two resources"
    ) in output
    assert "adopt_id" not in output
