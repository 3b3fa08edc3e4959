"""The create journal: each create the provider is about to send, and the answer it got, kept
durably beside the stack, so that ``alicloud-versions recover`` acts only on evidence.

Where: ``$ALICLOUD_VERSIONS_STATE_DIR``, else ``$XDG_STATE_HOME/alicloud-versions``, else
``~/.local/state/alicloud-versions``; then ``creates/PROJECT/``, one file per provider process.
Not under the backend's folder: no provider is told its backend (a ``pulumi login`` is not in
the environment), and the dynamic provider host is not told its stack either (its requests
carry no URN); what every provider is told is its project (``PULUMI_PROJECT``, set by the
engine). So each record names its resource's URN when the front door knows it (the plugin),
and always carries a digest of the resource's type and non-secret inputs, which recover
computes again from the stack's own pending or planned creates. recover runs where the
killed update ran (it reads that update's lock there too); on another machine it finds no
record, which is no evidence, so it imports nothing.

Durable: a send is written and fsync'd (the folder too, when the file is new) before the
create leaves, so a kill right after it still finds the record. Private: folders 0700, files
0600, and no input value is written (a digest of the non-secret ones; secret ones are not
even named). Bounded: a process's file is removed when the process ends normally with every
create answered (the engine closes its providers when an update ends; a killed update's are
killed), and by recover once it has settled what the file records.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Journal",
    "Record",
    "digests",
    "folder",
    "journal",
    "read_records",
]

# The engine names each provider's project in its environment (provider_plugin.go).
_PROJECT_ENV = "PULUMI_PROJECT"
_ROOT_ENV = "ALICLOUD_VERSIONS_STATE_DIR"
_SUFFIX = ".jsonl"


def folder(project: str, environ: Mapping[str, str] | None = None) -> Path:
    """The folder of `project`'s create records (not created here)."""
    env = os.environ if environ is None else environ
    root = env.get(_ROOT_ENV)
    if not root:
        state = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        root = str(Path(state) / "alicloud-versions")
    # A project name as a single path component: nothing climbs out of the root.
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in project).lstrip(".")
    return Path(root) / "creates" / (safe or "_")


def _canonical(value: Any) -> Any:
    """`value` as the digest sees it: a whole float is the int it equals (the plugin's numbers
    travel as floats, the state's as ints)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def digests(inputs: Mapping[str, Any], secret: Iterable[str], salt: str) -> dict[str, str | None]:
    """Each set input's name with a salted digest of its value; None for one in `secret`,
    whose value is not even digested."""
    hidden = frozenset(secret)
    return {
        k: None if k in hidden else _digest(salt, v) for k, v in inputs.items() if v is not None
    }


def _digest(salt: str, value: Any) -> str:
    text = json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # another user's folder stays theirs
        path.chmod(0o700)


def _fsync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Journal:
    """One provider process's file of create records for one project."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._open: set[int] = set()  # sends not answered yet
        self._count = 0
        self.salt = uuid.uuid4().hex
        """Salts this file's digests, so a digest of one value differs from file to file."""
        self._ancestors = _ancestors()

    def _write(self, line: Mapping[str, Any]) -> None:
        data = (json.dumps(line, sort_keys=True) + "\n").encode()
        if self._fd is None:
            _private_folder(self.path.parent)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            self._fd = os.open(self.path, flags, 0o600)
            header = {
                "pid": os.getpid(),
                "hostname": socket.gethostname(),
                "started": time.time(),
                "salt": self.salt,
            }
            # The header and the first record in one write: no file without a record.
            _write_all(self._fd, (json.dumps(header, sort_keys=True) + "\n").encode() + data)
            os.fsync(self._fd)
            _fsync_folder(self.path.parent)
            atexit.register(self.close)
            _trim(self.path.parent, keep=self.path)
            return
        _write_all(self._fd, data)
        os.fsync(self._fd)

    def sent(
        self,
        kind: str,
        inputs: Mapping[str, Any],
        secret: Iterable[str],
        urn: str | None,
        sent: float,
        deadline: float,
    ) -> int:
        """Record a create of `kind` with `inputs` (those in `secret` only named), about to be
        sent at `sent` and able to land until `deadline`; its number, for `answered`. Returns
        once the record is on disk."""
        with self._lock:
            self._count += 1
            number = self._count
            self._write(
                {
                    "n": number,
                    "kind": kind,
                    "inputs": digests(inputs, secret, self.salt),
                    "urn": urn,
                    "sent": sent,
                    "deadline": deadline,
                }
            )
            self._open.add(number)
            return number

    def answered(self, number: int, id_: str | None) -> None:
        """Record the answer to create `number`: the id it made, or None when an answer proved
        that it made nothing."""
        with self._lock:
            self._write({"n": number, "id": id_, "at": time.time()})
            self._open.discard(number)

    def close(self) -> None:
        """At a normal exit: remove the file when every create it records was answered and
        the engine that started this process still runs (it closes its providers when an
        update ends, so what it got is in its state, or will be); a process outliving a
        killed engine keeps it."""
        with self._lock:
            if self._fd is None:
                return
            os.close(self._fd)
            self._fd = None
            if not self._open and self._ancestors and _ancestors() == self._ancestors:
                self.path.unlink(missing_ok=True)


def _trim(where: Path, keep: Path) -> None:
    """Remove the files of `where` whose writer, on this machine, is gone and every create of
    which was answered: the update that wrote them ended, its answers in its state (what a
    killed update left unanswered stays, for recover)."""
    by_file: dict[Path, list[Record]] = {}
    for record in read_records(where):
        by_file.setdefault(record.path, []).append(record)
    for path, records in by_file.items():
        if path == keep or not all(r.answered for r in records):
            continue
        header = records[0].header
        if header.get("hostname") != socket.gethostname() or not _gone(header.get("pid")):
            continue
        path.unlink(missing_ok=True)


def _ancestors() -> tuple[int, ...]:
    """This process's parent and grandparent, those still running (not zombies): the engine,
    or the shell it runs the dynamic provider host through and the engine. Empty where /proc
    cannot tell (not Linux)."""
    found = []
    pid = os.getpid()
    for _ in range(2):
        try:
            stat_ = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return ()
        pid = int(stat_.rsplit(")", 1)[1].split()[1])
        try:
            parent = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        if parent.rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            break
        found.append(pid)
    return tuple(found)


def _gone(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


_journals: dict[Path, Journal] = {}
_journals_lock = threading.Lock()


def journal(environ: Mapping[str, str] | None = None) -> Journal | None:
    """This process's journal for the project the engine named; None outside the engine."""
    env = os.environ if environ is None else environ
    project = env.get(_PROJECT_ENV)
    if not project:
        return None
    where = folder(project, env)
    with _journals_lock:
        found = _journals.get(where)
        if found is None:
            name = f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex[:8]}{_SUFFIX}"
            found = _journals[where] = Journal(where / name)
        return found


@dataclass(frozen=True)
class Record:
    """One create a provider process recorded: when it was sent, until when it could land, and
    the answer if one came (`answered`; `id_` None when the answer proved nothing made)."""

    path: Path
    kind: str
    inputs: Mapping[str, str | None]
    """Each input's salted digest (None: secret, only named)."""
    salt: str
    urn: str | None
    sent: float
    deadline: float
    answered: bool = False
    id_: str | None = None
    header: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The file's first line: its writer's pid and hostname, when it started, the salt."""

    def matches(self, kind: str, inputs: Mapping[str, Any], hidden: Iterable[str] = ()) -> bool:
        """Whether this records a create of `kind` with `inputs` (as the core names them, unset
        ones None); `hidden` names inputs set to a value not known here, which only need to be
        named alike."""
        hidden = frozenset(hidden)
        names = {k for k, v in inputs.items() if v is not None} | hidden
        if kind != self.kind or names != set(self.inputs):
            return False
        return all(
            self.inputs[k] is None or self.inputs[k] == _digest(self.salt, v)
            for k, v in inputs.items()
            if v is not None and k not in hidden
        )


def read_records(where: Path) -> list[Record]:
    """Every create recorded in the files of `where`, oldest file first; a line cut short by a
    kill, or anything else malformed, is skipped."""
    found: list[Record] = []
    try:
        paths = sorted(p for p in where.iterdir() if p.name.endswith(_SUFFIX) and p.is_file())
    except OSError:
        return found
    for path in paths:
        try:
            lines = path.read_text().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        items = []
        for line in lines:
            with contextlib.suppress(ValueError):
                item = json.loads(line)
                if isinstance(item, dict):
                    items.append(item)
        if not items or not isinstance(items[0].get("salt"), str):
            continue
        salt = items[0]["salt"]
        answers = {i["n"]: i for i in items[1:] if "at" in i and isinstance(i.get("n"), int)}
        for item in items[1:]:
            if "sent" not in item or not isinstance(item.get("inputs"), dict):
                continue
            answer = answers.get(item.get("n"))
            id_ = answer.get("id") if answer else None
            urn = item.get("urn")
            try:
                found.append(
                    Record(
                        path,
                        str(item["kind"]),
                        {
                            str(k): v if isinstance(v, str) else None
                            for k, v in item["inputs"].items()
                        },
                        salt,
                        urn if isinstance(urn, str) else None,
                        float(item["sent"]),
                        float(item["deadline"]),
                        answer is not None,
                        id_ if isinstance(id_, str) else None,
                        items[0],
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
    return found
