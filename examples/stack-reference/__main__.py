"""A hotfix release built on another stack: the application, product and template come from
the quickstart stack through a StackReference; this stack adds one version of each."""

import pulumi

from alicloud_versions import servicecatalog, webplus

config = pulumi.Config()
# On the local file backend every stack is in the organization "organization".
source = pulumi.StackReference(
    config.get("sourceStack") or "organization/alicloud-versions-quickstart/dev"
)
label = config.get("label") or "1.5.1"
bucket = config.get("bucket") or "quickstart-artifacts"

hotfix = webplus.PkgVersion(
    f"shop-{label}",
    app_id=source.require_output("app_id"),
    package_source=f"oss://{bucket}/shop/shop-{label}.war",
    pkg_version_label=label,
    pkg_version_description=f"hotfix {label}",
)
version = servicecatalog.ProductVersion(
    f"shop-{label}",
    product_id=source.require_output("product_id"),
    template_url=source.require_output("template_url"),
    template_type="RosTerraformTemplate",
    product_version_name=label,
    description=pulumi.Output.concat("ships WebPlus package ", hotfix.pkg_version_id),
    guidance="Latest",
)

pulumi.export("pkg_version_id", hotfix.pkg_version_id)
pulumi.export("product_version_id", version.product_version_id)
