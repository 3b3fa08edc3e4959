"""Finishing the creates a killed ``pulumi up`` left pending, by the ownership rule.

A killed update leaves each create it started as a pending operation in the state. Each one
here is looked up in the cloud: the one resource matching its inputs made since the update
began is put into the state with its id; when none was made the pending create is cleared, so
the next ``pulumi up`` creates it; several candidates stop the recovery with all of them
listed. A Template cannot be found again (no API lists, reads or deletes templates): it is
cleared and listed as left behind.

The state is changed as ``pulumi refresh --import-pending-creates URN ID
--clear-pending-creates`` means to: engine 3.259 turns those into pending imports that its
refresh then drops, so the deployment is edited instead (``pulumi stack export``, the pending
creates of this provider's resources replaced by resources carrying their ids, ``pulumi stack
import``, which takes the stack lock), and ``pulumi refresh`` then reads each adopted one.

The update's start is the timestamp of the lock the killed update left (file backends); else
the end of the last update in the stack's history; else the oldest create time in the state.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import socket
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .core import kind_named
from .core.config import PluginConfig, Settings, resolve_settings
from .core.errors import AlicloudVersionsError
from .core.fields import camel, snake
from .core.lifecycle import ResourceCore
from .core.ownership import parse_time

__all__ = ["Lock", "Plan", "Pulumi", "RecoveryError", "Step", "plan", "recover"]

# Pulumi's marker for a secret value in an exported deployment or config.
_SECRET_SIG = "4dabf18193072939515e22adb298388d"
# The dynamic provider's type tokens, and the plugin's (whose inputs are camelCase).
_DYNAMIC_PREFIX = "pulumi-python:dynamic/alicloud-versions/"
_PLUGIN_PREFIX = "alicloud-versions:"


class RecoveryError(AlicloudVersionsError):
    """The recovery cannot go on; the message says why and what to do."""


def _provider(type_token: str) -> tuple[type[ResourceCore], bool] | None:
    """The provider of a resource type token, and whether the plugin serves it."""
    for prefix, plugin in ((_DYNAMIC_PREFIX, False), (_PLUGIN_PREFIX, True)):
        if type_token.startswith(prefix):
            found = kind_named(type_token[len(prefix) :].replace(":", ".", 1))
            return (found, plugin) if found else None
    return None


def _ours(op: Mapping[str, Any]) -> bool:
    return op.get("type") == "creating" and _provider(op["resource"]["type"]) is not None


def _reveal(value: Any) -> Any:
    """A value of an export made with ``--show-secrets``, secret wrapper removed."""
    if isinstance(value, dict) and value.get(_SECRET_SIG) is not None and "plaintext" in value:
        return json.loads(value["plaintext"])
    return value


class Pulumi:
    """The ``pulumi`` the user runs (``$PULUMI_COMMAND``, else ``pulumi`` on PATH), on one
    stack of the project in `cwd`."""

    def __init__(self, cwd: Path, stack: str | None = None) -> None:
        self.cwd = cwd
        self.stack = stack
        self.command = shlex.split(os.environ.get("PULUMI_COMMAND") or "pulumi")

    def run(self, *args: str, stack: bool = True) -> str:
        argv = [*self.command, *args, "--non-interactive"]
        if stack and self.stack:
            argv += ["--stack", self.stack]
        try:
            done = subprocess.run(
                argv, cwd=self.cwd, capture_output=True, text=True, check=False, timeout=1800
            )
        except FileNotFoundError:
            raise RecoveryError(
                f"cannot run {self.command[0]!r}: put pulumi on PATH or set PULUMI_COMMAND"
            ) from None
        if done.returncode != 0:
            raise RecoveryError(
                f"`pulumi {' '.join(args)}` failed (exit {done.returncode}):\n"
                # stderr only: stdout may hold decrypted secrets (export, config --show-secrets)
                + (done.stderr.strip() or "(nothing on stderr)")
            )
        return done.stdout

    def json(self, *args: str, stack: bool = True) -> Any:
        return json.loads(self.run(*args, "--json", stack=stack) or "null")

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """The stack's exported deployment (secrets decrypted only when asked)."""
        extra = ["--show-secrets"] if show_secrets else []
        exported: dict[str, Any] = json.loads(self.run("stack", "export", *extra))
        return exported

    def import_(self, exported: Mapping[str, Any]) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.cwd, delete=False) as f:
            json.dump(exported, f)
        try:
            self.run("stack", "import", "--file", f.name)
        finally:
            os.unlink(f.name)

    def config(self) -> dict[str, Any]:
        raw = self.json("config", "--show-secrets") or {}
        return {key: entry.get("value") for key, entry in raw.items()}

    def history(self) -> list[dict[str, Any]]:
        return list(self.json("stack", "history") or [])

    def backend_url(self) -> str:
        return str(self.json("whoami", "--verbose", stack=False).get("url") or "")


@dataclass(frozen=True)
class Lock:
    """A stack lock left in a file backend, as pulumi writes it."""

    path: Path
    pid: int
    hostname: str
    timestamp: float

    @property
    def stale(self) -> bool:
        """Held by a process of this host that no longer runs."""
        if self.hostname != socket.gethostname():
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def describe(self) -> str:
        when = datetime.fromtimestamp(self.timestamp, timezone.utc).isoformat(timespec="seconds")
        return f"pid {self.pid} on {self.hostname}, since {when}"


def file_locks(backend_url: str, project: str, stack: str) -> list[Lock]:
    """The locks on the stack in a ``file://`` backend (none for other backends)."""
    url = urlsplit(backend_url)
    if url.scheme != "file":
        return []
    root = Path(unquote(url.path)) / ".pulumi" / "locks"
    found = []
    for path in [*root.glob(f"*/{project}/{stack}/*.json"), *root.glob(f"{stack}/*.json")]:
        try:
            data = json.loads(path.read_text())
            found.append(
                Lock(path, int(data["pid"]), str(data["hostname"]), parse_time(data["timestamp"]))
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


@dataclass
class Step:
    """What recovery found for one pending create, and what it does about it."""

    urn: str
    kind: str
    found: str
    action: str
    id_: str | None = None
    live: Mapping[str, Any] = field(default_factory=dict, repr=False)
    """The adopted resource's fields as the lookup saw them (outputs until the refresh)."""
    plugin: bool = False
    """Whether the plugin serves it (camelCase properties) rather than the dynamic provider."""

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass
class Plan:
    """Every pending create of this provider, each with its step; the update's start."""

    since: float | None
    since_source: str
    steps: list[Step] = field(default_factory=list)
    locks: list[Lock] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    """Why the plan cannot be carried out; empty when it can."""

    @property
    def adopted(self) -> dict[str, Step]:
        return {s.urn: s for s in self.steps if s.id_}


def update_start(
    locks: Sequence[Lock], history: Sequence[Mapping[str, Any]], deployment: Mapping[str, Any]
) -> tuple[float | None, str]:
    """The earliest moment the killed update may have begun, and where that came from."""
    if locks:
        return min(lock.timestamp for lock in locks), "the lock it left"
    ends = _times(h.get("endTime") for h in history)
    if ends:
        return max(ends), "the end of the last update in the stack's history"
    created = _times(r.get("created") for r in deployment.get("resources") or [])
    if created:
        return min(created), "the oldest create time in the state"
    return None, "unknown"


def _times(values: Iterable[Any]) -> list[float]:
    """The values that parse as times, in seconds since the epoch."""
    return [t for t in map(parse_time, values) if not math.isnan(t)]


def plan(pulumi: Pulumi) -> Plan:
    """Look up every pending create of this provider's resources; change nothing."""
    deployment = pulumi.export(show_secrets=True).get("deployment") or {}
    urns = [r["urn"] for r in deployment.get("resources") or []]
    urns += [op["resource"]["urn"] for op in deployment.get("pending_operations") or []]
    if not urns:
        return Plan(None, "unknown")
    # urn:pulumi:STACK::PROJECT::TYPE::NAME
    stack, project = urns[0].split(":", 2)[2].split("::")[:2]
    locks = file_locks(pulumi.backend_url(), project, stack)
    pending = [op for op in deployment.get("pending_operations") or [] if _ours(op)]
    if not pending:
        return Plan(None, "unknown", locks=locks)
    since, source = update_start(locks, [] if locks else pulumi.history(), deployment)
    result = Plan(since, source, locks=locks)
    config = pulumi.config()
    # Settings as each front door resolves them (the dynamic provider's stack config keys, or
    # the plugin's own), once each, for the front doors the pending creates use.
    settings: dict[bool, Settings] = {}
    for op in pending:
        resource = op["resource"]
        found = _provider(resource["type"])
        assert found is not None
        cls, plugin = found
        if plugin not in settings:
            settings[plugin] = resolve_settings(
                PluginConfig.from_stack(config) if plugin else config
            )
        provider = cls(settings[plugin])
        inputs = {
            snake(k) if plugin else k: _reveal(v)
            for k, v in (resource.get("inputs") or {}).items()
            if k != "__provider"
        }
        step = _step(provider, resource["urn"], inputs, since, result)
        step.plugin = plugin
        result.steps.append(step)
    return result


def _step(
    provider: ResourceCore,
    urn: str,
    inputs: Mapping[str, Any],
    since: float | None,
    result: Plan,
) -> Step:
    kind = provider.TYPE.replace(".", ":")
    if not provider.findable():  # a kind that cannot be found again
        return Step(
            urn,
            kind,
            "cannot be looked up",
            "clear (left behind: no API lists, reads or deletes templates; if the upload "
            "was made it stays unused, and the next up uploads the body again)",
        )
    if inputs.get("adopt_id"):
        return Step(urn, kind, f"adopt_id {inputs['adopt_id']}", "clear (the next up adopts it)")
    if since is None:
        result.blocked.append(f"{urn}: the update's start is unknown, so nothing can be adopted")
        return Step(urn, kind, "not looked up", "none")
    try:
        mine = provider.made_since(inputs, since)
    except AlicloudVersionsError as exc:
        result.blocked.append(str(exc))
        return Step(urn, kind, "several candidates", "none (see below)")
    if mine is None:
        return Step(
            urn, kind, "nothing made since the update began", "clear (the next up creates it)"
        )
    return Step(urn, kind, mine.describe(), f"import {mine.id_}", mine.id_, mine.live)


def recover(pulumi: Pulumi, found: Plan) -> None:
    """Carry out `found`: remove the killed update's stale lock, put each adopted resource in
    the state and drop every pending create of this provider's, then refresh what was adopted."""
    if found.blocked:
        raise RecoveryError("nothing was changed:\n" + "\n".join(f"- {b}" for b in found.blocked))
    live = [lock for lock in found.locks if not lock.stale]
    if live:
        raise RecoveryError(
            "the stack is locked by "
            + "; ".join(lock.describe() for lock in live)
            + ". If that update is no longer running (killed, or on a lost machine), run "
            "`pulumi cancel`, then run this command again; otherwise wait for it to end"
        )
    if found.locks:
        pulumi.run("cancel", "--yes")
    if not found.steps:
        return
    exported = pulumi.export()
    deployment = exported["deployment"]
    adopted = found.adopted
    kept: list[dict[str, Any]] = []
    for op in deployment.get("pending_operations") or []:
        resource = op["resource"]
        if not _ours(op):
            kept.append(op)
            continue
        step = adopted.get(resource["urn"])
        if step is not None:
            # Pending creates start only once what they depend on exists, so appending them in
            # the order they began keeps the resources in dependency order.
            deployment.setdefault("resources", []).append(_adopted(resource, step))
    deployment["pending_operations"] = kept
    pulumi.import_(exported)
    if adopted:
        targets = [arg for urn in adopted for arg in ("--target", urn)]
        pulumi.run("refresh", "--yes", "--skip-preview", *targets)


def _adopted(pending: Mapping[str, Any], step: Step) -> dict[str, Any]:
    """The state entry of a pending create found as `step`: its id, and for outputs its inputs
    as recorded (secrets still encrypted) over what the lookup saw, until the refresh."""
    inputs = dict(pending.get("inputs") or {})
    outputs = {camel(k) if step.plugin else k: v for k, v in step.live.items() if v is not None}
    return {**pending, "id": step.id_, "inputs": inputs, "outputs": {**outputs, **inputs}}
