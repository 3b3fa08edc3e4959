"""Service Catalog portfolios and their associations: `Portfolio`, `ProductPortfolioAssociation`
and `PrincipalPortfolioAssociation`, what LaunchProduct needs (terraform-provider-alicloud's
``alicloud_service_catalog_portfolio``, ``_product_portfolio_association`` and
``_principal_portfolio_association``, field for field)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

from .client import PAGE_SIZE, Session, paged, record
from .config import Service
from .errors import AdoptionError, ApiError, ImportIdError, TransientError
from .fields import REGION, Input, Output, adopt_id, text_input
from .lifecycle import Read, ResourceCore, Secrets
from .operations import Operation, Sends
from .ownership import Candidate, Lookup
from .validate import is_str, length, matches, one_of

__all__ = [
    "PRINCIPAL_TYPES",
    "PortfolioCore",
    "PrincipalPortfolioAssociationCore",
    "ProductPortfolioAssociationCore",
]

PRINCIPAL_TYPES = ("RamUser", "RamRole")

_TF_SOURCE = (
    "aliyun/terraform-provider-alicloud, alicloud/service_alicloud_service_catalog_v2.go: "
    "the code {operation} answers for an id that does not exist"
)
_PORTFOLIO_GONE = {
    "InvalidPortfolio.NotFound": _TF_SOURCE.format(operation="GetPortfolio"),
}


def _op(action: str, sends: Sends = Sends.NOTHING) -> Operation:
    return Operation(Service.SERVICECATALOG, action, sends)


def _id_input(description: str) -> Input:
    return Input(
        description,
        required=True,
        rules=(is_str, length(1, 128), matches(r"[^\s:]+", "an id without spaces or colons")),
        replaces=True,
    )


# Portfolio -----------------------------------------------------------------------------------


class PortfolioCore(ResourceCore):
    """CreatePortfolio / GetPortfolio / UpdatePortfolio / DeletePortfolio (ListPortfolios to
    recover)."""

    TYPE = "servicecatalog.Portfolio"
    DESCRIPTION = (
        "A Service Catalog portfolio: the products it holds may be launched by the RAM users and "
        "roles associated with it. ``portfolio_arn`` and ``create_time`` come from a read: they "
        "are unset until the first ``pulumi refresh``."
    )
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "portfolio_name": text_input("Portfolio name", required=True),
        "provider_name": text_input("Who provides the portfolio", required=True),
        "description": text_input("Description", kept_when_omitted=True),
        "region": REGION,
        "adopt_id": adopt_id(
            "Id of an existing portfolio to adopt at create instead of creating one (its fields "
            "are then updated to the inputs)"
        ),
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "portfolio_id": Output("The portfolio's id"),
        "portfolio_arn": Output("The portfolio's ARN (after a refresh)", optional=True),
        "create_time": Output("When it was made (after a refresh)", optional=True),
    }
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "portfolio_id"
    _NAME_FIELD = "portfolio_name"
    CREATE = _op("CreatePortfolio", Sends.CREATE)
    READ = _op("GetPortfolio")
    LIST = _op("ListPortfolios")
    UPDATE = _op("UpdatePortfolio", Sends.UPDATE)
    DELETE = _op("DeletePortfolio")
    _PLURAL = "portfolios"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = _PORTFOLIO_GONE
    _ADOPT_MATCH = frozenset({"portfolio_name", "provider_name", "description"})

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        assert self.READ is not None
        response = session.call(self.READ, self.request(self.READ, session, portfolio_id=id_))
        return record(response.body.portfolio_detail) or None

    def _items(self, response: Any) -> list[Any]:
        return list(response.body.portfolio_details or [])

    def _adopt(self, session: Session, adopt_id: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # Nothing of a portfolio is immutable: an adopted one takes the inputs.
        live = self._live(session, adopt_id, inputs)
        self.check_adoption(adopt_id, inputs, live, frozenset(), session.shown)
        assert live is not None
        if self.changed(live, inputs):
            self._update_call(session, adopt_id, inputs)
        return self.written(live, inputs)

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The portfolios named as `inputs` name theirs, newest first, with matching fields."""
        from alibabacloud_servicecatalog20210901 import models

        portfolios, response = self.listed(
            session,
            filters=[
                models.ListPortfoliosRequestFilters(
                    key="PortfolioName", value=inputs["portfolio_name"]
                )
            ],
            sort_by="CreateTime",
            sort_order="Desc",
            page_size=PAGE_SIZE,
        )
        return self.found([record(p) for p in portfolios], inputs, response)


# Associations --------------------------------------------------------------------------------


class _AssociationCore(ResourceCore):
    """An association: made by one call that answers nothing, read by finding it in a listing,
    deleted by the call that undoes it. Its id joins its inputs (`_PARTS`) with colons, as
    Terraform's does, and stands for them in every request."""

    _PARTS: ClassVar[tuple[str, ...]]
    _ID_FIELD = "association_id"
    _SERVICE = Service.SERVICECATALOG
    _NOT_FOUND: ClassVar[Mapping[str, str]] = _PORTFOLIO_GONE

    @classmethod
    def compose(cls, values: Mapping[str, Any]) -> str:
        """The id of the association of `values`."""
        return ":".join(str(values[part]) for part in cls._PARTS)

    def parse(self, id_: str) -> dict[str, str]:
        """The inputs an id stands for; `ImportIdError` for one of another form."""
        parts = id_.split(":")
        if len(parts) != len(self._PARTS) or not all(parts):
            raise ImportIdError(
                f"{self.TYPE}: {id_!r} is not an id of the form {self.IMPORT_ID.strip('`')}"
            )
        return dict(zip(self._PARTS, parts, strict=True))

    def request(
        self,
        operation: Operation,
        session: Session,
        inputs: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Any:
        """As for every kind, with an ``association_id`` field sent as the ids it joins."""
        if self._ID_FIELD in fields:
            fields.update(self.parse(fields.pop(self._ID_FIELD)))
        return super().request(operation, session, inputs, **fields)

    DATED = False  # no listing gives an association's create time

    def _records(self, pairs: Iterator[Mapping[str, str]]) -> list[dict[str, Any]]:
        """Association records (its parts and its id) of the listed `pairs` of parts."""
        return [{**p, self._ID_FIELD: self.compose(p)} for p in pairs]

    def _pages(
        self, session: Session, operation: Operation, items: Callable[[Any], Any], **fields: Any
    ) -> Iterator[Any]:
        """Every item (`items` of a response body) of the paged `operation` with `fields`."""

        def page(number: int) -> list[Any]:
            request = self.request(
                operation, session, page_size=PAGE_SIZE, page_number=number, **fields
            )
            return list(items(session.call(operation, request).body) or [])

        return paged(page)

    def _found(self, session: Session, parts: Mapping[str, str]) -> bool:
        """Whether the listing shows the association of `parts`; API errors are raised."""
        listed = self.listed_under(session, self._LISTED_BY, parts[self._LISTED_BY]) or []
        return any(r[self._ID_FIELD] == self.compose(parts) for r in listed)

    _LISTED_BY: ClassVar[str]
    """The part under which `_found` lists the association."""

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The association of `inputs`, if it exists: its id is its inputs joined, and no
        listing gives its create time, so only a create record naming that id proves it the
        stack's (a recorded answer; the create makes nothing that existed before it)."""
        id_ = self.compose(inputs)
        if not self._found(session, self.parse(id_)):
            return Lookup(())
        return Lookup((Candidate(id_, math.nan, {**self.parse(id_), self._ID_FIELD: id_}),))

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        parts = self.parse(id_)
        return {**parts, self._ID_FIELD: id_} if self._found(session, parts) else None

    def create_resource(
        self, inputs: Mapping[str, Any], secret: Secrets = (), urn: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Associate, unless the association exists already: the stack could not tell it
        from one it made, and its delete would then undo what someone else did. The call is
        idempotent, so a retry after a lost answer needs no recovery."""
        id_ = self.compose(inputs)
        session = self.session(inputs, id_=id_, secret=secret)
        if self._found(session, self.parse(id_)):
            raise AdoptionError(
                f"{self.TYPE}: {id_} exists already, made outside this stack; take it over with "
                f"`pulumi import` (id {id_!r}) instead of creating it"
            )
        create = self._operation(self.CREATE, "has no create")
        # Recorded, as every findable kind's create, so that recover can take it after a kill:
        # its answer names the id.
        record = self._record_create(inputs, self.disclosure(secret).secret, urn)
        try:
            session.call(create, self.request(create, session, inputs))
        except ApiError as exc:
            if record is not None and not isinstance(exc, TransientError):
                record(None)  # the service answered, and made nothing
            raise
        self.seen(id_)
        if record is not None:
            record(id_)
        return id_, self.outputs({self._ID_FIELD: id_}, inputs)

    def read_imported(self, import_id: str) -> Read:
        """The association `pulumi import` names by its id, once the id has its form."""
        self.parse(import_id)
        return super().read_imported(import_id)


class ProductPortfolioAssociationCore(_AssociationCore):
    """AssociateProductWithPortfolio / ListPortfolios (of the product) /
    DisassociateProductFromPortfolio."""

    TYPE = "servicecatalog.ProductPortfolioAssociation"
    DESCRIPTION = "A product's membership of a portfolio, through which it may be launched."
    IMPORT_ID = "``PRODUCT_ID:PORTFOLIO_ID``"
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "product_id": _id_input("Id of the product"),
        "portfolio_id": _id_input("Id of the portfolio"),
        "region": REGION,
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "association_id": Output("``PRODUCT_ID:PORTFOLIO_ID``, the resource's id"),
    }
    _PARTS = ("product_id", "portfolio_id")
    CREATE = _op("AssociateProductWithPortfolio", Sends.CREATE)
    READ = _op("ListPortfolios")
    DELETE = _op("DisassociateProductFromPortfolio")
    _PLURAL = "product-portfolio associations"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        **_PORTFOLIO_GONE,
        "InvalidProduct.NotFound": _TF_SOURCE.format(operation="GetProductAsAdmin"),
    }

    _LISTED_BY = "product_id"
    # The products of a portfolio (ListProductsAsAdmin of it), for sweep.
    _PRODUCTS = _op("ListProductsAsAdmin")

    def listed_under(
        self, session: Session, field: str, parent_id: str
    ) -> list[dict[str, Any]] | None:
        """A product's associations (ListPortfolios of it), or a portfolio's
        (ListProductsAsAdmin of it)."""
        if field == "product_id":
            assert self.READ is not None
            portfolios = self._pages(
                session, self.READ, lambda b: b.portfolio_details, product_id=parent_id
            )
            return self._records(
                {"product_id": parent_id, "portfolio_id": p.portfolio_id} for p in portfolios
            )
        if field == "portfolio_id":
            products = self._pages(
                session, self._PRODUCTS, lambda b: b.product_details, portfolio_id=parent_id
            )
            return self._records(
                {"product_id": p.product_id, "portfolio_id": parent_id} for p in products
            )
        return None


class PrincipalPortfolioAssociationCore(_AssociationCore):
    """AssociatePrincipalWithPortfolio / ListPrincipals / DisassociatePrincipalFromPortfolio."""

    TYPE = "servicecatalog.PrincipalPortfolioAssociation"
    DESCRIPTION = (
        "A RAM user's or role's access to a portfolio: it may launch the portfolio's products."
    )
    IMPORT_ID = "``PRINCIPAL_ID:PRINCIPAL_TYPE:PORTFOLIO_ID``"
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "principal_id": _id_input("Id of the RAM user or role"),
        "principal_type": Input(
            "What the principal is",
            required=True,
            rules=(is_str, one_of(PRINCIPAL_TYPES)),
            replaces=True,
        ),
        "portfolio_id": _id_input("Id of the portfolio"),
        "region": REGION,
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "association_id": Output("``PRINCIPAL_ID:PRINCIPAL_TYPE:PORTFOLIO_ID``, the resource's id"),
    }
    _PARTS = ("principal_id", "principal_type", "portfolio_id")
    CREATE = _op("AssociatePrincipalWithPortfolio", Sends.CREATE)
    READ = _op("ListPrincipals")
    DELETE = _op("DisassociatePrincipalFromPortfolio")
    _PLURAL = "principal-portfolio associations"

    _LISTED_BY = "portfolio_id"

    def listed_under(
        self, session: Session, field: str, parent_id: str
    ) -> list[dict[str, Any]] | None:
        """A portfolio's principals (ListPrincipals of it, one page)."""
        if field != "portfolio_id":
            return None
        listing = self.READ
        assert listing is not None
        request = self.request(listing, session, portfolio_id=parent_id)
        return self._records(
            {
                "principal_id": p.principal_id,
                "principal_type": p.principal_type,
                "portfolio_id": parent_id,
            }
            for p in session.call(listing, request).body.principals or []
        )
