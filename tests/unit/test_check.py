"""check validates every input before any API call and names each bad property."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from alicloud_versions.dynamic._provider import BaseProvider
from alicloud_versions.servicecatalog import (
    PortfolioProvider,
    PrincipalPortfolioAssociationProvider,
    ProductPortfolioAssociationProvider,
    ProductProvider,
    ProductVersionProvider,
    ProvisionedProductProvider,
    TemplateProvider,
)
from alicloud_versions.webplus import AppEnvProvider, ApplicationProvider, PkgVersionProvider

from .resources import PROVIDERS, VALID, provider_id

pytestmark = pytest.mark.usefixtures("no_network")


def failures(cls: type[BaseProvider], news: dict[str, Any]) -> dict[str, list[str]]:
    """The check failures for `news`, by the property each names in its reason."""
    out: dict[str, list[str]] = {}
    for failure in cls().check({}, dict(news)).failures:
        assert failure.property == ""  # the engine would print the value of one it names
        out.setdefault(failure.reason.split()[0], []).append(failure.reason)
    return out


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_valid_inputs_pass(cls: type[BaseProvider], no_network: list[Any]) -> None:
    """Valid inputs give no failure, come back unchanged, and no client is built."""
    result = cls().check({}, dict(VALID[cls]))
    assert result.failures == []
    assert result.inputs == VALID[cls]
    assert no_network == []


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_every_missing_required_input_is_reported(cls: type[BaseProvider]) -> None:
    """With no inputs, every required property is named, all at once."""
    required = {name for name, field in cls.kind.INPUTS.items() if field.required}
    assert required
    assert set(failures(cls, {})) == required


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_unknown_values_pass(cls: type[BaseProvider]) -> None:
    """Inputs unknown at preview (either form of the sentinel) never fail."""
    news = {name: Unknown() for name in VALID[cls]}
    assert failures(cls, news) == {}
    news = {name: UNKNOWN for name in VALID[cls]}
    assert failures(cls, news) == {}


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_undeclared_input_is_reported(cls: type[BaseProvider]) -> None:
    """An input the resource does not declare is named as a failure."""
    assert "colour" in failures(cls, {**VALID[cls], "colour": "red"})


def test_pkg_version_reports_all_problems_at_once() -> None:
    """Bad source, overlong label and bad region are reported together, each by name."""
    found = failures(
        PkgVersionProvider,
        {
            "app_id": "wa-1",
            "package_source": "s3://bucket/app.war",
            "pkg_version_label": "x" * 129,
            "region": "Hangzhou!",
        },
    )
    assert set(found) == {"package_source", "pkg_version_label", "region"}
    assert "oss://bucket/object" in found["package_source"][0]
    assert "1 to 128" in found["pkg_version_label"][0]


@pytest.mark.parametrize(
    "source",
    ["oss://bucket", "oss://bucket/", "oss:/bucket/a", "http://bucket/a", "oss://B/a", ""],
)
def test_package_source_must_be_an_oss_object(source: str) -> None:
    """package_source must be written oss://bucket/object."""
    assert "package_source" in failures(
        PkgVersionProvider, {**VALID[PkgVersionProvider], "package_source": source}
    )


@pytest.mark.parametrize("active", ["true", 1, 0, "yes", 1.0])
def test_active_must_be_a_boolean(active: Any) -> None:
    """active accepts only true or false, not strings or numbers."""
    found = failures(ProductVersionProvider, {**VALID[ProductVersionProvider], "active": active})
    assert "boolean" in found["active"][0]


@pytest.mark.parametrize("guidance", ["default", "Stable", ""])
def test_guidance_is_one_of_the_documented_values(guidance: str) -> None:
    """guidance must be Default, Recommended, Latest or Deprecated, with that casing."""
    found = failures(
        ProductVersionProvider, {**VALID[ProductVersionProvider], "guidance": guidance}
    )
    assert "Default, Recommended, Latest, Deprecated" in found["guidance"][0]


@pytest.mark.parametrize("template_type", ["Terraform", "rosTerraformTemplate", "ROS"])
def test_template_type_is_one_of_the_documented_values(template_type: str) -> None:
    """template_type must be RosTerraformTemplate or RosStandardTemplate."""
    found = failures(
        ProductVersionProvider,
        {**VALID[ProductVersionProvider], "template_type": template_type},
    )
    assert "template_type" in found


def test_secret_inputs_are_validated_by_their_value() -> None:
    """A secret-wrapped input is checked by the value inside the wrapper."""
    from pulumi.runtime.rpc import wrap_rpc_secret

    good = {**VALID[PkgVersionProvider], "pkg_version_label": wrap_rpc_secret("1.5")}
    assert failures(PkgVersionProvider, good) == {}


# Hypothesis: any one invalid value for any field is rejected, naming that field. -------------
# The oracle: each input's rules as the README and the docstrings state them, written here
# again on purpose, and for each rule values built to break it (never picked by asking check).

_NOT_STRING = st.one_of(
    st.integers(), st.booleans(), st.floats(allow_nan=False), st.lists(st.text(), max_size=2)
)
_SPACE = st.sampled_from([" ", "\t", "\n"])


def _text(low: int, high: int) -> st.SearchStrategy[Any]:
    """A string of `low` to `high` characters: too short, too long, or not a string."""
    too_long = st.integers(1, 40).flatmap(
        lambda extra: st.characters().map(lambda c: c * (high + extra))
    )
    return st.one_of(_NOT_STRING, st.just("x" * (low - 1)), too_long)


def _choice(*allowed: str) -> st.SearchStrategy[Any]:
    """One of `allowed`, case-sensitive: other strings, other casings, or not a string."""
    recased = st.sampled_from(allowed).flatmap(
        lambda v: st.sampled_from([v.lower(), v.upper(), v.swapcase(), v + " "])
    )
    return st.one_of(_NOT_STRING, st.text(max_size=30), recased).filter(lambda v: v not in allowed)


_BUCKET = st.from_regex(r"[a-z0-9][a-z0-9-]{1,20}[a-z0-9]", fullmatch=True)
_KEY = st.from_regex(r"[a-z0-9][a-z0-9/._-]{0,20}", fullmatch=True)


def _oss_object() -> st.SearchStrategy[Any]:
    """``oss://bucket/object`` with an OSS bucket name (3 to 63 of a-z, 0-9, '-', not at
    either end): another scheme, no object, a bucket name OSS forbids, or not a string."""
    wrong_scheme = st.tuples(
        st.sampled_from(["s3://", "http://", "oss:/", "OSS://", "oss:", ""]), _BUCKET, _KEY
    ).map(lambda t: f"{t[0]}{t[1]}/{t[2]}")
    no_object = _BUCKET.flatmap(lambda b: st.sampled_from([f"oss://{b}", f"oss://{b}/"]))
    bad_bucket = st.tuples(
        st.one_of(
            _BUCKET.map(lambda b: b[0] + "A" + b[1:]),
            _BUCKET.map(lambda b: "-" + b),
            _BUCKET.map(lambda b: b + "-"),
            st.sampled_from(["a", "ab", "x" * 64]),
        ),
        _KEY,
    ).map(lambda t: f"oss://{t[0]}/{t[1]}")
    return st.one_of(_NOT_STRING, wrong_scheme, no_object, bad_bucket)


def _template_url() -> st.SearchStrategy[Any]:
    """``oss://bucket/object`` without spaces: another scheme, no object, a space, or not a
    string."""
    wrong_scheme = st.tuples(st.sampled_from(["http://", "s3://", "oss:/", ""]), _BUCKET, _KEY).map(
        lambda t: f"{t[0]}{t[1]}/{t[2]}"
    )
    no_object = _BUCKET.flatmap(lambda b: st.sampled_from([f"oss://{b}", f"oss://{b}/"]))
    spaced = st.tuples(_BUCKET, _SPACE, _KEY).map(lambda t: f"oss://{t[0]}/{t[1]}{t[2]}")
    return st.one_of(_NOT_STRING, wrong_scheme, no_object, spaced)


def _region() -> st.SearchStrategy[Any]:
    """A region id such as ``cn-hangzhou`` (lowercase words joined by '-'): no '-', capitals,
    spaces, empty, or not a string."""
    words = st.from_regex(r"[a-z]{2,8}", fullmatch=True)
    return st.one_of(
        _NOT_STRING,
        st.just(""),
        words,
        st.tuples(words, words).map(lambda t: f"{t[0].upper()}-{t[1]}"),
        st.tuples(words, _SPACE, words).map(lambda t: f"{t[0]}-{t[1]}{t[2]}"),
    )


def _id() -> st.SearchStrategy[Any]:
    """An id: 1 to 256 characters without spaces: empty, too long, a space, or not a string."""
    part = st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True)
    return st.one_of(
        _NOT_STRING,
        st.just(""),
        st.integers(1, 20).map(lambda n: "x" * (256 + n)),
        st.tuples(part, _SPACE, part).map("".join),
    )


def _association_id() -> st.SearchStrategy[Any]:
    """An id of 1 to 128 characters with no space or colon (an association's id joins them
    with colons): empty, too long, a space, a colon, or not a string."""
    part = st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True)
    return st.one_of(
        _NOT_STRING,
        st.just(""),
        st.integers(1, 20).map(lambda n: "x" * (128 + n)),
        st.tuples(part, st.sampled_from([" ", ":", "\t"]), part).map("".join),
    )


def _map(most: int, value_high: int, tag_keys: bool = False) -> st.SearchStrategy[Any]:
    """A map of at most `most` strings of at most `value_high` characters, keys of 1 to 128
    characters (tag keys without acs:/aliyun or a URL): not a map, too many entries, a value
    not a string or too long, a key empty or too long."""
    key = st.from_regex(r"[a-z]{1,8}", fullmatch=True)
    bad_keys = ["", "k" * 129, *(["acs:x", "aliyun-x", "a http://b"] if tag_keys else [])]
    return st.one_of(
        _NOT_STRING.filter(lambda v: not isinstance(v, dict)),
        st.text(max_size=5),
        st.just({f"k{n}": "v" for n in range(most + 1)}),
        st.tuples(key, st.one_of(st.integers(), st.booleans(), st.none())).map(
            lambda t: {t[0]: t[1]}
        ),
        key.map(lambda k: {k: "v" * (value_high + 1)}),
        st.sampled_from(bad_keys).map(lambda k: {k: "v"}),
    )


def _option_settings() -> st.SearchStrategy[Any]:
    """WebPlus's OptionSettings, a JSON array of path/name/value string objects: not JSON, not
    an array, an item missing a key or with a value that is not a string, too long, or not a
    string."""
    item = st.fixed_dictionaries({"path": st.text(max_size=5), "name": st.text(max_size=5)})
    return st.one_of(
        _NOT_STRING,
        st.sampled_from(["[", "not json", '{"path": "a"}', '"text"', "[1]"]),
        item.map(lambda d: json.dumps([d])),
        item.map(lambda d: json.dumps([{**d, "value": 8080}])),
        st.integers(1, 20).map(lambda n: json.dumps([{"path": "a" * (4096 + n)}])),
    )


_BOOL = st.one_of(st.integers(), st.text(max_size=5), st.floats(allow_nan=False))
_TEMPLATE_TYPES = ("RosTerraformTemplate", "RosStandardTemplate")

_BROKEN: dict[type[BaseProvider], dict[str, st.SearchStrategy[Any]]] = {
    ApplicationProvider: {
        "app_name": _text(1, 128),
        "app_description": _text(1, 128),
        "category_name": _text(1, 64),
        "region": _region(),
        "adopt_id": _id(),
    },
    PkgVersionProvider: {
        "app_id": _text(1, 128),
        "package_source": _oss_object(),
        "pkg_version_label": _text(1, 128),
        "pkg_version_description": _text(1, 128),
        "region": _region(),
        "force_delete": _BOOL,
        "adopt_id": _id(),
    },
    AppEnvProvider: {
        "app_id": _text(1, 128),
        "env_name": _text(1, 128),
        "stack_id": _text(1, 128),
        "pkg_version_id": _text(1, 128),
        "env_description": _text(1, 128),
        "option_settings": _option_settings(),
        "profile_name": _choice("HighAvailability", "StandAlone"),
        "region": _region(),
    },
    ProductProvider: {
        "product_name": _text(1, 128),
        "provider_name": _text(1, 128),
        "product_type": _choice("Ros"),
        "description": _text(1, 128),
        "template_type": _choice(*_TEMPLATE_TYPES),
        "region": _region(),
        "adopt_id": _id(),
    },
    TemplateProvider: {
        "template_type": _choice(*_TEMPLATE_TYPES),
        "template_body": _text(1, 512 * 1024),
        "region": _region(),
        "adopt_id": _template_url(),
    },
    ProductVersionProvider: {
        "product_id": _text(1, 128),
        "product_version_name": _text(1, 128),
        "template_type": _choice(*_TEMPLATE_TYPES),
        "template_url": _template_url(),
        "description": _text(1, 128),
        "guidance": _choice("Default", "Recommended", "Latest", "Deprecated"),
        "active": _BOOL,
        "region": _region(),
        "force_delete": _BOOL,
        "adopt_id": _id(),
    },
    PortfolioProvider: {
        "portfolio_name": _text(1, 128),
        "provider_name": _text(1, 128),
        "description": _text(1, 128),
        "region": _region(),
        "adopt_id": _id(),
    },
    ProductPortfolioAssociationProvider: {
        "product_id": _association_id(),
        "portfolio_id": _association_id(),
        "region": _region(),
    },
    PrincipalPortfolioAssociationProvider: {
        "principal_id": _association_id(),
        "principal_type": _choice("RamUser", "RamRole"),
        "portfolio_id": _association_id(),
        "region": _region(),
    },
    ProvisionedProductProvider: {
        "product_id": _text(1, 128),
        "product_version_id": _text(1, 128),
        "portfolio_id": _text(1, 128),
        "provisioned_product_name": _text(1, 128),
        "stack_region_id": _region(),
        "parameters": _map(200, 4096),
        "tags": _map(20, 128, tag_keys=True),
        "region": _region(),
    },
}

_CASES = [(cls, name) for cls in PROVIDERS for name in cls.kind.INPUTS]


def test_the_oracle_covers_every_declared_input() -> None:
    """Each provider's inputs all have broken values above, so a new input needs its rules."""
    assert {cls: set(cls.kind.INPUTS) for cls in PROVIDERS} == {
        cls: set(fields) for cls, fields in _BROKEN.items()
    }


@pytest.mark.parametrize(("cls", "name"), _CASES, ids=[f"{c.TYPE}.{n}" for c, n in _CASES])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_invalid_value_is_rejected_naming_its_field(
    cls: type[BaseProvider], name: str, data: st.DataObject, no_network: list[Any]
) -> None:
    """A value built to break one stated rule of an input fails check with that input named,
    and only it, and no client is built."""
    value = data.draw(_BROKEN[cls][name])
    found = failures(cls, {**VALID[cls], name: value})
    assert set(found) == {name}, (name, value, found)
    assert no_network == []
