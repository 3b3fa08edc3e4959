"""The generated Python SDK's rollout kinds on the real engine, through the installed plugin: an
environment and a provisioned product made, left alone by the next preview, and destroyed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.e2e.sdk_lifecycle import sdk_project
from tests.sdk.python_sdk import install
from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.plugin import account_plugin_config, stack_outputs

PROGRAM = """
import json

import pulumi
from alicloud_versions_sdk import servicecatalog, webplus

config = pulumi.Config()
app = webplus.Application("app", app_name="py-shop", category_name="Java")
pkg = webplus.PkgVersion(
    "package",
    app_id=app.app_id,
    package_source="oss://py-artifacts/py-shop.war",
    pkg_version_label="1.0",
)
env = webplus.AppEnv(
    "env",
    webplus.AppEnvArgs(
        app_id=app.app_id,
        env_name="prod",
        stack_id="ws-5d1c0a5d913567334af00001",
        pkg_version_id=pkg.pkg_version_id,
    ),
)
body = {"ROSTemplateFormatVersion": "2015-09-01", "Outputs": {"release": {"Value": "1.0"}}}
template = servicecatalog.Template(
    "template", template_type="RosStandardTemplate", template_body=json.dumps(body)
)
product = servicecatalog.Product("product", product_name="py-shop", provider_name="team")
version = servicecatalog.ProductVersion(
    "version",
    product_id=product.product_id,
    product_version_name="1.0",
    template_type="RosStandardTemplate",
    template_url=template.template_url,
)
portfolio = servicecatalog.Portfolio("portfolio", portfolio_name="web", provider_name="team")
holds = servicecatalog.ProductPortfolioAssociation(
    "holds", product_id=product.product_id, portfolio_id=portfolio.portfolio_id
)
launcher = servicecatalog.PrincipalPortfolioAssociation(
    "launcher",
    principal_id=config.require("principal"),
    principal_type="RamUser",
    portfolio_id=portfolio.portfolio_id,
)
launched = servicecatalog.ProvisionedProduct(
    "launched",
    servicecatalog.ProvisionedProductArgs(
        product_id=product.product_id,
        product_version_id=version.product_version_id,
        portfolio_id=holds.portfolio_id,
        provisioned_product_name="py-shop-prod",
        stack_region_id="cn-hangzhou",
    ),
    opts=pulumi.ResourceOptions(depends_on=[launcher]),
)
pulumi.export("envStatus", env.env_status)
pulumi.export("envPkgVersionId", env.pkg_version_id)
pulumi.export("pkgVersionId", pkg.pkg_version_id)
pulumi.export("status", launched.status)
pulumi.export("outputs", launched.outputs)
"""


@pytest.fixture(scope="module")
def python_sdk() -> Path:
    return install()


def test_python_sdk_makes_an_environment_and_a_provisioned_product(
    tmp_path: Path, python_sdk: Path, emulator_process: EmulatorProcess, account: Account
) -> None:
    """Up makes both, waited for (RUNNING, Available with the stack's outputs); a preview then
    changes nothing; destroy leaves the account with no environment, provisioned product,
    portfolio or association."""
    project = sdk_project(tmp_path, "python")
    (project.dir / "__main__.py").write_text(PROGRAM)
    path = os.pathsep.join([str(python_sdk), project.env.get("PYTHONPATH", "")])
    project.env["PYTHONPATH"] = path
    project.init(
        {
            **account_plugin_config(emulator_process, account),
            "sdk-e2e:principal": auto.ConfigValue(account.access_key_id),
        }
    )
    project.up()
    out = stack_outputs(project)
    assert (out["envStatus"], out["envPkgVersionId"]) == ("RUNNING", out["pkgVersionId"])
    assert out["status"] == "Available"
    shown = project.run("stack", "output", "outputs", "--json", "--show-secrets").stdout
    assert json.loads(shown) == {"release": "1.0"}
    preview = json.loads(project.run("preview", "--json").stdout)
    assert {s["op"] for s in preview["steps"]} == {"same"}, preview["steps"]

    project.run("destroy", "--yes", "--skip-preview")
    held = emulator_process.inventory(account.account_id)
    emptied = ("app_envs", "provisioned_products", "portfolios", "portfolio_products")
    assert {t: held.get(t, []) for t in (*emptied, "portfolio_principals")} == {
        t: [] for t in (*emptied, "portfolio_principals")
    }
