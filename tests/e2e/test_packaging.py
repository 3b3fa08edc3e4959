"""The built distributions work on their own: `python -m build` makes a wheel and an sdist
that install into clean virtual environments, which then run the emulator and a stack."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from uv import find_uv_bin

from harness.config import emulator_config
from tests.support.cli import CliProject
from tests.support.emulator import EmulatorProcess
from tests.support.engine import ROOT

DEFAULT_ACCOUNT = "1234567890123456"
PROGRAM = """\
import pulumi

import alicloud_versions
from alicloud_versions import webplus

app = webplus.Application("app", app_name="packaged")
pkg = webplus.PkgVersion(
    "pkg", app_id=app.app_id, package_source="oss://dist-check/app.war", pkg_version_label="1.0"
)
pulumi.export("module", alicloud_versions.__file__)
pulumi.export("pkg_version_id", pkg.pkg_version_id)
"""


def _run(*cmd: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    assert done.returncode == 0, f"{cmd} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_venv(path: Path, artifact: Path) -> Path:
    """A fresh virtual environment with `artifact` installed (dependencies at the lock's
    versions); its bin directory."""
    uv = find_uv_bin()
    _run(uv, "venv", "--quiet", "--seed", "--python", sys.executable, path)
    _run(
        uv,
        "pip",
        "install",
        "--quiet",
        "-c",
        ROOT / "constraints.txt",
        artifact,
        env={"VIRTUAL_ENV": str(path)},
    )
    return path / "bin"


def test_wheel_and_sdist_install_and_run_on_their_own(tmp_path: Path) -> None:
    """The sdist's installed `alicloud-versions-emulator` serves a stack whose program and
    provider import the package from the wheel's environment: up creates, destroy deletes."""
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--installer", "uv", "--outdir", dist, ROOT)
    [wheel], [sdist] = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    from_wheel = _clean_venv(tmp_path / "venv-wheel", wheel)
    from_sdist = _clean_venv(tmp_path / "venv-sdist", sdist)

    emulator_process = EmulatorProcess(
        tmp_path / "emulator.sqlite", command=[str(from_sdist / "alicloud-versions-emulator")]
    ).start()
    try:
        project = CliProject(
            tmp_path,
            program=PROGRAM,
            project="packaged",
            env={"PULUMI_PYTHON_CMD": str(from_wheel / "python")},
        )
        project.init(emulator_config(emulator_process.url, region=None))
        project.up()
        outputs = json.loads(project.run("stack", "output", "--json").stdout)
        assert Path(outputs["module"]).is_relative_to(tmp_path / "venv-wheel"), outputs
        held = emulator_process.inventory(DEFAULT_ACCOUNT)
        assert [p["PkgVersionId"] for p in held["pkg_versions"]] == [outputs["pkg_version_id"]]

        project.run("destroy", "--yes")
        held = emulator_process.inventory(DEFAULT_ACCOUNT)
        assert held["applications"] == held["pkg_versions"] == []
    finally:
        emulator_process.stop()


def test_a_clone_builds_after_pip_installed_it(tmp_path: Path) -> None:
    """`pip install ./clone` leaves no `build/` folder in the clone (setuptools builds in
    `.build/`, setup.cfg), which would shadow the `build` package: `python -m build` then run
    in that clone writes a wheel and an sdist."""
    clone = tmp_path / "clone"
    # The tree as committed and as edited: every tracked file, as a fresh clone has them.
    for name in _run("git", "-C", ROOT, "ls-files", "-z").split("\0"):
        if name and (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    uv = find_uv_bin()
    venv = tmp_path / "venv"
    _run(uv, "venv", "--quiet", "--seed", "--python", sys.executable, venv)
    _run(uv, "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", "build",
         env={"VIRTUAL_ENV": str(venv)})  # fmt: skip
    # pip itself, as a user runs it: it builds in the clone's own folder.
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", clone)
    assert not (clone / "build").exists()

    path = os.pathsep.join([str(Path(uv).parent), os.environ["PATH"]])
    _run(venv / "bin" / "python", "-m", "build", "--installer", "uv", cwd=clone, env={"PATH": path})
    assert sorted(p.suffix for p in (clone / "dist").iterdir()) == [".gz", ".whl"]
