"""An S3-compatible server (moto) as its own process on loopback: a DIY state backend for the
engine, like a team's OSS bucket."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from tests.support.process import start_announced, stop

_BANNER = "moto s3 listening on "
# moto's threaded server in a process of its own; the port is the one the OS picked.
_SERVE = f"""
import threading
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
print("{_BANNER}" + f"{{host}}:{{port}}", flush=True)
threading.Event().wait()  # until the test ends the process
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

    def start(self) -> S3Process:
        self.proc, address = start_announced([sys.executable, "-c", _SERVE], _BANNER)
        self.port = int(address.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
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
