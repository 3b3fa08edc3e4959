"""Child processes that announce themselves: started, waited on for their banner line (under a
timeout), and ended."""

from __future__ import annotations

import select
import subprocess
from collections.abc import Sequence


def start_announced(
    cmd: Sequence[str], banner: str, *, timeout: float = 60
) -> tuple[subprocess.Popen[str], str]:
    """Start `cmd` and wait for its first output line, which must begin with `banner`; the
    process and the rest of that line. Anything else, or nothing within `timeout` seconds,
    ends the process and raises RuntimeError."""
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline() if ready else ""
    if not line.startswith(banner):
        stop(proc)
        said = repr(line) if ready else f"nothing within {timeout}s"
        raise RuntimeError(f"{cmd[0]} did not start: {said}")
    return proc, line[len(banner) :].strip()


def stop(proc: subprocess.Popen[str], *, timeout: float = 10) -> None:
    """End `proc` (SIGTERM, then SIGKILL after `timeout` seconds) and close its banner pipe,
    which left open warns at collection."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    if proc.stdout is not None:
        proc.stdout.close()
