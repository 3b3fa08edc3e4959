"""Outputs: what create answers is what each `Resource` class declares."""

from __future__ import annotations

import dataclasses
from typing import Any

from pulumi.dynamic import ResourceProvider

from alicloud_versions import servicecatalog, webplus

from .conftest import Host, make_product


def output_names(resource: type) -> list[str]:
    """The outputs `resource` annotates as ``pulumi.Output``."""
    return [n for n, a in resource.__annotations__.items() if str(a).startswith("pulumi.Output[")]


def declared(resource: type, args: type) -> set[str]:
    """The properties a resource class declares: its outputs and its inputs."""
    return set(output_names(resource)) | {f.name for f in dataclasses.fields(args)}


def answered(host: Host, provider: ResourceProvider, inputs: dict[str, Any]) -> set[str]:
    """Every property that create answers (but the provider's own)."""
    _, outs = host.create(provider, inputs)
    return set(outs) - {"__provider"}


def test_every_answered_output_is_declared(host: Host) -> None:
    """No create answers an output its class does not annotate (nor the plugin's schema)."""
    app = {"app_name": "shop", "category_name": "Java"}
    assert answered(host, webplus.ApplicationProvider(), app) <= declared(
        webplus.Application, webplus.ApplicationArgs
    )
    app_id, _ = host.create(webplus.ApplicationProvider(), {"app_name": "other"})
    pkg = {"app_id": app_id, "package_source": "oss://bucket/a.war", "pkg_version_label": "1.5"}
    assert answered(host, webplus.PkgVersionProvider(), pkg) <= declared(
        webplus.PkgVersion, webplus.PkgVersionArgs
    )
    template = {"template_type": "RosTerraformTemplate", "template_body": "{}"}
    assert answered(host, servicecatalog.TemplateProvider(), template) <= declared(
        servicecatalog.Template, servicecatalog.TemplateArgs
    )
    product = {"product_name": "shop", "provider_name": "team", "product_type": "Ros"}
    assert answered(host, servicecatalog.ProductProvider(), product) <= declared(
        servicecatalog.Product, servicecatalog.ProductArgs
    )
    made = make_product(host)
    version = {
        "product_id": made["product_id"],
        "product_version_name": "1.0",
        "template_type": "RosTerraformTemplate",
        "template_url": made["template_url"],
    }
    assert answered(host, servicecatalog.ProductVersionProvider(), version) <= declared(
        servicecatalog.ProductVersion, servicecatalog.ProductVersionArgs
    )
