"""The SDK import starts off the request path once the engine announces a change, and never for
resources that stay as they are."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.engine import ROOT

# Each program runs in a fresh interpreter, so that nothing imported the SDK before.
# Every thread started is recorded, so that one that has already ended is counted too.
_PRELUDE = """\
import sys, threading

started = []
_start = threading.Thread.start

def _recorded(thread):
    started.append(thread)
    _start(thread)

threading.Thread.start = _recorded

def preloads():
    found = [t for t in started if t.name == "preload-sdk"]
    started.clear()
    return found

def joined(threads):
    assert len(threads) == 1 and threads[0].daemon, threads
    threads[0].join(timeout=60)
    assert not threads[0].is_alive()
"""

_DYNAMIC = """\
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from alicloud_versions.webplus import PkgVersionProvider

sdk = "alibabacloud_webplus20190320.client"
assert sdk not in sys.modules, "importing the resource module imported the SDK"
provider = PkgVersionProvider()
provider.configure(ConfigureRequest(Config(raw_config={}, project_name="p")))
olds = {"app_id": "app-1", "pkg_version_label": "1.0", "package_source": "oss://b/k.war"}
provider.check(olds, dict(olds))
assert not provider.diff("pv-1", olds, dict(olds)).changes
assert preloads() == [] and sdk not in sys.modules, "an unchanged resource imported the SDK"
CHANGE
joined(preloads())
assert sdk in sys.modules, "the preload thread did not import the SDK"
CHANGE
assert preloads() == [], "a second change started a second import"
print("ok")
"""

_PLUGIN = """\
import asyncio
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import CheckRequest, ConfigureRequest, DiffRequest
from alicloud_versions.plugin import AlicloudVersionsProvider

sdk = "alibabacloud_servicecatalog20210901.client"
other = "alibabacloud_webplus20190320.client"
kind = "alicloud-versions:servicecatalog:Product"
urn = f"urn:pulumi:s::p::{kind}::shop"
olds = {"productName": PropertyValue("shop"), "providerName": PropertyValue("e2e")}
news = {**olds, "productName": PropertyValue("store")}
provider = AlicloudVersionsProvider()

def check(old):
    return CheckRequest(urn, old, olds, b"")

def diff(new):
    return DiffRequest(urn, "prod-1", olds, new, [])

async def main():
    await provider.configure(ConfigureRequest({}, {}, True, True))
    await provider.check(check(olds))
    assert not (await provider.diff(diff(olds))).changes
    assert preloads() == [] and sdk not in sys.modules, "an unchanged resource imported the SDK"
    CHANGE

asyncio.run(main())
joined(preloads())
assert sdk in sys.modules, "the preload thread did not import the SDK"
assert other not in sys.modules, "a change of one service imported the other's SDK"
print("ok")
"""


def _run(program: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PRELUDE + program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout.strip(), done.stderr


@pytest.mark.parametrize(
    "change",
    [
        "provider.check({}, dict(olds))",
        'assert provider.diff("pv-1", olds, {**olds, "pkg_version_label": "1.1"}).changes',
    ],
    ids=["check-of-a-create", "diff-that-finds-a-change"],
)
def test_the_dynamic_provider_imports_the_sdk_in_a_daemon_thread_once_a_change_is_announced(
    change: str,
) -> None:
    """A configured dynamic provider imports no SDK while its resources stay as they are; a
    check of a new resource or a diff that finds a change starts the import in one daemon
    thread, and a later change starts none."""
    code, out, err = _run(_DYNAMIC.replace("CHANGE", change))
    assert (code, out) == (0, "ok"), err


@pytest.mark.parametrize(
    "change",
    ["await provider.check(check({}))", "assert (await provider.diff(diff(news))).changes"],
    ids=["check-of-a-create", "diff-that-finds-a-change"],
)
def test_the_plugin_imports_only_the_changed_service_sdk_once_a_change_is_announced(
    change: str,
) -> None:
    """The configured plugin imports no SDK while its resources stay as they are; a check of a
    new resource or a diff that finds a change starts the import of that service's SDK alone,
    in a daemon thread."""
    code, out, err = _run(_PLUGIN.replace("CHANGE", change))
    assert (code, out) == (0, "ok"), err
