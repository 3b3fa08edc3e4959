"""Service Catalog resource kinds: `Product`, `Template` and `ProductVersion`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from .client import PAGE_SIZE, Session, paged, record
from .config import Service
from .fields import FORCE_DELETE, REGION, Input, Output, adopt_id, boolean_input, text_input
from .lifecycle import Read, ResourceCore, Secrets
from .operations import Operation, Sends
from .ownership import Lookup
from .users import Users, users_of
from .validate import is_str, length, one_of, oss_uri

__all__ = [
    "GUIDANCES",
    "PRODUCT_TYPES",
    "TEMPLATE_TYPES",
    "ProductCore",
    "ProductVersionCore",
    "TemplateCore",
]

TEMPLATE_TYPES = ("RosTerraformTemplate", "RosStandardTemplate")
GUIDANCES = ("Default", "Recommended", "Latest", "Deprecated")
PRODUCT_TYPES = ("Ros",)

# Where the not-found codes are documented.
_TF_SOURCE = (
    "aliyun/terraform-provider-alicloud, alicloud/service_alicloud_service_catalog_v2.go: "
    "the code {operation} answers for an id that does not exist"
)


def _op(action: str, sends: Sends = Sends.NOTHING) -> Operation:
    return Operation(Service.SERVICECATALOG, action, sends)


_TEMPLATE_TYPE = Input("The template's kind", rules=(is_str, one_of(TEMPLATE_TYPES)), replaces=True)
_TEMPLATE_URL_RULES = (is_str, oss_uri)


# Product -------------------------------------------------------------------------------------


class ProductCore(ResourceCore):
    """CreateProduct / GetProductAsAdmin / UpdateProduct / DeleteProduct (ListProductsAsAdmin to
    recover).

    Create makes one call and answers the inputs and the new ``product_id``: ``product_arn``
    and ``create_time`` are known only to a read, so they stay unset until the first refresh.
    """

    TYPE = "servicecatalog.Product"
    DESCRIPTION = (
        "A Service Catalog product, the parent of product versions. ``product_arn`` and "
        "``create_time`` come from a read, not from create's answer: they are unset until the "
        "first ``pulumi refresh``, which keeps create to a single API call."
    )
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "product_name": text_input("Product name", required=True),
        "provider_name": text_input("Who provides the product", required=True),
        "product_type": Input(
            "Product type", rules=(is_str, one_of(PRODUCT_TYPES)), default="Ros", replaces=True
        ),
        "description": text_input("Description", kept_when_omitted=True),
        "template_type": _TEMPLATE_TYPE,
        "region": REGION,
        "adopt_id": adopt_id(
            "Id of an existing product to adopt at create instead of creating one (its fields "
            "must match the inputs)"
        ),
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "product_id": Output("The product's id"),
        "product_arn": Output("The product's ARN (after a refresh)", optional=True),
        "create_time": Output("When it was made (after a refresh)", optional=True),
    }
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "product_id"
    _NAME_FIELD = "product_name"
    CREATE = _op("CreateProduct", Sends.CREATE)
    READ = _op("GetProductAsAdmin")
    LIST = _op("ListProductsAsAdmin")
    UPDATE = _op("UpdateProduct", Sends.UPDATE)
    DELETE = _op("DeleteProduct")
    _PLURAL = "products"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        "InvalidProduct.NotFound": _TF_SOURCE.format(operation="GetProductAsAdmin")
    }
    _ADOPT_MATCH = frozenset(
        {"product_name", "provider_name", "product_type", "description", "template_type"}
    )

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        assert self.READ is not None
        response = session.call(self.READ, self.request(self.READ, session, product_id=id_))
        return record(response.body.product_detail) or None

    def _items(self, response: Any) -> list[Any]:
        return list(response.body.product_details or [])

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The products named as `inputs` name theirs, newest first, with matching fields.
        Product names need not be unique, so every immutable input must match."""
        from alibabacloud_servicecatalog20210901 import models

        products, response = self.listed(
            session,
            filters=[
                models.ListProductsAsAdminRequestFilters(
                    key="ProductName", value=inputs["product_name"]
                )
            ],
            sort_by="CreateTime",
            sort_order="Desc",
            page_size=PAGE_SIZE,
        )
        records = [record(p) for p in products]
        return self.found(records, inputs, response)


# Template ------------------------------------------------------------------------------------


class TemplateCore(ResourceCore):
    """CreateTemplate; the id is the ``template_url``. Read keeps the state (no read API) and
    delete succeeds without a call (no delete API)."""

    TYPE = "servicecatalog.Template"
    DESCRIPTION = (
        "A product template uploaded to Service Catalog; product versions refer to its URL."
    )
    IMPORT_ID = "the ``template_url``"
    INPUTS: ClassVar[Mapping[str, Input]] = {
        # No API gives a template's type or body back: an imported one is an adopted URL.
        "template_type": replace(
            _TEMPLATE_TYPE, required=True, unreadable=True, unless_adopted=True
        ),
        "template_body": Input(
            "The template itself (Terraform or ROS JSON/YAML)",
            required=True,
            rules=(is_str, length(1, 524_288)),
            replaces=True,
            unreadable=True,
            unless_adopted=True,
        ),
        "region": REGION,
        "adopt_id": adopt_id(
            "A ``template_url`` already uploaded, to use instead of uploading the body again "
            "(what `pulumi import` records). The API has no read for templates, so it is taken "
            "as given",
            _TEMPLATE_URL_RULES,
        ),
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "template_url": Output("The uploaded template's URL, for product versions"),
    }
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "template_url"
    CREATE = _op("CreateTemplate", Sends.CREATE)

    def _adopt(
        self, _session: Session, adopt_id: str, _inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        # No read API: an adopted URL is taken as given.
        return {"template_url": adopt_id}

    # Not findable, so not recovered: a duplicate upload after a lost answer is an unused copy,
    # which is harmless.

    def read_resource(self, id_: str, state: Mapping[str, Any], _secret: Secrets = ()) -> Read:
        """The state as it is: templates cannot be read back."""
        outs = dict(state)
        return Read(id_, outs, {k: outs[k] for k in self.INPUTS if k in outs})

    def delete_resource(self, id_: str, state: Mapping[str, Any], _secret: Secrets = ()) -> None:
        """Nothing to do: templates cannot be deleted through the API."""

    def read_imported(self, import_id: str) -> Read:
        """A template `pulumi import` names by its URL, which is all there is to know of it (no
        read API): recorded as adopted (``adopt_id``), which needs no type nor body."""
        return self.imported(import_id, {"template_url": import_id})


# ProductVersion ------------------------------------------------------------------------------


class ProductVersionCore(ResourceCore):
    """CreateProductVersion / GetProductVersion / UpdateProductVersion / DeleteProductVersion.

    Create and update make one call each and answer what they wrote: the inputs, with the
    server's defaults for an omitted ``guidance`` and ``active``. ``create_time`` is known only
    to a read, so it stays unset until the first refresh.
    """

    TYPE = "servicecatalog.ProductVersion"
    DESCRIPTION = (
        "A version of a Service Catalog product, pointing at a template. ``create_time`` comes "
        "from a read, not from create's answer: it is unset until the first ``pulumi "
        "refresh``, which keeps create to a single API call."
    )
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "product_id": Input(
            "Id of the product the version belongs to",
            required=True,
            rules=(is_str, length(1, 128)),
            replaces=True,
        ),
        "product_version_name": text_input("Version name", required=True),
        "template_type": replace(_TEMPLATE_TYPE, required=True),
        "template_url": Input(
            "URL of the template (a ``Template``'s ``template_url``)",
            required=True,
            rules=_TEMPLATE_URL_RULES,
            replaces=True,
        ),
        "description": text_input("Description", kept_when_omitted=True),
        "guidance": Input(
            "The provider's recommendation", rules=(is_str, one_of(GUIDANCES)), default="Default"
        ),
        "active": boolean_input("Whether end users can launch the version", default=True),
        "region": REGION,
        "force_delete": FORCE_DELETE,
        "adopt_id": adopt_id(
            "Id of an existing product version to adopt at create (its product, template type "
            "and template URL must match; the other inputs are then applied)"
        ),
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "product_version_id": Output("The product version's id"),
        "create_time": Output("When it was made (after a refresh)", optional=True),
    }
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "product_version_id"
    _NAME_FIELD = "product_version_name"
    CREATE = _op("CreateProductVersion", Sends.CREATE)
    READ = _op("GetProductVersion")
    LIST = _op("ListProductVersions")  # of one product, in one page
    UPDATE = _op("UpdateProductVersion", Sends.UPDATE)
    DELETE = _op("DeleteProductVersion")
    USERS = _op("ListProvisionedProducts")
    _PLURAL = "product versions"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        "InvalidProductVersion.NotFound": _TF_SOURCE.format(operation="GetProductVersion")
    }
    _ADOPT_MATCH = frozenset({"product_id", "template_type", "template_url"})

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        assert self.READ is not None
        request = self.request(self.READ, session, product_version_id=id_)
        response = session.call(self.READ, request)
        return record(response.body.product_version_detail) or None

    def _items(self, response: Any) -> list[Any]:
        return list(response.body.product_version_details or [])

    def listed_under(
        self, session: Session, field: str, parent_id: str
    ) -> list[dict[str, Any]] | None:
        """A product's versions (one unpaged `LIST`)."""
        if field != "product_id":
            return None
        return [record(v) for v in self.listed(session, product_id=parent_id)[0]]

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The product's versions named as `inputs` name theirs, with matching fields."""
        versions, response = self.listed(session, product_id=inputs["product_id"])
        name = inputs["product_version_name"]
        records = [record(v) for v in versions if v.product_version_name == name]
        return self.found(records, inputs, response)

    # UpdateProductVersion requires the name on every update (a required input); an omitted
    # guidance or active goes back to its declared default, the server's; an omitted
    # description (kept when omitted) is left alone.

    def _adopt(self, session: Session, adopt_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # The immutable fields must match; the other inputs are then applied.
        live = super()._adopt(session, adopt_id, inputs)
        if self.changed(live, inputs):
            self._update_call(session, adopt_id, inputs)
            live = self.written(live, inputs)
        return live

    def _created(self, made: Mapping[str, Any], inputs: Mapping[str, Any]) -> Mapping[str, Any]:
        return self.written(made, inputs)

    _IN_USE_HINT = "Update those provisioned products to another version, or terminate them, first"

    def _users(self, session: Session, id_: str, state: Mapping[str, Any]) -> list[str]:
        """The account's provisioned products launched from this version
        (ListProvisionedProducts with account access, shared by the deletes of the product's
        versions: `users_of`)."""
        users = self.USERS
        assert users is not None

        def page(number: int) -> list[Any]:
            request = self.request(
                users,
                session,
                access_level_filter="Account",
                page_size=PAGE_SIZE,
                page_number=number,
            )
            return list(session.call(users, request).body.provisioned_product_details or [])

        def listing() -> Users:
            return tuple(
                (
                    p.product_version_id,
                    f"provisioned product {p.provisioned_product_id} "
                    f"({p.provisioned_product_name!r}, {p.status})",
                )
                for p in paged(page)
            )

        # The listing is the account's; shared among the deletes of one product's versions.
        parent = str(state.get("product_id") or "")
        return [user for version, user in users_of(session, parent, listing) if version == id_]
