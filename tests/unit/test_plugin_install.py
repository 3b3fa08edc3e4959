"""`alicloud-versions plugin install`: what it installs, and its failure without an engine."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from alicloud_versions import cli
from alicloud_versions._plugin_install import launcher


def test_launcher_runs_the_plugin_on_the_python_given(tmp_path: Path) -> None:
    """The installed executable runs `python -m alicloud_versions.plugin` with the engine's
    arguments, on the Python named (quoted: its path may hold spaces)."""
    python = tmp_path / "my env" / "python"
    python.parent.mkdir()
    python.write_text('#!/bin/sh\necho "$@"\n')
    python.chmod(0o755)
    exe = tmp_path / "pulumi-resource-alicloud-versions"
    exe.write_text(launcher(str(python)))
    exe.chmod(0o755)
    done = subprocess.run(
        [str(exe), "127.0.0.1:1234"], capture_output=True, text=True, check=True, timeout=30
    )
    assert done.stdout.split() == ["-m", "alicloud_versions.plugin", "127.0.0.1:1234"]


def test_install_without_an_engine_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no pulumi to run, the command fails naming PATH and PULUMI_COMMAND."""
    monkeypatch.setenv("PULUMI_COMMAND", "/nonexistent/pulumi")
    assert cli.main(["plugin", "install"]) == 1
    assert "put pulumi on PATH or set PULUMI_COMMAND" in capsys.readouterr().err
