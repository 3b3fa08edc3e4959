"""SDK and network failures become one error class each, with a one-line, complete message."""

from __future__ import annotations

import logging

import pytest

from alicloud_versions import (
    AlicloudVersionsError,
    ApiError,
    AuthenticationError,
    ConnectionLostError,
    ProviderBug,
    TransientError,
)
from alicloud_versions.core.errors import Target
from alicloud_versions.core.failures import map_exception, reported
from alicloud_versions.dynamic._host import install_traceback_filter

from .sdk_errors import REQUEST_ID, api_exception, connection_reset, dropped_connection

TARGET = Target("servicecatalog.ProductVersion", "1.0", "pv-123")


def mapped(exc: Exception, operation: str = "UpdateProductVersion") -> AlicloudVersionsError:
    """The package error for `exc`."""
    error = map_exception(exc, target=TARGET, operation=operation)
    assert error is not None
    return error


def test_message_names_resource_operation_code_message_and_request_id() -> None:
    """The message carries type, name, id, operation, code, the server's message and RequestId."""
    error = mapped(api_exception("InvalidParameter", 400, "The Guidance is invalid."))
    text = str(error)
    assert text == (
        'servicecatalog.ProductVersion "1.0" (id pv-123): UpdateProductVersion failed: '
        f"InvalidParameter: The Guidance is invalid. (RequestId: {REQUEST_ID})"
    )
    assert "\n" not in text
    assert isinstance(error, ApiError)
    assert (error.code, error.request_id, error.status_code) == (
        "InvalidParameter",
        REQUEST_ID,
        400,
    )


@pytest.mark.parametrize(
    "code",
    [
        "InvalidAccessKeyId.NotFound",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "Forbidden.RAM",
        "Forbidden",
        "IncompleteSignature",
    ],
)
def test_wrong_key_or_signature_is_an_authentication_error(code: str) -> None:
    """Key and signature errors are AuthenticationError, never transient or not-found."""
    error = mapped(api_exception(code, 404 if "NotFound" in code else 400))
    assert type(error) is AuthenticationError


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("Throttling.User", 400),
        ("Throttling", 400),
        ("ServiceUnavailable", 503),
        ("InternalError", 500),
        ("SomethingOdd", 502),
    ],
)
def test_throttling_and_server_errors_are_transient(code: str, status: int) -> None:
    """Throttling*, ServiceUnavailable, InternalError and any 5xx are TransientError."""
    assert isinstance(mapped(api_exception(code, status)), TransientError)


@pytest.mark.parametrize("make", [dropped_connection, connection_reset])
def test_dropped_connections_are_transient(make: object) -> None:
    """A remote disconnect or reset is a ConnectionLostError, which is transient."""
    error = mapped(make())  # type: ignore[operator]
    assert isinstance(error, ConnectionLostError)
    assert isinstance(error, TransientError)
    assert "ConnectionError" in str(error)


# No answer on its own means "gone": a gateway answers 404 InvalidAction.NotFound for an API it
# does not serve, and only a resource kind's declared codes are proof (tests/unit/test_gone.py).
@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("InvalidProductVersion.NotFound", 404),
        ("InvalidAction.NotFound", 404),
        ("InvalidApi.NotFound", 404),
        ("ResourceNotFound", 404),
        ("EntityNotExist.Role", 404),
        ("ResourceAuthFailed", 403),
        ("SomethingElse", 404),
    ],
)
def test_not_found_codes_and_bare_404_are_plain_api_errors(code: str, status: int) -> None:
    """A not-found-looking code or a bare 404 maps to a plain ApiError with its code."""
    error = mapped(api_exception(code, status))
    assert type(error) is ApiError
    assert (error.code, error.status_code) == (code, status)


def test_an_exception_the_sdks_do_not_raise_is_not_mapped() -> None:
    """A KeyError (a bug of ours) is no API error: mapping leaves it to be raised as it is."""
    assert map_exception(KeyError("pkg_version_id"), target=TARGET, operation="Get") is None


def test_a_bug_is_reported_with_its_type_and_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`reported` turns an unexpected exception into a ProviderBug naming its type, not its text
    (which may hold an input's value), and logs both with its traceback; our own errors pass
    through unchanged."""

    def broken() -> None:
        {}["hunter2"]

    with pytest.raises(ProviderBug) as caught:
        reported("webplus.PkgVersion", broken)
    assert str(caught.value).startswith("webplus.PkgVersion: a bug in alicloud-versions: KeyError")
    assert "hunter2" not in str(caught.value)
    record = caplog.records[-1]
    assert record.exc_info is not None and isinstance(record.exc_info[1], KeyError)
    error = mapped(api_exception("InvalidParameter", 400))

    def failing() -> None:
        raise error

    with pytest.raises(ApiError) as passed:
        reported("webplus.PkgVersion", failing)
    assert passed.value is error


def test_other_client_errors_are_plain_api_errors() -> None:
    """A 4xx with another code is an ApiError that is neither transient nor not-found."""
    error = mapped(api_exception("VersionLabelExists", 400))
    assert type(error) is ApiError


def test_package_errors_pass_through_unchanged() -> None:
    """An error that is already ours is returned as it is."""
    error = ApiError(target=TARGET, operation="Get", code="X", message="m")
    assert mapped(error) is error


def test_grpc_log_of_our_errors_has_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """The provider host logs our errors as their one-line message, without a traceback."""
    install_traceback_filter()
    install_traceback_filter()  # idempotent
    logger = logging.getLogger("grpc._server")
    error = mapped(api_exception("InvalidParameter", 400))
    try:
        raise error
    except AlicloudVersionsError:
        logger.exception("Exception calling application: %s", error)
    record = caplog.records[-1]
    assert record.exc_info is None
    assert record.getMessage() == str(error)
    assert len(logging.getLogger("grpc._server").filters) == 1


TOKEN = "CAIS8gF1q6Ft5B2yfSjIr5bAKNnYjrt"


@pytest.mark.parametrize(
    "echoed",
    [
        "Specified signature is not matched with our calculation. server string to sign is:"
        f"POST&%2F&AccessKeyId%3DAK%26SecurityToken%3D{TOKEN}%26Version%3D2021-09-01",
        f"The security token you provided is invalid: x-acs-security-token: {TOKEN}",
        f"Invalid SecurityToken={TOKEN}&Signature=abcdEFGH1234",
        f"token {TOKEN} has expired",
    ],
)
def test_messages_never_carry_a_token_or_a_signed_string(echoed: str) -> None:
    """What a service echoes of the request (the token, the string it signed, a signature) is
    redacted where errors are mapped, whether or not the value is known."""
    error = map_exception(
        api_exception("InvalidSecurityToken.Malformed", 400, echoed),
        target=TARGET,
        operation="CreateProductVersion",
        secrets=("the-secret", TOKEN),
    )
    text = str(error)
    assert TOKEN not in text
    assert "abcdEFGH1234" not in text
    assert "[redacted]" in text
    assert isinstance(error, AuthenticationError)
