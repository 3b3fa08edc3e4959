"""`alicloud-versions sweep` against the emulator, beside resources it must leave alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_webplus20190320 import models as wp
from pulumi import automation as auto

from alicloud_versions import cli
from alicloud_versions.core.config import ENVIRONMENT_VARIABLES
from tests.support.accounts import Account, servicecatalog_client, webplus_client
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack
from tests.support.stacks import release_program

PREFIX = "sweep-a-"
HOURS = 3600
# The plan's digest, as the plan tells the user to give it back to --yes.
_DIGEST = re.compile(r"--yes --plan ([0-9a-f]{16})")
TEMPLATE = '{"ROSTemplateFormatVersion": "2015-09-01", "Resources": {}}'


def _app(client: Any, name: str, *labels: str) -> str:
    app_id = str(
        client.create_application(
            wp.CreateApplicationRequest(app_name=name)
        ).body.application.app_id
    )
    for label in labels:
        client.create_pkg_version(
            wp.CreatePkgVersionRequest(
                app_id=app_id,
                pkg_version_label=label,
                package_source="oss://sweep-artifacts/app.war",
            )
        )
    return app_id


def _product(client: Any, name: str, *versions: str) -> str:
    product_id = str(
        client.create_product(
            sc.CreateProductRequest(product_name=name, provider_name="p", product_type="Ros")
        ).body.product_id
    )
    url = client.create_template(
        sc.CreateTemplateRequest(template_body=TEMPLATE, template_type="RosStandardTemplate")
    ).body.template_url
    for version in versions:
        client.create_product_version(
            sc.CreateProductVersionRequest(
                product_id=product_id,
                product_version_name=version,
                template_type="RosStandardTemplate",
                template_url=url,
            )
        )
    return product_id


def _held(emulator_process: EmulatorProcess, account: Account) -> dict[str, list[str]]:
    """The account's application and product names, and its versions as `parent/name`."""
    held = emulator_process.inventory(account.account_id)
    apps = {a["AppId"]: a["AppName"] for a in held["applications"]}
    products = {p["ProductId"]: p["ProductName"] for p in held["products"]}
    return {
        "applications": sorted(apps.values()),
        "pkg_versions": sorted(
            f"{apps[v['AppId']]}/{v['PkgVersionLabel']}" for v in held["pkg_versions"]
        ),
        "products": sorted(products.values()),
        "product_versions": sorted(
            f"{products[v['ProductId']]}/{v['ProductVersionName']}"
            for v in held["product_versions"]
        ),
    }


@pytest.fixture
def sweep(
    emulator_process: EmulatorProcess, account: Account, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """Runs `alicloud-versions sweep ARGS` as the account against the emulator; its exit
    status, stdout and stderr."""
    for var in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", account.access_key_id)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", account.access_key_secret)
    monkeypatch.setenv("ALICLOUD_VERSIONS_ENDPOINT", emulator_process.url)

    def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
        status = cli.main(["sweep", *args])
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def test_sweep_plans_then_deletes_only_old_resources_with_the_prefix(
    emulator_process: EmulatorProcess,
    account: Account,
    sweep: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --yes the sweep lists the prefixed applications and products made over an hour
    ago, with their versions, and changes nothing; with --yes it deletes exactly those. Names
    without the prefix (or holding it elsewhere than at the start), another prefix, and
    prefixed resources made within the hour all survive."""
    webplus, catalog = (
        webplus_client(emulator_process, account),
        servicecatalog_client(emulator_process, account),
    )
    emulator_process.set_faults(clock_skew_s=-3 * HOURS)  # the services' clock: made 3 hours ago
    try:
        old_app = _app(webplus, f"{PREFIX}shop", "1.0", "2.0")
        old_product = _product(catalog, f"{PREFIX}catalog", "v1", "v2")
        for name in ("shop", "sweep-b-shop", f"x-{PREFIX}shop"):
            _app(webplus, name, "1.0")
        for name in ("catalog", "sweep-b-catalog"):
            _product(catalog, name, "v1")
    finally:
        emulator_process.set_faults()
    _app(webplus, f"{PREFIX}fresh", "1.0")
    _product(catalog, f"{PREFIX}fresh", "v1")
    before = _held(emulator_process, account)

    status, out, _ = sweep(capsys, "--prefix", PREFIX, "--older-than", "1h")
    assert status == 0
    assert _held(emulator_process, account) == before
    lines = out.splitlines()
    deletes = [line.split()[:3] for line in lines if line.rstrip().endswith("delete")]
    assert sorted(deletes) == sorted(
        [
            ["webplus.PkgVersion", *_version_ids(webplus, old_app)[:1], "1.0"],
            ["webplus.PkgVersion", *_version_ids(webplus, old_app)[1:], "2.0"],
            ["webplus.Application", old_app, f"{PREFIX}shop"],
            ["servicecatalog.ProductVersion", *_pv_ids(catalog, old_product)[:1], "v1"],
            ["servicecatalog.ProductVersion", *_pv_ids(catalog, old_product)[1:], "v2"],
            ["servicecatalog.Product", old_product, f"{PREFIX}catalog"],
        ]
    )
    kept = sorted(line.split()[2] for line in lines if line.rstrip().endswith("keep (too new)"))
    assert kept == sorted([f"{PREFIX}fresh", f"{PREFIX}fresh", "1.0", "v1"])
    assert "Plan only" in out

    status, out, _ = sweep(capsys, *_reviewed(out), "--prefix", PREFIX, "--older-than", "1h")
    assert status == 0, out
    # Versions go before their parent.
    done = [line.split()[1] for line in out.splitlines() if line.startswith("deleted")]
    assert done.index("webplus.Application") > done.index("webplus.PkgVersion")
    assert done.index("servicecatalog.Product") > done.index("servicecatalog.ProductVersion")
    assert _held(emulator_process, account) == {
        "applications": sorted(["shop", "sweep-b-shop", f"x-{PREFIX}shop", f"{PREFIX}fresh"]),
        "pkg_versions": sorted(
            ["shop/1.0", "sweep-b-shop/1.0", f"x-{PREFIX}shop/1.0", f"{PREFIX}fresh/1.0"]
        ),
        "products": sorted(["catalog", "sweep-b-catalog", f"{PREFIX}fresh"]),
        "product_versions": sorted(["catalog/v1", "sweep-b-catalog/v1", f"{PREFIX}fresh/v1"]),
    }

    status, out, _ = sweep(capsys, "--prefix", PREFIX, "--older-than", "1h")
    assert (status, "Nothing to delete." in out) == (0, True)


def test_sweep_deletes_what_runs_a_version_before_it(
    emulator_process: EmulatorProcess,
    account: Account,
    sweep: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An application whose environment runs one of its versions, and a product whose version
    a provisioned product runs, launched through a prefixed portfolio with its product and
    principal associations, are swept whole: the provisioned product terminated and the
    environment terminated and deleted (each waited for) before the versions, the associations
    before the portfolio and the product; an unprefixed portfolio keeps only its name."""
    emulator_process.set_faults(settle_s=0)
    webplus, catalog = (
        webplus_client(emulator_process, account),
        servicecatalog_client(emulator_process, account),
    )
    app_id = _app(webplus, f"{PREFIX}busy", "1.0")
    webplus.create_app_env(
        wp.CreateAppEnvRequest(
            app_id=app_id,
            env_name="prod",
            stack_id="ws-5d1c0a5d913567334af00001",
            pkg_version_id=_version_ids(webplus, app_id)[0],
        )
    )
    product_id = _product(catalog, f"{PREFIX}busy", "v1")
    portfolio_id = _portfolio(catalog, f"{PREFIX}shelf", product_id, account.access_key_id)
    other = _portfolio(catalog, "other-shelf", product_id, "someone-else")
    catalog.launch_product(
        sc.LaunchProductRequest(
            product_id=product_id,
            product_version_id=_pv_ids(catalog, product_id)[0],
            portfolio_id=portfolio_id,
            provisioned_product_name="prod",
            stack_region_id="cn-hangzhou",
        )
    )

    status, plan, _ = sweep(capsys, "--prefix", PREFIX)
    assert status == 0, plan
    kinds = [line.split()[0] for line in plan.splitlines() if line.rstrip().endswith("delete")]
    assert sorted(kinds) == sorted(
        [
            "webplus.AppEnv",
            "webplus.PkgVersion",
            "webplus.Application",
            "servicecatalog.ProvisionedProduct",
            "servicecatalog.ProductVersion",
            "servicecatalog.Product",
            "servicecatalog.Portfolio",
            "servicecatalog.PrincipalPortfolioAssociation",
            "servicecatalog.ProductPortfolioAssociation",  # to the prefixed portfolio
            "servicecatalog.ProductPortfolioAssociation",  # the product's, to the other one
        ]
    )
    status, out, err = sweep(capsys, *_reviewed(plan), "--prefix", PREFIX)
    assert status == 0, (out, err)
    done = [line.split()[1] for line in out.splitlines() if line.startswith("deleted")]
    for first, then in (
        ("webplus.AppEnv", "webplus.PkgVersion"),
        ("webplus.PkgVersion", "webplus.Application"),
        ("servicecatalog.ProvisionedProduct", "servicecatalog.ProductVersion"),
        ("servicecatalog.ProductPortfolioAssociation", "servicecatalog.Portfolio"),
        ("servicecatalog.PrincipalPortfolioAssociation", "servicecatalog.Portfolio"),
        ("servicecatalog.ProductPortfolioAssociation", "servicecatalog.Product"),
        ("servicecatalog.ProductVersion", "servicecatalog.Product"),
    ):
        assert done.index(first) < done.index(then), done
    held = emulator_process.inventory(account.account_id)
    assert {k: v for k, v in held.items() if k not in ("templates", "portfolios")} == {
        "applications": [],
        "pkg_versions": [],
        "app_envs": [],
        "products": [],
        "product_versions": [],
        "provisioned_products": [],
        "portfolio_products": [],
        "portfolio_principals": held["portfolio_principals"],
    }
    assert [p["PortfolioId"] for p in held["portfolios"]] == [other]
    assert [p["PortfolioId"] for p in held["portfolio_principals"]] == [other]


def _portfolio(client: Any, name: str, product_id: str, principal_id: str) -> str:
    """A portfolio holding the product and the RAM user `principal_id`; its id."""
    portfolio_id = str(
        client.create_portfolio(
            sc.CreatePortfolioRequest(portfolio_name=name, provider_name="platform")
        ).body.portfolio_id
    )
    client.associate_product_with_portfolio(
        sc.AssociateProductWithPortfolioRequest(product_id=product_id, portfolio_id=portfolio_id)
    )
    client.associate_principal_with_portfolio(
        sc.AssociatePrincipalWithPortfolioRequest(
            portfolio_id=portfolio_id, principal_id=principal_id, principal_type="RamUser"
        )
    )
    return portfolio_id


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--prefix", "ab"], "at least 3 characters"),
        (["--prefix", " abc"], "at least 3 characters"),
        (["--prefix", "abc", "--older-than", "2 hours"], "is not a duration"),
        (["--prefix", "abc", "--older-than", "h"], "is not a duration"),
    ],
)
def test_sweep_refuses_a_short_prefix_and_a_bad_duration(
    args: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prefix under three characters (it would name half an account) or a duration without a
    unit is a usage error before any call."""
    with pytest.raises(SystemExit) as exc:
        cli.main(["sweep", *args])
    assert exc.value.code == 2
    assert complaint in capsys.readouterr().err


def test_sweep_checks_the_age_of_every_version_too(
    emulator_process: EmulatorProcess,
    account: Account,
    sweep: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An old application or product given a version a moment ago belongs to a run still
    going: with --older-than it is kept whole, its old version too, and says why."""
    webplus, catalog = (
        webplus_client(emulator_process, account),
        servicecatalog_client(emulator_process, account),
    )
    emulator_process.set_faults(clock_skew_s=-3 * HOURS)
    try:
        app_id = _app(webplus, f"{PREFIX}busy", "1.0")
        product_id = _product(catalog, f"{PREFIX}busy", "v1")
    finally:
        emulator_process.set_faults()
    webplus.create_pkg_version(
        wp.CreatePkgVersionRequest(
            app_id=app_id, pkg_version_label="2.0", package_source="oss://sweep-artifacts/a.war"
        )
    )
    url = catalog.create_template(
        sc.CreateTemplateRequest(template_body=TEMPLATE, template_type="RosStandardTemplate")
    ).body.template_url
    catalog.create_product_version(
        sc.CreateProductVersionRequest(
            product_id=product_id,
            product_version_name="v2",
            template_type="RosStandardTemplate",
            template_url=url,
        )
    )
    before = _held(emulator_process, account)

    status, out, _ = sweep(capsys, "--prefix", PREFIX, "--older-than", "1h")
    assert (status, "Nothing to delete." in out) == (0, True), out
    actions = {
        (line.split()[2], line[line.index("keep (") :].rstrip())
        for line in out.splitlines()
        if "keep (" in line
    }
    assert actions == {
        (f"{PREFIX}busy", "keep (a member is too new)"),
        ("1.0", "keep (with its family)"),
        ("2.0", "keep (too new)"),
        ("v1", "keep (with its family)"),
        ("v2", "keep (too new)"),
    }
    assert _held(emulator_process, account) == before


def test_sweep_prints_names_escaped(
    emulator_process: EmulatorProcess,
    account: Account,
    sweep: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A name holding terminal escapes (clear the screen, move the cursor, forge a line) is
    printed escaped, in the plan and in what --yes reports, so it cannot rewrite the plan."""
    webplus = webplus_client(emulator_process, account)
    forged = f"{PREFIX}x\x1b[2J\x1b[H\rwebplus.Application  app-0  shop  keep\n\u202e"
    _app(webplus, forged, "1.0")
    escaped = f"{PREFIX}x\\x1b[2J\\x1b[H\\rwebplus.Application"

    status, out, _ = sweep(capsys, "--prefix", PREFIX)
    assert status == 0
    assert not any(c in out for c in "\x1b\r\u202e") and escaped in out, out
    # The title and the application's row: the forged line stays inside the name.
    assert len([line for line in out.splitlines() if PREFIX in line]) == 2
    status, done, _ = sweep(capsys, *_reviewed(out), "--prefix", PREFIX)
    assert status == 0, done
    assert not any(c in done for c in "\x1b\r\u202e") and escaped in done, done
    assert _held(emulator_process, account)["applications"] == []


def test_sweep_yes_deletes_only_the_plan_reviewed(
    emulator_process: EmulatorProcess,
    account: Account,
    sweep: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--yes needs the digest of a reviewed plan, and deletes nothing when the prefix names
    anything else by then (here an application made after the review)."""
    webplus = webplus_client(emulator_process, account)
    _app(webplus, f"{PREFIX}reviewed", "1.0")
    status, plan, _ = sweep(capsys, "--prefix", PREFIX)
    assert status == 0

    status, _, err = sweep(capsys, "--prefix", PREFIX, "--yes")
    assert status == 2 and "--plan" in err

    _app(webplus, f"{PREFIX}unreviewed", "1.0")
    before = _held(emulator_process, account)
    status, _, err = sweep(capsys, *_reviewed(plan), "--prefix", PREFIX)
    assert status == 1 and "nothing was deleted" in err
    assert _held(emulator_process, account) == before

    status, _, _ = sweep(capsys, "--yes", "--plan", "0" * 16, "--prefix", PREFIX)
    assert status == 1
    assert _held(emulator_process, account) == before


def _reviewed(plan: str) -> list[str]:
    """The arguments that delete what the printed `plan` lists: --yes and its digest."""
    match = _DIGEST.search(plan)
    assert match, plan
    return ["--yes", "--plan", match.group(1)]


def _version_ids(client: Any, app_id: str) -> list[str]:
    """The application's package version ids, by label."""
    found = client.describe_pkg_versions(
        wp.DescribePkgVersionsRequest(app_id=app_id, page_size=100)
    ).body.pkg_versions.pkg_version
    return [v.pkg_version_id for v in sorted(found, key=lambda v: v.pkg_version_label)]


def _pv_ids(client: Any, product_id: str) -> list[str]:
    """The product's version ids, by name."""
    found = client.list_product_versions(
        sc.ListProductVersionsRequest(product_id=product_id)
    ).body.product_version_details
    return [v.product_version_id for v in sorted(found, key=lambda v: v.product_version_name)]


# Records every address a Python process connects to (loaded by `site` as sitecustomize).
_RECORDER = """
import os, socket
_connect = socket.socket.connect
def _recorded(self, address):
    with open(os.environ["SWEEP_TEST_CONNECTS"], "a") as log:
        log.write(repr(address) + "\\n")
    return _connect(self, address)
socket.socket.connect = _recorded
"""


def test_sweep_without_keys_names_what_it_reads_and_connects_nowhere(
    tmp_path: Path, emulator_process: EmulatorProcess
) -> None:
    """`alicloud-versions sweep` run with no key in its environment (nor a profile) against the
    emulator exits 2 naming the variables it reads a key from and saying it reads no stack
    config, prints no traceback, and opens no connection: not to the endpoint, not to the
    cloud's metadata service."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(_RECORDER)
    connects = tmp_path / "connects.log"
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_VARIABLES}
    env.update(
        HOME=str(tmp_path),  # no profile file either
        PYTHONPATH=str(tmp_path / "site"),
        SWEEP_TEST_CONNECTS=str(connects),
    )
    command = Path(sys.executable).with_name("alicloud-versions")
    done = subprocess.run(
        [str(command), "sweep", "--prefix", PREFIX, "--endpoint", emulator_process.url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    for var in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "no stack config"):
        assert var in done.stderr
    assert not connects.exists(), connects.read_text()
    assert "alicloud-versions sweep: no access key" in done.stderr


def test_sweep_keeps_what_a_named_stack_holds(
    tmp_path: Path,
    emulator_process: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
    sweep: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without --stack the plan says sweep cannot tell whether a stack holds what it lists;
    with --stack it reads that stack's state and keeps every family the stack holds a resource
    of, deleting only the leftover beside them."""
    with inline_stack(tmp_path, release_program, config=stack_config) as stack:
        stack.up()
        for var, value in stack.workspace.env_vars.items():
            monkeypatch.setenv(var, value)
        leftover = _app(webplus_client(emulator_process, account), "shop-leftover", "1.0")

        _, unchecked, _ = sweep(capsys, "--prefix", "shop")
        assert "sweep cannot tell by itself" in unchecked

        args = ("--prefix", "shop", "--stack", "test", "--cwd", str(tmp_path))
        status, checked, _ = sweep(capsys, *args)
        assert status == 0
        rows = {line.split()[2]: line for line in checked.splitlines() if "shop" in line}
        assert rows["shop"].rstrip().endswith("keep (held by test)")
        assert rows["shop-leftover"].rstrip().endswith("delete")
        assert "Checked against the state of: test" in checked

        status, _, _ = sweep(capsys, *_reviewed(checked), *args)
        assert status == 0
        held = _held(emulator_process, account)
        assert held["applications"] == ["shop"] and held["products"] == ["shop"]
        assert leftover not in str(emulator_process.inventory(account.account_id))
        stack.destroy()
