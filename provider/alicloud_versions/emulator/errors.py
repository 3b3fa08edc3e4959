"""The emulator's error hierarchy: each error is an Alibaba Cloud error code and HTTP status."""

# ApiError
# ├── AuthError                           (raised while verifying the caller)
# │   ├── MissingAccessKeyId              400
# │   ├── InvalidAccessKeyIdNotFound      404  InvalidAccessKeyId.NotFound
# │   ├── IncompleteSignature             400
# │   ├── SignatureDoesNotMatch           400
# │   ├── SignatureNonceUsed              400
# │   ├── InvalidDigest                   400  (ROA: Content-MD5 does not match the body)
# │   └── InvalidTimeStampExpired         400  InvalidTimeStamp.Expired
# ├── ForeignCaller                       (raised before the caller is even verified)
# │   ├── ForbiddenHost                   403  Forbidden.Host (a DNS-rebound or unknown name)
# │   └── ForbiddenOrigin                 403  Forbidden.Origin (a web page of another origin)
# ├── BadRequest                          400  (malformed HTTP framing or JSON body)
# ├── RequestEntityTooLarge               413
# ├── InvalidActionNotFound               404  InvalidAction.NotFound
# ├── InvalidVersion                      400
# ├── MissingParameter                    400
# ├── InvalidParameter                    400
# ├── (WebPlus, in services/webplus/errors.py)
# │   ├── ResourceAuthFailed              403
# │   ├── VersionLabelExists              400
# │   ├── OSSPathInvalid                  400
# │   ├── AppDeleteNotAllowed             403  (an environment is not terminated)
# │   ├── AppPackageNotExists             404  (CreateAppEnv without a package version)
# │   ├── AppPackageOwnedByOthers         400  (a package version of another app)
# │   └── StatusNotAllowedTerminated      403  (the environment is terminated already)
# ├── (Service Catalog, in services/servicecatalog/errors.py)
# │   ├── InvalidProductNotFound          404  InvalidProduct.NotFound
# │   ├── InvalidProductVersionNotFound   404  InvalidProductVersion.NotFound
# │   ├── InvalidProvisionedProductNotFound 404  InvalidProvisionedProduct.NotFound
# │   ├── InvalidPortfolioNotFound        404  InvalidPortfolio.NotFound
# │   ├── NoPermissionLaunch              403  NoPermission (a launch without portfolio access)
# │   ├── InvalidStatusUnderChange        400  InvalidStatus.UnderChange
# │   └── InvalidTaskNotFound             404  InvalidTask.NotFound
# └── InjectedError                       (failures raised by fault injection)
#     ├── Throttling                      400  Throttling.User
#     ├── ServiceUnavailable              503
#     ├── InternalError                   500  (also answers an emulator bug, not marked injected)
#     └── InjectedAnswer                  any  (the `error` fault: a chosen status, code, message)

from __future__ import annotations


class ApiError(Exception):
    """An error the emulator answers with, rendered as Alibaba Cloud's JSON error body."""

    # Class attributes, named after the real code; only InjectedAnswer sets them per instance.
    code: str = "UnknownError"
    status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status}, {self.message!r})"


class AuthError(ApiError):
    """The request could not be attributed to a known access key with a valid signature."""


class MissingAccessKeyId(AuthError):
    """The request carries no access key id at all."""

    code = "MissingAccessKeyId"

    def __init__(self) -> None:
        super().__init__("AccessKeyId is mandatory for this action.")


class InvalidAccessKeyIdNotFound(AuthError):
    """The access key id is not one the emulator knows."""

    code = "InvalidAccessKeyId.NotFound"
    status = 404

    def __init__(self) -> None:
        super().__init__("Specified access key is not found.")


class IncompleteSignature(AuthError):
    """The signature fields are malformed or use an algorithm the emulator does not verify."""

    code = "IncompleteSignature"

    def __init__(self, detail: str) -> None:
        super().__init__(f"The request signature does not conform to Aliyun standards. {detail}")


class SignatureDoesNotMatch(AuthError):
    """The signature does not match the one computed with the key's secret."""

    code = "SignatureDoesNotMatch"

    def __init__(self, string_to_sign: str) -> None:
        # The real service also echoes its string to sign; it holds no secret and helps debugging.
        super().__init__(
            "Specified signature does not match our calculation. "
            f"server string to sign is:{string_to_sign}"
        )


class SignatureNonceUsed(AuthError):
    """The signature nonce was already used with this access key."""

    code = "SignatureNonceUsed"

    def __init__(self) -> None:
        super().__init__("Specified signature nonce was used already.")


class InvalidDigest(AuthError):
    """The ROA request's Content-MD5 header does not match its body."""

    code = "InvalidDigest"

    def __init__(self) -> None:
        super().__init__("The Content-MD5 you specified does not match the request body.")


class InvalidTimeStampExpired(AuthError):
    """The request's timestamp is too far from the emulator's clock."""

    code = "InvalidTimeStamp.Expired"

    def __init__(self, value: str) -> None:
        super().__init__(f"Specified time stamp or date value is expired: {value}.")


class ForeignCaller(ApiError):
    """The request comes from where no client of the emulator is: a web page's origin."""

    status = 403


class ForbiddenHost(ForeignCaller):
    """The `Host` is not one the emulator is reached by: a loopback name, a real endpoint's
    name (the emulator as a proxy) or a name allowed with `--allow-host`."""

    code = "Forbidden.Host"

    def __init__(self, host: str) -> None:
        super().__init__(
            f"The emulator does not answer the Host {host!r}: it answers loopback names, "
            "*.aliyuncs.com as a proxy, and the names allowed with --allow-host."
        )


class ForbiddenOrigin(ForeignCaller):
    """The request carries an `Origin` other than the emulator's own: a web page sent it."""

    code = "Forbidden.Origin"

    def __init__(self, origin: str) -> None:
        super().__init__(f"The emulator refuses requests from the origin {origin!r}.")


class BadRequest(ApiError):
    """The HTTP request itself is malformed: its framing, its length or its JSON body."""

    code = "BadRequest"

    def __init__(self, detail: str) -> None:
        super().__init__(f"The request is malformed: {detail}.")


class RequestEntityTooLarge(ApiError):
    """The body is larger than the emulator reads."""

    code = "RequestEntityTooLarge"
    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than {limit} bytes.")


class InvalidActionNotFound(ApiError):
    """No action of the two emulated services matches the request."""

    code = "InvalidAction.NotFound"
    status = 404

    def __init__(self) -> None:
        super().__init__("Specified api is not found, please check your url and method.")


class InvalidVersion(ApiError):
    """The API version is not the one the emulated service implements."""

    code = "InvalidVersion"

    def __init__(self, version: str) -> None:
        super().__init__(f"Specified parameter Version is not valid: {version}.")


class MissingParameter(ApiError):
    """A required request parameter is absent or empty."""

    code = "MissingParameter"

    def __init__(self, name: str) -> None:
        super().__init__(f"The input parameter {name} should be specified.")
        self.parameter = name


class InvalidParameter(ApiError):
    """A request parameter has a value outside what the API accepts."""

    code = "InvalidParameter"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"The specified parameter {name} is invalid, {reason}.")
        self.parameter = name


class InjectedError(ApiError):
    """A failure produced by fault injection; the emulated model never raises one."""


class Throttling(InjectedError):
    """The caller is being throttled."""

    code = "Throttling.User"

    def __init__(self) -> None:
        super().__init__("Request was denied due to user flow control.")


class ServiceUnavailable(InjectedError):
    """The service is temporarily unavailable."""

    code = "ServiceUnavailable"
    status = 503

    def __init__(self) -> None:
        super().__init__("The request has failed due to a temporary failure of the server.")


class InternalError(InjectedError):
    """The service failed while processing the request."""

    code = "InternalError"
    status = 500

    def __init__(self) -> None:
        super().__init__(
            "The request processing has failed due to some unknown error, exception or failure."
        )


class InjectedAnswer(InjectedError):
    """The `error` fault: a chosen HTTP status, code and message, as a broken path answers."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
