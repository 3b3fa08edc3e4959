"""Signature schemes: what each client sends, and every authentication error, via the SDK."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from alibabacloud_servicecatalog20210901 import models as sc
from alibabacloud_servicecatalog20210901.client import Client as ServiceCatalogClient
from alibabacloud_tea_openapi.utils import Utils
from alibabacloud_webplus20190320 import models as wp
from alibabacloud_webplus20190320.client import Client as WebPlusClient
from darabonba.request import DaraRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from alicloud_versions.emulator import AccessKey, Emulator
from alicloud_versions.emulator.signing import (
    SignedRequest,
    acs3_canonical_request,
    acs3_signature,
    acs3_string_to_sign,
    roa_signature,
    roa_string_to_sign,
    rpc_signature,
    rpc_string_to_sign,
)
from tests.emulator.conftest import DEFAULT_KEY, Controls, error_of, make_config

WRONG_SECRET = AccessKey(DEFAULT_KEY.id, "NotTheSecret00000000000000000000", DEFAULT_KEY.account_id)
UNKNOWN_KEY = AccessKey("LTAI5tNobodyHasThisKey99", "Whatever0000000000000000000000000", "1")

Call = Callable[[Emulator, AccessKey], object]


def webplus_roa(emulator: Emulator, key: AccessKey) -> object:
    """A WebPlus call, signed the only way that client signs: ROA v1 (acs AK:signature)."""
    client = WebPlusClient(make_config(emulator, key))
    return client.describe_applications(wp.DescribeApplicationsRequest(app_search="a b/ü+~*"))


def servicecatalog_acs3(emulator: Emulator, key: AccessKey) -> object:
    """A Service Catalog call signed as that client does by default: ACS3-HMAC-SHA256."""
    client = ServiceCatalogClient(make_config(emulator, key))
    request = sc.CreateProductRequest(
        product_name="wéb shop/1+1", product_type="Ros", provider_name="p q"
    )
    return client.create_product(request)


def servicecatalog_rpc_v1(emulator: Emulator, key: AccessKey) -> object:
    """A Service Catalog call signed with RPC v1 query parameters (signature_algorithm="v2")."""
    client = ServiceCatalogClient(make_config(emulator, key, signature_algorithm="v2"))
    request = sc.CreateProductRequest(
        product_name="wéb shop/1+1", product_type="Ros", provider_name="p q"
    )
    return client.create_product(request)


SCHEMES: dict[str, Call] = {
    "ROA-HMAC-SHA1": webplus_roa,
    "ACS3-HMAC-SHA256": servicecatalog_acs3,
    "RPC-HMAC-SHA1": servicecatalog_rpc_v1,
}


@pytest.fixture(params=sorted(SCHEMES))
def scheme(request: pytest.FixtureRequest) -> str:
    """Each signature scheme the emulator verifies."""
    return str(request.param)


def test_each_client_signs_with_the_expected_scheme(
    emulator: Emulator, controls: Controls, scheme: str
) -> None:
    """A correctly signed call succeeds and the log names the scheme the client used."""
    SCHEMES[scheme](emulator, DEFAULT_KEY)
    [entry] = controls.requests()
    assert (entry["status"], entry["signature_scheme"]) == (200, scheme)


def test_wrong_secret_is_signature_does_not_match(emulator: Emulator, scheme: str) -> None:
    """A signature made with the wrong secret answers SignatureDoesNotMatch (400)."""
    err = error_of(lambda: SCHEMES[scheme](emulator, WRONG_SECRET))
    assert (err.code, err.data["statusCode"]) == ("SignatureDoesNotMatch", 400)
    assert "server string to sign is:" in err.data["Message"]


def test_unknown_access_key_is_not_found(emulator: Emulator, scheme: str) -> None:
    """An access key id the emulator does not know answers InvalidAccessKeyId.NotFound (404)."""
    err = error_of(lambda: SCHEMES[scheme](emulator, UNKNOWN_KEY))
    assert (err.code, err.data["statusCode"]) == ("InvalidAccessKeyId.NotFound", 404)


@pytest.fixture
def fixed_nonce(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the SDK send the same signature nonce on every request."""
    monkeypatch.setattr(
        Utils, "get_nonce", staticmethod(lambda: "0123456789abcdef0123456789abcdef")
    )
    yield


def test_replayed_nonce_is_rejected(emulator: Emulator, scheme: str, fixed_nonce: None) -> None:
    """A second request with the same nonce and key answers SignatureNonceUsed (400)."""
    SCHEMES[scheme](emulator, DEFAULT_KEY)
    err = error_of(lambda: SCHEMES[scheme](emulator, DEFAULT_KEY))
    assert (err.code, err.data["statusCode"]) == ("SignatureNonceUsed", 400)


def test_expired_timestamp_is_rejected(
    emulator: Emulator, scheme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request dated more than 15 minutes away answers InvalidTimeStamp.Expired."""
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: "2020-01-01T00:00:00Z"))
    monkeypatch.setattr(
        Utils, "get_date_utcstring", staticmethod(lambda: "Wed, 01 Jan 2020 00:00:00 GMT")
    )
    err = error_of(lambda: SCHEMES[scheme](emulator, DEFAULT_KEY))
    assert (err.code, err.data["statusCode"]) == ("InvalidTimeStamp.Expired", 400)


def test_unsigned_request_is_missing_access_key_id(emulator: Emulator) -> None:
    """A request without any signature answers MissingAccessKeyId (no SDK sends one unsigned)."""
    request = urllib.request.Request(
        f"{emulator.url}/?Action=ListProductVersions&Version=2021-09-01&ProductId=x"
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400
    assert info.value.headers["x-acs-request-id"]
    info.value.close()


def test_rpc_v1_matches_the_documented_example() -> None:
    """The RPC v1 signature of Alibaba Cloud's documented DescribeRegions example is reproduced."""
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    string_to_sign = rpc_string_to_sign("GET", params)
    assert string_to_sign.startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")
    assert rpc_signature(string_to_sign, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
PARAMS = st.dictionaries(
    st.from_regex(r"[A-Za-z][A-Za-z0-9.]{0,15}", fullmatch=True), TEXT, max_size=6
)


@settings(max_examples=50, deadline=None)
@given(params=PARAMS, secret=st.text(min_size=1, max_size=30))
def test_rpc_v1_agrees_with_the_sdk(params: dict[str, str], secret: str) -> None:
    """The emulator's RPC v1 signature equals the SDK's for any parameters."""
    ours = rpc_signature(rpc_string_to_sign("POST", params), secret)
    assert ours == Utils.get_rpcsignature(params, "POST", secret)


def _dara_request(
    method: str, path: str, query: dict[str, str], headers: dict[str, str]
) -> DaraRequest:
    request = DaraRequest()
    request.method, request.pathname, request.query, request.headers = method, path, query, headers
    return request


@settings(max_examples=50, deadline=None)
@given(query=PARAMS, nonce=TEXT)
def test_roa_v1_agrees_with_the_sdk(query: dict[str, str], nonce: str) -> None:
    """The emulator's ROA string to sign and signature equal the SDK's."""
    headers = {
        "accept": "application/json",
        "date": "Thu, 06 Feb 2020 07:32:54 GMT",
        "x-acs-signature-nonce": nonce.strip(),
        "x-acs-version": "2019-03-20",
    }
    ours = roa_string_to_sign(
        SignedRequest("GET", "/pop/v1/wam/pkgVersion", query, headers, b"", {})
    )
    assert ours == Utils.get_string_to_sign(
        _dara_request("GET", "/pop/v1/wam/pkgVersion", query, headers)
    )
    assert roa_signature(ours, "s") == Utils.get_roasignature(ours, "s")


@settings(max_examples=50, deadline=None)
@given(query=PARAMS, body=st.binary(max_size=64))
def test_acs3_agrees_with_the_sdk(query: dict[str, str], body: bytes) -> None:
    """The emulator's ACS3-HMAC-SHA256 signature equals the SDK's Authorization header's."""
    payload = hashlib.sha256(body).hexdigest()
    headers = {
        "host": "127.0.0.1:9000",
        "x-acs-action": "GetProductVersion",
        "x-acs-content-sha256": payload,
    }
    authorization = Utils.get_authorization(
        _dara_request("POST", "/", query, headers), "ACS3-HMAC-SHA256", payload, "AK", "secret"
    )
    request = SignedRequest("POST", "/", query, headers, body, {})
    canonical = acs3_canonical_request(request, sorted(headers), payload)
    assert authorization.endswith(
        "Signature=" + acs3_signature(acs3_string_to_sign(canonical), "secret")
    )
