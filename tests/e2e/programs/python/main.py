"""The YAML example's five resources through the generated Python SDK (sdk/python, on the
provider plugin), run as an inline program by the Automation API. One operation per run, on the
stack STACK (default `test`) of the project in the current directory; the result is one JSON
line on stdout.

    python main.py up | preview | refresh | destroy
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pulumi
from alicloud_versions_sdk import servicecatalog, webplus
from pulumi import automation as auto


def program() -> None:
    config = pulumi.Config()
    bucket = config.get("bucket") or "py-artifacts"
    release = config.get("release") or "v1.0"
    app = webplus.Application(
        "app",
        app_name="py-shop",
        app_description=config.get("appDescription") or "Web shop declared in Python",
        category_name="Java",
    )
    pkg = webplus.PkgVersion(
        "package",
        app_id=app.app_id,
        package_source=pulumi.Output.format(
            "oss://{0}/{1}/{1}-{2}.war", bucket, app.app_name, release
        ),
        pkg_version_label=release,
        pkg_version_description=f"release {release}",
    )
    body = {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Workspace": {"main.tf": 'variable "package_url" { type = string }\n'},
    }
    template = servicecatalog.Template(
        "template", template_type="RosTerraformTemplate", template_body=json.dumps(body)
    )
    product = servicecatalog.Product(
        "product",
        product_name="py-shop",
        provider_name="platform-team",
        product_type="Ros",
        description="The web shop",
    )
    version = servicecatalog.ProductVersion(
        "productVersion",
        servicecatalog.ProductVersionArgs(
            product_id=product.product_id,
            product_version_name=release,
            template_type="RosTerraformTemplate",
            template_url=template.template_url,
            description=pulumi.Output.concat("ships WebPlus package ", pkg.pkg_version_id),
            guidance=config.get("guidance") or "Recommended",
        ),
    )
    pulumi.export("appId", app.app_id)
    pulumi.export("pkgVersionId", pkg.pkg_version_id)
    pulumi.export("templateUrl", template.template_url)
    pulumi.export("productId", product.product_id)
    pulumi.export("productVersionId", version.product_version_id)


def run(command: str) -> dict[str, Any]:
    # The project (its name, the stack and its config) is the Pulumi.yaml in the current folder.
    workspace = auto.LocalWorkspace(work_dir=os.getcwd(), program=program)
    stack = auto.Stack.select(os.environ.get("STACK", "test"), workspace)
    # The steps the engine reports per resource of the program, such as ["same"] or
    # ["create-replacement", "replace", "delete-replaced"].
    ops: dict[str, list[str]] = {}

    def on_event(event: auto.events.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is not None and not pre.metadata.type.startswith("pulumi:"):
            name = pre.metadata.urn.rsplit("::", 1)[1]
            ops.setdefault(name, []).append(pre.metadata.op.value)

    if command == "up":
        up = stack.up(on_event=on_event)
        outputs = {k: v.value for k, v in up.outputs.items()}
        return {"summary": up.summary.resource_changes, "ops": ops, "outputs": outputs}
    if command == "preview":
        preview = stack.preview(on_event=on_event)
        return {"summary": dict(preview.change_summary), "ops": ops}
    if command == "refresh":
        return {"summary": stack.refresh(on_event=on_event).summary.resource_changes, "ops": ops}
    if command == "destroy":
        return {"summary": stack.destroy(on_event=on_event).summary.resource_changes, "ops": ops}
    raise SystemExit(f"unknown command {command}: up, preview, refresh or destroy")


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))
