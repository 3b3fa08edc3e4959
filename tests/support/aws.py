"""AWS services on loopback (moto's server, as its own process): an S3-compatible bucket for a
DIY state backend, like a team's OSS bucket, and a KMS key the test stacks encrypt their
secrets with."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from tests.support.engine import SecretsProvider
from tests.support.process import start_announced, stop

_BANNER = "moto listening on "
# Any key pair signs requests to moto; the engine reads these like a real account's keys.
ACCESS_KEY_ID, SECRET_ACCESS_KEY, REGION = "AKIAMOTOSTATE0000001", "moto-state-secret", "us-east-1"
# moto's threaded server in a process of its own, on the port the OS picked, with one KMS key
# made (moto keeps it as long as the process runs); its address and the key's id announced.
_SERVE = f"""
import threading
import boto3
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
kms = boto3.client("kms", endpoint_url=f"http://{{host}}:{{port}}", region_name="{REGION}",
                   aws_access_key_id="{ACCESS_KEY_ID}", aws_secret_access_key="{SECRET_ACCESS_KEY}")
key = kms.create_key(Description="test stacks' secrets")["KeyMetadata"]["KeyId"]
print("{_BANNER}" + f"{{host}}:{{port}} {{key}}", flush=True)
threading.Event().wait()  # until the test ends the process
"""


class MotoProcess:
    """moto's server on a free loopback port, with a KMS key made; `stop` ends it."""

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python  # one with moto[server] installed
        self.port = 0
        self.key_id = ""
        self.proc: subprocess.Popen[str] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MotoProcess:
        self.proc, announced = start_announced([self.python, "-c", _SERVE], _BANNER)
        address, self.key_id = announced.split()
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

    def client(self, service: str = "s3") -> Any:
        """A boto3 client of `service` on the server."""
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            region_name=REGION,
        )

    def backend_url(self, bucket: str) -> str:
        """The `pulumi login` URL of `bucket` here: the README's OSS line, but path-style,
        since a loopback server has no per-bucket host names."""
        return f"s3://{bucket}?endpoint={self.endpoint}&region={REGION}&use_path_style=true"

    def secrets_provider(self) -> SecretsProvider:
        """Stacks' secrets under the server's KMS key (`awskms://`, the endpoint in the URL)."""
        url = f"awskms://{self.key_id}?region={REGION}&endpoint={self.endpoint}"
        return SecretsProvider(url, self.env())
