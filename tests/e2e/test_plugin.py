"""The provider plugin on the real engine: the YAML example through its whole lifecycle."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from tests.support.accounts import Account, account_requests, servicecatalog_client, writes
from tests.support.emulator import EmulatorProcess
from tests.support.engine import TOOLS
from tests.support.plugin import (
    EXAMPLE,
    VENV_BIN,
    account_plugin_config,
    edit_program,
    search_path,
    stack_outputs,
    yaml_project,
)

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
    "portfolios": 0,
    "portfolio_products": 0,
    "portfolio_principals": 0,
}


def _counts(emulator_process: EmulatorProcess, account: Account) -> dict[str, int]:
    return {k: len(v) for k, v in emulator_process.inventory(account.account_id).items()}


def test_yaml_example_lifecycle(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """The YAML example, its plugin found on PATH: up creates the five resources with the secret
    key absent from the state, taking the project-level `config:` block on the installed engine
    and YAML host: a value set on the stack (`release`) overrides its default, and the defaults
    stand for the keys the stack leaves unset (`bucket`, `guidance`) (formerly
    test_yaml_example_takes_project_config_defaults_and_stack_values, which deployed the same
    stack first); an unchanged preview makes no API call; a guidance change updates in place and
    a release change replaces the package; refresh takes in a change made outside; every
    resource imports by its id and then diffs cleanly; destroy empties the account."""
    config = {
        **account_plugin_config(emulator_process, account),
        "release": auto.ConfigValue("v2.3"),
    }
    project = yaml_project(
        tmp_path, EXAMPLE.read_text(), config, path=search_path(TOOLS / "bin", VENV_BIN)
    )
    up = project.up()
    assert ON_PATH in up.stdout
    assert _counts(emulator_process, account) == CREATED
    held = emulator_process.inventory(account.account_id)
    [package] = held["pkg_versions"]
    assert package["PkgVersionLabel"] == "v2.3"
    assert package["SubmittedPackageSource"] == "oss://yaml-artifacts/yaml-shop/yaml-shop-v2.3.war"
    [version] = held["product_versions"]
    assert (version["ProductVersionName"], version["Guidance"]) == ("v2.3", "Recommended")
    out = stack_outputs(project)
    saved = (project.backend / ".pulumi" / "stacks" / project.project / "test.json").read_text()
    assert out["pkgVersionId"] in saved
    assert account.access_key_secret not in saved

    before = len(account_requests(emulator_process, account))
    project.run("preview", "--expect-no-changes")
    assert len(account_requests(emulator_process, account)) == before

    emulator_process.reset_log()
    edit_program(project, "default: Recommended", "default: Latest")
    project.up()
    assert writes(account_requests(emulator_process, account)) == ["UpdateProductVersion"]
    assert stack_outputs(project)["productVersionId"] == out["productVersionId"]

    # An in-place update of a parent previews as that update alone: the plugin answers the
    # preview, so the application's id stays known to everything built from it.
    edit_program(project, "appDescription: Web shop declared", "appDescription: Shop declared")
    steps = json.loads(project.run("preview", "--json").stdout)["steps"]
    assert {s["urn"].rsplit("::", 1)[1]: s["op"] for s in steps if s["op"] != "same"} == {
        "app": "update"
    }
    emulator_process.reset_log()
    project.up()
    assert writes(account_requests(emulator_process, account)) == ["UpdateApplication"]
    assert stack_outputs(project)["appId"] == out["appId"]

    # The release back to its default, itself changed: the stack that imports them below sets
    # no release either.
    project.run("config", "rm", "release")
    emulator_process.reset_log()
    edit_program(project, "default: v1.0", "default: v1.1")
    project.up()
    # The new label differs, so the new version is made before the old one goes.
    assert writes(account_requests(emulator_process, account)) == [
        "CreatePkgVersion",
        "UpdateProductVersion",
        "DeletePkgVersion",
    ]
    out = stack_outputs(project)
    held = emulator_process.inventory(account.account_id)
    assert [v["PkgVersionId"] for v in held["pkg_versions"]] == [out["pkgVersionId"]]

    from alibabacloud_servicecatalog20210901 import models

    servicecatalog_client(emulator_process, account).update_product_version(
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
    project.init_stack("imported")
    project.run(
        "config", "set-all", *_config_args(account_plugin_config(emulator_process, account))
    )
    emulator_process.reset_log()
    project.run("import", "--file", str(imports), "--yes", "--generate-code=false")
    assert writes(account_requests(emulator_process, account)) == []
    project.run("preview", "--expect-no-changes")
    # The first stack's destroy deletes what both stacks hold; the second one goes with the test.
    project.run("destroy", "--yes", "--skip-preview", "--stack", project.stack)
    # Service Catalog has no DeleteTemplate: only the uploaded template stays.
    assert _counts(emulator_process, account) == {**dict.fromkeys(CREATED, 0), "templates": 1}


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
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """With the plugin off PATH, a project's `plugins: providers:` entry points the engine at it."""
    program = EXAMPLE.read_text() + (
        f"plugins:\n  providers:\n    - name: alicloud-versions\n      path: {VENV_BIN}\n"
    )
    project = yaml_project(
        tmp_path,
        program,
        account_plugin_config(emulator_process, account),
        path=search_path(TOOLS / "bin"),
    )
    preview = project.run("preview")
    assert "+ 6 to create" in preview.stdout
    assert ON_PATH not in preview.stdout


SECRET_DESCRIPTION = "kept-secret-by-the-program"


def test_explicit_provider_resource_takes_the_configuration(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
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
      endpoint: {emulator_process.url}
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
    project = yaml_project(tmp_path, program, {}, path=search_path(TOOLS / "bin", VENV_BIN))
    project.up()
    assert _counts(emulator_process, account)["applications"] == 1
    held = json.dumps(project.export())
    assert account.access_key_secret not in held
    assert SECRET_DESCRIPTION not in held
    project.run("destroy", "--yes", "--skip-preview")
    assert _counts(emulator_process, account)["applications"] == 0


def _applications(n: int) -> str:
    return "".join(
        f"  app{i:02d}:\n    type: alicloud-versions:webplus:Application\n"
        f"    properties:\n      appName: app-{i:02d}\n"
        for i in range(n)
    )


# Long enough that a loaded machine (make test runs on parallel workers) starts all sixteen
# within one call's time.
LATENCY_MS = 3000
PARALLEL = 16


def test_plugin_serves_calls_concurrently(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """With `--parallel 16` and 3 s per API call, all 16 creates are in flight at once (the
    dynamic provider's host serves four at a time): each began less than 3 s after the first."""
    program = f"name: concurrency\nruntime: yaml\nresources:\n{_applications(PARALLEL)}"
    project = yaml_project(
        tmp_path,
        program,
        account_plugin_config(emulator_process, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    emulator_process.set_faults(latency_ms=LATENCY_MS)
    try:
        project.up("--parallel", str(PARALLEL))
    finally:
        emulator_process.set_faults()
    starts = sorted(
        datetime.fromisoformat(r["time"])
        for r in account_requests(emulator_process, account)
        if r["action"] == "CreateApplication"
    )
    assert len(starts) == PARALLEL
    # Each call lasts at least the latency, so calls that began within it of the first
    # were all running when the last of them began.
    in_flight = sum((t - starts[0]).total_seconds() * 1000 < LATENCY_MS for t in starts)
    assert in_flight == PARALLEL


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
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Through the plugin: a throttled create shows each retry beside its resource as it happens,
    and a failed create ends with its one-line message alone (no traceback, no gRPC prefix),
    which never shows the secret label, in its title or anywhere else."""
    project = yaml_project(
        tmp_path,
        FAILING,
        account_plugin_config(emulator_process, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    emulator_process.set_faults(
        failure_rate=1.0,
        failure_kinds=["Throttling"],
        actions=["CreateApplication"],
        max_failures=2,
    )
    try:
        done = project.up(check=False)
    finally:
        emulator_process.set_faults()
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
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Two package versions of one stack given the same label: the second fails naming the
    resource of the stack that holds the version, and does not advise adopting it (which would
    put one version under two resources)."""
    project = yaml_project(
        tmp_path,
        TWO_WITH_ONE_LABEL,
        account_plugin_config(emulator_process, account),
        path=search_path(TOOLS / "bin", VENV_BIN),
    )
    done = project.up(check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    [held] = emulator_process.inventory(account.account_id)["pkg_versions"]
    assert (
        f"the label belongs to version {held['PkgVersionId']}: resource 'web-1-5' of this "
        "stack manages it, and one version cannot be under two resources"
    ) in output
    assert "adopt_id" not in output
