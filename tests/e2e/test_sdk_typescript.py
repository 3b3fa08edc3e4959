"""The generated TypeScript SDK (sdk/nodejs) on the real engine: a program compiled with `tsc`
against @pulumi/pulumi from the npm registry, run inline by the Automation API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.sdk_lifecycle import PROGRAMS, driver, run_lifecycle, sdk_project
from tests.sdk.nodejs_sdk import install, tsc
from tests.support.accounts import Account
from tests.support.cli import CliError
from tests.support.emulator import EmulatorProcess


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The program compiled against the SDK compiled and installed under its npm name."""
    work = tmp_path_factory.mktemp("typescript")
    modules = install(work)
    shutil.copytree(PROGRAMS / "typescript", work / "program")
    tsc(work / "program", modules)
    return work / "program" / "bin" / "main.js"


def test_typescript_program_lifecycle(
    tmp_path: Path, program: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """The TypeScript program through the installed plugin: the lifecycle of `run_lifecycle`
    but the import (below), with no Node language host, no PATH entry for the plugin and no
    download."""
    project = sdk_project(tmp_path, "nodejs")
    drive = driver(project, ["node", str(program)])
    run_lifecycle(project, drive, emulator_process, account, imports=False)


# `pulumi import` loads the project's language host even with --generate-code=false, and the
# Go module proxy serves no Node language host to build (docs/development.md, "The Pulumi engine").
NO_NODE_HOST = (
    "`pulumi import` in a nodejs project: 'failed to load language plugin nodejs: no language "
    "plugin 'pulumi-language-nodejs' found in the workspace or on your $PATH'"
)


@pytest.mark.xfail(strict=True, raises=CliError, reason=NO_NODE_HOST)
def test_typescript_project_imports(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """`pulumi import` works in a TypeScript project (it does in YAML and Python ones)."""
    project = sdk_project(tmp_path, "nodejs")
    project.init({})
    project.run("import", "alicloud-versions:webplus:Application", "app", "wa-1", "--yes")
