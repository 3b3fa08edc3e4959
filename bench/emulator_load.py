"""Load check: concurrent SDK clients create and read, then nothing they wrote may be missing."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import dataclass, field

from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient
from Tea.exceptions import TeaException, UnretryableException

from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    Emulator,
    EmulatorControls,
    EmulatorProcess,
)


@dataclass
class Tally:
    """What one client did and what it expects the emulator to hold."""

    calls: int = 0
    failures: int = 0
    pkg_versions: set[str] = field(default_factory=set)
    product_versions: set[str] = field(default_factory=set)


def _config(endpoint: str) -> Config:
    return Config(
        access_key_id=DEFAULT_ACCESS_KEY_ID,
        access_key_secret=DEFAULT_ACCESS_KEY_SECRET,
        endpoint=endpoint,
        protocol="http",
    )


def _worker(
    n: int, endpoint: str, app_id: str, product_id: str, template_url: str, deadline: float
) -> Tally:
    webplus = WebPlusClient(_config(endpoint))
    catalog = ServiceCatalogClient(_config(endpoint))
    tally = Tally()
    i = 0
    while time.monotonic() < deadline:
        i += 1
        try:
            tally.calls += 1
            label = f"c{n}-v{i}"
            created = webplus.create_pkg_version(
                wp.CreatePkgVersionRequest(
                    app_id=app_id, pkg_version_label=label, package_source="oss://load/app.war"
                )
            ).body.pkg_version.pkg_version_id
            tally.pkg_versions.add(created)
            tally.calls += 1
            found = webplus.describe_pkg_versions(
                wp.DescribePkgVersionsRequest(app_id=app_id, pkg_version_label=label)
            ).body.pkg_versions.pkg_version
            assert [v.pkg_version_id for v in found] == [created], f"{label} not read back"
            if i % 4 == 0:
                tally.calls += 2
                version_id = catalog.create_product_version(
                    sc.CreateProductVersionRequest(
                        product_id=product_id,
                        product_version_name=label,
                        template_type="RosTerraformTemplate",
                        template_url=template_url,
                    )
                ).body.product_version_id
                tally.product_versions.add(version_id)
                detail = catalog.get_product_version(
                    sc.GetProductVersionRequest(product_version_id=version_id)
                ).body.product_version_detail
                assert detail.product_version_name == label
        except (TeaException, UnretryableException):
            # Only injected faults may fail a call; the request log check below makes sure.
            tally.failures += 1
    return tally


def run(endpoint: str, url: str, clients: int, seconds: float, failure_rate: float) -> int:
    """Drive the emulator and check it; answer the process exit status."""
    webplus = WebPlusClient(_config(endpoint))
    catalog = ServiceCatalogClient(_config(endpoint))
    app_id = webplus.create_application(
        wp.CreateApplicationRequest(app_name=f"load-{time.time_ns()}")
    ).body.application.app_id
    product_id = catalog.create_product(
        sc.CreateProductRequest(product_name="load", product_type="Ros", provider_name="bench")
    ).body.product_id
    template_url = catalog.create_template(
        sc.CreateTemplateRequest(template_body="{}", template_type="RosTerraformTemplate")
    ).body.template_url

    # Failures start after the set-up above, and never drop answers: a write either lands or not.
    kinds = ["Throttling", "ServiceUnavailable", "InternalError"]
    controls = EmulatorControls(url)
    controls.set_faults({"failure_rate": failure_rate, "failure_kinds": kinds})
    tallies: list[Tally] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def target(n: int) -> None:
        try:
            tally = _worker(n, endpoint, app_id, product_id, template_url, deadline)
        except BaseException as exc:  # the main thread reports it
            with lock:
                errors.append(exc)
            return
        with lock:
            tallies.append(tally)

    started = time.monotonic()
    threads = [threading.Thread(target=target, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    controls.set_faults({})

    calls = sum(t.calls for t in tallies)
    failures = sum(t.failures for t in tallies)
    expected_pkg = set().union(*(t.pkg_versions for t in tallies))
    expected_pv = set().union(*(t.product_versions for t in tallies))

    held_pkg: set[str] = set()
    page = 1
    while True:
        body = webplus.describe_pkg_versions(
            wp.DescribePkgVersionsRequest(app_id=app_id, page_size=100, page_number=page)
        ).body
        held_pkg |= {v.pkg_version_id for v in body.pkg_versions.pkg_version}
        if page * 100 >= body.total_count:
            break
        page += 1
    held_pv = {
        v.product_version_id
        for v in catalog.list_product_versions(
            sc.ListProductVersionsRequest(product_id=product_id)
        ).body.product_version_details
    }
    log = controls.requests()["requests"]
    server_errors = [e for e in log if (e["status"] or 0) >= 500 and not e["injected"]]

    print(f"clients={clients} seconds={elapsed:.1f} calls={calls} failed={failures}")
    print(f"requests/second: {calls / elapsed:.0f}")
    problems = []
    if errors:
        problems.append(f"client errors: {errors[:3]!r}")
    if expected_pkg - held_pkg:
        problems.append(f"lost package versions: {len(expected_pkg - held_pkg)}")
    if expected_pv - held_pv:
        problems.append(f"lost product versions: {len(expected_pv - held_pv)}")
    if held_pkg - expected_pkg or held_pv - expected_pv:
        # Injected failures strike before the action, so a failed create must leave nothing.
        problems.append(
            f"unexpected versions: {len(held_pkg - expected_pkg | held_pv - expected_pv)}"
        )
    if server_errors:
        problems.append(f"non-injected 5xx answers: {len(server_errors)}")
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print(
            f"OK: {len(expected_pkg)} package versions and {len(expected_pv)} product versions held"
        )
    return 1 if problems else 0


def main() -> int:
    """Run the load check against an emulator subprocess (default), in process, or at --endpoint."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--endpoint", help="host:port of a running emulator to use instead")
    parser.add_argument(
        "--in-process", action="store_true", help="run the emulator in this process"
    )
    parser.add_argument("--state", default=":memory:", help="state of the emulator started here")
    parser.add_argument("--failure-rate", type=float, default=0.0, help="inject failures too")
    args = parser.parse_args()

    if args.endpoint:
        url = f"http://{args.endpoint}"
        return run(args.endpoint, url, args.clients, args.seconds, args.failure_rate)
    if args.in_process:
        with Emulator(state=args.state) as emu:
            return run(emu.endpoint, emu.url, args.clients, args.seconds, args.failure_rate)
    with EmulatorProcess(args.state) as emu:
        return run(emu.endpoint, emu.url, args.clients, args.seconds, args.failure_rate)


if __name__ == "__main__":
    sys.exit(main())
