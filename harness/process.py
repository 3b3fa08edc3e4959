"""Child processes that announce themselves: started, waited on for their banner line (under a
timeout), their output drained for as long as they run, and ended."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
from collections.abc import Mapping, Sequence
from typing import IO

# The thread reading each started child's stdout after its banner, by pid, for `stop` to join.
_drains: dict[int, threading.Thread] = {}


def start_announced(
    cmd: Sequence[str],
    banner: str,
    *,
    timeout: float = 60,
    env: Mapping[str, str] | None = None,
    stderr: int | IO[bytes] | None = None,
    new_session: bool = False,
) -> tuple[subprocess.Popen[str], str]:
    """Start `cmd` and wait for its first output line, which must begin with `banner`; the
    process and the rest of that line. Anything else, or nothing within `timeout` seconds,
    ends the process and raises RuntimeError.

    With `new_session` the child leads a process group of its own, which `stop` ends whole: a
    shell script's children would outlive a signal to the shell alone.
    """
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        stderr=stderr,
        env=None if env is None else dict(env),
        text=True,
        start_new_session=new_session,
    )
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline() if ready else ""
    if not line.startswith(banner):
        stop(proc)
        said = repr(line) if ready else f"nothing within {timeout}s"
        raise RuntimeError(f"{cmd[0]} did not start: {said}")
    drain = threading.Thread(target=_drain, args=(proc.stdout,), daemon=True)
    drain.start()
    _drains[proc.pid] = drain
    return proc, line[len(banner) :].strip()


def _drain(out: IO[str]) -> None:
    # Read to the end, so the child never blocks on a full pipe; then the pipe is done with.
    with out, contextlib.suppress(OSError, ValueError):
        for _ in out:
            pass


def stop(proc: subprocess.Popen[str], *, timeout: float = 10) -> None:
    """End `proc` (SIGTERM, then SIGKILL after `timeout` seconds; its whole process group when it
    leads one) and close its banner pipe, which left open warns at collection."""
    if proc.poll() is None:
        _signal(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal(proc, signal.SIGKILL)
            proc.wait(timeout=timeout)
    drain = _drains.pop(proc.pid, None)
    if drain is not None:
        # The drain closes the pipe at its end. A grandchild still holding the pipe keeps that
        # from coming: closing it here would wait on the reader, so it is left to the thread.
        drain.join(timeout=timeout)
    elif proc.stdout is not None:
        proc.stdout.close()


def _signal(proc: subprocess.Popen[str], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
