"""Service Catalog resources: `Product`, `Template` and `ProductVersion`.

Adoption: every resource takes ``adopt_id``, the id of an existing resource that create takes
over (after reading it and checking its immutable fields match the inputs) instead of making a
new one; changing it later causes no diff. Pulumi's ``import_`` option does not work for dynamic
resources (the engine's import Read sends no ``__provider``; pulumi/pulumi#16175).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, overload

import pulumi
from pulumi.dynamic import Resource

from ._client import Session
from ._config import Service
from ._core import ADOPT_ID, BOOL, REGION, Field, Read, Request, ResourceCore, text_field
from ._ownership import Lookup
from ._props import BaseProvider
from ._resource import id_output, resource_args, resource_props
from ._validate import is_str, length, one_of, oss_uri

__all__ = [
    "GUIDANCES",
    "PRODUCT_TYPES",
    "TEMPLATE_TYPES",
    "Product",
    "ProductArgs",
    "ProductProvider",
    "ProductVersion",
    "ProductVersionArgs",
    "ProductVersionProvider",
    "Template",
    "TemplateArgs",
    "TemplateProvider",
]

TEMPLATE_TYPES = ("RosTerraformTemplate", "RosStandardTemplate")
GUIDANCES = ("Default", "Recommended", "Latest", "Deprecated")
PRODUCT_TYPES = ("Ros",)

# Where the not-found codes are documented.
_TF_SOURCE = (
    "aliyun/terraform-provider-alicloud, alicloud/service_alicloud_service_catalog_v2.go: "
    "the code {operation} answers for an id that does not exist"
)

_TEMPLATE_TYPE = Field(required=True, rules=(is_str, one_of(TEMPLATE_TYPES)))
_TEMPLATE_URL = Field(required=True, rules=(is_str, oss_uri))


def _record(model: Any) -> dict[str, Any]:
    """The set fields of an SDK response model, under the SDK's snake_case names."""
    if model is None:
        return {}
    return {k: v for k, v in vars(model).items() if not k.startswith("_") and v is not None}


# Product -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProductArgs:
    """The inputs of a Service Catalog product. Name, provider name and description update in
    place (UpdateProduct); the rest replace, and with the product every product version."""

    product_name: pulumi.Input[str]
    """Product name, 1 to 128 characters. Updates in place."""
    provider_name: pulumi.Input[str]
    """Who provides the product, 1 to 128 characters. Updates in place."""
    product_type: pulumi.Input[str] = "Ros"
    """Product type; only ``Ros`` exists. Replaces."""
    description: pulumi.Input[str] | None = None
    """Description, 1 to 128 characters. Updates in place; omitting it leaves it as it is."""
    template_type: pulumi.Input[str] | None = None
    """``RosTerraformTemplate`` or ``RosStandardTemplate``. Replaces."""
    region: pulumi.Input[str] | None = None
    """Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``. Replaces."""
    adopt_id: pulumi.Input[str] | None = None
    """Id of an existing product to adopt at create instead of creating one (its fields must
    match the inputs). Read only by create: changing it later changes nothing."""


class ProductCore(ResourceCore):
    """CreateProduct / GetProductAsAdmin / UpdateProduct / DeleteProduct (ListProductsAsAdmin to
    recover).

    Create makes one call and answers the inputs and the new ``product_id``: ``product_arn``
    and ``create_time`` are known only to a read, so they stay unset until the first refresh.
    """

    _TYPE = "servicecatalog.Product"
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "product_id"
    _NAME_FIELD = "product_name"
    _CREATE = "CreateProduct"
    _DELETE = "DeleteProduct"
    _PLURAL = "products"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        "InvalidProduct.NotFound": _TF_SOURCE.format(operation="GetProductAsAdmin")
    }
    _FIELDS: ClassVar[Mapping[str, Field]] = {
        "product_name": text_field(required=True),
        "provider_name": text_field(required=True),
        "product_type": Field(required=True, rules=(is_str, one_of(PRODUCT_TYPES))),
        "description": text_field(),
        "template_type": Field(rules=(is_str, one_of(TEMPLATE_TYPES))),
        "region": REGION,
        "adopt_id": ADOPT_ID,
    }
    _REPLACES = frozenset({"product_type", "template_type", "region"})
    _ADOPT_MATCH = frozenset(
        {"product_name", "provider_name", "product_type", "description", "template_type"}
    )
    _KEEP_WHEN_OMITTED = frozenset({"description"})

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        from alibabacloud_servicecatalog20210901 import models

        request = models.GetProductAsAdminRequest(product_id=id_)
        response = session.call(
            "GetProductAsAdmin",
            lambda c, rt: c.get_product_as_admin_with_options(request, rt),
        )
        return _record(response.body.product_detail) or None

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The products named as `inputs` name theirs, newest first, with matching fields.
        Product names need not be unique, so every immutable input must match."""
        from alibabacloud_servicecatalog20210901 import models

        request = models.ListProductsAsAdminRequest(
            filters=[
                models.ListProductsAsAdminRequestFilters(
                    key="ProductName", value=inputs["product_name"]
                )
            ],
            sort_by="CreateTime",
            sort_order="Desc",
            page_size=100,
        )
        response = session.call(
            "ListProductsAsAdmin",
            lambda c, rt: c.list_products_as_admin_with_options(request, rt),
        )
        records = [_record(p) for p in response.body.product_details or []]
        return self.found(records, inputs, response)

    def _create_call(self, session: Session, inputs: Mapping[str, Any]) -> Request:
        from alibabacloud_servicecatalog20210901 import models

        request = models.CreateProductRequest(
            product_name=inputs["product_name"],
            provider_name=inputs["provider_name"],
            product_type=inputs["product_type"],
            description=inputs.get("description"),
            template_type=inputs.get("template_type"),
        )
        return lambda c, rt: {
            "product_id": c.create_product_with_options(request, rt).body.product_id
        }

    def _update_call(self, session: Session, id_: str, inputs: Mapping[str, Any]) -> None:
        """Apply name, provider name and description in one UpdateProduct; the id stays."""
        from alibabacloud_servicecatalog20210901 import models

        request = models.UpdateProductRequest(
            product_id=id_,
            product_name=inputs["product_name"],
            provider_name=inputs["provider_name"],
            description=inputs.get("description"),
        )
        session.call("UpdateProduct", lambda c, rt: c.update_product_with_options(request, rt))

    def _delete_call(self, session: Session, id_: str) -> Request:
        from alibabacloud_servicecatalog20210901 import models

        request = models.DeleteProductRequest(product_id=id_)
        return lambda c, rt: c.delete_product_with_options(request, rt)


class ProductProvider(BaseProvider, ProductCore):
    """The dynamic provider of `Product`."""


class Product(Resource, module="alicloud-versions/servicecatalog", name="Product"):
    """A Service Catalog product, the parent of product versions.

    ``product_arn`` and ``create_time`` come from a read, not from create's answer: they are
    unset until the first ``pulumi refresh``, which keeps create to a single API call.
    """

    product_id: pulumi.Output[str]
    product_arn: pulumi.Output[str]
    product_name: pulumi.Output[str]
    provider_name: pulumi.Output[str]
    product_type: pulumi.Output[str]
    description: pulumi.Output[str | None]
    template_type: pulumi.Output[str | None]
    region: pulumi.Output[str | None]
    create_time: pulumi.Output[str]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ProductArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        product_name: pulumi.Input[str],
        provider_name: pulumi.Input[str],
        product_type: pulumi.Input[str] = "Ros",
        description: pulumi.Input[str] | None = None,
        template_type: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """A Service Catalog product, the parent of product versions.

        :param resource_name: The resource's name in the stack.
        :param opts: Pulumi resource options.
        :param product_name: Product name, 1 to 128 characters. Updates in place.
        :param provider_name: Who provides the product, 1 to 128 characters. Updates in
            place.
        :param product_type: Product type; only ``Ros`` exists. Replaces.
        :param description: Description, 1 to 128 characters. Updates in place; omitting it
            leaves it as it is.
        :param template_type: ``RosTerraformTemplate`` or ``RosStandardTemplate``. Replaces.
        :param region: Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``.
            Replaces.
        :param adopt_id: Id of an existing product to adopt at create instead of creating
            one (its fields must match the inputs). Read only by create: changing it later
            changes nothing.
        """

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args(type(self), ProductArgs, args, kwargs)
        props = resource_props(type(self), inputs)
        super().__init__(ProductProvider(), resource_name, props, opts)
        id_output(self, ProductProvider._ID_FIELD)


# Template ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TemplateArgs:
    """The inputs of a product template. Every input replaces; the API cannot read or delete."""

    template_type: pulumi.Input[str]
    """``RosTerraformTemplate`` or ``RosStandardTemplate``. Replaces."""
    template_body: pulumi.Input[str]
    """The template itself (Terraform or ROS JSON/YAML). Replaces."""
    region: pulumi.Input[str] | None = None
    """Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``. Replaces."""
    adopt_id: pulumi.Input[str] | None = None
    """A ``template_url`` already uploaded, to use instead of uploading the body again. The API
    has no read for templates, so it is taken as given. Read only by create."""


class TemplateCore(ResourceCore):
    """CreateTemplate; the id is the ``template_url``. Read keeps the state (no read API) and
    delete succeeds without a call (no delete API)."""

    _TYPE = "servicecatalog.Template"
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "template_url"
    _CREATE = "CreateTemplate"
    _FIELDS: ClassVar[Mapping[str, Field]] = {
        "template_type": _TEMPLATE_TYPE,
        "template_body": Field(required=True, rules=(is_str, length(1, 524_288))),
        "region": REGION,
        "adopt_id": Field(rules=_TEMPLATE_URL.rules),
    }
    _REPLACES = frozenset({"template_type", "template_body", "region"})

    def _adopt(
        self, _session: Session, adopt_id: str, _inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        # No read API: an adopted URL is taken as given.
        return {"template_url": adopt_id}

    def _create_call(self, session: Session, inputs: Mapping[str, Any]) -> Request:
        from alibabacloud_servicecatalog20210901 import models

        request = models.CreateTemplateRequest(
            template_type=inputs["template_type"], template_body=inputs["template_body"]
        )
        # Not findable, so not recovered: a duplicate upload after a lost answer is an unused
        # copy, which is harmless.
        return lambda c, rt: {
            "template_url": c.create_template_with_options(request, rt).body.template_url
        }

    def read_resource(self, id_: str, state: Mapping[str, Any]) -> Read:
        """The state as it is: templates cannot be read back."""
        outs = dict(state)
        return Read(id_, outs, {k: outs[k] for k in self._FIELDS if k in outs})

    def delete_resource(self, id_: str, state: Mapping[str, Any]) -> None:
        """Nothing to do: templates cannot be deleted through the API."""

    def read_imported(self, import_id: str) -> Read:
        """A template `pulumi import` names by its URL, which is all there is to know of it (no
        read API): its type and body are the program's."""
        return Read(import_id, {"template_url": import_id}, {})


class TemplateProvider(BaseProvider, TemplateCore):
    """The dynamic provider of `Template`."""


class Template(Resource, module="alicloud-versions/servicecatalog", name="Template"):
    """A product template uploaded to Service Catalog; product versions refer to its URL."""

    template_url: pulumi.Output[str]
    template_type: pulumi.Output[str]
    template_body: pulumi.Output[str]
    region: pulumi.Output[str | None]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: TemplateArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        template_type: pulumi.Input[str],
        template_body: pulumi.Input[str],
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """A product template uploaded to Service Catalog; product versions refer to its URL.

        :param resource_name: The resource's name in the stack.
        :param opts: Pulumi resource options.
        :param template_type: ``RosTerraformTemplate`` or ``RosStandardTemplate``. Replaces.
        :param template_body: The template itself (Terraform or ROS JSON/YAML). Replaces.
        :param region: Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``.
            Replaces.
        :param adopt_id: A ``template_url`` already uploaded, to use instead of uploading
            the body again. The API has no read for templates, so it is taken as given. Read
            only by create.
        """

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args(type(self), TemplateArgs, args, kwargs)
        props = resource_props(type(self), inputs)
        super().__init__(TemplateProvider(), resource_name, props, opts)
        id_output(self, TemplateProvider._ID_FIELD)


# ProductVersion ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProductVersionArgs:
    """The inputs of a product version: name, description, guidance and active update in place;
    the product, template type, template URL and region replace."""

    product_id: pulumi.Input[str]
    """Id of the product the version belongs to. Replaces."""
    product_version_name: pulumi.Input[str]
    """Version name, 1 to 128 characters. Updates in place."""
    template_type: pulumi.Input[str]
    """``RosTerraformTemplate`` or ``RosStandardTemplate``. Replaces."""
    template_url: pulumi.Input[str]
    """URL of the template (a `Template`'s ``template_url``). Replaces."""
    description: pulumi.Input[str] | None = None
    """Description, 1 to 128 characters. Updates in place; omitting it leaves it as it is."""
    guidance: pulumi.Input[str] | None = None
    """``Default`` (when omitted), ``Recommended``, ``Latest`` or ``Deprecated``. Updates in
    place."""
    active: pulumi.Input[bool] | None = None
    """Whether end users can launch the version; true when omitted. Updates in place."""
    region: pulumi.Input[str] | None = None
    """Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``. Replaces."""
    adopt_id: pulumi.Input[str] | None = None
    """Id of an existing product version to adopt at create (its product, template type and
    template URL must match; the other inputs are then applied). Read only by create."""


class ProductVersionCore(ResourceCore):
    """CreateProductVersion / GetProductVersion / UpdateProductVersion / DeleteProductVersion.

    Create and update make one call each and answer what they wrote: the inputs, with the
    server's defaults for an omitted ``guidance`` and ``active``. ``create_time`` is known only
    to a read, so it stays unset until the first refresh.
    """

    _TYPE = "servicecatalog.ProductVersion"
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "product_version_id"
    _NAME_FIELD = "product_version_name"
    _CREATE = "CreateProductVersion"
    _DELETE = "DeleteProductVersion"
    _PLURAL = "product versions"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        "InvalidProductVersion.NotFound": _TF_SOURCE.format(operation="GetProductVersion")
    }
    _FIELDS: ClassVar[Mapping[str, Field]] = {
        "product_id": Field(required=True, rules=(is_str, length(1, 128))),
        "product_version_name": text_field(required=True),
        "template_type": _TEMPLATE_TYPE,
        "template_url": _TEMPLATE_URL,
        "description": text_field(),
        "guidance": Field(rules=(is_str, one_of(GUIDANCES)), default="Default"),
        "active": Field(rules=BOOL.rules, default=True),
        "region": REGION,
        "adopt_id": ADOPT_ID,
    }
    _REPLACES = frozenset({"product_id", "template_type", "template_url", "region"})
    _ADOPT_MATCH = _REPLACES - {"region"}
    _KEEP_WHEN_OMITTED = frozenset({"description"})
    _UPDATES = ("product_version_name", "description", "guidance", "active")

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        from alibabacloud_servicecatalog20210901 import models

        request = models.GetProductVersionRequest(product_version_id=id_)
        response = session.call(
            "GetProductVersion",
            lambda c, rt: c.get_product_version_with_options(request, rt),
        )
        return _record(response.body.product_version_detail) or None

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The product's versions named as `inputs` name theirs, with matching fields."""
        from alibabacloud_servicecatalog20210901 import models

        request = models.ListProductVersionsRequest(product_id=inputs["product_id"])
        response = session.call(
            "ListProductVersions",
            lambda c, rt: c.list_product_versions_with_options(request, rt),
        )
        name = inputs["product_version_name"]
        records = [
            _record(v)
            for v in response.body.product_version_details or []
            if v.product_version_name == name
        ]
        return self.found(records, inputs, response)

    def _update_call(self, session: Session, id_: str, inputs: Mapping[str, Any]) -> None:
        """Apply name, description, guidance and active in one UpdateProductVersion."""
        from alibabacloud_servicecatalog20210901 import models

        # The API requires the name on every update; omitted guidance and active go back to
        # the server defaults; an omitted description is left alone.
        request = models.UpdateProductVersionRequest(
            product_version_id=id_,
            product_version_name=inputs["product_version_name"],
            description=inputs.get("description"),
            guidance=self._value(inputs, "guidance"),
            active=self._value(inputs, "active"),
        )
        session.call(
            "UpdateProductVersion",
            lambda c, rt: c.update_product_version_with_options(request, rt),
        )

    def _adopt(self, session: Session, adopt_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # The immutable fields must match; the other inputs are then applied.
        live = super()._adopt(session, adopt_id, inputs)
        if self.changed(live, inputs):
            self._update_call(session, adopt_id, inputs)
            live = self.written(live, inputs)
        return live

    def _create_call(self, session: Session, inputs: Mapping[str, Any]) -> Request:
        from alibabacloud_servicecatalog20210901 import models

        request = models.CreateProductVersionRequest(
            product_id=inputs["product_id"],
            product_version_name=inputs["product_version_name"],
            template_type=inputs["template_type"],
            template_url=inputs["template_url"],
            description=inputs.get("description"),
            guidance=inputs.get("guidance"),
            active=inputs.get("active"),
        )
        return lambda c, rt: {
            "product_version_id": c.create_product_version_with_options(
                request, rt
            ).body.product_version_id
        }

    def _created(self, made: Mapping[str, Any], inputs: Mapping[str, Any]) -> Mapping[str, Any]:
        return self.written(made, inputs)

    def _delete_call(self, session: Session, id_: str) -> Request:
        from alibabacloud_servicecatalog20210901 import models

        request = models.DeleteProductVersionRequest(product_version_id=id_)
        return lambda c, rt: c.delete_product_version_with_options(request, rt)


class ProductVersionProvider(BaseProvider, ProductVersionCore):
    """The dynamic provider of `ProductVersion`."""


class ProductVersion(Resource, module="alicloud-versions/servicecatalog", name="ProductVersion"):
    """A version of a Service Catalog product, pointing at a template.

    ``create_time`` comes from a read, not from create's answer: it is unset until the first
    ``pulumi refresh``, which keeps create to a single API call.
    """

    product_version_id: pulumi.Output[str]
    product_id: pulumi.Output[str]
    product_version_name: pulumi.Output[str]
    template_type: pulumi.Output[str]
    template_url: pulumi.Output[str]
    description: pulumi.Output[str | None]
    guidance: pulumi.Output[str]
    active: pulumi.Output[bool]
    region: pulumi.Output[str | None]
    create_time: pulumi.Output[str]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: ProductVersionArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        product_id: pulumi.Input[str],
        product_version_name: pulumi.Input[str],
        template_type: pulumi.Input[str],
        template_url: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        guidance: pulumi.Input[str] | None = None,
        active: pulumi.Input[bool] | None = None,
        region: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
    ) -> None:
        """A version of a Service Catalog product, pointing at a template.

        :param resource_name: The resource's name in the stack.
        :param opts: Pulumi resource options.
        :param product_id: Id of the product the version belongs to. Replaces.
        :param product_version_name: Version name, 1 to 128 characters. Updates in place.
        :param template_type: ``RosTerraformTemplate`` or ``RosStandardTemplate``. Replaces.
        :param template_url: URL of the template (a `Template`'s ``template_url``).
            Replaces.
        :param description: Description, 1 to 128 characters. Updates in place; omitting it
            leaves it as it is.
        :param guidance: ``Default`` (when omitted), ``Recommended``, ``Latest`` or
            ``Deprecated``. Updates in place.
        :param active: Whether end users can launch the version; true when omitted. Updates
            in place.
        :param region: Region id; defaults to ``alicloud:region`` or ``cn-hangzhou``.
            Replaces.
        :param adopt_id: Id of an existing product version to adopt at create (its product,
            template type and template URL must match; the other inputs are then applied).
            Read only by create.
        """

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = resource_args(type(self), ProductVersionArgs, args, kwargs)
        props = resource_props(type(self), inputs)
        super().__init__(ProductVersionProvider(), resource_name, props, opts)
        id_output(self, ProductVersionProvider._ID_FIELD)
