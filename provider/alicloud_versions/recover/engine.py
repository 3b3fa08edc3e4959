"""The ``pulumi`` the user runs, driven through Pulumi's Automation API (`LocalWorkspace`).

Automation reads the project's settings, the stack's config, history and backend, exports a
stack with its secrets and refreshes chosen resources. What it does not offer goes through its
own runner of the CLI (`PulumiCommand.run`) or, for the import, a pipe:

- an export that keeps the state's secrets encrypted (`export_stack` always decrypts them):
  what recover writes back keeps each secret it did not add as the stack stored it;
- ``pulumi stack import`` through a pipe: `import_stack` writes the deployment to a temporary
  file, decrypted secrets included, which a kill would leave behind (issue 23.5);
- ``pulumi preview --json``: Automation's preview returns a summary of changes, not each
  step's planned state with its property dependencies, which fast mode needs;
- ``pulumi plugin install --file`` (`alicloud-versions plugin install`): `install_plugin` takes
  no local file;
- ``pulumi refresh --target`` and ``pulumi whoami --json`` (only without
  ``$PULUMI_BACKEND_URL``, which names the backend first): Automation's refresh then reads the
  stack's history for a summary recover never reads, and its `who_am_i` first asks the engine's
  version (to choose a flag every supported engine has), each one more command (about 0.3 CPU s).

The selected stack is asked once (``pulumi stack ls``) and then named on every command.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from datetime import timezone
from pathlib import Path
from typing import Any

import semver
import yaml
from pulumi.automation import CommandResult, LocalWorkspace, PulumiCommand, Stack
from pulumi.automation.errors import CommandError

from .messages import RecoveryError, shown

__all__ = ["Pulumi"]

# The longest recover waits for the one command it runs itself (the import).
_IMPORT_TIMEOUT = 1800


def _project_name(folder: Path) -> str:
    """The ``name`` of the project file in `folder`, as Automation finds and parses it."""
    for suffix in (".yaml", ".yml", ".json"):  # Automation's order; YAML reads JSON too
        path = folder / f"Pulumi{suffix}"
        if path.exists():
            name = yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
            if not isinstance(name, str) or not name:
                raise ValueError("the project's name is not a string")
            return name
    raise FileNotFoundError(folder)


class _Command(PulumiCommand):
    """Pulumi's runner of its CLI on the executable the user names, rather than ROOT/bin/pulumi
    or the one on PATH; a failure is a `RecoveryError` that quotes the command's stderr only,
    since its stdout may hold decrypted secrets (an export, the config)."""

    def __init__(self, command: str) -> None:
        # PulumiCommand's own __init__ can only find ROOT/bin/pulumi or `pulumi` on PATH; the
        # rest of it is asking the version, done here through `run`, when Automation first
        # reads it (most runs never do), so that a missing executable is our error.
        self.command = command

    @functools.cached_property
    def version(self) -> semver.Version | None:  # type: ignore[override]
        """The engine's version (``pulumi version``), asked the first time it is read."""
        printed = self.run(["version"], os.getcwd(), {}).stdout.strip().removeprefix("v")
        try:
            return semver.Version.parse(printed)
        except ValueError:
            return None  # a development build: Automation then assumes an old engine

    def run(
        self,
        args: list[str],
        cwd: str,
        additional_env: Mapping[str, str],
        on_output: Any = None,
        on_error: Any = None,
    ) -> CommandResult:
        stderr: list[str] = []

        def error(line: str) -> None:
            stderr.append(line)
            if on_error is not None:
                on_error(line)

        shown_args = " ".join(a for a in args if a != "--non-interactive")
        try:
            return super().run(args, cwd, additional_env, on_output, error)
        except FileNotFoundError:
            raise RecoveryError(
                f"cannot run {self.command!r}: put pulumi on PATH or set PULUMI_COMMAND"
            ) from None
        except CommandError:
            raise RecoveryError(
                f"`pulumi {shown_args}` failed:\n"
                + ("\n".join(stderr).strip() or "(nothing on stderr)")
            ) from None


class Pulumi:
    """The ``pulumi`` the user runs (``$PULUMI_COMMAND``, else ``pulumi`` on PATH), on one
    stack (the selected one unless named) of the project in `cwd`."""

    def __init__(self, cwd: Path, stack: str | None = None) -> None:
        self.cwd = cwd
        self.stack = stack
        self.command = os.environ.get("PULUMI_COMMAND") or "pulumi"

    @functools.cached_property
    def workspace(self) -> LocalWorkspace:
        """Pulumi's workspace of the project, made on first use (it runs ``pulumi version``)."""
        return LocalWorkspace(work_dir=str(self.cwd), pulumi_command=_Command(self.command))

    def _stack_ref(self) -> str:
        """The stack as ``--stack`` takes it: the one named, else the one selected when first
        asked, kept: every later command names that same stack."""
        if self.stack:
            return self.stack
        current = self.workspace.stack()
        if current is None:
            raise RecoveryError("no stack is selected: pass --stack or run `pulumi stack select`")
        self.stack = current.name
        return self.stack

    def _stack(self) -> Stack:
        """Automation's handle on the stack, without selecting it: `Stack.select` would run
        ``pulumi stack select`` and leave the user's selection changed for good, while each of
        its commands names the stack anyway (``--stack``)."""
        stack = object.__new__(Stack)
        stack.name, stack.workspace = self._stack_ref(), self.workspace
        return stack

    def run(self, *args: str, stack: bool = True) -> str:
        """`pulumi args...` through Automation's runner (on this stack unless `stack` is
        false), for what Automation has no method for; its standard output."""
        argv = [*args, "--stack", self._stack_ref()] if stack else list(args)
        return self.workspace.pulumi_command.run(argv, str(self.cwd), {}).stdout

    def _json(self, *args: str) -> Any:
        try:
            return json.loads(self.run(*args) or "null")
        except ValueError:
            raise RecoveryError(f"`pulumi {' '.join(args)}` did not print JSON") from None

    def export(self, *, show_secrets: bool = False) -> Any:
        """The stack's exported deployment (secrets decrypted only when asked), unchecked."""
        if not show_secrets:
            return self._json("stack", "export")
        try:
            found = self.workspace.export_stack(self._stack_ref())
        except ValueError:
            raise RecoveryError("`pulumi stack export` did not print JSON") from None
        return {"version": found.version, "deployment": found.deployment}

    def import_(self, exported: Mapping[str, Any]) -> None:
        """`pulumi stack import` of `exported`, through a pipe: it may hold secrets in plain
        text (the stack's config, for a provider fast mode adds), which no file must keep."""
        argv = [self.command, "stack", "import", "--non-interactive"]
        if self.stack:
            argv += ["--stack", self.stack]
        try:
            done = subprocess.run(
                argv,
                cwd=self.cwd,
                input=json.dumps(exported),
                capture_output=True,
                text=True,
                check=False,
                timeout=_IMPORT_TIMEOUT,
            )
        except FileNotFoundError:
            raise RecoveryError(
                f"cannot run {self.command!r}: put pulumi on PATH or set PULUMI_COMMAND"
            ) from None
        if done.returncode != 0:
            raise RecoveryError(
                f"`pulumi stack import` failed (exit {done.returncode}):\n"
                + (done.stderr.strip() or "(nothing on stderr)")
            )

    def preview(self) -> Any:
        """The program's plan, ``pulumi preview --json --show-secrets``, unchecked."""
        return self._json("preview", "--show-secrets", "--json")

    def config(self) -> dict[str, tuple[Any, bool]]:
        """The stack's config, secrets decrypted: each key's value and whether it is secret."""
        found = self.workspace.get_all_config(self._stack_ref())
        return {key: (item.value, item.secret) for key, item in found.items()}

    def refresh(self, urns: Sequence[str]) -> None:
        """Refresh the resources `urns` only."""
        targets = [arg for urn in urns for arg in ("--target", urn)]
        self.run("refresh", "--yes", "--skip-preview", *targets)

    def project_name(self) -> str:
        """The project's name, from its ``Pulumi.yaml`` (``.yml``, ``.json``)."""
        try:
            try:
                return self.workspace.project_settings().name
            except ValueError:
                # Automation's ProjectSettings refuses a runtime other than nodejs, python, go
                # and dotnet (pulumi/pulumi#18622, fixed after 3.259 by pulumi/pulumi#24559):
                # a YAML or Java project's file is read as Automation reads it.
                return _project_name(self.cwd)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, yaml.YAMLError):
            raise RecoveryError(
                f"no Pulumi.yaml with a project name in {shown(str(self.cwd))}"
            ) from None

    def stack_name(self) -> str:
        """The stack's own name (``dev`` of ``org/project/dev``)."""
        return self._stack_ref().rsplit("/", 1)[-1]

    def history(self) -> list[dict[str, Any]]:
        """The stack's past updates, each with its ``endTime`` (ISO 8601) when it ended."""
        try:
            found = self._stack().history(show_secrets=False)
        except (ValueError, KeyError, TypeError):
            return []  # a history Automation cannot read bounds nothing: the state's times do
        return [
            {"endTime": h.end_time.replace(tzinfo=timezone.utc).isoformat()}
            for h in found
            if h.end_time is not None
        ]

    def backend_url(self) -> str:
        """The URL of the backend the project's stacks are in: ``$PULUMI_BACKEND_URL``, which
        the engine puts before the project's and the login's, else ``pulumi whoami``'s; asked
        once (the repair and the plan both need it)."""
        return self._backend_url

    @functools.cached_property
    def _backend_url(self) -> str:
        if os.environ.get("PULUMI_BACKEND_URL"):
            return os.environ["PULUMI_BACKEND_URL"]
        try:
            found = json.loads(self.run("whoami", "--json", stack=False))
        except ValueError:
            raise RecoveryError("`pulumi whoami --json` did not print JSON") from None
        url = found.get("url") if isinstance(found, dict) else None
        return url if isinstance(url, str) else ""
