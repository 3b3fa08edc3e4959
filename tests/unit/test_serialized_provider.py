"""The provider blob each dynamic resource carries in its state: small, and loadable across
versions."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from alicloud_versions.core import KINDS, kind_named
from alicloud_versions.core.lifecycle import ResourceCore
from alicloud_versions.dynamic import servicecatalog as dynamic_servicecatalog
from alicloud_versions.dynamic import webplus as dynamic_webplus
from alicloud_versions.dynamic._provider import BaseProvider

PROVIDERS = [
    getattr(module, name)
    for module in (dynamic_webplus, dynamic_servicecatalog)
    for name in module.__all__
    if name.endswith("Provider")
]

# Blobs as earlier versions wrote them into states: the class under the service's public module
# with an empty state (before `__getstate__` returned None), and under
# `alicloud_versions.dynamic.webplus` with none (the version before blobs named the public module).
OLD_BLOBS = {
    "public module, empty state": (
        "gASVOwAAAAAAAACMGWFsaWNsb3VkX3ZlcnNpb25zLndlYnBsdXOUjBNBcHBsaWNhdGlvblByb3ZpZGVylJOUKYGU"
        "fZRiLg==",
        dynamic_webplus.ApplicationProvider,
    ),
    "dynamic module, no state": (
        "gASVPwAAAAAAAACMIWFsaWNsb3VkX3ZlcnNpb25zLmR5bmFtaWMud2VicGx1c5SMElBrZ1ZlcnNpb25Qcm92aWRl"
        "cpSTlCmBlC4=",
        dynamic_webplus.PkgVersionProvider,
    ),
    "main before providers held their core": (
        "gASVQgAAAAAAAACMIGFsaWNsb3VkX3ZlcnNpb25zLnNlcnZpY2VjYXRhbG9nlIwWUHJvZHVjdFZlcnNpb25Qcm92"
        "aWRlcpSTlCmBlC4=",
        dynamic_servicecatalog.ProductVersionProvider,
    ),
}

# Every kind's provider as main serialized it before the typed classes moved to one module per
# resource (main at 9147418, one generated module per service), by its TYPE.
MAIN_BLOBS: dict[str, str] = json.loads(
    (Path(__file__).parent / "data" / "provider_blobs_one_module_per_service.json").read_text()
)["blobs"]


def test_every_service_has_providers() -> None:
    """The providers this file checks are every kind."""
    assert {p.TYPE for p in PROVIDERS} == {k.TYPE for k in KINDS}
    assert all(issubclass(p, BaseProvider) for p in PROVIDERS)


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.__name__)
def test_blob_names_the_public_module_and_loads_as_the_class(provider: type) -> None:
    """A provider serializes by reference to its service's public module (the shorter name older
    states use), with no state, and loads back as the same class."""
    raw = base64.b64decode(serialize_provider(provider()))
    service = provider.__module__.rpartition(".")[2]
    module = f"alicloud_versions.{service}"
    assert module.encode() in raw
    assert b"dynamic" not in raw
    # A class reference and nothing else: the names and about 20 bytes of pickle opcodes.
    assert len(raw) <= len(module) + len(provider.__name__) + 24
    assert type(dill.loads(raw)) is provider


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.__name__)
def test_provider_stays_importable_from_the_dynamic_front_door(provider: type) -> None:
    """The class is the one `alicloud_versions.dynamic.<service>` and the public module export."""
    import importlib

    service = provider.__module__.rpartition(".")[2]
    dynamic = importlib.import_module(f"alicloud_versions.dynamic.{service}")
    public = importlib.import_module(f"alicloud_versions.{service}")
    assert getattr(dynamic, provider.__name__) is provider is getattr(public, provider.__name__)


@pytest.mark.parametrize("blob, provider", OLD_BLOBS.values(), ids=list(OLD_BLOBS))
def test_blobs_of_earlier_versions_load(blob: str, provider: type) -> None:
    """A provider serialized by an earlier version loads as today's class."""
    assert type(dill.loads(base64.b64decode(blob))) is provider


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.__name__)
def test_a_provider_holds_the_core_its_type_names(provider: type[BaseProvider]) -> None:
    """A provider is no resource core: it holds the one its TYPE names, and having made it
    still serializes to the same bytes (the core never reaches the state)."""
    assert not issubclass(provider, ResourceCore)
    made = provider()
    blank = serialize_provider(made)
    assert type(made.core) is provider.kind is kind_named(provider.TYPE)
    assert serialize_provider(made) == blank


@pytest.mark.parametrize("blob, provider", OLD_BLOBS.values(), ids=list(OLD_BLOBS))
def test_blobs_of_earlier_versions_serve_their_core(blob: str, provider: type) -> None:
    """A provider loaded from an earlier version's blob checks inputs through its core."""
    loaded = dill.loads(base64.b64decode(blob))
    result = loaded.check({}, {"bogus": 1})
    # The dynamic front door names the field in the reason, never as the property.
    assert result.failures[0].reason.startswith("bogus ")


@pytest.mark.parametrize("type_", sorted(MAIN_BLOBS))
def test_blobs_of_one_module_per_service_load_and_match(type_: str) -> None:
    """A provider serialized when each service's classes were one module loads as today's class,
    serving its core, and today's provider serializes to the same bytes, so a state written by
    either version loads in the other."""
    provider = {p.TYPE: p for p in PROVIDERS}[type_]
    loaded = dill.loads(base64.b64decode(MAIN_BLOBS[type_]))
    assert type(loaded) is provider
    assert loaded.check({}, {"bogus": 1}).failures[0].reason.startswith("bogus ")
    assert serialize_provider(provider()) == MAIN_BLOBS[type_]
