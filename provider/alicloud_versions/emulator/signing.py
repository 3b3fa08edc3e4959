"""Access keys, and verification of the ROA v1, RPC v1 and ACS3-HMAC-SHA256 signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import quote

from .errors import (
    IncompleteSignature,
    InvalidAccessKeyIdNotFound,
    InvalidDigest,
    InvalidTimeStampExpired,
    MissingAccessKeyId,
    MissingParameter,
    SignatureDoesNotMatch,
    SignatureNonceUsed,
)

DEFAULT_ACCESS_KEY_ID = "LTAI5tEmulatorDevKey0001"
DEFAULT_ACCESS_KEY_SECRET = "EmulatorDevSecret0000000000000001"
DEFAULT_ACCOUNT_ID = "1234567890123456"

# Alibaba Cloud rejects requests whose timestamp is more than 15 minutes off.
MAX_CLOCK_SKEW_SECONDS = 15 * 60

ROA_V1 = "ROA-HMAC-SHA1"
RPC_V1 = "RPC-HMAC-SHA1"
ACS3 = "ACS3-HMAC-SHA256"


class NonceStore(Protocol):
    """Where used nonces are kept until their request's timestamp could no longer pass."""

    def use_nonce(self, access_key_id: str, nonce: str, expires_at: float) -> bool:
        """Record the nonce; False when it was already used with this key and not expired."""
        ...


@dataclass(frozen=True)
class AccessKey:
    """An access key pair and the account whose resources it reaches."""

    id: str
    secret: str = field(repr=False)
    account_id: str = DEFAULT_ACCOUNT_ID


DEFAULT_ACCESS_KEY = AccessKey(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_ACCOUNT_ID)


@dataclass(frozen=True)
class SignedRequest:
    """The parts of an HTTP request that the signature schemes cover."""

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    form: Mapping[str, str]  # the body's fields when it is form-encoded, else empty


@dataclass(frozen=True)
class Caller:
    """Who sent a request that passed verification, and with which scheme."""

    access_key: AccessKey
    scheme: str


def percent_encode(value: str) -> str:
    """Encode as RFC 3986 wants it: everything but unreserved characters."""
    return quote(value, safe="~")


def scheme_of(request: SignedRequest) -> str:
    """The signature scheme the request uses, read from where each scheme puts its signature.

    What the signature covers differs by scheme, so routing reads the action, the version and
    the parameters only from the parts this scheme signs. A request with no `Authorization`
    header can only be RPC v1 (or unsigned, which verification refuses).
    """
    authorization = request.headers.get("authorization", "")
    if authorization.startswith("acs "):
        return ROA_V1
    if authorization.startswith("ACS3-"):
        return ACS3
    return RPC_V1


def claimed_access_key_id(request: SignedRequest) -> str | None:
    """The access key id the request claims, before anything is verified."""
    authorization = request.headers.get("authorization", "")
    if authorization.startswith("acs "):
        return authorization[4:].split(":", 1)[0].strip() or None
    if authorization.startswith("ACS3-"):
        return _parse_acs3(authorization).get("Credential") or None
    return request.query.get("AccessKeyId") or request.form.get("AccessKeyId") or None


# --- ROA, signature v1 -------------------------------------------------------------------------


def roa_string_to_sign(request: SignedRequest) -> str:
    """Method, accept, content-md5, content-type, date, the x-acs-* headers and the resource."""
    headers = request.headers
    lines = [
        request.method,
        headers.get("accept", ""),
        headers.get("content-md5", ""),
        headers.get("content-type", ""),
        headers.get("date", ""),
    ]
    canonical_headers = "".join(
        f"{name}:{headers[name]}\n" for name in sorted(h for h in headers if h.startswith("x-acs-"))
    )
    resource = request.path
    if request.query:
        # ROA signs the decoded values; a blank value contributes only its key.
        resource += "?" + "&".join(
            key if request.query[key] == "" else f"{key}={request.query[key]}"
            for key in sorted(request.query)
        )
    return "\n".join(lines) + "\n" + canonical_headers + resource


def body_md5(body: bytes) -> str:
    """`Content-MD5`: the base64 MD5 digest of the body (RFC 1864)."""
    return base64.b64encode(hashlib.md5(body).digest()).decode()


def roa_signature(string_to_sign: str, secret: str) -> str:
    """Base64 HMAC-SHA1 of the ROA string to sign."""
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# --- RPC, signature v1 -------------------------------------------------------------------------


def rpc_string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """`METHOD&%2F&` + the percent-encoded, sorted, percent-encoded parameters."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(params[key])}"
        for key in sorted(params)
        if key != "Signature"
    )
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(string_to_sign: str, secret: str) -> str:
    """Base64 HMAC-SHA1 of the RPC string to sign, keyed with `secret&`."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# --- ACS3-HMAC-SHA256 (signature v3) ----------------------------------------------------------


def acs3_canonical_request(
    request: SignedRequest, signed_headers: list[str], payload_hash: str
) -> str:
    """The v3 canonical request over the listed headers and the hashed payload."""
    query = "&".join(
        f"{percent_encode(key)}={percent_encode(request.query[key])}"
        for key in sorted(request.query)
    )
    headers = "".join(
        f"{name}:{request.headers.get(name, '').strip()}\n" for name in signed_headers
    )
    return "\n".join(
        [
            request.method,
            request.path or "/",
            query,
            headers,
            ";".join(signed_headers),
            payload_hash,
        ]
    )


def acs3_string_to_sign(canonical_request: str) -> str:
    """The algorithm name and the hex SHA-256 of the canonical request."""
    return f"{ACS3}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"


def acs3_signature(string_to_sign: str, secret: str) -> str:
    """Hex HMAC-SHA256 of the v3 string to sign."""
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


def _parse_acs3(authorization: str) -> dict[str, str]:
    _, _, rest = authorization.partition(" ")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields[name] = value
    return fields


# --- Verification ------------------------------------------------------------------------------


def _check_time(value: str | None, name: str, parse: Callable[[str], datetime]) -> float:
    """The request's timestamp (epoch seconds) after checking it is within the allowed skew."""
    if not value:
        raise MissingParameter(name)
    try:
        moment = parse(value)
    except (ValueError, TypeError) as exc:
        raise InvalidTimeStampExpired(value) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if abs((datetime.now(timezone.utc) - moment).total_seconds()) > MAX_CLOCK_SKEW_SECONDS:
        raise InvalidTimeStampExpired(value)
    return moment.timestamp()


def _parse_iso(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def verify(
    request: SignedRequest,
    lookup: Callable[[str], AccessKey | None],
    nonces: NonceStore,
) -> Caller:
    """Attribute the request to an access key, or raise the error Alibaba Cloud would answer."""
    authorization = request.headers.get("authorization", "")
    scheme = scheme_of(request)
    if scheme == ROA_V1:
        return _verify_roa(request, authorization, lookup, nonces)
    if scheme == ACS3:
        return _verify_acs3(request, authorization, lookup, nonces)
    if "Signature" in request.query or "AccessKeyId" in request.query:
        return _verify_rpc(request, lookup, nonces)
    raise MissingAccessKeyId()


def _known(lookup: Callable[[str], AccessKey | None], access_key_id: str) -> AccessKey:
    if not access_key_id:
        raise MissingAccessKeyId()
    key = lookup(access_key_id)
    if key is None:
        raise InvalidAccessKeyIdNotFound()
    return key


def _use_nonce(
    nonces: NonceStore, key: AccessKey, nonce: str | None, name: str, timestamp: float
) -> None:
    if not nonce:
        raise MissingParameter(name)
    # Past its timestamp's window the request is refused anyway, so the nonce can be forgotten.
    if not nonces.use_nonce(key.id, nonce, timestamp + MAX_CLOCK_SKEW_SECONDS):
        raise SignatureNonceUsed()


def _verify_roa(
    request: SignedRequest,
    authorization: str,
    lookup: Callable[[str], AccessKey | None],
    nonces: NonceStore,
) -> Caller:
    access_key_id, sep, signature = authorization[4:].partition(":")
    if not sep or not signature:
        raise IncompleteSignature("Authorization must be 'acs AccessKeyId:Signature'.")
    key = _known(lookup, access_key_id.strip())
    string_to_sign = roa_string_to_sign(request)
    if not hmac.compare_digest(roa_signature(string_to_sign, key.secret), signature.strip()):
        raise SignatureDoesNotMatch(string_to_sign)
    content_md5 = request.headers.get("content-md5")
    if content_md5 is not None and content_md5 != body_md5(request.body):
        raise InvalidDigest()
    timestamp = _check_time(request.headers.get("date"), "Date", parsedate_to_datetime)
    # The older SDK family (aliyun-python-sdk-core) signs ROA without a nonce, and the gateway
    # takes it; a nonce that is sent is still used only once.
    nonce = request.headers.get("x-acs-signature-nonce")
    if nonce is not None:
        _use_nonce(nonces, key, nonce, "x-acs-signature-nonce", timestamp)
    return Caller(key, ROA_V1)


def _verify_rpc(
    request: SignedRequest,
    lookup: Callable[[str], AccessKey | None],
    nonces: NonceStore,
) -> Caller:
    # RPC v1 signs the query and the form body together.
    params = {**request.form, **request.query}
    key = _known(lookup, params.get("AccessKeyId", ""))
    signature = params.get("Signature")
    if not signature:
        raise MissingParameter("Signature")
    method = params.get("SignatureMethod", "HMAC-SHA1")
    if method != "HMAC-SHA1":
        raise IncompleteSignature(f"SignatureMethod {method} is not supported.")
    string_to_sign = rpc_string_to_sign(request.method, params)
    if not hmac.compare_digest(rpc_signature(string_to_sign, key.secret), signature):
        raise SignatureDoesNotMatch(string_to_sign)
    timestamp = _check_time(params.get("Timestamp"), "Timestamp", _parse_iso)
    _use_nonce(nonces, key, params.get("SignatureNonce"), "SignatureNonce", timestamp)
    return Caller(key, RPC_V1)


def _verify_acs3(
    request: SignedRequest,
    authorization: str,
    lookup: Callable[[str], AccessKey | None],
    nonces: NonceStore,
) -> Caller:
    algorithm = authorization.split(" ", 1)[0]
    if algorithm != ACS3:
        raise IncompleteSignature(f"Signature algorithm {algorithm} is not supported.")
    fields = _parse_acs3(authorization)
    signature = fields.get("Signature", "")
    signed = [h for h in fields.get("SignedHeaders", "").split(";") if h]
    if not signature or not signed:
        raise IncompleteSignature("Authorization needs Credential, SignedHeaders and Signature.")
    key = _known(lookup, fields.get("Credential", ""))
    unsigned = [
        h for h in request.headers if (h.startswith("x-acs-") or h == "host") and h not in signed
    ]
    if unsigned:
        raise IncompleteSignature(f"Headers must be signed: {', '.join(sorted(unsigned))}.")
    payload_hash = request.headers.get("x-acs-content-sha256", "")
    canonical = acs3_canonical_request(request, signed, payload_hash)
    string_to_sign = acs3_string_to_sign(canonical)
    if not hmac.compare_digest(acs3_signature(string_to_sign, key.secret), signature):
        raise SignatureDoesNotMatch(string_to_sign)
    if payload_hash != hashlib.sha256(request.body).hexdigest():
        raise SignatureDoesNotMatch(f"x-acs-content-sha256 does not match the body: {canonical}")
    timestamp = _check_time(request.headers.get("x-acs-date"), "x-acs-date", _parse_iso)
    nonce = request.headers.get("x-acs-signature-nonce")
    _use_nonce(nonces, key, nonce, "x-acs-signature-nonce", timestamp)
    return Caller(key, ACS3)
