"""check's rules at their edges: whole-value patterns, blank names, the services' OSS rule, and
messages that never echo a secret nor more than 64 characters of a value."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.runtime import rpc

from alicloud_versions.core.webplus import PkgVersionCore
from alicloud_versions.dynamic._provider import BaseProvider
from alicloud_versions.servicecatalog import ProductVersionProvider
from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .resources import VALID

pytestmark = pytest.mark.usefixtures("no_network")


def reasons(cls: type[BaseProvider], **changes: Any) -> dict[str, list[str]]:
    """The check failures, by the property each names in its reason, of the valid inputs with
    `changes`."""
    out: dict[str, list[str]] = {}
    for failure in cls().check({}, {**VALID[cls], **changes}).failures:
        assert failure.property == ""  # the engine would print the value of one it names
        out.setdefault(failure.reason.split()[0], []).append(failure.reason)
    return out


def secret(value: Any) -> dict[str, Any]:
    """`value` as the engine hands a secret input to check."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


@pytest.mark.parametrize(
    ("cls", "name", "value"),
    [
        (PkgVersionProvider, "package_source", "oss://bucket/app.war\n"),
        (ProductVersionProvider, "template_url", "oss://bucket/t.json\n"),
        (ApplicationProvider, "region", "cn-hangzhou\n"),
    ],
)
def test_a_trailing_newline_never_passes_a_pattern(
    cls: type[BaseProvider], name: str, value: str
) -> None:
    """Patterns match the whole value: one newline more is refused."""
    assert name in reasons(cls, **{name: value})


@pytest.mark.parametrize("value", [" ", "   ", "\t\n"])
def test_names_made_only_of_whitespace_are_refused(value: str) -> None:
    """A name of spaces is no name."""
    assert reasons(ApplicationProvider, app_name=value)["app_name"] == [
        "app_name must not be only whitespace"
    ]


@pytest.mark.parametrize(
    "value",
    [
        "oss://bucket/a b.war",
        "oss://bu/app.war",
        "oss://Bucket/app.war",
        "oss://bucket/",
        "s3://b/k",
    ],
)
def test_package_sources_the_service_refuses_fail_check(value: str) -> None:
    """What WebPlus answers OSSPathInvalid for (a space in the key, a bad bucket name) fails
    at check, before any call; the template URL follows the same one rule."""
    assert "package_source" in reasons(PkgVersionProvider, package_source=value)
    assert "template_url" in reasons(ProductVersionProvider, template_url=value)


def test_package_sources_the_service_accepts_pass_check() -> None:
    """Keys with slashes, dots and non-ASCII letters are fine."""
    for value in ("oss://my-bucket-01/releases/2026/app-1.0.war", "oss://abc/版本/app.war"):
        assert reasons(PkgVersionProvider, package_source=value) == {}


def test_no_value_is_echoed_since_any_may_be_a_secret() -> None:
    """The dynamic provider host cannot tell which inputs are secret (the engine strips the
    marks), so a reason names the field and what is allowed, never the value, plain or
    secret-wrapped; and no failure names a property, whose value the engine would print."""
    for value in ("oss://mybucket/hunter2 x.war", secret("oss://mybucket/hunter2 x.war")):
        found = reasons(PkgVersionProvider, package_source=value)
        [reason] = found["package_source"]
        assert "hunter2" not in reason and "mybucket" not in reason
        assert "oss://bucket/object" in reason  # what is allowed


def test_a_near_miss_in_case_is_suggested() -> None:
    """A value that differs from an allowed one only in case is pointed at it, without being
    quoted itself."""
    [reason] = reasons(ProductVersionProvider, guidance="recommended")["guidance"]
    assert reason == (
        "guidance must be one of Default, Recommended, Latest, Deprecated "
        "(did you mean 'Recommended'?)"
    )


def test_long_values_are_quoted_to_64_characters() -> None:
    """Where a value may be quoted (the plugin, for a plain input), a 5 MB value is quoted by its
    first 64 characters and its length."""
    value = "oss://" + "x" * 5_000_000
    [(name, reason)] = PkgVersionCore().check_inputs(
        {**VALID[PkgVersionProvider], "package_source": value}
    )
    assert name == "package_source"
    assert repr(value[:64]) in reason
    assert "(5000006 characters)" in reason
    assert len(reason) < 400
