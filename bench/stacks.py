"""The stacks: the provider's and the plugin's of N versions each, and their no-op floors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BUCKET = "oss://bench-artifacts"
TEMPLATE_TYPE = "RosTerraformTemplate"


def provider_program(n: int) -> Callable[[], None]:
    """N PkgVersions and N ProductVersions with their Application, Product and Template."""

    def program() -> None:
        from alicloud_versions import servicecatalog, webplus

        app = webplus.Application("app", app_name="bench-app", category_name="Java")
        product = servicecatalog.Product("product", product_name="bench", provider_name="bench")
        template = servicecatalog.Template(
            "template", template_type=TEMPLATE_TYPE, template_body='{"main.tf": ""}'
        )
        for i in range(n):
            webplus.PkgVersion(
                f"pkg-{i}",
                app_id=app.app_id,
                package_source=f"{BUCKET}/app-{i}.war",
                pkg_version_label=f"1.{i}",
            )
            servicecatalog.ProductVersion(
                f"pv-{i}",
                product_id=product.product_id,
                product_version_name=f"1.{i}",
                template_type=TEMPLATE_TYPE,
                template_url=template.template_url,
            )

    return program


def floor_program(n: int, delay: float) -> Callable[[], None]:
    """The same graph made of no-op resources that sleep `delay` in create and delete."""

    def program() -> None:
        import pulumi

        from harness.noop import Noop

        app = Noop("app", "app", delay)
        product = Noop("product", "product", delay)
        template = Noop("template", "template", delay)
        for i in range(n):
            Noop(f"pkg-{i}", app.value.apply(lambda v, i=i: f"{v}-{i}"), delay)
            parents = pulumi.Output.all(product.value, template.value)
            Noop(f"pv-{i}", parents.apply(lambda vs, i=i: f"{vs[0]}-{vs[1]}-{i}"), delay)

    return program


def plugin_program(n: int) -> Callable[[], None]:
    """`provider_program`'s stack through the provider plugin (type tokens, camelCase)."""

    def program() -> None:
        import pulumi

        def resource(kind: str, name: str, props: dict[str, Any], out: str) -> Any:
            return pulumi.CustomResource(
                f"alicloud-versions:{kind}", name, {**props, out: None}
            ).__dict__[out]

        app_id = resource(
            "webplus:Application", "app", {"appName": "bench-app", "categoryName": "Java"}, "appId"
        )
        product_id = resource(
            "servicecatalog:Product",
            "product",
            {"productName": "bench", "providerName": "bench", "productType": "Ros"},
            "productId",
        )
        template_url = resource(
            "servicecatalog:Template",
            "template",
            {"templateType": TEMPLATE_TYPE, "templateBody": '{"main.tf": ""}'},
            "templateUrl",
        )
        for i in range(n):
            resource(
                "webplus:PkgVersion",
                f"pkg-{i}",
                {
                    "appId": app_id,
                    "packageSource": f"{BUCKET}/app-{i}.war",
                    "pkgVersionLabel": f"1.{i}",
                },
                "pkgVersionId",
            )
            resource(
                "servicecatalog:ProductVersion",
                f"pv-{i}",
                {
                    "productId": product_id,
                    "productVersionName": f"1.{i}",
                    "templateType": TEMPLATE_TYPE,
                    "templateUrl": template_url,
                },
                "productVersionId",
            )

    return program


def plugin_floor_program(n: int, delay: float) -> Callable[[], None]:
    """The same graph of the no-op plugin's resources (bench/noop_plugin.py)."""

    def program() -> None:
        import pulumi

        def noop(name: str, value: Any) -> Any:
            props = {"value": value, "delay": delay}
            return pulumi.CustomResource("benchnoop:index:Noop", name, props).__dict__["value"]

        app, product, template = noop("app", "app"), noop("product", "p"), noop("template", "t")
        for i in range(n):
            noop(f"pkg-{i}", app.apply(lambda v, i=i: f"{v}-{i}"))
            parents = pulumi.Output.all(product, template)
            noop(f"pv-{i}", parents.apply(lambda vs, i=i: f"{vs[0]}-{vs[1]}-{i}"))

    return program


def pkg_program(versions: int) -> Callable[[], None]:
    """An Application and `versions` PkgVersions, for the growth figure."""

    def program() -> None:
        from alicloud_versions import webplus

        app = webplus.Application("app", app_name="growth-app")
        for i in range(versions):
            webplus.PkgVersion(
                f"pkg-{i}",
                app_id=app.app_id,
                package_source=f"{BUCKET}/app-{i}.war",
                pkg_version_label=f"stack-{i}",
            )

    return program
