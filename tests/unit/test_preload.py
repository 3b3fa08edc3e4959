"""configure starts the SDK import off the request path."""

from __future__ import annotations

import subprocess
import sys

from tests.support.engine import ROOT

_PROGRAM = """\
import sys, threading
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from alicloud_versions.webplus import PkgVersionProvider

sdk = "alibabacloud_webplus20190320.client"
assert sdk not in sys.modules, "importing the resource module imported the SDK"
PkgVersionProvider().configure(ConfigureRequest(Config(raw_config={}, project_name="p")))
threads = [t for t in threading.enumerate() if t.name == "preload-sdk"]
assert len(threads) == 1 and threads[0].daemon, threads
threads[0].join(timeout=60)
assert sdk in sys.modules, "the preload thread did not import the SDK"
print("ok")
"""


def test_configure_imports_the_sdk_in_a_daemon_thread() -> None:
    """configure returns with one daemon thread importing the service's SDK client, which a
    fresh process had not imported before."""
    result = subprocess.run(
        [sys.executable, "-c", _PROGRAM],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr
