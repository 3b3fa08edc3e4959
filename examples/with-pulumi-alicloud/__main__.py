"""A package uploaded to OSS by pulumi-alicloud, registered as a WebPlus package version and
shipped by a Service Catalog product version. Needs a real Alibaba Cloud account."""

import pulumi
import pulumi_alicloud as alicloud

from alicloud_versions import servicecatalog, webplus

config = pulumi.Config()
package_file = config.get("packageFile") or "app.war"
label = config.require("label")

bucket = alicloud.oss.Bucket("artifacts", bucket=config.require("bucketName"))
package = alicloud.oss.BucketObject(
    "package",
    bucket=bucket.bucket,
    key=f"shop/shop-{label}.war",
    source=pulumi.FileAsset(package_file),
)

app = webplus.Application("shop", app_name="shop", category_name="Java")
version = webplus.PkgVersion(
    f"shop-{label}",
    app_id=app.app_id,
    # The upload's own outputs, so the version is registered only once the object exists.
    package_source=pulumi.Output.concat("oss://", package.bucket, "/", package.key),
    pkg_version_label=label,
    pkg_version_description=f"release {label}",
)

template = alicloud.oss.BucketObject(
    "template",
    bucket=bucket.bucket,
    key=f"templates/shop-{label}.json",
    source=pulumi.FileAsset("template.json"),
)
product = servicecatalog.Product("shop", product_name="shop", provider_name="platform-team")
servicecatalog.ProductVersion(
    f"shop-{label}",
    product_id=product.product_id,
    product_version_name=label,
    template_type="RosTerraformTemplate",
    template_url=pulumi.Output.concat("oss://", template.bucket, "/", template.key),
    description=pulumi.Output.concat("ships ", version.pkg_version_id),
)

pulumi.export("pkg_version_id", version.pkg_version_id)
