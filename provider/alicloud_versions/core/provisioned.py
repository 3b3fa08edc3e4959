"""Service Catalog provisioned products: `ProvisionedProduct`, a product version launched as a
stack, moved onto another version in place (terraform-provider-alicloud's
``alicloud_service_catalog_provisioned_product``, field for field)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .client import PAGE_SIZE, Session, record
from .config import Service
from .errors import ApiError, WaitError
from .failures import redact
from .fields import REGION, Input, Output, map_input, text_input
from .lifecycle import ResourceCore, Secrets
from .operations import Operation, Sends
from .ownership import Lookup
from .users import changed
from .validate import is_str, length, region, tag_key
from .waits import Seen, Statuses, wait_for

__all__ = ["ProvisionedProductCore"]

# The statuses of terraform-provider-alicloud's waits
# (resource_alicloud_service_catalog_provisioned_product.go): create and update wait for
# Available and fail on Error; a termination waits for InvalidProvisionedProduct.NotFound.
_READY = Statuses(done=frozenset({"Available"}), failed=frozenset({"Error"}))
_TERMINATED = Statuses(done=frozenset(), failed=frozenset({"Error"}), gone_done=True)
_NOT_FOUND_CODE = "InvalidProvisionedProduct.NotFound"


def _op(action: str, sends: Sends = Sends.NOTHING) -> Operation:
    return Operation(Service.SERVICECATALOG, action, sends)


def _id_input(description: str, *, replaces: bool = False, required: bool = True) -> Input:
    return Input(description, required=required, rules=(is_str, length(1, 128)), replaces=replaces)


class ProvisionedProductCore(ResourceCore):
    """LaunchProduct / GetProvisionedProduct (and GetTask for its parameters, tags and stack
    outputs) / UpdateProvisionedProduct / TerminateProvisionedProduct (ListProvisionedProducts
    to recover). Each operation runs on as a task: create and update wait for Available, delete
    for the provisioned product to be gone (`waits`)."""

    TYPE = "servicecatalog.ProvisionedProduct"
    DESCRIPTION = (
        "A product version launched as a stack. Changing ``product_version_id``, "
        "``parameters``, ``tags`` or ``portfolio_id`` updates it in place; create, update "
        "and delete wait until its task ends (Terraform's 5 minutes by default; "
        "``customTimeouts`` sets it), and one that ends in ``Error`` fails naming the status and "
        "the service's reason. ``parameters`` and ``outputs`` are always secret."
    )
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "product_id": _id_input("Id of the product to launch"),
        "product_version_id": _id_input(
            "Id of the product version to run; a change moves the stack onto it in place"
        ),
        "portfolio_id": Input(
            "Id of the portfolio to launch through; the service's default launch option (a "
            "portfolio holding the product and the caller) when omitted",
            rules=(is_str, length(1, 128)),
            kept_when_omitted=True,
        ),
        "provisioned_product_name": text_input(
            "Name of the provisioned product", required=True, replaces=True
        ),
        "stack_region_id": Input(
            "Region of the stack it runs as", required=True, rules=(is_str, region), replaces=True
        ),
        "parameters": map_input(
            "The template's parameters, by name (always secret: they may carry passwords)",
            most=200,
            value_high=4096,
            secret=True,
        ),
        "tags": map_input(
            "Tags, propagated to each of the stack's resources that takes tags",
            most=20,
            key_rules=(tag_key,),
        ),
        "region": REGION,
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "provisioned_product_id": Output("The provisioned product's id"),
        "status": Output("``Available``, ``UnderChange`` or ``Error``", optional=True),
        "status_message": Output("Why it is in ``Error``", optional=True),
        "stack_id": Output("Id of the stack it runs as", optional=True),
        "outputs": Output(
            "The stack's outputs, by name (secret, as they may repeat parameters)",
            type="map",
            optional=True,
            derived_from=("parameters",),
        ),
        "product_name": Output("The product's name", optional=True),
        "product_version_name": Output("The product version's name", optional=True),
        "provisioned_product_arn": Output("The provisioned product's ARN", optional=True),
        "provisioned_product_type": Output("Always ``RosStack``", optional=True),
        "owner_principal_id": Output("The RAM user or role that launched it", optional=True),
        "owner_principal_type": Output("``RamUser`` or ``RamRole``", optional=True),
        "last_task_id": Output("Its last task", optional=True),
        "last_provisioning_task_id": Output("Its last launch or update task", optional=True),
        "last_successful_provisioning_task_id": Output(
            "Its last task that succeeded", optional=True
        ),
        "create_time": Output("When it was launched", optional=True),
    }
    _SERVICE = Service.SERVICECATALOG
    _ID_FIELD = "provisioned_product_id"
    _NAME_FIELD = "provisioned_product_name"
    CREATE = _op("LaunchProduct", Sends.CREATE)
    READ = _op("GetProvisionedProduct")
    TASK = _op("GetTask")
    LIST = _op("ListProvisionedProducts")
    UPDATE = _op("UpdateProvisionedProduct", Sends.UPDATE)
    DELETE = _op("TerminateProvisionedProduct")
    _PLURAL = "provisioned products"
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        _NOT_FOUND_CODE: (
            "aliyun/terraform-provider-alicloud, alicloud/service_alicloud_service_catalog.go: "
            "the code GetProvisionedProduct answers for an id that does not exist"
        )
    }
    _ADOPT_MATCH = frozenset({"product_id", "provisioned_product_name", "stack_region_id"})

    # requests ------------------------------------------------------------------------------

    def request(
        self,
        operation: Operation,
        session: Session,
        inputs: Mapping[str, Any] | None = None,
        **fields: Any,
    ) -> Any:
        """As for every kind, with the maps sent as the SDK's lists of key-value models."""
        from alibabacloud_servicecatalog20210901 import models

        sent = dict(inputs or {})
        parameters, tags = sent.pop("parameters", None), sent.pop("tags", None)
        built = super().request(operation, session, sent, **fields)
        if operation.sends is Sends.NOTHING:
            return built
        prefix = operation.request_class
        parameter = getattr(models, f"{prefix}Parameters")
        tag = getattr(models, f"{prefix}Tags")
        built.parameters = [
            parameter(parameter_key=k, parameter_value=v)
            for k, v in sorted((parameters or {}).items())
        ] or None
        built.tags = [tag(key=k, value=v) for k, v in sorted((tags or {}).items())] or None
        return built

    # reads ---------------------------------------------------------------------------------

    def _detail(self, session: Session, id_: str) -> dict[str, Any]:
        """GetProvisionedProduct's record of `id_`; API errors are raised."""
        assert self.READ is not None
        request = self.request(self.READ, session, provisioned_product_id=id_)
        return record(session.call(self.READ, request).body.provisioned_product_detail)

    def _get(self, session: Session, id_: str, _state: Mapping[str, Any]) -> dict[str, Any] | None:
        """The provisioned product with the parameters, tags and stack outputs of its last
        provisioning task (GetTask), as Terraform reads them."""
        live = self._detail(session, id_)
        return self._with_task(session, live) if live else None

    def _with_task(self, session: Session, live: dict[str, Any]) -> dict[str, Any]:
        """`live` with the parameters, tags and outputs of its last provisioning task."""
        task_id = live.get("last_provisioning_task_id")
        if not task_id:
            return live
        request = self.request(self.TASK, session, task_id=task_id)
        task = session.call(self.TASK, request).body.task_detail
        return {
            **live,
            "parameters": {
                p.parameter_key: p.parameter_value for p in task.parameters or [] if p.parameter_key
            },
            "tags": {t.key: t.value for t in task.task_tags or [] if t.key},
            "outputs": {o.output_key: o.output_value for o in task.outputs or [] if o.output_key},
        }

    def _items(self, response: Any) -> list[Any]:
        return list(response.body.provisioned_product_details or [])

    def listed_under(
        self, session: Session, field: str, parent_id: str
    ) -> list[dict[str, Any]] | None:
        """The account's provisioned products launched from the product, version or portfolio
        `parent_id` (the listing filters on none of them: the account's, matched here)."""
        if field not in ("product_id", "product_version_id", "portfolio_id"):
            return None
        every = (record(p) for p in self.every(session, access_level_filter="Account"))
        return [p for p in every if p.get(field) == parent_id]

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The caller's provisioned products named as `inputs` names its, with matching
        fields."""
        from alibabacloud_servicecatalog20210901 import models

        found, response = self.listed(
            session,
            filters=[
                models.ListProvisionedProductsRequestFilters(
                    key="ProvisionedProductName", value=inputs["provisioned_product_name"]
                )
            ],
            access_level_filter="User",
            sort_by="CreateTime",
            sort_order="Desc",
            page_size=PAGE_SIZE,
        )
        return self.found([record(p) for p in found], inputs, response)

    # waits -------------------------------------------------------------------------------

    def _settle(
        self, session: Session, id_: str, operation: Operation, after: str | None = None
    ) -> dict[str, Any] | None:
        """Poll GetProvisionedProduct until the task `operation` started ends: Available (a
        launch or an update), gone (a termination: None); Error fails with its status message.
        While its last task is still `after` (the task before the operation's: the service may
        show it for a moment), the status read is that task's, and ends nothing. Each status
        seen is reported as progress."""
        statuses = _TERMINATED if operation is self.DELETE else _READY
        last: dict[str, Any] = {}

        def poll() -> Seen:
            try:
                live = self._detail(session, id_)
            except ApiError as exc:
                if not self._gone(session, exc, id_, {}):
                    raise
                return Seen(None)
            last.update(live)
            if after and live.get("last_task_id") == after:
                return Seen(f"{live.get('status')} (its task {after} still the last)")
            message = live.get("status_message")
            # The service's reason may echo a parameter: never one the message may not show.
            return Seen(live.get("status"), message and redact(message, (), session.hidden))

        wait_for(poll, statuses, target=session.target, operation=str(operation))
        # The last poll read it as it ended: only its task is left to read.
        return None if operation is self.DELETE else self._with_task(session, last)

    def create_resource(
        self, inputs: Mapping[str, Any], secret: Secrets = (), urn: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """LaunchProduct, then wait until it is Available. A launch that fails or times out
        raises `WaitError` with ``created`` set to the id and outputs (as a read finds it then:
        its status and the service's message), so that a front door can keep it."""
        id_, outs = super().create_resource(inputs, secret, urn)
        session = self.session(inputs, id_=id_, secret=secret)
        try:
            live = self._settle(session, id_, self._operation(self.CREATE, "has no create"))
        except WaitError as exc:
            self._left(session, id_, outs, inputs, exc)
            raise
        return id_, self.outputs({**outs, **(live or {})}, inputs)

    def _left(
        self,
        session: Session,
        id_: str,
        outs: Mapping[str, Any],
        inputs: Mapping[str, Any],
        exc: WaitError,
    ) -> None:
        """Set `exc.created` to `id_` as a read finds it after a failed wait (its status and the
        service's message over `outs`), so that the state holds the truth."""
        try:
            found = self._live(session, id_, inputs) or {}
        except ApiError:
            found = {}
        exc.created = (id_, self.outputs({**outs, **found}, inputs))

    def update_resource(
        self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], secret: Secrets = ()
    ) -> dict[str, Any]:
        """UpdateProvisionedProduct (another version, portfolio, parameters or tags in place),
        then wait until it is Available again; the product's in-use listing is forgotten, so
        that the old version's delete lists afresh. An update that changes nothing calls no API
        and reads it as it is. An update whose task fails or times out raises `WaitError` with
        ``created`` set to the outputs a read finds then (status ``Error`` and the service's
        reason, not the old outputs), so that a front door can write them to the state."""
        outs = super().update_resource(id_, olds, news, secret)
        session = self.session(news, id_=id_, secret=secret)
        if not set(self.changed(olds, news)) - self._LOCAL:
            return self.outputs({**outs, **(self._get(session, id_, news) or {})}, news)
        try:
            update = self._operation(self.UPDATE, "has no update")
            # UpdateProvisionedProduct answers no task id: the update's is the first task after
            # the one the state holds.
            live = self._settle(session, id_, update, str(olds.get("last_task_id") or ""))
        except WaitError as exc:
            self._left(session, id_, outs, news, exc)
            # Said, since the state no longer holds the outputs from before the update.
            exc.args = (
                f"{exc}; the state now holds it as the service shows it (status "
                f"{exc.status or 'unknown'}), not its outputs from before the update",
            )
            raise
        finally:
            changed(session, str(olds.get("product_id") or ""))
        return self.outputs({**outs, **(live or {})}, news)

    def delete_resource(self, id_: str, state: Mapping[str, Any], secret: Secrets = ()) -> None:
        """TerminateProvisionedProduct, then wait until it is gone; gone already is success,
        under the same rule as read."""
        session = self.session(state, id_=id_, secret=secret)
        delete = self._operation(self.DELETE, "has no delete")
        try:
            session.call(delete, self.request(delete, session, None, provisioned_product_id=id_))
        except ApiError as exc:
            if not self._gone(session, exc, id_, state):
                raise
            return
        try:
            self._settle(session, id_, delete)
        finally:
            changed(session, str(state.get("product_id") or ""))
