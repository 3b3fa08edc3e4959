"""Secret inputs over the provider protocol: never in a message, and what is made from one is
secret too."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from pulumi.runtime import rpc

from alicloud_versions.webplus import ApplicationProvider, PkgVersionProvider

from .conftest import Host, secret

SOURCE = "oss://bucket/hunter2-release.war"


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig


def test_outputs_made_from_a_secret_input_are_secret(host: Host) -> None:
    """A secret package source keeps its own output secret and makes package_url secret too."""
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    props = {"app_id": app_id, "pkg_version_label": "1.0", "package_source": secret(SOURCE)}
    id_, outs = host.create(PkgVersionProvider(), props)
    assert _is_secret(outs["package_source"]) and _is_secret(outs["package_url"])
    assert not _is_secret(outs["pkg_version_label"])
    _, read_outs, _ = host.read(
        PkgVersionProvider(), id_, {**outs, "package_source": secret(SOURCE)}
    )
    assert _is_secret(read_outs["package_url"])


def test_a_plain_package_source_leaves_package_url_plain(host: Host) -> None:
    """Without a secret input nothing is made secret."""
    app_id, _ = host.create(ApplicationProvider(), {"app_name": "shop"})
    props = {"app_id": app_id, "pkg_version_label": "1.0", "package_source": SOURCE}
    _, outs = host.create(PkgVersionProvider(), props)
    assert not _is_secret(outs["package_url"])


def test_an_adoption_mismatch_never_shows_a_secret_input(host: Host) -> None:
    """Adopting an application whose description differs from a secret one names the field and
    says it is secret, with neither value."""
    app_id, _ = host.create(
        ApplicationProvider(), {"app_name": "shop", "app_description": "live-hunter3"}
    )
    with pytest.raises(grpc.RpcError) as caught:
        host.create(
            ApplicationProvider(),
            {"app_name": "shop", "app_description": secret("input-hunter4"), "adopt_id": app_id},
        )
    details = caught.value.details()
    assert "app_description (secret: the input and the existing value differ)" in details
    assert "hunter3" not in details and "hunter4" not in details
    assert "Traceback" not in details
    assert "hunter" not in host.stderr()
