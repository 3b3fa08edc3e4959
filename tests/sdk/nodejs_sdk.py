"""The generated TypeScript SDK compiled and installed under its npm name, as a user's
project has it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.support.engine import ROOT


def tsc(folder: Path, modules: Path) -> None:
    """Compile the TypeScript project in `folder` with the tsc of `modules` (its packages
    resolve from the node_modules of `folder`'s parents)."""
    done = subprocess.run(
        ["node", str(modules / "typescript" / "bin" / "tsc"), "-p", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def install(work: Path) -> Path:
    """`work`/node_modules: scripts/node's packages (from its lockfile, cached) and
    `pulumi-alicloud-versions`, sdk/nodejs compiled by tsc; TypeScript projects in folders of
    `work` compile against it."""
    cached = Path(
        subprocess.run(
            [str(ROOT / "scripts" / "node-modules")],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout.strip()
    )
    modules = work / "node_modules"
    modules.mkdir()
    for entry in cached.iterdir():
        (modules / entry.name).symlink_to(entry)
    sdk = work / "sdk"
    shutil.copytree(ROOT / "sdk" / "nodejs", sdk)
    tsc(sdk, modules)
    shutil.copy(sdk / "package.json", sdk / "bin")  # where the SDK reads its version
    (modules / "pulumi-alicloud-versions").symlink_to(sdk / "bin")
    return modules
