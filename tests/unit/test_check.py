"""check validates every input before any API call and names each bad property."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from alicloud_versions._props import BaseProvider
from alicloud_versions.servicecatalog import ProductVersionProvider
from alicloud_versions.webplus import PkgVersionProvider

from .resources import PROVIDERS, VALID, provider_id

pytestmark = pytest.mark.usefixtures("no_network")


def failures(cls: type[BaseProvider], news: dict[str, Any]) -> dict[str, list[str]]:
    """The check failures for `news`, by property."""
    out: dict[str, list[str]] = {}
    for failure in cls().check({}, dict(news)).failures:
        out.setdefault(failure.property, []).append(failure.reason)
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
    required = {name for name, field in cls._FIELDS.items() if field.required}
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

_NOT_STRING = st.one_of(st.integers(), st.booleans(), st.lists(st.text(), max_size=2))


def _bad_values(cls: type[BaseProvider], name: str) -> st.SearchStrategy[Any]:
    """Values that break `name`'s declared rules."""
    field = cls._FIELDS[name]
    probes: list[st.SearchStrategy[Any]] = []
    if name == "active":
        return st.one_of(st.integers(), st.text(), st.floats(allow_nan=False))
    probes.append(_NOT_STRING)
    probe_texts = st.one_of(
        st.just(""),
        st.text(min_size=129, max_size=300),
        st.text(max_size=40).map(lambda s: "bad value " + s),
    )
    return st.one_of(
        *probes,
        probe_texts.filter(lambda value: bool(field.problems(value))),
    )


_CASES = [(cls, name) for cls in PROVIDERS for name in cls._FIELDS]


@pytest.mark.parametrize(("cls", "name"), _CASES, ids=[f"{c._TYPE}.{n}" for c, n in _CASES])
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_invalid_value_is_rejected_naming_its_field(
    cls: type[BaseProvider], name: str, data: st.DataObject, no_network: list[Any]
) -> None:
    """An invalid value of any input fails check with that input named, and no client is built."""
    value = data.draw(_bad_values(cls, name))
    found = failures(cls, {**VALID[cls], name: value})
    assert name in found, (name, value, found)
    assert set(found) == {name}
    assert no_network == []
