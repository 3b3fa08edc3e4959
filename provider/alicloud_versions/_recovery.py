"""Finishing the creates a killed ``pulumi up`` left pending, by the ownership rule.

A killed update leaves each create it started as a pending operation in the state. Each one
here is looked up in the cloud, with the settings of the provider resource that owns it (its
account, region and endpoints as recorded in the state): the one resource matching its inputs
made since the update began is put into the state with its id; when none was made the pending
create is cleared, so the next ``pulumi up`` creates it; several candidates stop the recovery
with all of them listed. A Template cannot be found again (no API lists, reads or deletes
templates): it is cleared and listed as left behind.

The state is changed as ``pulumi refresh --import-pending-creates URN ID
--clear-pending-creates`` means to: engine 3.259 turns those into pending imports that its
refresh then drops, so the deployment is edited instead (``pulumi stack export``, the pending
creates of this provider's resources replaced by resources carrying their ids, ``pulumi stack
import``, which takes the stack lock), and ``pulumi refresh`` then reads each adopted one.

The update's start is the timestamp of the lock the killed update left (file backends); else
the end of the last update in the stack's history; else the oldest create time in the state.

The exported state is untrusted input (anyone can `pulumi stack import` anything): URNs are
parsed by the engine's grammar, the lock search stays inside the backend's own lock folder of
the stack, anything malformed is one line naming where, and every name is printed escaped.

A lock is removed only when its holder is proven gone (`Lock.judge`), and only that one file,
re-read and judged again at the moment of removal (`Lock.remove`); never ``pulumi cancel``,
which removes every lock of the stack, a new update's included.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import shlex
import socket
import stat
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

__all__ = [
    "Export",
    "Lock",
    "Plan",
    "Pulumi",
    "RecoveryError",
    "Step",
    "Urn",
    "Verdict",
    "file_locks",
    "plan",
    "printable",
    "recover",
]

# Pulumi's marker for a secret value in an exported deployment or config.
_SECRET_SIG = "4dabf18193072939515e22adb298388d"
# The dynamic provider's type tokens, and the plugin's (whose inputs are camelCase).
_PACKAGE = PluginConfig.NAMESPACE
_DYNAMIC_PREFIX = f"pulumi-python:dynamic/{_PACKAGE}/"
_PLUGIN_PREFIX = f"{_PACKAGE}:"
# The provider resources that serve each front door's resources.
_DYNAMIC_PROVIDER = "pulumi:providers:pulumi-python"
_PLUGIN_PROVIDER = f"pulumi:providers:{_PACKAGE}"
# A stack or project name as the file backend makes a folder of it (tokens.ValidateStackName,
# and the project names the engine accepts for a project-scoped file backend).
_FOLDER_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
# The proc inode of the kernel's initial pid namespace (PROC_PID_INIT_INO, a kernel constant).
_INITIAL_PID_NAMESPACE = 0xEFFFFFFC
# More than any lock pulumi writes (a pid, a user and a host name, a timestamp).
_LOCK_SIZE = 65536


class RecoveryError(AlicloudVersionsError):
    """The recovery cannot go on; the message says why and what to do."""


def printable(text: str) -> str:
    """`text` with every character a terminal would act on escaped (newlines, escapes, bidi
    controls), and backslashes doubled so that the escapes cannot be forged."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _shown(value: Any) -> str:
    """A value from the export as a message shows it: escaped, and at most 80 characters."""
    text = printable(value if isinstance(value, str) else repr(value))
    return text if len(text) <= 80 else text[:77] + "..."


# the exported state ------------------------------------------------------------------------


@dataclass(frozen=True)
class Urn:
    """A resource's URN, ``urn:pulumi:STACK::PROJECT::TYPE::NAME``, by the engine's grammar:
    the qualified type is the parent types and the type joined by ``$``, and the name is all
    that follows the third ``::`` (it may hold ``::`` itself)."""

    stack: str
    project: str
    qualified_type: str
    name: str

    PREFIX = "urn:pulumi:"

    @classmethod
    def parse(cls, text: Any, where: str = "a URN") -> Urn:
        """The parts of `text`; `RecoveryError` unless it is a URN with a stack, a project and
        a type."""
        if not isinstance(text, str):
            raise _malformed(where, "a URN string", text)
        parts = text[len(cls.PREFIX) :].split("::", 3) if text.startswith(cls.PREFIX) else []
        if len(parts) < 4 or not all(parts[:3]) or not parts[2].rsplit("$", 1)[-1]:
            raise RecoveryError(
                f"the exported state is malformed: {where} {_shown(text)} is not a URN "
                "(urn:pulumi:STACK::PROJECT::TYPE::NAME)"
            )
        return cls(*parts)

    @property
    def type(self) -> str:
        """The resource's own type, without its parents'."""
        return self.qualified_type.rsplit("$", 1)[-1]

    def __str__(self) -> str:
        return f"{self.PREFIX}{self.stack}::{self.project}::{self.qualified_type}::{self.name}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _malformed(where: str, expected: str, value: Any) -> RecoveryError:
    return RecoveryError(
        f"the exported state is malformed: {where} is {_kind(value)}, expected {expected}"
    )


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _malformed(where, "an object", value)
    return value


def _items(value: Any, where: str) -> list[Any]:
    """A list of the export that may be absent."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _malformed(where, "a list", value)
    return value


@dataclass(frozen=True)
class Entry:
    """One resource of an exported deployment, checked: in its resources, or the resource of
    a pending operation."""

    urn: Urn
    type: str
    inputs: Mapping[str, Any]
    provider: str | None
    """The reference to the provider resource that owns it, ``PROVIDER_URN::PROVIDER_ID``."""
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def parse(cls, value: Any, where: str) -> Entry:
        raw = _object(value, where)
        urn = Urn.parse(raw.get("urn"), f"{where}.urn")
        type_ = raw.get("type")
        if not isinstance(type_, str):
            raise _malformed(f"{where}.type", "a type token", type_)
        if type_ != urn.type:
            raise RecoveryError(
                f"the exported state is malformed: {where}.type {_shown(type_)} is not the type "
                f"of its URN ({_shown(urn.type)})"
            )
        inputs = raw.get("inputs")
        provider = raw.get("provider")
        if provider is not None and not isinstance(provider, str):
            raise _malformed(f"{where}.provider", "a provider reference", provider)
        return cls(
            urn,
            type_,
            {} if inputs is None else _object(inputs, f"{where}.inputs"),
            provider or None,
            raw,
        )


@dataclass(frozen=True)
class Export:
    """A stack's exported deployment, checked as untrusted input: the resources by URN, the
    pending operations, and the stack and project every URN names."""

    resources: Mapping[str, Entry]
    pending: Sequence[tuple[str, Entry]]
    """Each pending operation: its kind (``creating``...) and its resource."""
    stack: str | None
    project: str | None

    @classmethod
    def parse(cls, exported: Any) -> Export:
        deployment = _object(exported, "the export")
        deployment = _object(deployment.get("deployment") or {}, "deployment")
        resources: dict[str, Entry] = {}
        for n, value in enumerate(_items(deployment.get("resources"), "deployment.resources")):
            entry = Entry.parse(value, f"resources[{n}]")
            # A resource being replaced is listed twice; the one not marked for deletion is it.
            if not entry.raw.get("delete") or str(entry.urn) not in resources:
                resources[str(entry.urn)] = entry
        pending = []
        ops = _items(deployment.get("pending_operations"), "deployment.pending_operations")
        for n, value in enumerate(ops):
            op = _object(value, f"pending_operations[{n}]")
            kind = op.get("type")
            if not isinstance(kind, str):
                raise _malformed(f"pending_operations[{n}].type", "an operation name", kind)
            pending.append((kind, Entry.parse(op.get("resource"), f"pending_operations[{n}]")))
        entries = [*resources.values(), *(entry for _, entry in pending)]
        names = {(e.urn.stack, e.urn.project) for e in entries}
        if len(names) > 1:
            shown = ", ".join(f"{_shown(s)}/{_shown(p)}" for s, p in sorted(names))
            raise RecoveryError(
                f"the exported state is malformed: its URNs name several stacks ({shown})"
            )
        stack, project = next(iter(names), (None, None))
        return cls(resources, pending, stack, project)

    def provider_of(self, entry: Entry) -> Entry:
        """The provider resource that owns `entry`, as its provider reference names it."""
        if entry.provider is None:
            raise RecoveryError(
                f"the exported state is malformed: {_shown(str(entry.urn))} names no provider"
            )
        urn, _, id_ = entry.provider.rpartition("::")
        found = self.resources.get(urn)
        if found is None or not id_ or found.raw.get("id") != id_:
            raise RecoveryError(
                f"the exported state is malformed: the provider {_shown(entry.provider)} of "
                f"{_shown(str(entry.urn))} is not in the state"
            )
        return found


def _provider(type_token: str) -> tuple[type[ResourceCore], bool] | None:
    """The provider of a resource type token, and whether the plugin serves it."""
    for prefix, plugin in ((_DYNAMIC_PREFIX, False), (_PLUGIN_PREFIX, True)):
        if type_token.startswith(prefix):
            found = kind_named(type_token[len(prefix) :].replace(":", ".", 1))
            return (found, plugin) if found else None
    return None


def _ours(kind: str, entry: Entry) -> bool:
    return kind == "creating" and _provider(entry.type) is not None


def _reveal(value: Any, where: str = "a value") -> Any:
    """A value of an export made with ``--show-secrets``, secret wrapper removed."""
    if isinstance(value, dict) and value.get(_SECRET_SIG) is not None:
        if "plaintext" not in value:
            raise RecoveryError(
                f"{where} is encrypted in the export: it was made without --show-secrets"
            )
        try:
            return json.loads(value["plaintext"])
        except (TypeError, ValueError):
            raise RecoveryError(
                f"the exported state is malformed: {where} holds a secret that is not JSON"
            ) from None
    return value


def provider_settings(provider: Entry, plugin: bool) -> Settings:
    """The settings of the provider resource `provider`, from its inputs in the state (keys,
    region, endpoints; secrets revealed), then the environment, as that provider resolved them.

    Its inputs are what the engine configured it with: an explicit provider's properties, and
    for a default provider the stack's config (the plugin's namespace; for the dynamic
    provider's, the whole config with its namespaces).
    """
    expected = _PLUGIN_PROVIDER if plugin else _DYNAMIC_PROVIDER
    if provider.type != expected:
        raise RecoveryError(
            f"the exported state is malformed: the provider {_shown(str(provider.urn))} is "
            f"not a {expected}"
        )
    values = {
        key: _reveal(value, f"the input {_shown(key)} of {_shown(str(provider.urn))}")
        for key, value in provider.inputs.items()
    }
    return resolve_settings(PluginConfig(values) if plugin else values)


# running pulumi ----------------------------------------------------------------------------


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
        text = self.run(*args, "--json", stack=stack)
        try:
            return json.loads(text or "null")
        except ValueError:
            raise RecoveryError(f"`pulumi {' '.join(args)} --json` did not print JSON") from None

    def export(self, *, show_secrets: bool = False) -> Any:
        """The stack's exported deployment (secrets decrypted only when asked), unchecked."""
        extra = ["--show-secrets"] if show_secrets else []
        try:
            return json.loads(self.run("stack", "export", *extra))
        except ValueError:
            raise RecoveryError("`pulumi stack export` did not print JSON") from None

    def import_(self, exported: Mapping[str, Any]) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.cwd, delete=False) as f:
            json.dump(exported, f)
        try:
            self.run("stack", "import", "--file", f.name)
        finally:
            os.unlink(f.name)

    def history(self) -> list[dict[str, Any]]:
        found = self.json("stack", "history")
        return [h for h in found if isinstance(h, dict)] if isinstance(found, list) else []

    def backend_url(self) -> str:
        found = self.json("whoami", "--verbose", stack=False)
        return str(found.get("url") or "") if isinstance(found, dict) else ""


# locks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether a lock's holder is proven gone, and why (or why that cannot be proven)."""

    gone: bool
    why: str


def _pid_namespace() -> int | None:
    """The proc inode of this process's pid namespace; None where there are none (not Linux)."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return None


def _proc_hides_pids() -> bool:
    """Whether /proc hides other users' processes (``hidepid``), so absence proves nothing."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return True
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) > 4 and fields[4] == "/proc":
            options = line.split(" - ", 1)[-1]
            found = re.search(r"hidepid=(\w+)", options)
            return found is not None and found.group(1) not in ("0", "off")
    return True


def _pid_in_any_namespace(pid: int, proc: Path = Path("/proc")) -> bool:
    """Whether any process of this machine has `pid` in any pid namespace (``NSpid`` of
    /proc/N/status lists a process's pid in its own namespace and each one above it)."""
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # it ended meanwhile
            continue
        found = re.search(r"^NSpid:\s*(.*)$", status, re.MULTILINE)
        pids = found.group(1).split() if found else [entry.name]
        if str(pid) in pids:
            return True
    return False


def judge_holder(pid: int, hostname: str) -> Verdict:
    """Whether the process `pid` of the machine `hostname`, which wrote a lock, is proven gone.

    A lock names its holder by hostname and pid only, and containers may share a hostname
    while each has pids of its own: a pid absent from one container's view may run in
    another. So absence is proof only where every process of the machine is in view: in the
    machine's initial pid namespace (not in a container), with /proc showing every user's
    processes, and the pid in no namespace of the machine. Elsewhere nothing is proven.
    """
    if hostname != socket.gethostname():
        return Verdict(False, f"it was taken on another machine ({_shown(hostname)})")
    namespace = _pid_namespace()
    if namespace is None:  # no pid namespaces: this machine's pids are the only ones
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return Verdict(True, "its process is gone")
        except PermissionError:
            pass
        return Verdict(False, f"pid {pid} still runs")
    if namespace != _INITIAL_PID_NAMESPACE:
        return Verdict(
            False,
            "recover runs in a container (a pid namespace of its own), where another "
            "container's processes sharing this hostname cannot be seen",
        )
    if _proc_hides_pids():
        return Verdict(False, "/proc hides other users' processes (hidepid) on this machine")
    if _pid_in_any_namespace(pid):
        return Verdict(False, f"a process with pid {pid} runs on this machine")
    return Verdict(True, "its process is gone")


@dataclass(frozen=True)
class Lock:
    """A stack lock in a file backend, as pulumi writes it, and the verdict on its holder when
    it was read."""

    path: Path
    content: bytes = field(repr=False)
    pid: int
    hostname: str
    timestamp: float
    verdict: Verdict

    @classmethod
    def read(cls, path: Path) -> Lock | None:
        """The lock at `path`; None when it is not a regular file holding a pulumi lock."""
        content = _read_regular(path)
        if content is None:
            return None
        try:
            data = json.loads(content)
            pid, hostname = int(data["pid"]), str(data["hostname"])
            timestamp = parse_time(data["timestamp"])
        except (ValueError, KeyError, TypeError):
            return None
        if math.isnan(timestamp):
            return None
        return cls(path, content, pid, hostname, timestamp, judge_holder(pid, hostname))

    @property
    def stale(self) -> bool:
        """Held by a process proven gone (see `judge_holder`)."""
        return self.verdict.gone

    def describe(self) -> str:
        when = datetime.fromtimestamp(self.timestamp, timezone.utc).isoformat(timespec="seconds")
        return f"pid {self.pid} on {_shown(self.hostname)}, since {when}"

    def remove(self) -> None:
        """Delete this lock file, if it is still exactly this lock and its holder still gone.

        Only this path is removed: pulumi names each lock after a fresh id of the process that
        took it, so no other update ever writes it; re-reading it proves it is still the lock
        judged, and the holder is judged again now, at the moment of removal.
        """
        now = _read_regular(self.path)
        if now is None:
            if self.path.exists() or self.path.is_symlink():
                raise RecoveryError(f"the lock {_shown(str(self.path))} is no longer a file")
            return  # removed meanwhile (pulumi cancel): nothing of ours to remove
        if now != self.content:
            raise RecoveryError(
                f"the lock {_shown(str(self.path))} changed since it was read: left in place"
            )
        verdict = judge_holder(self.pid, self.hostname)
        if not verdict.gone:
            raise RecoveryError(
                f"the lock {_shown(str(self.path))} ({self.describe()}) is no longer proven "
                f"stale ({verdict.why}): left in place"
            )
        self.path.unlink(missing_ok=True)


def _read_regular(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file (never through a symlink), else None."""
    try:
        # O_NONBLOCK: a FIFO planted there must not hang the open.
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return f.read(_LOCK_SIZE)


def lock_folders(backend_url: str, project: str, stack: str) -> list[Path]:
    """The folders a ``file://`` backend keeps the stack's locks in (none for other backends):
    ``.pulumi/locks/ORG/PROJECT/STACK`` and, for stacks made before projects scoped them,
    ``.pulumi/locks/STACK``; each one inside the backend's lock folder, symlinks resolved."""
    url = urlsplit(backend_url)
    if url.scheme != "file":
        return []
    for name, what in ((project, "project"), (stack, "stack")):
        if not _FOLDER_NAME.fullmatch(name) or name in (".", ".."):
            raise RecoveryError(
                f"the exported state names the {what} {_shown(name)}, which is no {what} name "
                "of a file backend: its lock cannot be looked for"
            )
    root = Path(unquote(url.path)).expanduser() / ".pulumi" / "locks"
    try:
        real_root = root.resolve(strict=True)
        orgs = sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return []
    found = []
    for folder in [*(org / project / stack for org in orgs), root / stack]:
        try:
            real = folder.resolve(strict=True)
        except OSError:
            continue
        if real.is_dir() and real.is_relative_to(real_root) and real != real_root:
            found.append(folder)
    return found


def file_locks(backend_url: str, project: str, stack: str) -> list[Lock]:
    """The locks on the stack in a ``file://`` backend (none for other backends)."""
    found = []
    for folder in lock_folders(backend_url, project, stack):
        for path in sorted(folder.glob("*.json")):
            lock = Lock.read(path)
            if lock is not None:
                found.append(lock)
    return found


# the plan ----------------------------------------------------------------------------------


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
        """The resource's name, as its URN has it (unescaped)."""
        return Urn.parse(self.urn).name


@dataclass
class Plan:
    """Every pending create of this provider, each with its step; the update's start."""

    since: float | None
    since_source: str
    steps: list[Step] = field(default_factory=list)
    locks: list[Lock] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    """Why the plan cannot be carried out; empty when it can."""
    notes: list[str] = field(default_factory=list)
    """What the user should know besides the steps (a lock recover cannot see)."""
    pending: list[str] = field(default_factory=list)
    """The URN of every pending create of this provider's that was seen, in the state's order
    (one URN twice when a second update was killed before it was recovered)."""

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
    created = _times(
        r.get("created") for r in deployment.get("resources") or [] if isinstance(r, dict)
    )
    if created:
        return min(created), "the oldest create time in the state"
    return None, "unknown"


def _times(values: Iterable[Any]) -> list[float]:
    """The values that parse as times, in seconds since the epoch."""
    return [t for t in map(parse_time, values) if not math.isnan(t)]


def _lock_note(backend_url: str) -> str:
    scheme = urlsplit(backend_url).scheme or "unknown"
    return (
        f"recover cannot see the killed update's lock on this backend ({_shown(scheme)}), nor "
        "prove its process gone, so it removes none: if pulumi says the stack is locked, run "
        "`pulumi cancel` once you know that update is no longer running, then run this "
        "command again."
    )


def plan(pulumi: Pulumi) -> Plan:
    """Look up every pending create of this provider's resources; change nothing."""
    exported = pulumi.export(show_secrets=True)
    export = Export.parse(exported)
    if export.stack is None or export.project is None:
        return Plan(None, "unknown")
    backend = pulumi.backend_url()
    locks = file_locks(backend, export.project, export.stack)
    notes = [] if urlsplit(backend).scheme == "file" else [_lock_note(backend)]
    pending = [entry for kind, entry in export.pending if _ours(kind, entry)]
    if not pending:
        return Plan(None, "unknown", locks=locks, notes=notes)
    history = [] if locks else pulumi.history()
    since, source = update_start(locks, history, exported["deployment"])
    result = Plan(since, source, locks=locks, notes=notes, pending=[str(e.urn) for e in pending])
    settings: dict[str, Settings] = {}  # by provider reference: one resolution each
    # One step for each resource, however many killed updates left a create of it pending: in
    # the order of the first, with the inputs of the last (the newest program's).
    unique: dict[str, Entry] = {}
    for entry in pending:
        unique[str(entry.urn)] = entry
    for entry in unique.values():
        found = _provider(entry.type)
        assert found is not None  # _ours
        cls, plugin = found
        owner = export.provider_of(entry)
        assert entry.provider is not None  # provider_of
        if entry.provider not in settings:
            settings[entry.provider] = provider_settings(owner, plugin)
        provider = cls(settings[entry.provider])
        where = f"the input {{}} of {_shown(str(entry.urn))}"
        inputs = {
            snake(k) if plugin else k: _reveal(v, where.format(_shown(k)))
            for k, v in entry.inputs.items()
            if k != "__provider"
        }
        step = _step(provider, str(entry.urn), inputs, since, result)
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
        result.blocked.append(
            f"{_shown(urn)}: the update's start is unknown, so nothing can be adopted"
        )
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


# carrying it out ---------------------------------------------------------------------------


def recover(pulumi: Pulumi, found: Plan) -> None:
    """Carry out `found`: remove the killed update's stale lock, put each adopted resource in
    the state and drop every pending create of this provider's, then refresh what was adopted.

    Nothing is imported unless the state still holds exactly the pending creates that were
    looked up, and nothing wrote the stack between the export edited here and the import.
    """
    if found.blocked:
        raise RecoveryError("nothing was changed:\n" + "\n".join(f"- {b}" for b in found.blocked))
    held = [lock for lock in found.locks if not lock.stale]
    if held:
        raise RecoveryError(
            "the stack is locked by "
            + "; ".join(f"{lock.describe()} (not removed: {lock.verdict.why})" for lock in held)
            + ". If that update is no longer running (killed, or on a lost machine), run "
            "`pulumi cancel`, then run this command again; otherwise wait for it to end"
        )
    for lock in found.locks:
        lock.remove()
    if not found.steps:
        return
    exported = pulumi.export()
    before = copy.deepcopy(exported)
    export = Export.parse(exported)
    pending = [str(entry.urn) for kind, entry in export.pending if _ours(kind, entry)]
    if pending != found.pending:
        raise RecoveryError(
            "the stack's pending creates changed since they were looked up (another update "
            "ran?): nothing was changed; run this command again"
        )
    deployment = exported["deployment"]
    adopted = found.adopted  # each one taken once, at its first pending create
    newest = {str(entry.urn): entry for kind, entry in export.pending if _ours(kind, entry)}
    kept: list[dict[str, Any]] = []
    for (kind, entry), op in zip(export.pending, deployment["pending_operations"], strict=True):
        if not _ours(kind, entry):
            kept.append(op)
            continue
        step = adopted.pop(str(entry.urn), None)
        if step is not None:
            # Pending creates start only once what they depend on exists, so appending them in
            # the order they began keeps the resources in dependency order.
            resource = newest[str(entry.urn)].raw  # as the lookup took its inputs
            deployment.setdefault("resources", []).append(_adopted(resource, step))
    deployment["pending_operations"] = kept
    if pulumi.export() != before:
        raise RecoveryError(
            "the stack changed while recovering (another update ran?): nothing was changed; "
            "run this command again"
        )
    pulumi.import_(exported)
    if found.adopted:
        targets = [arg for urn in found.adopted for arg in ("--target", urn)]
        pulumi.run("refresh", "--yes", "--skip-preview", *targets)


def _adopted(pending: Mapping[str, Any], step: Step) -> dict[str, Any]:
    """The state entry of a pending create found as `step`: its id, and for outputs its inputs
    as recorded (secrets still encrypted) over what the lookup saw, until the refresh."""
    inputs = dict(pending.get("inputs") or {})
    outputs = {camel(k) if step.plugin else k: v for k, v in step.live.items() if v is not None}
    return {**pending, "id": step.id_, "inputs": inputs, "outputs": {**outputs, **inputs}}
