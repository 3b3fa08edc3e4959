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

import pytest

from tests.sdk.nodejs_sdk import tsc
from tests.support.engine import ROOT

SDK = ROOT / "sdk"
# A TypeScript user's project: Node's own module resolution, strict.
TS_OPTIONS = {
    "target": "ES2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "types": ["node"],
    "strict": True,
    "noEmit": True,
}


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


def test_nodejs_sdk_compiles_with_tsc(node_modules: Path) -> None:
    """`tsc` compiles the nodejs SDK, with its own tsconfig, against @pulumi/pulumi."""
    assert (node_modules / "pulumi-alicloud-versions" / "webplus" / "pkgVersion.d.ts").is_file()


def test_python_sdk_imports_with_every_resource(python_sdk: Path) -> None:
    """The Python SDK, installed by pip, imports with each resource class and its `*Args`
    under its module."""
    out = _run(
        [
            sys.executable,
            "-c",
            "import alicloud_versions_sdk as s; print(s.webplus.Application, s.webplus.PkgVersion,"
            " s.webplus.AppEnvArgs, s.servicecatalog.Template, s.servicecatalog.Product,"
            " s.servicecatalog.ProductVersionArgs, s.servicecatalog.Portfolio,"
            " s.servicecatalog.ProductPortfolioAssociation,"
            " s.servicecatalog.PrincipalPortfolioAssociation,"
            " s.servicecatalog.ProvisionedProductArgs, s.Provider)",
        ],
        ROOT,
        PYTHONPATH=str(python_sdk),
    )
    assert "alicloud_versions_sdk.servicecatalog.product_version.ProductVersionArgs" in out
    assert "alicloud_versions_sdk.servicecatalog.provisioned_product.ProvisionedProductArgs" in out


# A call to a generated `*Args` class, its label input spelled as given.
ARGS_CALL = """\
    from alicloud_versions_sdk import webplus
    webplus.PkgVersionArgs(app_id="wa-1", package_source="oss://b/app.war", {label}="1.5")
"""


@pytest.fixture(scope="module")
def mypy_run(tmp_path_factory: pytest.TempPathFactory, python_sdk: Path) -> tuple[str, list[str]]:
    """One mypy run against the installed Python SDK (a run costs several CPU seconds, most of
    them reading the SDK and `pulumi`) over the pages' Python examples, the `*Args` call spelled
    right (good.py) and misspelled (bad.py): its output and its error lines."""
    work = tmp_path_factory.mktemp("mypy")
    for name, code in _examples("python").items():
        (work / f"{name}.py").write_text(code)
    (work / "good.py").write_text(textwrap.dedent(ARGS_CALL.format(label="pkg_version_label")))
    (work / "bad.py").write_text(textwrap.dedent(ARGS_CALL.format(label="pkg_version_lable")))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent", "."],
        cwd=work,
        env={**os.environ, "MYPYPATH": str(python_sdk)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    # 1: errors found (bad.py's, at least); 2 would be mypy failing to run.
    assert done.returncode == 1, output
    return output, [line for line in done.stdout.splitlines() if ": error:" in line]


def test_python_sdk_misspelled_input_fails_type_checking(mypy_run: tuple[str, list[str]]) -> None:
    """mypy rejects a misspelled input to a generated `*Args` class (and accepts it spelled
    right)."""
    output, errors = mypy_run
    assert errors, output
    assert [line for line in errors if not line.startswith(("bad.py:", "./bad.py:"))] == [], output
    assert any('"pkg_version_lable"' in line for line in errors), output


def _examples(language: str) -> dict[str, str]:
    """Each resource page's example in `language`: page name -> code."""
    found = {}
    for page in sorted((SDK / "docs").glob("*/*.md")):
        text = page.read_text()
        found[f"{page.parent.name}_{page.stem}"] = text.split(f"```{language}\n")[1].split("```")[0]
    return found


def test_every_resource_page_has_an_example_per_language() -> None:
    """sdk/docs has a page per resource of the schema, each with a TypeScript, Go, Python and
    YAML example."""
    from alicloud_versions.plugin import schema

    pages = {f"{p.parent.name}:{p.stem}" for p in (SDK / "docs").glob("*/*.md")}
    assert pages == {t.split(":", 1)[1] for t in schema()["resources"]}
    for language in ("typescript", "go", "python", "yaml"):
        assert len(_examples(language)) == len(pages), language


def test_typescript_examples_compile(tmp_path: Path, node_modules: Path) -> None:
    """The pages' TypeScript examples compile with tsc against the SDK."""
    work = node_modules.parent / "examples"
    work.mkdir()
    for name, code in _examples("typescript").items():
        (work / f"{name}.ts").write_text(code)
    config = {"compilerOptions": TS_OPTIONS, "include": ["*.ts"]}
    (work / "tsconfig.json").write_text(json.dumps(config))
    tsc(work, node_modules)


def test_python_examples_type_check(mypy_run: tuple[str, list[str]]) -> None:
    """The pages' Python examples pass mypy against the SDK: the run's only errors are
    bad.py's."""
    output, errors = mypy_run
    assert [line for line in errors if not line.startswith(("bad.py:", "./bad.py:"))] == [], output
    assert "in 1 file" in output, output  # "Found N errors in 1 file"


def test_go_examples_build(tmp_path: Path) -> None:
    """The pages' Go examples build and vet against the SDK (each its own main package)."""
    for name, code in _examples("go").items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.go").write_text(code)
    sdk_mod = (SDK / "go" / "go.mod").read_text()
    module = sdk_mod.split()[1]
    (tmp_path / "go.mod").write_text(
        f"module docs-examples\n\ngo 1.25\n\nreplace {module} => {SDK / 'go'}\n"
    )
    shutil.copy(SDK / "go" / "go.sum", tmp_path / "go.sum")
    _run(["go", "mod", "edit", f"-require={module}@v0.0.0"], tmp_path)
    _run(["go", "mod", "tidy"], tmp_path)
    _run(["go", "vet", "-trimpath", "./..."], tmp_path)
