"""The SDKs under sdk/ are what Pulumi's code generators write from the plugin's schema today,
and each compiles with its language's own tools."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support.engine import ROOT

SDK = ROOT / "sdk"


def _run(args: list[str], cwd: Path, *, timeout: float = 900, **env: str) -> str:
    """Run `args` in `cwd` (a missing tool is a failure, never a skip); its output."""
    done = subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def node_modules() -> Path:
    """The Node packages of scripts/node, installed from its lockfile (cached per lockfile)."""
    return Path(_run([str(ROOT / "scripts" / "node-modules")], ROOT).strip())


def test_regenerating_the_sdks_changes_nothing() -> None:
    """sdk/nodejs, sdk/go and sdk/python are what `make sdk` writes from today's schema."""
    _run([sys.executable, str(ROOT / "scripts" / "gen_sdk.py"), "--check"], ROOT)


def test_every_sdk_names_the_plugin_at_the_schema_version() -> None:
    """Each SDK asks the engine for the plugin `alicloud-versions` at the package's version, so
    the engine starts the installed plugin (`alicloud-versions plugin install`)."""
    from alicloud_versions.plugin import schema

    expected = {"resource": True, "name": "alicloud-versions", "version": schema()["version"]}
    for found in (
        SDK / "go" / "alicloudversions" / "pulumi-plugin.json",
        SDK / "python" / "alicloud_versions_sdk" / "pulumi-plugin.json",
    ):
        assert json.loads(found.read_text()) == expected, found
    assert json.loads((SDK / "nodejs" / "package.json").read_text())["pulumi"] == expected


def test_go_sdk_builds_and_vets() -> None:
    """`go vet` (which builds) passes on the Go SDK against the engine's sdk/v3."""
    _run(["go", "vet", "-trimpath", "./..."], SDK / "go")


def test_nodejs_sdk_compiles_with_tsc(tmp_path: Path) -> None:
    """`tsc` compiles the nodejs SDK, with its own tsconfig, against @pulumi/pulumi."""
    work = tmp_path / "nodejs"
    shutil.copytree(SDK / "nodejs", work)
    (work / "node_modules").symlink_to(node_modules())
    _run(["node", str(work / "node_modules" / "typescript" / "bin" / "tsc"), "-p", "."], work)
    assert (work / "bin" / "webplus" / "pkgVersion.d.ts").is_file()


def test_python_sdk_imports_with_every_resource(python_sdk: Path) -> None:
    """The Python SDK, installed by pip, imports with each resource class and its `*Args`
    under its module."""
    out = _run(
        [
            sys.executable,
            "-c",
            "import alicloud_versions_sdk as s; print(s.webplus.Application, s.webplus.PkgVersion,"
            " s.servicecatalog.Template, s.servicecatalog.Product,"
            " s.servicecatalog.ProductVersionArgs, s.Provider)",
        ],
        ROOT,
        PYTHONPATH=str(python_sdk),
    )
    assert "alicloud_versions_sdk.servicecatalog.product_version.ProductVersionArgs" in out


def test_python_sdk_misspelled_input_fails_type_checking(tmp_path: Path, python_sdk: Path) -> None:
    """mypy rejects a misspelled input to a generated `*Args` class (and accepts it spelled
    right)."""
    call = """\
        from alicloud_versions_sdk import webplus
        webplus.PkgVersionArgs(app_id="wa-1", package_source="oss://b/app.war", {label}="1.5")
    """
    (tmp_path / "good.py").write_text(textwrap.dedent(call.format(label="pkg_version_label")))
    (tmp_path / "bad.py").write_text(textwrap.dedent(call.format(label="pkg_version_lable")))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent"]
        + ["good.py", "bad.py"],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(python_sdk)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert errors, done.stdout + done.stderr
    assert all(line.startswith("bad.py:") for line in errors), done.stdout
    assert any('"pkg_version_lable"' in line for line in errors), done.stdout
