"""Whether the process that holds a stack lock is proven gone: a lock names its holder by
hostname and pid only, so proof needs every process of the machine in view."""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from .messages import shown

__all__ = ["Verdict", "judge_holder"]

# The proc inode of the kernel's initial pid namespace (PROC_PID_INIT_INO, a kernel constant).
_INITIAL_PID_NAMESPACE = 0xEFFFFFFC


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
        return Verdict(False, f"it was taken on another machine ({shown(hostname)})")
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
