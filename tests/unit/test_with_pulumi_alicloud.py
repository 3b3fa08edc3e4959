"""examples/with-pulumi-alicloud under Pulumi's mocks: the wiring from the OSS uploads of
pulumi-alicloud to the versions, checked with no account, no engine and no network."""

from __future__ import annotations

import asyncio
import gc
import os
import runpy
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import mocks

from tests.support.engine import ROOT

EXAMPLE = ROOT / "examples" / "with-pulumi-alicloud"
BUCKET_OBJECT = "alicloud:oss/bucketObject:BucketObject"
PKG_VERSION = "pulumi-python:dynamic/alicloud-versions/webplus:PkgVersion"
PRODUCT_VERSION = "pulumi-python:dynamic/alicloud-versions/servicecatalog:ProductVersion"


class _Cloud(pulumi.runtime.Mocks):
    """Answers every resource with its inputs and an id; an OSS object's bucket and key outputs
    differ from its inputs, so a value built from them shows which one it was built from."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        if args.typ == BUCKET_OBJECT:
            outputs["bucket"] = f"{args.inputs['bucket']}-out"
            outputs["key"] = f"out/{args.inputs['key']}"
        for id_output in ("app_id", "product_id", "pkg_version_id", "product_version_id"):
            outputs.setdefault(id_output, f"{args.name}-id")
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        raise AssertionError(f"the example makes no invoke, got {args.token}")


class _Monitor(mocks.MockMonitor):
    """The mock monitor, also keeping each registration's inputs and property dependencies."""

    def __init__(self, cloud: pulumi.runtime.Mocks) -> None:
        super().__init__(cloud)
        self.registered: dict[tuple[str, str], dict[str, Any]] = {}

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registered[request.type, request.name] = {
                "urn": response.urn,
                "inputs": pulumi.runtime.rpc.deserialize_properties(request.object),
                "deps": {k: list(v.urns) for k, v in request.propertyDependencies.items()},
            }
        return response


@pytest.fixture
def monitor() -> Iterator[_Monitor]:
    """Pulumi's mocks with the example's config, restored afterwards."""
    cwd = os.getcwd()
    cloud = _Cloud()
    watching = _Monitor(cloud)
    # The mocks register on the current event loop; an earlier test's asyncio.run may have
    # left none set, so this test brings its own.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    pulumi.runtime.set_mocks(cloud, preview=False, monitor=watching)
    pulumi.runtime.set_all_config({"project:label": "1.5", "project:bucketName": "artifacts"})
    os.chdir(EXAMPLE)  # the program names its files relative to its own folder
    try:
        yield watching
    finally:
        os.chdir(cwd)
        pulumi.runtime.set_all_config({})
        pulumi.runtime.settings.reset_options()
        # The mocks answer in the loop's default executor, whose threads each make an event
        # loop they never close (pulumi.runtime.sync_await): end those threads now and collect
        # their loops, so the ResourceWarnings come inside this test, under its filter below,
        # rather than failing the session's end.
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()
        gc.collect()


# pulumi-alicloud 4.0.0 warns, on import, of its own renamed resources (none used here); the
# mocks' worker threads leave event loops unclosed (see the fixture).
@pytest.mark.filterwarnings(
    r"ignore:alicloud\..* has been deprecated in favor of:DeprecationWarning"
)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_versions_are_built_from_the_uploads_outputs_and_wait_for_them(monitor: _Monitor) -> None:
    """package_source and template_url are oss://bucket/key of the uploads' outputs, and each
    version depends on its upload (so the engine registers it only once the object exists)."""

    @pulumi.runtime.test
    def run() -> None:
        runpy.run_path(str(EXAMPLE / "__main__.py"), run_name="__main__")

    run()
    reg = monitor.registered
    package, template = reg[BUCKET_OBJECT, "package"], reg[BUCKET_OBJECT, "template"]
    version, product_version = reg[PKG_VERSION, "shop-1.5"], reg[PRODUCT_VERSION, "shop-1.5"]

    assert version["inputs"]["package_source"] == "oss://artifacts-out/out/shop/shop-1.5.war"
    assert version["deps"]["package_source"] == [package["urn"]]
    assert product_version["inputs"]["template_url"] == (
        "oss://artifacts-out/out/templates/shop-1.5.json"
    )
    assert product_version["deps"]["template_url"] == [template["urn"]]
