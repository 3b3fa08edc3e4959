"""Messages quote an input's value only where the front door knows it is not secret, and the
package root exports the whole error tree."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from darabonba.exceptions import UnretryableException
from darabonba.policy.retry import RetryPolicyContext

import alicloud_versions
from alicloud_versions.core import client as _client
from alicloud_versions.core import errors
from alicloud_versions.core.config import Credentials, Settings
from alicloud_versions.core.errors import AdoptionError, Disclosure, Target
from alicloud_versions.core.failures import map_exception
from alicloud_versions.core.webplus import PkgVersionCore

from .sdk_errors import api_exception
from .test_retries import Runner

SETTINGS = Settings(credentials=Credentials("id", "secret"), max_retry_time=0)
LABEL = "hunter2-label"
INPUTS = {
    "app_id": "wa-1",
    "package_source": "oss://bucket/app.war",
    "pkg_version_label": LABEL,
}


def test_the_package_root_exports_the_whole_error_tree() -> None:
    """Every class of the tree `core.errors` lists is importable from the package root and
    listed in its `__all__`, and nothing else there is an error."""
    assert errors.__all__
    for name in errors.__all__:
        assert getattr(alicloud_versions, name) is getattr(errors, name)
        assert issubclass(getattr(alicloud_versions, name), errors.AlicloudVersionsError)
    assert set(alicloud_versions.__all__) == {
        *errors.__all__,
        "__version__",
        "servicecatalog",
        "webplus",
    }
    from alicloud_versions import InUseError  # the one that raised AttributeError

    assert InUseError is errors.InUseError


def test_a_connection_error_shows_no_query_string() -> None:
    """A connection error prints the URL it asked for; its query, which holds the request's
    parameters (a secret input among them), is redacted."""
    url = "/?Action=ListProductVersions&Filters.1.Key=Name&Filters.1.Value=hunter2"
    cause = requests.ConnectionError(
        f"HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: {url} "
        "(Caused by NewConnectionError('Failed to establish a new connection'))"
    )
    exc = UnretryableException(RetryPolicyContext(retries_attempted=1, exception=cause))
    error = map_exception(exc, target=Target("servicecatalog.ProductVersion"), operation="List")
    assert error is not None
    assert "hunter2" not in str(error) and "Filters" not in str(error)
    assert "Max retries exceeded with url: /?[redacted]" in str(error)


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        ({"pkg_version_label"}, False),  # the plugin: the engine marked it secret
        (Disclosure(known=False), False),  # the dynamic front door: it cannot tell
        ((), True),  # the plugin: known to be plain
    ],
)
def test_a_session_shows_a_name_only_when_known_plain(
    monkeypatch: pytest.MonkeyPatch, secret: Any, shown: bool
) -> None:
    """The resource's name (a package version's label) is in an error's title only when it is
    known not to be secret; otherwise an API's echo of it is redacted too."""
    monkeypatch.setattr(_client, "new_client", lambda *a: Runner())
    session = PkgVersionCore(SETTINGS).session(INPUTS, secret=secret)
    assert (session.target.name == LABEL) is shown

    def echo(_client: Any, _runtime: Any) -> None:
        raise api_exception("VersionLabelExists", 400, f"The label {LABEL} already exists.")

    with pytest.raises(errors.ApiError) as caught:
        session.call(PkgVersionCore.CREATE, echo)
    assert (LABEL in str(caught.value)) is shown


def test_adopting_under_a_secret_label_never_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the label a secret input names belongs to another version, adoption fails naming
    that version, not the label."""
    core = PkgVersionCore(SETTINGS)
    monkeypatch.setattr(core, "_find", lambda *a: {"pkg_version_id": "wp-other"})
    for secret in ({"pkg_version_label"}, Disclosure(known=False)):
        with pytest.raises(AdoptionError) as caught:
            core.create_resource({**INPUTS, "adopt_id": "wp-mine"}, secret)
        assert LABEL not in str(caught.value)
        assert "'wp-other'" in str(caught.value)


def test_a_taken_label_names_the_resource_of_the_stack_that_holds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the plugin, which the engine tells each resource's URN: a second package version
    given a label the stack's first one holds fails naming that first resource, and does not
    advise adopting its version (one version under two resources)."""
    import asyncio

    from pulumi.provider.experimental.property_value import PropertyValue
    from pulumi.provider.experimental.provider import DiffRequest

    from alicloud_versions.plugin import AlicloudVersionsProvider

    plugin = AlicloudVersionsProvider()
    type_ = "alicloud-versions:webplus:PkgVersion"
    urn = "urn:pulumi:dev::shop::" + type_ + "::{}"
    props = {"appId": PropertyValue("wa-1"), "pkgVersionLabel": PropertyValue(LABEL)}
    asyncio.run(plugin.diff(DiffRequest(urn.format("web-1-5"), "wp-first", props, props, [])))

    core = plugin._provider(type_)
    core._settings = SETTINGS
    monkeypatch.setattr(_client, "new_client", lambda *a: Runner())
    monkeypatch.setattr(core, "_find", lambda *a: {"pkg_version_id": "wp-first"})

    def taken(_client: Any, _runtime: Any) -> None:
        raise api_exception("VersionLabelExists", 400, "The version label already exists.")

    monkeypatch.setattr(core, "request", lambda *a, **k: taken)
    with pytest.raises(errors.ApiError) as caught:
        core.create_resource(INPUTS)
    message = str(caught.value)
    assert "belongs to version wp-first: resource 'web-1-5' of this stack manages it" in message
    assert "adopt_id" not in message
