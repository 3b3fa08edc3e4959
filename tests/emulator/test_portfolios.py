"""Service Catalog portfolios, their associations and the tasks of provisioned products, through
the official SDK: each action, its error codes, launch access, statuses over the services' clock."""

from __future__ import annotations

import json

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient

from alicloud_versions.emulator import Emulator, FaultConfig
from tests.emulator.conftest import DEFAULT_KEY, error_of
from tests.support.builders import create_product, create_template, grant_launch

# A stack whose output repeats a parameter.
ROS = json.dumps(
    {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Outputs": {"url": {"Value": {"Ref": "size"}, "Description": "where"}},
    }
)


def create_portfolio(client: ServiceCatalogClient, name: str = "web") -> str:
    """Create a portfolio and answer its id."""
    request = sc.CreatePortfolioRequest(
        portfolio_name=name, provider_name="platform", description="for the web team"
    )
    return str(client.create_portfolio(request).body.portfolio_id)


def ros_version(client: ServiceCatalogClient, product_id: str, name: str = "1.0") -> str:
    """A version of the product shipping the ROS template above."""
    url = client.create_template(
        sc.CreateTemplateRequest(template_body=ROS, template_type="RosStandardTemplate")
    ).body.template_url
    request = sc.CreateProductVersionRequest(
        product_id=product_id,
        product_version_name=name,
        template_type="RosStandardTemplate",
        template_url=url,
    )
    return str(client.create_product_version(request).body.product_version_id)


def launch(
    client: ServiceCatalogClient, product_id: str, version_id: str, portfolio_id: str | None
) -> str:
    """LaunchProduct with one parameter and one tag; the provisioned product's id."""
    request = sc.LaunchProductRequest(
        product_id=product_id,
        product_version_id=version_id,
        portfolio_id=portfolio_id,
        provisioned_product_name="shop",
        stack_region_id="cn-hangzhou",
        parameters=[sc.LaunchProductRequestParameters(parameter_key="size", parameter_value="2")],
        tags=[sc.LaunchProductRequestTags(key="team", value="web")],
    )
    return str(client.launch_product(request).body.provisioned_product_id)


def detail(
    client: ServiceCatalogClient, pp_id: str
) -> sc.GetProvisionedProductResponseBodyProvisionedProductDetail:
    """GetProvisionedProduct's detail."""
    request = sc.GetProvisionedProductRequest(provisioned_product_id=pp_id)
    return client.get_provisioned_product(request).body.provisioned_product_detail


def test_portfolio_create_get_list_update_delete(servicecatalog: ServiceCatalogClient) -> None:
    """A portfolio is made, read, listed by name, renamed and deleted; then it is not found."""
    portfolio_id = create_portfolio(servicecatalog)
    assert portfolio_id.startswith("port-")
    get = sc.GetPortfolioRequest(portfolio_id=portfolio_id)
    found = servicecatalog.get_portfolio(get).body.portfolio_detail
    assert (found.portfolio_name, found.provider_name) == ("web", "platform")
    assert found.portfolio_arn == (
        f"acs:servicecatalog:cn-hangzhou:{DEFAULT_KEY.account_id}:portfolio/{portfolio_id}"
    )
    named = sc.ListPortfoliosRequest(
        filters=[sc.ListPortfoliosRequestFilters(key="PortfolioName", value="WEB")]
    )
    listed = servicecatalog.list_portfolios(named).body.portfolio_details
    assert [p.portfolio_id for p in listed] == [portfolio_id]
    servicecatalog.update_portfolio(
        sc.UpdatePortfolioRequest(portfolio_id=portfolio_id, portfolio_name="web-2")
    )
    assert servicecatalog.get_portfolio(get).body.portfolio_detail.portfolio_name == "web-2"
    servicecatalog.delete_portfolio(sc.DeletePortfolioRequest(portfolio_id=portfolio_id))
    err = error_of(lambda: servicecatalog.get_portfolio(get))
    assert (err.code, err.data["statusCode"]) == ("InvalidPortfolio.NotFound", 404)


def test_another_accounts_portfolio_is_not_found(
    servicecatalog: ServiceCatalogClient, other_servicecatalog: ServiceCatalogClient
) -> None:
    """Another account's portfolio answers InvalidPortfolio.NotFound to every action."""
    portfolio_id = create_portfolio(other_servicecatalog)
    product_id = create_product(servicecatalog)
    calls = (
        lambda: servicecatalog.get_portfolio(sc.GetPortfolioRequest(portfolio_id=portfolio_id)),
        lambda: servicecatalog.associate_product_with_portfolio(
            sc.AssociateProductWithPortfolioRequest(
                product_id=product_id, portfolio_id=portfolio_id
            )
        ),
        lambda: servicecatalog.list_principals(sc.ListPrincipalsRequest(portfolio_id=portfolio_id)),
        lambda: servicecatalog.delete_portfolio(
            sc.DeletePortfolioRequest(portfolio_id=portfolio_id)
        ),
    )
    for call in calls:
        assert error_of(call).code == "InvalidPortfolio.NotFound"


def test_product_and_principal_associations(servicecatalog: ServiceCatalogClient) -> None:
    """Associations are listed (ListPortfolios of a product, ListPrincipals), idempotent, and
    undone; a principal type must be RamUser or RamRole."""
    portfolio_id = create_portfolio(servicecatalog)
    product_id = create_product(servicecatalog)
    pair = {"product_id": product_id, "portfolio_id": portfolio_id}
    for _ in range(2):
        servicecatalog.associate_product_with_portfolio(
            sc.AssociateProductWithPortfolioRequest(**pair)
        )
    of_product = sc.ListPortfoliosRequest(product_id=product_id)
    holding = servicecatalog.list_portfolios(of_product).body.portfolio_details
    assert [p.portfolio_id for p in holding] == [portfolio_id]
    servicecatalog.disassociate_product_from_portfolio(
        sc.DisassociateProductFromPortfolioRequest(**pair)
    )
    assert servicecatalog.list_portfolios(of_product).body.portfolio_details == []

    principal = {"portfolio_id": portfolio_id, "principal_id": "2034", "principal_type": "RamRole"}
    servicecatalog.associate_principal_with_portfolio(
        sc.AssociatePrincipalWithPortfolioRequest(**principal)
    )
    listing = sc.ListPrincipalsRequest(portfolio_id=portfolio_id)
    [found] = servicecatalog.list_principals(listing).body.principals
    assert (found.principal_id, found.principal_type) == ("2034", "RamRole")
    servicecatalog.disassociate_principal_from_portfolio(
        sc.DisassociatePrincipalFromPortfolioRequest(**principal)
    )
    assert servicecatalog.list_principals(listing).body.principals == []
    bad = sc.AssociatePrincipalWithPortfolioRequest(**{**principal, "principal_type": "Group"})
    err = error_of(lambda: servicecatalog.associate_principal_with_portfolio(bad))
    assert err.code == "InvalidParameter"


def test_launch_needs_the_product_in_a_portfolio_of_the_caller(
    servicecatalog: ServiceCatalogClient,
) -> None:
    """LaunchProduct is refused (NoPermission, 403) unless the product is in the portfolio and
    the caller's RAM user (its access key id) associated with it; without a portfolio named,
    one that grants both is taken, as a default launch option."""
    product_id = create_product(servicecatalog)
    version_id = ros_version(servicecatalog, product_id)
    err = error_of(lambda: launch(servicecatalog, product_id, version_id, None))
    assert (err.code, err.data["statusCode"]) == ("NoPermission", 403)
    bare = create_portfolio(servicecatalog, "empty")
    err = error_of(lambda: launch(servicecatalog, product_id, version_id, bare))
    assert err.code == "NoPermission"
    err = error_of(lambda: launch(servicecatalog, product_id, version_id, "port-bp1missing0000"))
    assert err.code == "InvalidPortfolio.NotFound"
    granted = grant_launch(servicecatalog, product_id, DEFAULT_KEY.id)
    assert detail(servicecatalog, launch(servicecatalog, product_id, version_id, None)).portfolio_id
    pp_id = launch(servicecatalog, product_id, version_id, granted)
    assert detail(servicecatalog, pp_id).portfolio_id == granted


def test_tasks_move_through_their_statuses(
    servicecatalog: ServiceCatalogClient, emulator: Emulator
) -> None:
    """A launch is UnderChange until settle_s pass on the services' clock, then Available with
    its stack's outputs in GetTask; an update is refused while UnderChange, then moves it onto
    another version; a termination leaves it UnderChange, then gone."""
    emulator.faults = FaultConfig(settle_s=60)
    product_id = create_product(servicecatalog)
    first, second = ros_version(servicecatalog, product_id), ros_version(servicecatalog, product_id)
    grant_launch(servicecatalog, product_id, DEFAULT_KEY.id)
    pp_id = launch(servicecatalog, product_id, first, None)
    assert detail(servicecatalog, pp_id).status == "UnderChange"
    update = sc.UpdateProvisionedProductRequest(
        provisioned_product_id=pp_id, product_id=product_id, product_version_id=second
    )
    err = error_of(lambda: servicecatalog.update_provisioned_product(update))
    assert err.code == "InvalidStatus.UnderChange"

    emulator.faults = FaultConfig(settle_s=60, clock_skew_s=61)
    launched = detail(servicecatalog, pp_id)
    assert (launched.status, launched.status_message) == ("Available", None)
    task = servicecatalog.get_task(
        sc.GetTaskRequest(task_id=launched.last_provisioning_task_id)
    ).body.task_detail
    assert (task.task_type, task.status) == ("LaunchProduct", "Succeeded")
    assert [(o.output_key, o.output_value) for o in task.outputs] == [("url", "2")]
    assert [(t.key, t.value) for t in task.task_tags] == [("team", "web")]

    servicecatalog.update_provisioned_product(update)
    moved = detail(servicecatalog, pp_id)
    assert (moved.status, moved.product_version_id) == ("UnderChange", second)
    assert moved.last_successful_provisioning_task_id == launched.last_provisioning_task_id

    emulator.faults = FaultConfig(settle_s=0, clock_skew_s=122)
    terminate = sc.TerminateProvisionedProductRequest(provisioned_product_id=pp_id)
    servicecatalog.terminate_provisioned_product(terminate)
    err = error_of(lambda: detail(servicecatalog, pp_id))
    assert (err.code, err.data["statusCode"]) == ("InvalidProvisionedProduct.NotFound", 404)


@pytest.mark.parametrize("action", ["LaunchProduct", "TerminateProvisionedProduct"])
def test_a_failing_task_ends_in_error_with_a_message(
    servicecatalog: ServiceCatalogClient, emulator: Emulator, action: str
) -> None:
    """An action named in fail_async ends its task in Error with a status message, and the
    provisioned product stays."""
    emulator.faults = FaultConfig(settle_s=0, fail_async=frozenset({action}))
    product_id = create_product(servicecatalog)
    version_id = ros_version(servicecatalog, product_id)
    grant_launch(servicecatalog, product_id, DEFAULT_KEY.id)
    pp_id = launch(servicecatalog, product_id, version_id, None)
    if action == "TerminateProvisionedProduct":
        assert detail(servicecatalog, pp_id).status == "Available"
        servicecatalog.terminate_provisioned_product(
            sc.TerminateProvisionedProductRequest(provisioned_product_id=pp_id)
        )
    failed = detail(servicecatalog, pp_id)
    assert failed.status == "Error" and action in failed.status_message
    task = servicecatalog.get_task(sc.GetTaskRequest(task_id=failed.last_task_id)).body
    assert task.task_detail.status == "Failed"


def test_an_unknown_task_is_not_found(servicecatalog: ServiceCatalogClient) -> None:
    """GetTask of a task that does not exist answers InvalidTask.NotFound."""
    err = error_of(lambda: servicecatalog.get_task(sc.GetTaskRequest(task_id="task-bp1nothing")))
    assert (err.code, err.data["statusCode"]) == ("InvalidTask.NotFound", 404)


def test_deleting_a_product_takes_it_out_of_its_portfolios(
    servicecatalog: ServiceCatalogClient,
) -> None:
    """A deleted product is no longer listed in the portfolios that held it."""
    product_id = create_product(servicecatalog)
    create_template(servicecatalog)
    grant_launch(servicecatalog, product_id, DEFAULT_KEY.id)
    servicecatalog.delete_product(sc.DeleteProductRequest(product_id=product_id))
    of_product = sc.ListPortfoliosRequest(product_id=product_id)
    assert servicecatalog.list_portfolios(of_product).body.portfolio_details == []
