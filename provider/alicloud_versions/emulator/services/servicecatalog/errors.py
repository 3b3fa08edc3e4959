"""Service Catalog's own error codes (the whole hierarchy opens `emulator/errors.py`)."""

from __future__ import annotations

from ...errors import ApiError


class InvalidProductNotFound(ApiError):
    """The product does not exist in the caller's account."""

    code = "InvalidProduct.NotFound"
    status = 404

    def __init__(self, product_id: str) -> None:
        super().__init__(f"The specified product does not exist: {product_id}.")


class InvalidProductVersionNotFound(ApiError):
    """The product version does not exist in the caller's account."""

    code = "InvalidProductVersion.NotFound"
    status = 404

    def __init__(self, product_version_id: str) -> None:
        super().__init__(f"The specified product version does not exist: {product_version_id}.")


class InvalidProvisionedProductNotFound(ApiError):
    """The provisioned product does not exist in the caller's account (or region)."""

    code = "InvalidProvisionedProduct.NotFound"
    status = 404

    def __init__(self, provisioned_product_id: str) -> None:
        super().__init__(
            f"The specified provisioned product does not exist: {provisioned_product_id}."
        )


class InvalidPortfolioNotFound(ApiError):
    """The portfolio does not exist in the caller's account (terraform-provider-alicloud,
    service_alicloud_service_catalog_v2.go, reads this code as "gone")."""

    code = "InvalidPortfolio.NotFound"
    status = 404

    def __init__(self, portfolio_id: str) -> None:
        super().__init__(f"The specified portfolio does not exist: {portfolio_id}.")


class NoPermissionLaunch(ApiError):
    """The caller may not launch the product: it is in no portfolio the caller's principal is
    associated with (or not in the portfolio named).

    Choice: the API reference lists no error code for this refusal; NoPermission is Alibaba
    Cloud's generic refusal of an authenticated caller, answered with 403.
    """

    code = "NoPermission"
    status = 403

    def __init__(self, product_id: str, portfolio_id: str | None) -> None:
        where = f"portfolio {portfolio_id}" if portfolio_id else "any portfolio"
        super().__init__(
            f"You are not authorized to launch product {product_id} through {where}: the product "
            "must be in the portfolio and your RAM user or role associated with it."
        )


class InvalidStatusUnderChange(ApiError):
    """An update or termination of a provisioned product whose last task is still running.

    Choice: the API reference names no code; the status the refusal is about is its name.
    """

    code = "InvalidStatus.UnderChange"
    status = 400

    def __init__(self, provisioned_product_id: str) -> None:
        super().__init__(
            f"The provisioned product {provisioned_product_id} is UnderChange; wait for its task."
        )


class InvalidTaskNotFound(ApiError):
    """The task does not exist in the caller's account (GetTask)."""

    code = "InvalidTask.NotFound"
    status = 404

    def __init__(self, task_id: str) -> None:
        super().__init__(f"The specified task does not exist: {task_id}.")
