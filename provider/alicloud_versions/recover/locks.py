"""The stack locks a killed update leaves in a file backend: found only inside the backend's
own lock folder of the stack, and removed only when their holder is proven gone
(`forensics.judge_holder`), that one file, re-read and judged again at the moment of removal;
never ``pulumi cancel``, which removes every lock of the stack, a new update's included."""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.ownership import parse_time
from .forensics import Verdict, judge_holder
from .messages import RecoveryError, shown

__all__ = ["Lock", "file_backend", "file_locks", "lock_folders", "lock_note", "valid_folder_name"]

# A stack or project name as the file backend makes a folder of it (tokens.ValidateStackName,
# and the project names the engine accepts for a project-scoped file backend).
_FOLDER_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
# More than any lock pulumi writes (a pid, a user and a host name, a timestamp).
_LOCK_SIZE = 65536


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
        return f"pid {self.pid} on {shown(self.hostname)}, since {when}"

    def remove(self) -> None:
        """Delete this lock file, if it is still exactly this lock and its holder still gone.

        Only this path is removed: pulumi names each lock after a fresh id of the process that
        took it, so no other update ever writes it; re-reading it proves it is still the lock
        judged, and the holder is judged again now, at the moment of removal.
        """
        now = _read_regular(self.path)
        if now is None:
            if self.path.exists() or self.path.is_symlink():
                raise RecoveryError(f"the lock {shown(str(self.path))} is no longer a file")
            return  # removed meanwhile (pulumi cancel): nothing of ours to remove
        if now != self.content:
            raise RecoveryError(
                f"the lock {shown(str(self.path))} changed since it was read: left in place"
            )
        verdict = judge_holder(self.pid, self.hostname)
        if not verdict.gone:
            raise RecoveryError(
                f"the lock {shown(str(self.path))} ({self.describe()}) is no longer proven "
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


def valid_folder_name(name: str) -> bool:
    """Whether `name` (a project's or a stack's) is one a file backend makes a folder of."""
    return bool(_FOLDER_NAME.fullmatch(name)) and name not in (".", "..")


def file_backend(backend_url: str) -> Path | None:
    """The ``.pulumi`` folder of a ``file://`` backend; None for any other backend."""
    url = urlsplit(backend_url)
    if url.scheme != "file":
        return None
    return Path(unquote(url.path)).expanduser() / ".pulumi"


def lock_folders(backend_url: str, project: str, stack: str) -> list[Path]:
    """The folders a ``file://`` backend keeps the stack's locks in (none for other backends):
    ``.pulumi/locks/ORG/PROJECT/STACK`` and, for stacks made before projects scoped them,
    ``.pulumi/locks/STACK``; each one inside the backend's lock folder, symlinks resolved."""
    backend = file_backend(backend_url)
    if backend is None:
        return []
    for name, what in ((project, "project"), (stack, "stack")):
        if not valid_folder_name(name):
            raise RecoveryError(
                f"the exported state names the {what} {shown(name)}, which is no {what} name "
                "of a file backend: its lock cannot be looked for"
            )
    root = backend / "locks"
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


def lock_note(backend_url: str) -> str:
    """What to do about a lock on a backend whose locks recover cannot see."""
    scheme = urlsplit(backend_url).scheme or "unknown"
    return (
        f"recover cannot see the killed update's lock on this backend ({shown(scheme)}), nor "
        "prove its process gone, so it removes none: if pulumi says the stack is locked, run "
        "`pulumi cancel` once you know that update is no longer running, then run this "
        "command again."
    )
