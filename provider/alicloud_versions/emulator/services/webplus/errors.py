"""WebPlus's own error codes (the whole hierarchy opens `emulator/errors.py`)."""

from __future__ import annotations

from ...errors import ApiError


class ResourceAuthFailed(ApiError):
    """The WebPlus resource does not exist in the caller's account (or region)."""

    code = "ResourceAuthFailed"
    status = 403

    def __init__(self, resource_id: str) -> None:
        # WebPlus's documented message; the id is not part of it, so it leaks nothing either.
        super().__init__(
            "The specified resource does not exist or it does not belong to this "
            "Alibaba Cloud account."
        )
        self.resource_id = resource_id


class VersionLabelExists(ApiError):
    """The package version label is already used in the application."""

    code = "VersionLabelExists"

    def __init__(self, label: str) -> None:
        super().__init__(f"The version label already exists in the application: {label}.")


class OSSPathInvalid(ApiError):
    """The package source is not an `oss://bucket/object` path."""

    code = "OSSPathInvalid"

    def __init__(self, path: str) -> None:
        super().__init__(f"The OSS path is invalid, expected oss://bucket/object: {path}.")


class AppDeleteNotAllowed(ApiError):
    """DeleteApplication while one of the application's environments is not terminated."""

    code = "AppDeleteNotAllowed"
    status = 403

    def __init__(self) -> None:
        super().__init__(
            "You cannot delete this application. Make sure that all deployment environments "
            "in this application are terminated."
        )


class AppPackageNotExists(ApiError):
    """CreateAppEnv without a package version, or with one that does not exist."""

    code = "AppPackageNotExists"
    status = 404

    def __init__(self) -> None:
        super().__init__(
            "An application deployment package is required to create or update a deployment "
            "environment."
        )


class AppPackageOwnedByOthers(ApiError):
    """CreateAppEnv with a package version of another application."""

    code = "AppPackageOwnedByOthers"

    def __init__(self) -> None:
        super().__init__(
            "The version of the deployment package used must be consistent with the "
            "application to which the environment belongs."
        )


class StatusNotAllowedTerminated(ApiError):
    """TerminateAppEnv on an environment that is terminated already."""

    code = "StatusNotAllowedTerminated"
    status = 403

    def __init__(self) -> None:
        super().__init__(
            "A terminate action cannot be performed on an environment that has already terminated."
        )


class EnvOnChanging(ApiError):
    """UpdateAppEnv while the environment's previous change still applies."""

    code = "EnvOnChanging"

    def __init__(self) -> None:
        # UpdateAppEnv's documented answer (AlibabaCloudDocs/webx, UpdateAppEnv): 400.
        super().__init__(
            "An error occurred while starting the change. Wait until the ongoing change is "
            "complete."
        )


class DeleteEnvNotAllowed(ApiError):
    """DeleteAppEnv on an environment that is not terminated, or while a change applies."""

    code = "DeleteEnvNotAllowed"
    status = 403

    def __init__(self) -> None:
        # DeleteAppEnv's documented answer (AlibabaCloudDocs/webx, DeleteAppEnv): 403.
        super().__init__(
            "You cannot delete an environment when the environment is abandoning an update, "
            'performing a change, or when the status is not "terminated".'
        )
