"""Drives the real Pulumi engine (built by scripts/install-pulumi) on a local file backend."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pulumi import automation as auto

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools"
PASSPHRASE = "test-stack-passphrase"


class EngineMissing(RuntimeError):
    """The engine is not installed: a failure, never a skip."""


@functools.cache
def pulumi_command() -> auto.PulumiCommand:
    """The engine the project installed; raises EngineMissing when it is not there.

    One per process: building a PulumiCommand runs `pulumi version` (a fifth of a CPU second and
    up to two seconds on a loaded machine), and every stack and CLI project asks for it. A
    missing engine raises, which is not cached, so it is looked for again next time.
    """
    if not (TOOLS / "bin" / "pulumi").exists():
        raise EngineMissing(
            f"no Pulumi engine in {TOOLS / 'bin'}: run `make engine` (scripts/install-pulumi)"
        )
    return auto.PulumiCommand(root=str(TOOLS))


def engine_env(backend_dir: Path, pulumi_home: Path) -> dict[str, str]:
    """Offline, non-interactive engine settings: a file backend and no Pulumi service."""
    return {
        "PULUMI_BACKEND_URL": backend_dir.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_HOME": str(pulumi_home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        # The dynamic-provider host imports the providers of no-op and test resources (harness.noop,
        # tests.support.*) by the module path their pickles name.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PATH": os.pathsep.join([str(TOOLS / "bin"), os.environ.get("PATH", "")]),
        # Projects here name no virtual environment: their programs and dynamic providers run on
        # the Python running this driver (`.tools/bin/pulumi` sets it only inside the clone).
        "PULUMI_PYTHON_CMD": sys.executable,
    }


def workspace_options(
    tmp: Path,
    work_dir: Path,
    *,
    env: dict[str, str] | None = None,
    project_settings: auto.ProjectSettings | None = None,
) -> auto.LocalWorkspaceOptions:
    """A workspace in `work_dir` on the project's engine, with a file backend and a Pulumi home
    of its own under `tmp` (`engine_env`), `env` added."""
    backend, home = tmp / "backend", tmp / "pulumi-home"
    backend.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    return auto.LocalWorkspaceOptions(
        work_dir=str(work_dir),
        pulumi_home=str(home),
        pulumi_command=pulumi_command(),
        env_vars={**engine_env(backend, home), **(env or {})},
        project_settings=project_settings,
    )


@contextmanager
def inline_stack(
    tmp: Path,
    program: Callable[[], None],
    *,
    project: str = "e2e",
    stack: str = "test",
    config: dict[str, auto.ConfigValue] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[auto.Stack]:
    """A stack running `program` in-process through the Automation API, removed afterwards."""
    backend = auto.ProjectBackend(url=(tmp / "backend").as_uri())
    opts = workspace_options(
        tmp,
        tmp,
        env=env,
        project_settings=auto.ProjectSettings(name=project, runtime="python", backend=backend),
    )
    st = auto.create_or_select_stack(
        stack_name=stack, project_name=project, program=program, opts=opts
    )
    if config:
        st.set_all_config(config)
    try:
        yield st
    finally:
        st.workspace.remove_stack(stack, force=True)
