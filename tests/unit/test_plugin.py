"""The provider plugin's schema and its translation of the engine's calls (no network)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    ConfigureRequest,
    DiffRequest,
    ReadRequest,
)

from alicloud_versions import ImportIdError
from alicloud_versions.core.config import Endpoint, Service
from alicloud_versions.dynamic._provider import BaseProvider
from alicloud_versions.plugin import AlicloudVersionsProvider, schema, token

from .resources import PROVIDERS, VALID, provider_id
from .test_diff import OTHER

pytestmark = pytest.mark.usefixtures("no_network")

# The contract, written out independently of the code that derives the schema.
TOKENS = {
    "alicloud-versions:webplus:Application",
    "alicloud-versions:webplus:PkgVersion",
    "alicloud-versions:webplus:AppEnv",
    "alicloud-versions:servicecatalog:Template",
    "alicloud-versions:servicecatalog:Product",
    "alicloud-versions:servicecatalog:ProductVersion",
    "alicloud-versions:servicecatalog:Portfolio",
    "alicloud-versions:servicecatalog:ProductPortfolioAssociation",
    "alicloud-versions:servicecatalog:PrincipalPortfolioAssociation",
    "alicloud-versions:servicecatalog:ProvisionedProduct",
}
INPUTS = {
    "alicloud-versions:webplus:Application": {
        "appName", "appDescription", "categoryName", "region", "adoptId"
    },
    "alicloud-versions:webplus:PkgVersion": {
        "appId", "packageSource", "pkgVersionLabel", "pkgVersionDescription", "region",
        "forceDelete", "adoptId",
    },
    "alicloud-versions:webplus:AppEnv": {
        "appId", "envName", "stackId", "pkgVersionId", "envDescription", "optionSettings",
        "profileName", "region",
    },
    "alicloud-versions:servicecatalog:Template": {
        "templateType", "templateBody", "region", "adoptId"
    },
    "alicloud-versions:servicecatalog:Product": {
        "productName", "providerName", "productType", "description", "templateType", "region",
        "adoptId",
    },
    "alicloud-versions:servicecatalog:ProductVersion": {
        "productId", "productVersionName", "templateType", "templateUrl", "description",
        "guidance", "active", "region", "forceDelete", "adoptId",
    },
    "alicloud-versions:servicecatalog:Portfolio": {
        "portfolioName", "providerName", "description", "region", "adoptId",
    },
    "alicloud-versions:servicecatalog:ProductPortfolioAssociation": {
        "productId", "portfolioId", "region",
    },
    "alicloud-versions:servicecatalog:PrincipalPortfolioAssociation": {
        "principalId", "principalType", "portfolioId", "region",
    },
    "alicloud-versions:servicecatalog:ProvisionedProduct": {
        "productId", "productVersionId", "portfolioId", "provisionedProductName",
        "stackRegionId", "parameters", "tags", "region",
    },
}  # fmt: skip
CONFIG = {
    "accessKey": False,
    "secretKey": True,
    "securityToken": True,
    "region": False,
    "endpoint": False,
    "webplusEndpoint": False,
    "servicecatalogEndpoint": False,
    "allowHttp": False,
    "httpProxy": True,
    "maxRetryTime": False,
}
URN = "urn:pulumi:test::project::{type}::name"


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _camel_name(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(w.title() for w in rest)


def _camel(props: dict[str, Any]) -> dict[str, PropertyValue]:
    return {_camel_name(k): _property(v) for k, v in props.items()}


def _property(value: Any) -> PropertyValue:
    if isinstance(value, dict):
        return PropertyValue({k: _property(v) for k, v in value.items()})
    return PropertyValue(value)


def test_schema_declares_every_token_and_its_inputs() -> None:
    """Each resource has its token and its inputs in camelCase, every property described."""
    resources = schema()["resources"]
    assert set(resources) == TOKENS
    for type_, spec in resources.items():
        assert set(spec["inputProperties"]) == INPUTS[type_]
        assert set(spec["inputProperties"]) <= set(spec["properties"])
        assert all(p["description"] for p in spec["properties"].values()), type_


def test_schema_outputs_include_the_ids() -> None:
    """The ids a program feeds to other resources are declared outputs."""
    resources = schema()["resources"]
    for type_, output in (
        ("webplus:Application", "appId"),
        ("webplus:PkgVersion", "pkgVersionId"),
        ("webplus:PkgVersion", "packageUrl"),
        ("servicecatalog:Template", "templateUrl"),
        ("servicecatalog:Product", "productId"),
        ("servicecatalog:ProductVersion", "productVersionId"),
    ):
        assert output in resources[f"alicloud-versions:{type_}"]["properties"]


def test_schema_config_keys_and_secrets() -> None:
    """Provider configuration has the nine keys; the key secret and the token are secrets."""
    variables = schema()["config"]["variables"]
    assert {k: bool(v.get("secret")) for k, v in variables.items()} == CONFIG
    assert schema()["provider"]["inputProperties"] == variables


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_replace_on_changes_matches_what_diff_replaces(cls: type[BaseProvider]) -> None:
    """An input is marked replace-on-change exactly when changing it alone makes the plugin's
    diff replace the resource."""
    plugin = AlicloudVersionsProvider()
    type_ = token(cls)
    inputs = schema()["resources"][type_]["inputProperties"]
    old = _camel(VALID[cls])
    for name in cls.kind.INPUTS:
        if name in cls.kind._CREATE_ONLY or OTHER[name] == VALID[cls].get(name):
            continue  # adopt_id never diffs; product_type has one possible value
        new = _camel({**VALID[cls], name: OTHER[name]})
        diff = _run(plugin.diff(DiffRequest(URN.format(type=type_), "id-1", old, new, [])))
        camel = _camel_name(name)
        assert diff.changes, name
        assert (camel in diff.replaces) == inputs[camel].get("replaceOnChanges", False), name


def test_check_failures_name_the_camel_case_property() -> None:
    """A missing required input is reported under its schema name."""
    plugin = AlicloudVersionsProvider()
    type_ = "alicloud-versions:webplus:Application"
    result = _run(plugin.check(CheckRequest(URN.format(type=type_), {}, {}, b"")))
    assert [(f.property, f.reason) for f in result.failures] == [("appName", "appName is required")]


def test_check_never_echoes_a_secret_input() -> None:
    """An invalid input the program made secret is named in the reason, its value never shown;
    the failure names no property, whose value the engine would print beside it."""
    plugin = AlicloudVersionsProvider()
    type_ = "alicloud-versions:webplus:PkgVersion"
    news = {
        "appId": PropertyValue("wa-1"),
        "pkgVersionLabel": PropertyValue("1.0"),
        "packageSource": PropertyValue("oss://bucket/hunter2 secret.war", is_secret=True),
    }
    result = _run(plugin.check(CheckRequest(URN.format(type=type_), {}, news, b"")))
    [(prop, reason)] = [(f.property, f.reason) for f in result.failures]
    assert prop == ""
    assert reason.startswith("packageSource ")
    assert "hunter2" not in reason and "got" not in reason


def test_check_quotes_a_plain_value_and_suggests_the_near_miss() -> None:
    """The plugin knows which inputs are secret, so a plain invalid value is quoted (the engine
    prints it beside the property too), and a value that differs only in case is corrected."""
    plugin = AlicloudVersionsProvider()
    type_ = "alicloud-versions:servicecatalog:ProductVersion"
    news = {
        "productId": PropertyValue("prod-1"),
        "productVersionName": PropertyValue("v1"),
        "templateType": PropertyValue("RosTerraformTemplate"),
        "templateUrl": PropertyValue("oss://bucket/t.json"),
        "guidance": PropertyValue("recommended"),
    }
    result = _run(plugin.check(CheckRequest(URN.format(type=type_), {}, news, b"")))
    assert [(f.property, f.reason) for f in result.failures] == [
        (
            "guidance",
            "guidance must be one of Default, Recommended, Latest, Deprecated; "
            "got 'recommended' (did you mean 'Recommended'?)",
        )
    ]


def test_configuration_reaches_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin's configuration (secrets as secret values) resolves as stack config does."""
    monkeypatch.setenv("ALICLOUD_VERSIONS_ENDPOINT", "http://127.0.0.1:9")
    plugin = AlicloudVersionsProvider()
    args = {
        "accessKey": PropertyValue("LTAIkey"),
        "secretKey": PropertyValue("s3cret", is_secret=True),
        "region": PropertyValue("cn-shanghai"),
        "webplusEndpoint": PropertyValue("http://127.0.0.1:8"),
        "maxRetryTime": PropertyValue(5.0),
    }
    _run(plugin.configure(ConfigureRequest({}, args, True, True)))
    settings = plugin._providers["alicloud-versions:webplus:PkgVersion"].settings
    assert settings.region == "cn-shanghai"
    assert settings.credentials is not None
    assert settings.credentials.access_key_id == "LTAIkey"
    assert settings.credentials.access_key_secret == "s3cret"
    assert settings.endpoint(Service.WEBPLUS) == Endpoint("127.0.0.1:8", "http")
    # Absent from the configuration: the environment, as for the dynamic provider.
    assert settings.endpoint(Service.SERVICECATALOG) == Endpoint("127.0.0.1:9", "http")
    assert settings.max_retry_time == 5.0


def test_check_config_marks_the_secret_keys_secret() -> None:
    """httpProxy (which may hold user:password) and the key secret come back from CheckConfig
    as secrets, set in plain text or not, so the engine encrypts them in the state."""
    plugin = AlicloudVersionsProvider()
    news = {
        "httpProxy": PropertyValue("http://user:pa55@proxy.example:3128"),
        "secretKey": PropertyValue("s3cret"),
        "region": PropertyValue("cn-shanghai"),
    }
    checked = _run(plugin.check_config(CheckRequest(URN.format(type="x"), {}, news, b"")))
    assert checked.inputs is not None
    assert {k: v.is_secret for k, v in checked.inputs.items()} == {
        "httpProxy": True,
        "secretKey": True,
        "region": False,
    }
    assert checked.inputs["httpProxy"].value == "http://user:pa55@proxy.example:3128"


def test_pkg_version_import_id_needs_the_application(no_network: list[Any]) -> None:
    """`pulumi import` of a package version by its id alone fails naming the id's form, before
    any API call."""
    plugin = AlicloudVersionsProvider()
    type_ = "alicloud-versions:webplus:PkgVersion"
    with pytest.raises(ImportIdError, match="is not APP_ID:PKG_VERSION_ID"):
        _run(plugin.read(ReadRequest(URN.format(type=type_), "wp-123", {}, {})))
    assert no_network == []


def test_update_preview_with_an_unknown_input_answers_it_unknown() -> None:
    """An in-place update whose new input is not known yet (built from a resource being
    replaced) previews with that output unknown, in a form the engine's wire format carries."""
    from pulumi.provider.experimental.provider import UpdateRequest
    from pulumi.runtime.rpc import UNKNOWN

    type_ = "alicloud-versions:servicecatalog:ProductVersion"
    olds = {
        "productId": "prod-1",
        "productVersionName": "v1.0",
        "templateType": "RosTerraformTemplate",
        "templateUrl": "oss://t/1.json",
        "description": "ships WebPlus package pv-1",
        "productVersionId": "pv-1",
    }
    news = {k: v for k, v in olds.items() if k != "productVersionId"}
    request = UpdateRequest(
        URN.format(type=type_),
        "pv-1",
        {k: PropertyValue(v) for k, v in olds.items()},
        {**{k: PropertyValue(v) for k, v in news.items()}, "description": PropertyValue(UNKNOWN)},
        60,
        [],
        True,
    )
    response = _run(AlicloudVersionsProvider().update(request))
    wire = PropertyValue.marshal_map(response.properties)
    assert wire["description"] == UNKNOWN
    assert wire["productVersionId"] == "pv-1"


def test_the_server_finds_our_error_under_the_sdks_rewrap() -> None:
    """Pulumi's provider server (SDK 3.27x) rewraps a failed call's exception as a plain
    Exception with the stack in its text; the plugin's server still answers our error's one
    line, and leaves anything that is not ours to Pulumi."""
    from alicloud_versions.core.errors import ApiError, Target
    from alicloud_versions.plugin._serve import ours

    error = ApiError(target=Target("webplus.PkgVersion"), operation="Create", code="X", message="m")
    try:
        try:
            raise error
        except ApiError as exc:  # as the SDK's _raise_with_traceback does
            raise Exception(f"{exc}:\n  File ...")  # noqa: B904 (the context is the point)
    except Exception as rewrapped:
        assert ours(rewrapped) is error
    assert ours(ValueError("a bug")) is None


def test_schema_declares_maps_as_objects_of_strings() -> None:
    """A map property (parameters, tags, a stack's outputs) is an object of strings; the
    parameters and the outputs made from them are secret."""
    spec = schema()["resources"]["alicloud-versions:servicecatalog:ProvisionedProduct"]
    for name in ("parameters", "tags", "outputs"):
        prop = spec["properties"][name]
        assert (prop["type"], prop["additionalProperties"]) == ("object", {"type": "string"})
    assert spec["inputProperties"]["parameters"]["secret"] is True
    assert "secret" not in spec["inputProperties"]["tags"]
