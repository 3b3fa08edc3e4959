"""Figure 8: the API calls of each operation on the rollout kinds (AppEnv, ProvisionedProduct,
Portfolio and its associations) against their budget and their floor."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from pulumi import automation as auto

from alicloud_versions.emulator import DEFAULT_ACCESS_KEY_ID, EmulatorProcess
from bench.driver import Step, say, scratch, stack_config, table, timed, total, verdict
from harness.engine import inline_stack

PROJECT = "bench"
STACK_ID = "ws-5d1c0a5d913567334af00001"
_LAUNCH = {"LaunchProduct": 1, "GetProvisionedProduct": 1, "GetTask": 1}
_MOVE = {"UpdateProvisionedProduct": 1, "GetProvisionedProduct": 1, "GetTask": 1}


class Operation(NamedTuple):
    """One measured operation: the config it sets on the stack (one `up` each, in the order of
    `OPERATIONS`; none: a preview), what the engine must report changed (besides `same`), what
    it may call (its budget, as tests/contract holds each step to) and the least it could call
    (its floor: each write, one status read per wait with changes that settle at once, the task
    read that carries a provisioned product's outputs)."""

    settings: dict[str, str]
    changes: dict[str, int]
    budget: dict[str, int]
    floor: dict[str, int]


_PORTFOLIO = {
    "CreatePortfolio": 1,
    "AssociateProductWithPortfolio": 1,
    "AssociatePrincipalWithPortfolio": 1,
}
_UNPORTFOLIO = {
    "DisassociateProductFromPortfolio": 1,
    "DisassociatePrincipalFromPortfolio": 1,
    "DeletePortfolio": 1,
}
_LAUNCH = {"LaunchProduct": 1, "GetProvisionedProduct": 1, "GetTask": 1}
_MOVE = {"UpdateProvisionedProduct": 1, "GetProvisionedProduct": 1, "GetTask": 1}
_TERMINATE = {"TerminateProvisionedProduct": 1, "GetProvisionedProduct": 1}
_ENV_CREATE = {"CreateAppEnv": 1, "DescribeAppEnvs": 1}
_ENV_UPDATE = {"UpdateAppEnv": 1, "DescribeAppEnvs": 1}
# A new release's floor: a package version, a template and a product version created first, the
# environment and the provisioned product moved onto them, the old versions deleted.
_ROLLOUT = {
    "CreatePkgVersion": 1,
    "CreateTemplate": 1,
    "CreateProductVersion": 1,
    **_ENV_UPDATE,
    **_MOVE,
    "DeletePkgVersion": 1,
    "DeleteProductVersion": 1,
}

OPERATIONS: dict[str, Operation] = {
    # Each association first looks in its listing, so that one made outside the stack is
    # refused rather than taken over (and later undone by this stack's delete).
    "portfolio + 2 associations: create": Operation(
        {"portfolio": "true"},
        {"create": 3},
        {**_PORTFOLIO, "ListPortfolios": 1, "ListPrincipals": 1},
        _PORTFOLIO,
    ),
    "AppEnv: create": Operation({"env": "true"}, {"create": 1}, _ENV_CREATE, _ENV_CREATE),
    "ProvisionedProduct: create": Operation({"launch": "true"}, {"create": 1}, _LAUNCH, _LAUNCH),
    "AppEnv: update": Operation(
        {"env_description": "changed"}, {"update": 1}, _ENV_UPDATE, _ENV_UPDATE
    ),
    "ProvisionedProduct: update": Operation({"parameter": "changed"}, {"update": 1}, _MOVE, _MOVE),
    # Before each old version's delete, one in-use listing of its parent.
    "rollout (release bumped)": Operation(
        {"release": "1.1"},
        {"replace": 3, "update": 2},
        {**_ROLLOUT, "DescribeAppEnvs": 2, "ListProvisionedProducts": 1},
        _ROLLOUT,
    ),
    "preview unchanged": Operation({}, {}, {}, {}),
    "ProvisionedProduct: delete": Operation(
        {"launch": "false"}, {"delete": 1}, _TERMINATE, _TERMINATE
    ),
    # The budget's first DescribeAppEnvs is the look that lets a delete resume an environment
    # already terminated (only DeleteAppEnv left).
    "AppEnv: delete": Operation(
        {"env": "false"},
        {"delete": 1},
        {"DescribeAppEnvs": 2, "TerminateAppEnv": 1, "DeleteAppEnv": 1},
        {"DescribeAppEnvs": 1, "TerminateAppEnv": 1, "DeleteAppEnv": 1},
    ),
    "portfolio + 2 associations: delete": Operation(
        {"portfolio": "false"}, {"delete": 3}, _UNPORTFOLIO, _UNPORTFOLIO
    ),
}


def rollout_program() -> None:
    """A release of one package version and one product version; the stack config
    (`OPERATIONS`) adds the portfolio and its associations, the environment and the provisioned
    product, and changes them one at a time."""
    import pulumi

    from alicloud_versions import servicecatalog, webplus

    config = pulumi.Config()
    release = config.get("release") or "1.0"
    app = webplus.Application("app", app_name="bench-app", category_name="Java")
    pkg = webplus.PkgVersion(
        "pkg",
        app_id=app.app_id,
        package_source=f"oss://bench-artifacts/app-{release}.war",
        pkg_version_label=release,
    )
    body = {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Parameters": {"note": {"Type": "String"}},
        "Outputs": {"release": {"Value": release}},
    }
    template = servicecatalog.Template(
        "template", template_type="RosStandardTemplate", template_body=json.dumps(body)
    )
    product = servicecatalog.Product("product", product_name="bench", provider_name="bench")
    version = servicecatalog.ProductVersion(
        "pv",
        product_id=product.product_id,
        product_version_name=release,
        template_type="RosStandardTemplate",
        template_url=template.template_url,
    )
    if config.get_bool("env"):
        webplus.AppEnv(
            "env",
            app_id=app.app_id,
            env_name="prod",
            stack_id=STACK_ID,
            pkg_version_id=pkg.pkg_version_id,
            env_description=config.get("env_description") or "bench",
        )
    if not config.get_bool("portfolio"):
        return
    portfolio = servicecatalog.Portfolio("portfolio", portfolio_name="web", provider_name="bench")
    holds = servicecatalog.ProductPortfolioAssociation(
        "holds", product_id=product.product_id, portfolio_id=portfolio.portfolio_id
    )
    launcher = servicecatalog.PrincipalPortfolioAssociation(
        "launcher",
        principal_id=DEFAULT_ACCESS_KEY_ID,  # the emulator's principal is the access key id
        principal_type="RamUser",
        portfolio_id=portfolio.portfolio_id,
    )
    if config.get_bool("launch"):
        servicecatalog.ProvisionedProduct(
            "launched",
            product_id=product.product_id,
            product_version_id=version.product_version_id,
            portfolio_id=holds.portfolio_id,
            provisioned_product_name="bench-prod",
            stack_region_id="cn-hangzhou",
            parameters={"note": config.get("parameter") or "first"},
            opts=pulumi.ResourceOptions(depends_on=[launcher]),
        )


def _measure(stack: auto.Stack, emu: EmulatorProcess) -> dict[str, Step]:
    """Each operation of `OPERATIONS` on `stack`, in order, after an up of the base release."""
    stack.up()
    steps: dict[str, Step] = {}
    for name, operation in OPERATIONS.items():
        if not operation.settings:
            steps[name] = timed(emu, stack.preview)
            continue
        config = {f"{PROJECT}:{k}": auto.ConfigValue(v) for k, v in operation.settings.items()}
        stack.set_all_config(config)
        steps[name] = timed(emu, stack.up)
    stack.destroy()
    return steps


def rollout_figure(emu: EmulatorProcess, repeats: int) -> list[dict[str, Any]]:
    """Figure 8: each operation's calls by action, `repeats` runs, with changes that settle at
    once and no latency, beside its budget and floor."""
    emu.controls.reset()
    emu.controls.set_faults({"settle_s": 0})
    runs: list[dict[str, Step]] = []
    try:
        for r in range(repeats):
            say(f"rollout kinds: run {r + 1} of {repeats}")
            with (
                scratch() as tmp,
                inline_stack(
                    tmp,
                    rollout_program,
                    project=PROJECT,
                    stack=f"rollout-{r}",
                    config=stack_config(emu),
                ) as stack,
            ):
                runs.append(_measure(stack, emu))
    finally:
        emu.controls.set_faults({})
    rows = []
    for name, (_, changes, budget, floor) in OPERATIONS.items():
        measured = runs[0][name].calls
        same_every_run = all(run[name].calls == measured for run in runs)
        # The engine must change what the operation changes and nothing else.
        as_expected = all(
            {k: v for k, v in run[name].changes.items() if k != "same"} == changes for run in runs
        )
        rows.append(
            {
                "operation": name,
                "calls": total(measured),
                "budget": total(budget),
                "floor": total(floor),
                "by_action": measured,
                "budget_by_action": budget,
                "floor_by_action": floor,
                "met": measured == budget and same_every_run and as_expected,
                "same_every_run": same_every_run,
                "changes": runs[0][name].changes,
                "expected_changes": changes,
            }
        )
    return rows


def report(results: dict[str, Any]) -> list[str]:
    """Figure 8 as a table."""
    if not results.get("rollout"):
        return []
    rows = []
    for row in results["rollout"]:
        off = {k: v for k, v in row["by_action"].items() if row["budget_by_action"].get(k) != v}
        over_floor = {
            k: v - row["floor_by_action"].get(k, 0)
            for k, v in row["budget_by_action"].items()
            if v != row["floor_by_action"].get(k, 0)
        }
        rows.append(
            [
                row["operation"],
                row["calls"],
                row["budget"],
                row["floor"],
                verdict(row["met"]),
                ", ".join(f"{k} +{v}" for k, v in over_floor.items()),
                json.dumps(off) if off else "",
            ]
        )
    headers = ["operation", "calls", "budget", "floor", "", "budget over floor", "off by"]
    return [
        "\n8. API calls of the rollout kinds per operation (measured / budget / floor)",
        table(headers, rows),
    ]
