"""The generated Go SDK (sdk/go) on the real engine: a program on github.com/pulumi/pulumi/sdk/v3
from the Go module proxy, run inline by the Automation API."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.sdk_lifecycle import PROGRAMS, driver, run_lifecycle, sdk_project
from tests.support.accounts import Account
from tests.support.build_cache import built, content_key
from tests.support.cli import CliError
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT


@pytest.fixture(scope="module")
def program() -> Path:
    """The program built, kept in the per-user cache (beside the engine) under a digest of its
    sources: a later session with the same toolchain, program and sdk/go runs the same binary
    without building it again (a build took about a minute with a cold Go build cache, 4 CPU
    seconds with a warm one)."""
    version = subprocess.run(["go", "version"], capture_output=True, check=True, timeout=60)
    key = content_key([PROGRAMS / "go", ROOT / "sdk" / "go"], version.stdout.decode())
    return built("go-programs", key, _build) / "program"


def _build(into: Path) -> None:
    """The program's binary built as `into`/program."""
    subprocess.run(
        ["go", "build", "-trimpath", "-o", str(into / "program"), "."],
        cwd=PROGRAMS / "go",
        check=True,
        capture_output=True,
        timeout=1200,
    )


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
