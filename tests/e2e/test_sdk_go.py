"""The generated Go SDK (sdk/go) on the real engine: a program on github.com/pulumi/pulumi/sdk/v3
from the Go module proxy, run inline by the Automation API."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.sdk_lifecycle import PROGRAMS, driver, run_lifecycle, sdk_project
from tests.support.accounts import Account
from tests.support.cli import CliError
from tests.support.emulator import EmulatorProcess


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The program built (with the Go build cache: seconds once built, about a minute before)."""
    out = tmp_path_factory.mktemp("go") / "program"
    subprocess.run(
        ["go", "build", "-trimpath", "-o", str(out), "."],
        cwd=PROGRAMS / "go",
        check=True,
        capture_output=True,
        timeout=1200,
    )
    return out


def test_go_program_lifecycle(
    tmp_path: Path, program: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """The Go program through the installed plugin: the lifecycle of `run_lifecycle` but the
    import (below), with no Go language host, no PATH entry for the plugin and no download."""
    project = sdk_project(tmp_path, "go")
    run_lifecycle(
        project, driver(project, [str(program)]), emulator_process, account, imports=False
    )


# `pulumi import` loads the project's language host even with --generate-code=false, and none
# is built for Go here (only the Python and YAML hosts are; docs/development.md, "The Pulumi
# engine").
NO_GO_HOST = (
    "`pulumi import` in a go project: 'failed to load language plugin go: no language plugin "
    "'pulumi-language-go' found in the workspace or on your $PATH'"
)


@pytest.mark.xfail(strict=True, raises=CliError, reason=NO_GO_HOST)
def test_go_project_imports(
    tmp_path: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """`pulumi import` works in a Go project (it does in YAML and Python ones)."""
    project = sdk_project(tmp_path, "go")
    project.init({})
    project.run("import", "alicloud-versions:webplus:Application", "app", "wa-1", "--yes")
