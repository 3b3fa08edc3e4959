"""Drives the real Pulumi engine (built by scripts/install-pulumi) on a local file backend."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pulumi import automation as auto
from pulumi.automation._stack import ImportResult, StackInitMode

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools"
PASSPHRASE = "test-stack-passphrase"


class EngineMissing(RuntimeError):
    """The engine is not installed: a failure, never a skip."""


@dataclass(frozen=True)
class SecretsProvider:
    """How the stacks made here encrypt their secrets: what `pulumi stack init` gets as
    `--secrets-provider`, and what the engine needs in its environment to use it."""

    url: str = "passphrase"
    env: Mapping[str, str] = field(default_factory=dict)


_secrets = SecretsProvider()


def use_secrets_provider(provider: SecretsProvider) -> None:
    """Make the stacks created from now on with `provider` (the passphrase until then)."""
    global _secrets
    _secrets = provider


def secrets_provider() -> SecretsProvider:
    """The provider new stacks are made with (`use_secrets_provider`)."""
    return _secrets


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
        # The engine and its Go plugins are short-lived processes of a few hundred MB at most: Go's
        # collector runs only when a heap reaches GOMEMLIMIT, not every time it doubles. A `pulumi`
        # command costs about 13% fewer CPU seconds (0.42 -> 0.29 for `stack export`); the engine
        # behaves the same.
        "GOGC": os.environ.get("GOGC", "off"),
        "GOMEMLIMIT": os.environ.get("GOMEMLIMIT", "512MiB"),
        # The dynamic-provider host imports the providers of no-op and test resources (harness.noop,
        # tests.support.*) by the module path their pickles name.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PATH": os.pathsep.join([str(TOOLS / "bin"), os.environ.get("PATH", "")]),
        # Projects here name no virtual environment: their programs and dynamic providers run on
        # the Python running this driver (`.tools/bin/pulumi` sets it only inside the clone).
        "PULUMI_PYTHON_CMD": sys.executable,
        **_secrets.env,
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
        secrets_provider=_secrets.url,
    )


T = TypeVar("T")


class StaleResult(RuntimeError):
    """A result's outputs or summary read after a later operation on its stack."""


class Stack(auto.Stack):
    """An Automation stack whose `up`, `refresh` and `destroy` read the stack's outputs and the
    update's summary only when the caller looks at them.

    Automation's `up` runs three more `pulumi` commands after the update (`stack output` twice and
    `stack history`), `refresh` and `destroy` one: about 0.3 CPU seconds each, as much as the
    update of a small stack, and most callers read neither. A result read after a later
    operation on the same stack raises StaleResult instead of answering for the later state.
    """

    _generation = 0
    _deferring = False

    def up(self, *args: Any, **kwargs: Any) -> auto.UpResult:
        return self._deferred(super().up, *args, **kwargs)

    def refresh(self, *args: Any, **kwargs: Any) -> auto.RefreshResult:
        return self._deferred(super().refresh, *args, **kwargs)

    def destroy(self, *args: Any, **kwargs: Any) -> auto.DestroyResult:
        return self._deferred(super().destroy, *args, **kwargs)

    def import_resources(self, *args: Any, **kwargs: Any) -> ImportResult:
        return self._deferred(super().import_resources, *args, **kwargs)

    def _deferred(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        self._generation += 1
        self._deferring = True
        try:
            return operation(*args, **kwargs)
        finally:
            self._deferring = False

    def outputs(self) -> auto.OutputMap:
        if not self._deferring:
            return super().outputs()
        return _OnDemand(self, super().outputs)  # type: ignore[return-value]

    def info(self, show_secrets: bool = True) -> auto.UpdateSummary | None:
        if not self._deferring:
            return super().info(show_secrets)
        return _OnDemand(self, lambda: super(Stack, self).info(show_secrets))  # type: ignore[return-value]


class _OnDemand(Mapping[str, Any]):
    """What `read` answers, read the first time it is looked at (as a mapping, for outputs, or
    by attribute, for a summary), while the stack has had no later operation."""

    def __init__(self, stack: Stack, read: Callable[[], Any]) -> None:
        self._stack, self._read = stack, read
        self._generation = stack._generation
        self._value: Any = None
        self._loaded = False

    def _get(self) -> Any:
        if not self._loaded:
            if self._stack._generation != self._generation:
                raise StaleResult(
                    "this result's outputs and summary were not read before the next operation "
                    "on its stack: read them before it"
                )
            self._value, self._loaded = self._read(), True
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._get(), name)


def new_stack(name: str, opts: auto.LocalWorkspaceOptions) -> Stack:
    """A new stack `name` in the workspace `opts` describe (`stack init` alone: the backend is a
    fresh one, so there is nothing to select first)."""
    return Stack(name, auto.LocalWorkspace(**opts.__dict__), StackInitMode.CREATE)


@contextmanager
def inline_stack(
    tmp: Path,
    program: Callable[[], None],
    *,
    project: str = "e2e",
    stack: str = "test",
    config: dict[str, auto.ConfigValue] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """A new stack running `program` in-process through the Automation API, on a backend of its
    own in `tmp` (which the caller removes: the stack is not removed command by command)."""
    backend = auto.ProjectBackend(url=(tmp / "backend").as_uri())
    opts = workspace_options(
        tmp,
        tmp,
        env=env,
        # `main` as Automation's own create_stack sets it: the program runs from here.
        project_settings=auto.ProjectSettings(
            name=project, runtime="python", backend=backend, main=os.getcwd()
        ),
    )
    opts.program = program
    st = new_stack(stack, opts)
    if config:
        st.set_all_config(config)
    yield st
