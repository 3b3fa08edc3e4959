"""The generated TypeScript SDK compiled and installed under its npm name, as a user's
project has it, compiled once per content."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.support.build_cache import built, content_key
from tests.support.engine import ROOT

SOURCES = ROOT / "sdk" / "nodejs"
NODE_TOOLS = ROOT / "scripts" / "node"
NAME = "pulumi-alicloud-versions"


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
    `pulumi-alicloud-versions`, sdk/nodejs compiled by tsc with its own tsconfig; TypeScript
    projects in folders of `work` compile against it. The compiled SDK is built once per SDK,
    lockfile and Node into the per-user cache (tsc took 4 to 7 CPU seconds); `work` only links
    to it, so what a test writes there stays out of the shared tree."""
    packages = Path(
        subprocess.run(
            [str(ROOT / "scripts" / "node-modules")],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout.strip()
    )
    node = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    key = content_key([SOURCES, NODE_TOOLS], node, str(packages))
    compiled = built("nodejs-sdk", key, lambda into: _compile(into, packages))
    modules = work / "node_modules"
    modules.mkdir()
    for entry in (compiled / "node_modules").iterdir():
        (modules / entry.name).symlink_to(entry)
    return modules


def _compile(into: Path, packages: Path) -> None:
    """`into`/node_modules (the packages and the SDK under its npm name, linked) and
    `into`/sdk, sdk/nodejs compiled in a copy. The SDK's own imports of @pulumi/pulumi resolve
    from the node_modules beside it, to the same packages as the tests' programs."""
    modules = into / "node_modules"
    modules.mkdir()
    for entry in packages.iterdir():
        (modules / entry.name).symlink_to(entry)
    sdk = into / "sdk"
    shutil.copytree(SOURCES, sdk)
    tsc(sdk, modules)
    shutil.copy(sdk / "package.json", sdk / "bin")  # where the SDK reads its version
    # Relative, so the link survives the rename of `into` into the cache.
    (modules / NAME).symlink_to(Path("..") / "sdk" / "bin")
