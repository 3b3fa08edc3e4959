"""Valid inputs for each provider, shared by the check and diff tests."""

from __future__ import annotations

from typing import Any

from alicloud_versions.dynamic._provider import BaseProvider
from alicloud_versions.servicecatalog import (
    PortfolioProvider,
    PrincipalPortfolioAssociationProvider,
    ProductPortfolioAssociationProvider,
    ProductProvider,
    ProductVersionProvider,
    ProvisionedProductProvider,
    TemplateProvider,
)
from alicloud_versions.webplus import AppEnvProvider, ApplicationProvider, PkgVersionProvider

TEMPLATE_URL = "oss://servicecatalog-cn-hangzhou/123/terraform/template/tpl-1/template.json"

VALID: dict[type[BaseProvider], dict[str, Any]] = {
    ApplicationProvider: {"app_name": "shop", "app_description": "the shop"},
    PkgVersionProvider: {
        "app_id": "wa-123",
        "package_source": "oss://bucket/app.war",
        "pkg_version_label": "1.5",
        "pkg_version_description": "release 1.5",
    },
    AppEnvProvider: {
        "app_id": "wa-123",
        "env_name": "prod",
        "stack_id": "ws-123",
        "pkg_version_id": "wp-123",
        "env_description": "production",
        "option_settings": '[{"path": "application.option", "name": "port", "value": "8080"}]',
        "profile_name": "StandAlone",
    },
    ProductProvider: {"product_name": "shop", "provider_name": "team", "product_type": "Ros"},
    TemplateProvider: {"template_type": "RosTerraformTemplate", "template_body": "{}"},
    ProductVersionProvider: {
        "product_id": "prod-1",
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": TEMPLATE_URL,
        "guidance": "Recommended",
        "active": True,
    },
    PortfolioProvider: {"portfolio_name": "web", "provider_name": "team"},
    ProductPortfolioAssociationProvider: {"product_id": "prod-1", "portfolio_id": "port-1"},
    PrincipalPortfolioAssociationProvider: {
        "principal_id": "2034",
        "principal_type": "RamUser",
        "portfolio_id": "port-1",
    },
    ProvisionedProductProvider: {
        "product_id": "prod-1",
        "product_version_id": "pv-1",
        "portfolio_id": "port-1",
        "provisioned_product_name": "shop-prod",
        "stack_region_id": "cn-hangzhou",
        "parameters": {"size": "1", "password": "hunter2"},
        "tags": {"team": "web"},
    },
}

PROVIDERS = list(VALID)


def provider_id(cls: type[BaseProvider]) -> str:
    """Test id: the resource type."""
    return cls.TYPE
