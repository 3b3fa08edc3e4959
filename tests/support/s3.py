"""An S3-compatible server (moto) as its own process on loopback: a DIY state backend for the
engine, like a team's OSS bucket."""

from __future__ import annotations

import select
import subprocess
import sys
from typing import Any

_BANNER = "moto s3 listening on "
# moto's threaded server in a process of its own; the port is the one the OS picked.
_SERVE = f"""
import sys, threading
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print("{_BANNER}" + f"{{host}}:{{port}}", flush=True)
sys.stdin.read()  # until the test closes stdin (or dies)
server.stop()
"""
# Any key pair signs requests to moto; the engine reads these like a real bucket's keys.
ACCESS_KEY_ID, SECRET_ACCESS_KEY, REGION = "AKIAMOTOSTATE0000001", "moto-state-secret", "us-east-1"


class S3Process:
    """moto's S3 on a free loopback port; `stop` ends it."""

    def __init__(self) -> None:
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> S3Process:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        try:
            line = _readline(self.proc, timeout)
        except TimeoutError:
            self.stop()
            raise
        if not line.startswith(_BANNER):
            self.stop()
            raise RuntimeError(f"moto did not start: {line!r}")
        self.port = int(line.strip().rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc = None

    def env(self) -> dict[str, str]:
        """What the engine and boto3 need to sign as the server's user."""
        return {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "AWS_REGION": REGION,
        }

    def client(self) -> Any:
        """A boto3 S3 client for the server."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            region_name=REGION,
        )

    def backend_url(self, bucket: str) -> str:
        """The `pulumi login` URL of `bucket` here: the README's OSS line, but path-style,
        since a loopback server has no per-bucket host names."""
        return f"s3://{bucket}?endpoint={self.endpoint}&region={REGION}&use_path_style=true"


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    """The child's first output line, or TimeoutError after `timeout` seconds."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise TimeoutError(f"no banner from moto within {timeout}s")
    return proc.stdout.readline()
