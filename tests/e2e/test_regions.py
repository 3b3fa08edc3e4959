"""The region a stack names is the region its resources live in, on the emulator as on the real
endpoints: the emulator learns a Service Catalog call's region from the regional host name, as
the service does, when the stack reaches it through the real host names (`{region}` endpoints,
the emulator as `httpProxy`)."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from tests.support.accounts import Account
from tests.support.emulator import EmulatorProcess
from tests.support.engine import inline_stack
from tests.support.stacks import outputs, release_program, resources


def test_a_cn_shanghai_stack_makes_everything_in_cn_shanghai(
    tmp_path: Path,
    emulator_process: EmulatorProcess,
    account: Account,
    stack_config: dict[str, auto.ConfigValue],
) -> None:
    """A stack configured for cn-shanghai gets cn-shanghai template URLs and product ARNs, and
    the emulator holds its resources in cn-shanghai only."""
    config = {
        **stack_config,
        "alicloud:region": auto.ConfigValue("cn-shanghai"),
        "alicloud-versions:webplusEndpoint": auto.ConfigValue(
            "http://webplus.{region}.aliyuncs.com"
        ),
        "alicloud-versions:servicecatalogEndpoint": auto.ConfigValue(
            "http://servicecatalog.{region}.aliyuncs.com"
        ),
        "alicloud-versions:httpProxy": auto.ConfigValue(emulator_process.url, secret=True),
        # The plain-http endpoints name real hosts; the proxy keeps every call on loopback.
        "alicloud-versions:allowHttp": auto.ConfigValue("true"),
    }
    del config["alicloud-versions:endpoint"]
    with inline_stack(tmp_path, release_program, config=config) as stack:
        stack.up()
        assert "/servicecatalog-cn-shanghai/" in outputs(stack)["template_url"]
        stack.refresh()
        product = resources(stack)["product"]["outputs"]
        assert ":cn-shanghai:" in product["product_arn"]

        held = emulator_process.inventory(account.account_id)
        regions = {r.get("RegionId") for kind in held.values() for r in kind if "RegionId" in r}
        assert regions == {"cn-shanghai"}
        # No destroy: nothing reads it, and the backend and the account go with the test.
