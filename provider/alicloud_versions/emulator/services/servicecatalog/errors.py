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
