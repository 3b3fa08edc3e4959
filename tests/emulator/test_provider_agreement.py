"""The emulator takes what the provider declares: each enum and length limit of a parameter the
provider sends agrees between the provider's kinds and the emulated service, by API name."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from alicloud_versions.core import KINDS
from alicloud_versions.core.fields import Input
from alicloud_versions.core.validate import describe
from alicloud_versions.emulator import SERVICES, Service

# Provider inputs whose limit the emulator deliberately does not declare, with the reason.
UNDECLARED = {
    ("webplus", "AppId"): "an id WebPlus made: an unknown one answers ResourceAuthFailed",
    ("servicecatalog", "ProductId"): "an id the service made: an unknown one answers not found",
    ("servicecatalog", "ProductVersionId"): "an id the service made: unknown is not found",
    ("servicecatalog", "PortfolioId"): "an id the service made: unknown is not found",
    ("servicecatalog", "PrincipalId"): "a RAM id: the emulator has no RAM to look it up in",
}
# Emulator limits of parameters no provider input sends, with the reason.
EMULATOR_ONLY: dict[tuple[str, str], str] = {}

_LENGTH = re.compile(r"^([\d,]+) to ([\d,]+) characters$")
_CHOICES = re.compile(r"``([^`]+)``")


def _api_name(name: str) -> str:
    """`pkg_version_label` -> `PkgVersionLabel`, as the requests spell it."""
    return "".join(part.title() for part in name.split("_"))


def _sent(service: Service) -> Iterator[tuple[str, str, Input]]:
    """(kind, API name, input) of every input the provider sends to `service`."""
    for kind in KINDS:
        if kind._SERVICE.value != service.name:
            continue
        for name, declared in kind.INPUTS.items():
            if declared.create_only or declared.local or name == "region":
                continue
            yield kind.TYPE, _api_name(name), declared


def _length(declared: Input) -> tuple[int, int] | None:
    for constraint in describe(declared.rules):
        if match := _LENGTH.match(constraint):
            low, high = (int(n.replace(",", "")) for n in match.groups())
            return low, high
    return None


def _choices(declared: Input) -> set[str] | None:
    for constraint in describe(declared.rules):
        if constraint.startswith("one of "):
            return set(_CHOICES.findall(constraint))
    return None


def test_every_provider_kind_reaches_a_registered_service() -> None:
    """Each kind's service is one the emulator registers, so no kind escapes the checks below."""
    assert {kind._SERVICE.value for kind in KINDS} <= {service.name for service in SERVICES}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_length_limits_agree(service: Service) -> None:
    """A parameter's length limit is the same in the provider's check and the emulator's."""
    provider: dict[str, tuple[int, int] | None] = {}
    disagreements = []
    for kind, api_name, declared in _sent(service):
        limit = _length(declared)
        provider[api_name] = limit
        if limit is None or (service.name, api_name) in UNDECLARED:
            continue
        emulated = service.lengths.get(api_name)
        if emulated != limit:
            disagreements.append(f"{kind} {api_name}: provider {limit}, emulator {emulated}")
    for api_name, emulated in service.lengths.items():
        if (service.name, api_name) in EMULATOR_ONLY:
            assert api_name not in provider, f"{api_name} is sent now: drop the exemption"
            continue
        if provider.get(api_name) != emulated:
            disagreements.append(
                f"{api_name}: emulator {emulated}, provider {provider.get(api_name, 'no input')}"
            )
    assert disagreements == []


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
def test_enums_agree(service: Service) -> None:
    """A parameter that takes one of fixed values takes the same values in both."""
    disagreements = []
    for kind, api_name, declared in _sent(service):
        emulated = service.choices.get(api_name)
        provider = _choices(declared)
        if (provider, emulated) == (None, None):
            continue
        if provider != (set(emulated) if emulated is not None else None):
            disagreements.append(f"{kind} {api_name}: provider {provider}, emulator {emulated}")
    assert disagreements == []


def test_the_exemptions_are_still_needed() -> None:
    """An exempted provider input still has a length limit the emulator does not declare."""
    by_name = {s.name: s for s in SERVICES}
    for service_name, api_name in UNDECLARED:
        service = by_name[service_name]
        limits = [_length(d) for _, name, d in _sent(service) if name == api_name]
        assert limits and all(limits), f"{service_name} {api_name} has no provider limit now"
        assert api_name not in service.lengths, f"{service_name} {api_name} is declared now"
