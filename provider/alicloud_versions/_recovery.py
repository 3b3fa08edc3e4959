"""Finishing the creates a killed ``pulumi up`` left pending, on evidence only.

A killed update leaves each create it started as a pending operation in the state. Each one
here is looked up in the cloud, with the settings of the provider resource that owns it (its
account, region and endpoints as recorded in the state), and judged by the records of the
creates the update sent (`_evidence`, `core.journal`): the one resource they prove it made is
put into the state with its id; when none was made the pending create is cleared, so the next
``pulumi up`` creates it; several candidates, or a namesake of a create with no record of its
sending, stop the recovery with all of them listed. A Template cannot be found again (no API
lists, reads or deletes templates): it is cleared and listed as left behind.

The state is changed as ``pulumi refresh --import-pending-creates URN ID
--clear-pending-creates`` means to: engine 3.259 turns those into pending imports that its
refresh then drops, so the deployment is edited instead (``pulumi stack export``, the pending
creates of this provider's resources replaced by resources carrying their ids, ``pulumi stack
import``, which takes the stack lock), and ``pulumi refresh`` then reads each adopted one.

The update's start (for a pending create with no record only) is the timestamp of the lock the
killed update left (file backends); else the end of the last update in the stack's history;
else the oldest create time in the state.

An update run in the engine's fast mode (``PULUMI_SKIP_CHECKPOINTS``) leaves no pending creates
when killed, only its lock and its create records: recognised by those records alone, what it
made is found from the program's plan, round by round (`plan_fast`, `recover_fast`).

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
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ._evidence import consume, judge, matching, open_records, records_of
from .core import kind_named
from .core.config import KEYS, PluginConfig, Settings, resolve_settings
from .core.errors import AlicloudVersionsError
from .core.fields import camel, snake
from .core.journal import Record
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
    "fast_mode_requested",
    "file_locks",
    "plan",
    "plan_fast",
    "printable",
    "recover",
    "recover_fast",
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

    def run(self, *args: str, stack: bool = True, stdin: str | None = None) -> str:
        """`pulumi args...`, `stdin` on its standard input; its standard output."""
        argv = [*self.command, *args, "--non-interactive"]
        if stack and self.stack:
            argv += ["--stack", self.stack]
        try:
            done = subprocess.run(
                argv,
                cwd=self.cwd,
                input=stdin,
                stdin=None if stdin is not None else subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
                timeout=1800,
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
        """`pulumi stack import` of `exported`, through a pipe: it may hold secrets in plain
        text (the stack's config, for a provider fast mode adds), which no file must keep."""
        self.run("stack", "import", stdin=json.dumps(exported))

    def project_name(self) -> str:
        """The project's name, from its ``Pulumi.yaml`` (or ``Pulumi.yml``)."""
        for name in ("Pulumi.yaml", "Pulumi.yml"):
            try:
                text = (self.cwd / name).read_text()
            except OSError:
                continue
            found = re.search(r"^name:\s*['\"]?([^'\"\s#]+)", text, re.MULTILINE)
            if found:
                return found.group(1)
        raise RecoveryError(f"no Pulumi.yaml with a project name in {_shown(str(self.cwd))}")

    def stack_name(self) -> str:
        """The stack's own name (``dev`` of ``org/project/dev``)."""
        if self.stack:
            return self.stack.rsplit("/", 1)[-1]
        return self.run("stack", "--show-name", stack=False).strip().rsplit("/", 1)[-1]

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
    resource: Mapping[str, Any] | None = field(default=None, repr=False)
    """Fast mode: the planned resource as the state gets it (inputs the plan did not know
    taken from what was found), with the provider it references."""

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
    fast: bool = False
    """Found from the program's plan: the killed update skipped checkpoints (see `plan_fast`)."""
    deferred: list[str] = field(default_factory=list)
    """Fast mode: the URNs of planned creates waiting for a parent a later round may find."""
    known: frozenset[str] = frozenset()
    """Fast mode: the URNs the state held when the plan was made."""
    providers: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """Fast mode: the stack and provider resources the adopted ones need, absent from the
    state (the killed update was the stack's first), as the state gets them."""
    records: list[Record] = field(default_factory=list, repr=False)
    """The create records judged (`_evidence`): the killed update's, removed once carried out."""

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


def fast_mode_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this environment runs updates in the engine's fast mode
    (``PULUMI_SKIP_CHECKPOINTS`` set to a true value, as the engine reads it)."""
    value = (os.environ if environ is None else environ).get("PULUMI_SKIP_CHECKPOINTS", "")
    return value == "1" or value.lower() == "true"  # the engine's cmdutil.IsTruthy


def _state_ids(export: Export) -> set[str]:
    return {str(e.raw["id"]) for e in export.resources.values() if e.raw.get("id")}


def _core_inputs(
    cls: type[ResourceCore], plugin: bool, inputs: Mapping[str, Any], where: str
) -> dict[str, Any]:
    """A create's inputs in the state or a plan as the core names them, secrets revealed,
    only its declared inputs (not the provider's key, nor an output's placeholder)."""
    found = {}
    for key, value in inputs.items():
        name = snake(key) if plugin else key
        if name in cls.INPUTS:
            found[name] = _reveal(value, where.format(_shown(key)))
    return found


def plan(pulumi: Pulumi, *, fast: bool = False) -> Plan:
    """Look up every pending create of this provider's resources; change nothing.

    Each is judged by the records of the creates the killed update sent (`_evidence`). With
    no pending create of ours, a killed update in fast mode (``PULUMI_SKIP_CHECKPOINTS``,
    which records nothing in the state until it ends) is recognised by its records alone:
    sends whose outcome the state does not hold. Then the program's own plan is searched
    (`plan_fast`). A lock, or `fast`, is no evidence of anything made.
    """
    exported = pulumi.export(show_secrets=True)
    export = Export.parse(exported)
    project, stack = export.project, export.stack
    if project is None or stack is None:  # an empty state: a first update, or none yet
        project, stack = pulumi.project_name(), pulumi.stack_name()
    backend = pulumi.backend_url()
    locks = file_locks(backend, project, stack)
    notes = [] if urlsplit(backend).scheme == "file" else [_lock_note(backend)]
    records = records_of(project, stack)
    ids = _state_ids(export)
    pending = [entry for kind, entry in export.pending if _ours(kind, entry)]
    if not pending:
        unsettled = open_records(records, ids)
        if unsettled:
            return plan_fast(pulumi, export, unsettled, locks=locks, notes=notes)
        if fast or locks:
            notes.insert(
                0,
                "No record shows the killed update sending a create of this provider's (the "
                "provider records each one before sending it), so it made none: nothing was "
                "looked up.",
            )
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
        inputs = _core_inputs(cls, plugin, entry.inputs, where)
        urn = str(entry.urn)
        mine = matching(records, urn, cls.TYPE, inputs)
        result.records += [r for r in mine if r not in result.records]
        step = _step(provider, urn, inputs, mine, result, ids, since=since)
        step.plugin = plugin
        result.steps.append(step)
    return result


def _step(
    provider: ResourceCore,
    urn: str,
    inputs: Mapping[str, Any],
    records: Sequence[Record],
    result: Plan,
    state_ids: Iterable[str],
    *,
    since: float | None = None,
    hidden: Iterable[str] = (),
    fast: bool = False,
) -> Step:
    kind = provider.TYPE.replace(".", ":")
    # In fast mode there is no pending create to clear: what is not imported is left to up.
    leave = "leave" if fast else "clear"
    if not provider.findable():  # a kind that cannot be found again
        return Step(
            urn,
            kind,
            "cannot be looked up",
            f"{leave} (left behind: no API lists, reads or deletes templates; if the upload "
            "was made it stays unused, and the next up uploads the body again)",
        )
    if inputs.get("adopt_id"):
        return Step(urn, kind, f"adopt_id {inputs['adopt_id']}", f"{leave} (the next up adopts it)")
    if fast and not records:  # the killed update never sent it
        return Step(urn, kind, "no record of its create", f"{leave} (the next up creates it)")
    try:
        found = judge(
            provider, urn, inputs, records, state_ids=state_ids, since=since, hidden=hidden
        )
    except AlicloudVersionsError as exc:
        result.blocked.append(str(exc))
        return Step(urn, kind, "not looked up", "none (see below)")
    if found.problem is not None:
        result.blocked.append(found.problem)
        return Step(urn, kind, found.found, "none (see below)")
    if found.mine is None:
        return Step(urn, kind, found.found, f"{leave} (the next up creates it)")
    mine = found.mine
    return Step(urn, kind, mine.describe(), f"import {mine.id_}", mine.id_, mine.live)


# carrying it out ---------------------------------------------------------------------------


def recover(pulumi: Pulumi, found: Plan) -> None:
    """Carry out `found`: remove the killed update's stale lock, put each adopted resource in
    the state and drop every pending create of this provider's, then refresh what was adopted.

    Nothing is imported unless the state still holds exactly the pending creates that were
    looked up, and nothing wrote the stack between the export edited here and the import.
    """
    _unlock(found)
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
    consume(found.records)


def _unlock(found: Plan) -> None:
    """Stop on what blocks `found`; else remove the killed update's locks, each proven stale."""
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


def _adopted(pending: Mapping[str, Any], step: Step) -> dict[str, Any]:
    """The state entry of a pending create found as `step`: its id, and for outputs its inputs
    as recorded (secrets still encrypted) over what the lookup saw, until the refresh."""
    inputs = dict(pending.get("inputs") or {})
    return {**pending, "id": step.id_, "inputs": inputs, "outputs": _outputs(step, inputs)}


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(_SECRET_SIG) is not None


def _outputs(step: Step, inputs: Mapping[str, Any], hidden: Iterable[str] = ()) -> dict[str, Any]:
    """The outputs of an adopted resource until its refresh: `inputs` (as the state gets them)
    over what the lookup saw, each one the front doors keep secret (`secret_outputs`: the
    secret inputs, those `hidden` as secret by a plan included, and what is derived from one,
    as a package's URL from its source) a secret."""
    cls = kind_named(step.kind.replace(":", ".", 1))
    assert cls is not None  # a step is made for a kind of ours
    secret = {snake(k) if step.plugin else k for k, v in inputs.items() if _is_secret(v)}
    secret |= {snake(k) if step.plugin else k for k in hidden}
    keep = cls().secret_outputs(secret)
    live = {
        camel(k) if step.plugin else k: _secret(v) if k in keep else v
        for k, v in step.live.items()
        if v is not None
    }
    return {**live, **inputs}


# fast mode ---------------------------------------------------------------------------------
#
# An update run with PULUMI_SKIP_CHECKPOINTS writes the state only when it ends: killed, it
# leaves nothing of itself in the state but its lock. What it may have made is then what the
# program still plans to create (`pulumi preview --json`, with the inputs of each create), and
# the lock's timestamp bounds when. Each planned create of a kind that can be looked up is
# looked up by the ownership rule, as a pending create is; those found are imported, and the
# plan is made again, so that a create whose inputs came from a parent found in this round
# (unknown in a plan without that parent) is looked up in the next. A round that finds nothing
# new ends it.

# The engine's marker, in a plan's JSON, for a value not known until the update runs.
_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# What a plan's JSON shows for a secret input, even with --show-secrets (engine 3.259).
_HIDDEN = "[secret]"
# The secret wrapper `stack import` takes for a value in plain text, encrypting it.
_SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"
_SECRET_KEYS = frozenset(key.name for key in KEYS if key.secret)
# What the plan's resource entries carry that a state entry has no use for.
_PLAN_ONLY = ("sourcePosition", "stackTrace")


def _holds(value: Any, marker: str) -> bool:
    """Whether `value` is `marker` or holds it (the plan's unknown or hidden marker)."""
    if isinstance(value, str):
        return value == marker
    if isinstance(value, dict):
        return any(_holds(v, marker) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, marker) for v in value)
    return False


def _is_unknown(value: Any) -> bool:
    return _holds(value, _UNKNOWN)


@dataclass(frozen=True)
class Planned:
    """One create of this provider's resources in the program's plan."""

    entry: Entry
    cls: type[ResourceCore]
    plugin: bool
    inputs: Mapping[str, Any]
    """Its inputs as the core names them, secrets revealed; those the plan does not know left
    out."""
    unknown: frozenset[str]
    """The inputs the plan does not know yet, as the state names them."""
    parents: frozenset[str]
    """The URNs those unknown inputs come from (their property dependencies)."""
    hidden: frozenset[str] = frozenset()
    """The secret inputs, which the plan shows as ``[secret]``: never compared, and the state
    gets what was found for them, as a secret."""

    @property
    def uncompared(self) -> list[str]:
        """The inputs the lookup cannot compare, as the core names them."""
        names = sorted(self.unknown | self.hidden)
        return [snake(k) if self.plugin else k for k in names]


def planned_creates(preview: Any) -> tuple[list[Planned], dict[str, Entry]]:
    """The creates of this provider's resources in ``pulumi preview --json``'s output, in the
    plan's order; and every resource the plan creates, by URN."""
    doc = _object(preview, "the plan")
    created: dict[str, Entry] = {}
    ours = []
    for n, value in enumerate(_items(doc.get("steps"), "the plan's steps")):
        step = _object(value, f"the plan's steps[{n}]")
        if step.get("op") != "create":
            continue
        entry = Entry.parse(step.get("newState"), f"the plan's steps[{n}].newState")
        created[str(entry.urn)] = entry
        found = _provider(entry.type)
        if found is None:
            continue
        cls, plugin = found
        deps = _object(entry.raw.get("propertyDependencies") or {}, f"steps[{n}] dependencies")
        unknown = frozenset(k for k, v in entry.inputs.items() if _is_unknown(v))
        hidden = frozenset(k for k, v in entry.inputs.items() if _holds(v, _HIDDEN)) - unknown
        parents = frozenset(
            urn
            for key in unknown
            for urn in _items(deps.get(key), f"steps[{n}] dependencies of {_shown(key)}")
            if isinstance(urn, str)
        )
        where = f"the input {{}} of {_shown(str(entry.urn))} in the plan"
        inputs = {
            snake(k) if plugin else k: _reveal(v, where.format(_shown(k)))
            for k, v in entry.inputs.items()
            if k != "__provider" and k not in unknown | hidden
        }
        ours.append(Planned(entry, cls, plugin, inputs, unknown, parents, hidden))
    return ours, created


def _secret(value: Any) -> dict[str, Any]:
    return {_SECRET_SIG: _SECRET_VALUE, "plaintext": json.dumps(value)}


class _Owners:
    """The provider resource that owns each planned create, with its settings: the one in the
    state, else one the plan creates (an explicit provider), else the default provider the
    update would have made from the stack's config. Those not in the state are kept, as the
    state gets them, for when a resource they own is imported."""

    def __init__(self, pulumi: Pulumi, export: Export, created: Mapping[str, Entry]) -> None:
        self.pulumi, self.export, self.created = pulumi, export, created
        self._config: dict[str, Any] | None = None
        self._made: dict[str, Entry] = {}  # by URN: provider entries made here
        self._settings: dict[str, Settings] = {}

    def config(self) -> dict[str, Any]:
        """The stack's config, secrets wrapped as the state keeps a provider's secrets."""
        if self._config is None:
            found = _object(self.pulumi.json("config", "--show-secrets") or {}, "the config")
            config = {}
            for key, item in found.items():
                item = _object(item, f"the config key {_shown(key)}")
                value = item.get("value")
                config[key] = _secret(value) if item.get("secret") else value
            self._config = config
        return self._config

    def owner(self, planned: Planned) -> Entry:
        """The provider resource of `planned`, as the state has it or will."""
        reference = planned.entry.provider
        if reference is None:
            raise RecoveryError(
                f"the plan is malformed: {_shown(str(planned.entry.urn))} names no provider"
            )
        urn = reference.rpartition("::")[0]
        found = self.export.resources.get(urn) or self._made.get(urn)
        if found is not None:
            return found
        entry = self.created.get(urn)
        parsed = Urn.parse(urn, "a provider URN in the plan")
        if entry is not None:  # an explicit provider this update creates
            inputs = {
                k: _secret(v) if k in _SECRET_KEYS and not isinstance(v, dict) else v
                for k, v in entry.inputs.items()
            }
            if any(_is_unknown(v) or v == "[secret]" for v in inputs.values()):
                raise RecoveryError(
                    f"the plan does not show every input of the provider {_shown(urn)}: its "
                    "resources cannot be looked up"
                )
            raw = {k: v for k, v in entry.raw.items() if k not in _PLAN_ONLY}
        elif parsed.name == "default" or parsed.name.startswith("default_"):
            config = self.config()
            if planned.plugin:
                prefix = f"{_PACKAGE}:"
                inputs = {k[len(prefix) :]: v for k, v in config.items() if k.startswith(prefix)}
            else:
                inputs = dict(config)
            raw = {"urn": urn, "custom": True, "type": parsed.type}
        else:
            raise RecoveryError(
                f"the provider {_shown(urn)} of {_shown(str(planned.entry.urn))} is neither in "
                "the state nor in the plan"
            )
        made = Entry.parse(
            {**raw, "id": str(uuid.uuid4()), "inputs": inputs, "outputs": inputs}, "a provider"
        )
        self._made[urn] = made
        return made

    def settings(self, planned: Planned) -> Settings:
        owner = self.owner(planned)
        key = str(owner.urn)
        if key not in self._settings:
            self._settings[key] = provider_settings(owner, planned.plugin)
        return self._settings[key]

    def reference(self, planned: Planned) -> str:
        owner = self.owner(planned)
        return f"{owner.urn}::{owner.raw['id']}"

    def made(self, urn: str) -> Entry | None:
        return self._made.get(urn)


def plan_fast(
    pulumi: Pulumi,
    export: Export,
    records: Sequence[Record],
    *,
    locks: Sequence[Lock] = (),
    notes: Sequence[str] = (),
) -> Plan:
    """One round of recovering a killed fast-mode update, whose `records` show creates it
    sent that the state does not hold: look up each create the program still plans and
    judge it by its records (`_evidence`); change nothing.

    A planned create with no record was never sent: left to the next up. A create whose
    unknown inputs come from a parent the plan creates and that could be found waits for the
    next round (`Plan.deferred`).
    """
    since = min((r.sent for r in records), default=None)
    result = Plan(
        since,
        "its first recorded create",
        locks=list(locks),
        notes=list(notes),
        fast=True,
        known=frozenset(export.resources),
        records=list(records),
    )
    held = [lock for lock in locks if not lock.stale]
    if held:  # an update may be running: its plan is not what a killed one left
        result.blocked.append(
            "the stack is locked by "
            + "; ".join(f"{lock.describe()} ({lock.verdict.why})" for lock in held)
            + ": an update may be running, so its plan was not searched. If it is no longer "
            "running, run `pulumi cancel`, then run this command again"
        )
        return result
    planned, created = planned_creates(pulumi.json("preview", "--show-secrets"))
    owners = _Owners(pulumi, export, created)
    findable = {str(p.entry.urn) for p in planned if p.cls.findable()}
    present = set(export.resources)
    for item in planned:
        urn = str(item.entry.urn)
        waiting = sorted(item.parents & findable)
        if waiting:
            names = ", ".join(Urn.parse(u).name for u in waiting)
            result.steps.append(
                Step(
                    urn,
                    item.cls.TYPE.replace(".", ":"),
                    f"inputs wait for {names}",
                    "looked up once its parent is imported",
                    plugin=item.plugin,
                )
            )
            result.deferred.append(urn)
            continue
        provider = item.cls(owners.settings(item))
        inputs = {k: v for k, v in item.inputs.items() if k in item.cls.INPUTS}
        hidden = {snake(k) if item.plugin else k for k in item.hidden}
        # Unknown here, from a parent that cannot be looked up (a template's URL): the
        # records name it, and match on the rest.
        unknown = {snake(k) if item.plugin else k for k in item.unknown}
        mine = matching(
            records, urn, item.cls.TYPE, inputs, (hidden | unknown) & set(item.cls.INPUTS)
        )
        try:
            step = _step(
                provider, urn, inputs, mine, result, _state_ids(export), hidden=hidden, fast=True
            )
        except KeyError as exc:
            if not exc.args or exc.args[0] not in item.uncompared:
                raise  # a bug, not an input the plan left out
            result.blocked.append(
                f"{_shown(urn)}: its lookup needs {_shown(exc.args[0])}, which the plan does not "
                "show (a secret, or a value from a resource that cannot be looked up)"
            )
            step = Step(urn, item.cls.TYPE.replace(".", ":"), "not looked up", "none")
        step.plugin = item.plugin
        if step.id_ and item.uncompared:
            step.found += f"; not compared: {', '.join(item.uncompared)}"
        if step.id_:
            for needed in _needed(item.entry, owners, created, export, present):
                result.providers.append(needed)
                present.add(str(needed["urn"]))
            step.resource = _planned_resource(item, step, owners.reference(item), present)
            present.add(urn)
        result.steps.append(step)
    if not result.adopted:
        # Their parents were looked up and not found: the killed update cannot have made them.
        for step in result.steps:
            if step.urn in result.deferred:
                step.found = "its parent was not made, so neither was it"
                step.action = "leave (the next up creates it)"
        result.deferred.clear()
    return result


def _needed(
    entry: Entry,
    owners: _Owners,
    created: Mapping[str, Entry],
    export: Export,
    present: set[str],
) -> list[dict[str, Any]]:
    """The resources `entry` needs in the state before it (its provider, its parents up to the
    stack), absent from it, parents first."""
    found: list[dict[str, Any]] = []
    seen = set(present)

    def add(urn: str | None) -> None:
        if not urn or urn in seen:
            return
        made = owners.made(urn)
        plan_entry = created.get(urn)
        if made is not None:
            raw = dict(made.raw)
        elif plan_entry is not None and not plan_entry.raw.get("custom"):
            raw = {k: v for k, v in plan_entry.raw.items() if k not in _PLAN_ONLY}
        else:
            raise RecoveryError(
                f"{_shown(str(entry.urn))} needs {_shown(urn)} in the state, which the killed "
                "update made and recover cannot: run `pulumi up` without adopting it"
            )
        seen.add(urn)
        add(raw.get("parent"))
        found.append(raw)

    add(entry.raw.get("parent"))
    if entry.provider:
        add(entry.provider.rpartition("::")[0])
    return found


def _planned_resource(
    item: Planned, step: Step, provider: str, present: set[str]
) -> dict[str, Any]:
    """The state entry of a planned create found as `step`: its id, its inputs as planned with
    the ones the plan did not know or hid taken from what was found (a hidden one kept
    secret), its outputs those inputs over what the lookup saw (until the refresh),
    dependencies only on what the state holds."""
    live = {camel(k) if item.plugin else k: v for k, v in step.live.items() if v is not None}
    inputs = {}
    for key, value in item.entry.inputs.items():
        if key in item.unknown or key in item.hidden:
            if live.get(key) is None:
                continue  # the next up sets it
            value = _secret(live[key]) if key in item.hidden else live[key]
        inputs[key] = value
    raw = {k: v for k, v in item.entry.raw.items() if k not in _PLAN_ONLY}
    raw["dependencies"] = [u for u in raw.get("dependencies") or [] if u in present]
    deps = raw.get("propertyDependencies") or {}
    raw["propertyDependencies"] = {
        k: [u for u in urns if u in present] for k, urns in deps.items() if k in inputs
    }
    return {
        **raw,
        "id": step.id_,
        "provider": provider,
        "inputs": inputs,
        "outputs": _outputs(step, inputs, item.hidden),
    }


def recover_fast(
    pulumi: Pulumi, found: Plan, report: Callable[[int, Plan], None] | None = None
) -> list[Plan]:
    """Carry out a fast-mode `found` round by round: remove the killed update's stale lock,
    import what the round found, plan again, until a round finds nothing new; then refresh
    what was adopted. Each round after the first is passed to `report`; all are returned.

    A round imports nothing unless the state still holds exactly the resources it held when
    the round's plan was made, no pending create of ours, and nothing wrote the stack between
    the export edited and the import.
    """
    _unlock(found)
    rounds = [found]
    adopted: list[str] = []
    current = found
    while current.adopted:
        _import_round(pulumi, current)
        adopted += current.adopted
        export = Export.parse(pulumi.export(show_secrets=True))
        current = plan_fast(pulumi, export, found.records)
        rounds.append(current)
        if report is not None:
            report(len(rounds), current)
        if current.blocked:
            raise RecoveryError(
                f"imported {len(adopted)} resources, then stopped:\n"
                + "\n".join(f"- {b}" for b in current.blocked)
            )
    if adopted:
        targets = [arg for urn in adopted for arg in ("--target", urn)]
        pulumi.run("refresh", "--yes", "--skip-preview", *targets)
    consume(found.records)
    return rounds


def _import_round(pulumi: Pulumi, found: Plan) -> None:
    exported = pulumi.export()
    before = copy.deepcopy(exported)
    export = Export.parse(exported)
    if set(export.resources) != found.known or any(_ours(k, e) for k, e in export.pending):
        raise RecoveryError(
            "the stack changed since its plan was searched (another update ran?): nothing more "
            "was changed; run this command again"
        )
    resources = exported["deployment"].setdefault("resources", [])
    resources += found.providers
    resources += [step.resource for step in found.adopted.values() if step.resource]
    if pulumi.export() != before:
        raise RecoveryError(
            "the stack changed while recovering (another update ran?): nothing more was "
            "changed; run this command again"
        )
    pulumi.import_(exported)
