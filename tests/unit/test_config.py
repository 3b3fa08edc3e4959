"""Settings come from stack config (own namespace, then pulumi-alicloud's), then the
environment, then the SDK's default chain."""

from __future__ import annotations

import base64
import pickle

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from alicloud_versions import ConfigurationError
from alicloud_versions.core.config import (
    KEYS,
    REGION,
    Endpoint,
    PluginConfig,
    Service,
    places,
    resolve_settings,
)
from alicloud_versions.servicecatalog import ProductVersionProvider
from alicloud_versions.webplus import PkgVersionProvider

SECRET = "sekrit-value-0000000000000000000001"
ENV_BOTH = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID": "env-id",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret",
    "ALICLOUD_ACCESS_KEY": "old-env-id",
    "ALICLOUD_SECRET_KEY": "old-env-secret",
}


def test_stack_config_wins_over_environment() -> None:
    """alicloud:accessKey/secretKey/securityToken/region come before any variable."""
    settings = resolve_settings(
        {
            "alicloud:accessKey": "cfg-id",
            "alicloud:secretKey": SECRET,
            "alicloud:securityToken": "tok",
            "alicloud:region": "cn-beijing",
        },
        {**ENV_BOTH, "ALICLOUD_REGION": "cn-shanghai"},
    )
    assert settings.credentials is not None
    assert settings.credentials.access_key_id == "cfg-id"
    assert settings.credentials.access_key_secret == SECRET
    assert settings.credentials.security_token == "tok"
    assert settings.region == "cn-beijing"


def test_alibaba_cloud_variables_come_before_alicloud_ones() -> None:
    """ALIBABA_CLOUD_ACCESS_KEY_* are used before ALICLOUD_ACCESS_KEY/SECRET_KEY."""
    creds = resolve_settings({}, ENV_BOTH).credentials
    assert creds is not None and creds.access_key_id == "env-id"
    old_only = {k: v for k, v in ENV_BOTH.items() if k.startswith("ALICLOUD_")}
    creds = resolve_settings({}, {**old_only, "ALICLOUD_SECURITY_TOKEN": "t"}).credentials
    assert creds is not None and creds.access_key_id == "old-env-id"
    assert creds.security_token == "t"


def test_no_keys_anywhere_means_the_default_chain() -> None:
    """Without keys in config or environment, credentials are left to the SDK's default chain."""
    assert resolve_settings({}, {}).credentials is None


def test_half_an_access_key_in_config_is_an_error() -> None:
    """alicloud:accessKey without alicloud:secretKey names the missing key."""
    with pytest.raises(ConfigurationError, match="alicloud:secretKey"):
        resolve_settings({"alicloud:accessKey": "id"}, ENV_BOTH)


def test_region_order_and_default() -> None:
    """Region: alicloud:region, ALICLOUD_REGION, ALIBABA_CLOUD_REGION_ID, then cn-hangzhou."""
    env = {"ALICLOUD_REGION": "cn-shanghai", "ALIBABA_CLOUD_REGION_ID": "cn-beijing"}
    assert resolve_settings({}, env).region == "cn-shanghai"
    assert resolve_settings({}, {"ALIBABA_CLOUD_REGION_ID": "cn-beijing"}).region == "cn-beijing"
    assert resolve_settings({}, {}).region == "cn-hangzhou"


@pytest.mark.parametrize(
    ("text", "host", "protocol"),
    [
        ("http://127.0.0.1:8080", "127.0.0.1:8080", "http"),
        ("https://webplus.example.com/", "webplus.example.com", "https"),
        (
            "servicecatalog.cn-hangzhou.aliyuncs.com",
            "servicecatalog.cn-hangzhou.aliyuncs.com",
            "https",
        ),
        ("HTTP://localhost:1", "localhost:1", "http"),
    ],
)
def test_endpoint_parsing(text: str, host: str, protocol: str) -> None:
    """http://host:port means plain HTTP to host:port; a bare host means HTTPS."""
    assert Endpoint.parse(text) == Endpoint(host, protocol)


@pytest.mark.parametrize("text", ["ftp://host", "http://", "http://host/path"])
def test_bad_endpoint_is_a_configuration_error(text: str) -> None:
    """An endpoint that is not [scheme://]host[:port] is refused with its value."""
    with pytest.raises(ConfigurationError, match="endpoint"):
        Endpoint.parse(text)


def test_endpoint_region_placeholder() -> None:
    """{region} in an endpoint becomes each call's region, else the settings' region."""
    settings = resolve_settings(
        {
            "alicloud:region": "cn-beijing",
            "alicloud-versions:servicecatalogEndpoint": "http://servicecatalog.{region}.aliyuncs.com",
            "alicloud-versions:allowHttp": "true",
        },
        {"ALICLOUD_VERSIONS_ENDPOINT": "webplus.{region}.example.test:8443"},
    )
    shanghai = settings.endpoint(Service.SERVICECATALOG, "cn-shanghai")
    assert shanghai == Endpoint("servicecatalog.cn-shanghai.aliyuncs.com", "http")
    assert settings.endpoint(Service.SERVICECATALOG) == Endpoint(
        "servicecatalog.cn-beijing.aliyuncs.com", "http"
    )
    assert settings.endpoint(Service.WEBPLUS, "ap-southeast-1") == Endpoint(
        "webplus.ap-southeast-1.example.test:8443", "https"
    )
    assert settings.endpoints[Service.WEBPLUS].host == "webplus.{region}.example.test:8443"
    fixed = resolve_settings({"alicloud-versions:endpoint": "http://127.0.0.1:9000"}, {})
    assert fixed.endpoint(Service.WEBPLUS, "cn-shanghai") == Endpoint("127.0.0.1:9000", "http")


@pytest.mark.parametrize("text", ["http://{regionid}.example", "http://{region}}.example"])
def test_only_the_region_placeholder_is_known(text: str) -> None:
    """Any placeholder but {region} is refused with the endpoint's value."""
    with pytest.raises(ConfigurationError, match="placeholder"):
        Endpoint.parse(text)


def test_a_region_that_cannot_name_a_host_is_refused() -> None:
    """A region that is not a region id is refused before it reaches a host name."""
    with pytest.raises(ConfigurationError, match="region"):
        Endpoint.parse("http://sc.{region}.example").for_region("cn-shanghai/../x")


def test_endpoint_overrides_per_service() -> None:
    """Per-service config beats alicloud-versions:endpoint, which beats the variable."""
    settings = resolve_settings(
        {
            "alicloud-versions:endpoint": "http://shared:1",
            "alicloud-versions:webplusEndpoint": "http://wp:2",
            "alicloud-versions:allowHttp": "true",
        },
        {"ALICLOUD_VERSIONS_ENDPOINT": "http://env:3"},
    )
    assert settings.endpoint(Service.WEBPLUS) == Endpoint("wp:2", "http")
    assert settings.endpoint(Service.SERVICECATALOG) == Endpoint("shared:1", "http")
    env_only = resolve_settings(
        {}, {"ALICLOUD_VERSIONS_ENDPOINT": "http://env:3", "ALICLOUD_VERSIONS_ALLOW_HTTP": "true"}
    )
    assert env_only.endpoint(Service.SERVICECATALOG) == Endpoint("env:3", "http")
    assert resolve_settings({}, {}).endpoint(Service.WEBPLUS) is None


def test_max_retry_time_from_config_then_environment() -> None:
    """alicloud-versions:maxRetryTime, then ALICLOUD_VERSIONS_MAX_RETRY_TIME, then 60 s."""
    env = {"ALICLOUD_VERSIONS_MAX_RETRY_TIME": "5"}
    assert resolve_settings({"alicloud-versions:maxRetryTime": "12.5"}, env).max_retry_time == 12.5
    assert resolve_settings({}, env).max_retry_time == 5
    assert resolve_settings({}, {}).max_retry_time == 60
    with pytest.raises(ConfigurationError, match="maxRetryTime"):
        resolve_settings({"alicloud-versions:maxRetryTime": "soon"}, {})


def test_configure_reads_fully_qualified_stack_config() -> None:
    """configure takes the engine's config (fully qualified keys) through pulumi.dynamic.Config."""
    provider = PkgVersionProvider()
    raw = {
        "alicloud:region": "cn-shenzhen",
        "alicloud:accessKey": "id",
        "alicloud:secretKey": SECRET,
    }
    provider.configure(ConfigureRequest(Config(raw_config=raw, project_name="p")))
    assert provider.core.settings.region == "cn-shenzhen"


def test_configured_provider_serializes_without_settings_or_secret() -> None:
    """After configure, the serialized provider holds no settings and no secret."""
    provider = ProductVersionProvider()
    fresh = serialize_provider(ProductVersionProvider())
    provider.configure(
        ConfigureRequest(
            Config(
                raw_config={"alicloud:accessKey": "id-1", "alicloud:secretKey": SECRET},
                project_name="p",
            )
        )
    )
    blob = serialize_provider(provider)
    assert blob == fresh
    assert SECRET.encode() not in base64.b64decode(blob)
    assert SECRET not in repr(provider.core.settings)


def test_a_thousand_resources_serialize_in_one_program(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serializing more providers than the recursion limit in one process works: pulumi's
    serializer nests one more wrapper around pickling dicts per call, and ours pickle none."""
    import sys

    from alicloud_versions.servicecatalog import ProductProvider, TemplateProvider
    from alicloud_versions.webplus import ApplicationProvider

    # Undo the nesting afterwards, so that the rest of the session is not affected by it.
    for name in ("_batch_setitems", "save_dict"):
        monkeypatch.setattr(pickle._Pickler, name, getattr(pickle._Pickler, name))
    kinds = [
        ApplicationProvider,
        PkgVersionProvider,
        ProductProvider,
        ProductVersionProvider,
        TemplateProvider,
    ]
    rounds = sys.getrecursionlimit() // len(kinds) + 100
    blobs = {serialize_provider(kind()) for _ in range(rounds) for kind in kinds}
    assert len(blobs) == len(kinds)


def test_settings_refuse_to_be_pickled() -> None:
    """Settings and credentials raise rather than end up in a pickle."""
    settings = resolve_settings({"alicloud:accessKey": "id", "alicloud:secretKey": SECRET}, {})
    with pytest.raises(TypeError):
        pickle.dumps(settings)
    with pytest.raises(TypeError):
        pickle.dumps(settings.credentials)


OWN = {
    "alicloud-versions:accessKey": "own-id",
    "alicloud-versions:secretKey": SECRET,
    "alicloud-versions:region": "cn-shanghai",
}


def test_the_dynamic_provider_reads_the_plugins_keys() -> None:
    """A stack configured for the plugin (alicloud-versions:*) configures the dynamic provider
    as it is: the same keys serve both front doors."""
    provider = PkgVersionProvider()
    provider.configure(ConfigureRequest(Config(raw_config=OWN, project_name="p")))
    creds = provider.core.settings.credentials
    assert creds is not None and creds.access_key_id == "own-id"
    assert creds.access_key_secret == SECRET
    assert provider.core.settings.region == "cn-shanghai"


def test_the_own_namespace_wins_over_pulumi_alicloud_s() -> None:
    """With a key in both namespaces, alicloud-versions:X is used and alicloud:X ignored; the
    access key comes whole from one namespace, its token included."""
    shared = {
        "alicloud:accessKey": "shared-id",
        "alicloud:secretKey": "shared-secret",
        "alicloud:securityToken": "shared-token",
        "alicloud:region": "cn-beijing",
    }
    settings = resolve_settings({**shared, **OWN}, ENV_BOTH)
    assert settings.credentials is not None
    assert settings.credentials.access_key_id == "own-id"
    assert settings.credentials.security_token is None
    assert settings.region == "cn-shanghai"
    shared_only = resolve_settings(shared, ENV_BOTH)
    assert shared_only.credentials is not None
    assert shared_only.credentials.access_key_id == "shared-id"
    assert shared_only.region == "cn-beijing"


def test_an_access_key_is_never_half_from_each_namespace() -> None:
    """An id in one namespace and a secret in the other is refused, naming the missing half."""
    mixed = {"alicloud-versions:accessKey": "own-id", "alicloud:secretKey": SECRET}
    with pytest.raises(ConfigurationError, match="alicloud-versions:secretKey"):
        resolve_settings(mixed, ENV_BOTH)


def test_the_plugin_reads_only_its_own_namespace() -> None:
    """PluginConfig answers its own keys and nothing for pulumi-alicloud's."""
    config = PluginConfig({"region": "cn-shanghai"})
    assert config.get("alicloud-versions:region") == "cn-shanghai"
    assert config.get("alicloud:region") is None


def test_every_setting_declares_where_it_is_read_and_the_docstring_says_it() -> None:
    """Each key's places are its namespaces then its variables (region: both namespaces, then
    ALICLOUD_REGION, ALIBABA_CLOUD_REGION_ID), and resolve_settings' docstring lists each."""
    assert places(REGION) == (
        "alicloud-versions:region",
        "alicloud:region",
        "ALICLOUD_REGION",
        "ALIBABA_CLOUD_REGION_ID",
    )
    doc = resolve_settings.__doc__ or ""
    for key in KEYS:
        assert f"| `{key.name}`" in doc
        assert all(f"`{place}`" in doc for place in places(key))
