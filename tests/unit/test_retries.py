"""One retry policy: transient failures retry with jittered backoff, fatal ones fail at once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from alibabacloud_webplus20190320 import models as webplus_models
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from alicloud_versions import (
    ApiError,
    AuthenticationError,
    ConnectionLostError,
    LostCreateError,
    TransientError,
)
from alicloud_versions.core import client as _client
from alicloud_versions.core.client import Session
from alicloud_versions.core.config import Credentials, Service, Settings
from alicloud_versions.core.errors import Target
from alicloud_versions.core.operations import Operation
from alicloud_versions.webplus import PkgVersionProvider

from .sdk_errors import api_exception, dropped_connection

SETTINGS = Settings(credentials=Credentials("id", "secret"), max_retry_time=60)


def op(action: str) -> Operation:
    """The WebPlus operation `action`."""
    return Operation(Service.WEBPLUS, action)


class Runner:
    """A client each of whose SDK methods runs the request it is given (a `Script`) as
    ``request(client, runtime)``."""

    def __getattr__(self, method: str) -> Any:
        return lambda request, *rest: request(self, rest[-1])


class Script:
    """A request function that raises the scripted exceptions, then returns 'done'."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0
        self.runtimes: list[Any] = []

    def __call__(self, client: Any, runtime: Any) -> str:
        self.calls += 1
        self.runtimes.append(runtime)
        if self.failures:
            raise self.failures.pop(0)
        return "done"


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch) -> Session:
    """A session whose client factory returns a dummy client."""
    monkeypatch.setattr(_client, "new_client", lambda *a: Runner())
    return Session(SETTINGS, Service.WEBPLUS, "cn-hangzhou", Target("webplus.PkgVersion", "1.5"))


def test_transient_failures_are_retried_until_success(
    session: Session, no_sleep: list[float]
) -> None:
    """Throttling, 5xx and dropped connections are retried, with a wait before each retry."""
    script = Script(
        api_exception("Throttling.User", 400),
        api_exception("ServiceUnavailable", 503),
        api_exception("InternalError", 500),
        dropped_connection(),
    )
    assert session.call(op("DescribePkgVersions"), script) == "done"
    assert script.calls == 5
    assert len(no_sleep) == 4
    assert all(0 <= wait <= 8 for wait in no_sleep)


def test_backoff_is_jittered_and_grows(session: Session, no_sleep: list[float]) -> None:
    """The waits are random (jitter) within an exponentially growing ceiling."""
    script = Script(*[api_exception("Throttling", 400) for _ in range(40)])
    session.call(op("DescribePkgVersions"), script)
    assert len(set(no_sleep)) > 1
    assert max(no_sleep[:3]) <= 0.25 * 2**3
    assert max(no_sleep) <= 8


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("InvalidAccessKeyId.NotFound", 404),
        ("SignatureDoesNotMatch", 400),
        ("Forbidden.RAM", 403),
    ],
)
def test_wrong_credentials_fail_after_one_call(session: Session, code: str, status: int) -> None:
    """A wrong key or signature is raised at once, after exactly one call."""
    script = Script(api_exception(code, status))
    with pytest.raises(AuthenticationError, match=code):
        session.call(op("CreatePkgVersion"), script)
    assert script.calls == 1


def test_client_errors_are_not_retried(session: Session) -> None:
    """A not-found or a plain client error is raised after one call."""
    script = Script(api_exception("InvalidProductVersion.NotFound", 404))
    with pytest.raises(ApiError, match=r"InvalidProductVersion\.NotFound"):
        session.call(op("GetProductVersion"), script)
    assert script.calls == 1


def test_a_bug_in_a_request_is_raised_as_it_is_and_never_retried(session: Session) -> None:
    """An exception no SDK raises (our own bug) reaches the caller unmapped after one call."""
    script = Script(KeyError("product_version_id"), api_exception("Throttling", 400))
    with pytest.raises(KeyError):
        session.call(op("CreateProductVersion"), script, recover=lambda *_: "found")
    assert script.calls == 1


def test_retries_stop_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past max_retry_time the last transient error is raised, not retried forever."""
    monkeypatch.setattr(_client, "new_client", lambda *a: Runner())
    monkeypatch.setattr(_client, "_sleep", lambda s: time.sleep(min(s, 0.05)))
    settings = Settings(credentials=Credentials("id", "secret"), max_retry_time=0.3)
    session = Session(settings, Service.WEBPLUS, "cn-hangzhou", Target("webplus.PkgVersion"))

    class Forever:
        calls = 0

        def __call__(self, client: Any, runtime: Any) -> str:
            self.calls += 1
            raise api_exception("ServiceUnavailable", 503)

    forever = Forever()
    started = time.monotonic()
    with pytest.raises(TransientError, match="ServiceUnavailable"):
        session.call(op("DescribePkgVersions"), forever)
    assert time.monotonic() - started < 3
    assert forever.calls > 1


def test_sdk_autoretry_is_off(session: Session) -> None:
    """Each attempt runs with the SDK's own retries off, so one policy decides."""
    script = Script()
    session.call(op("DescribePkgVersions"), script)
    assert script.runtimes[0].autoretry is False


def test_recover_adopts_what_a_failed_create_left(session: Session) -> None:
    """Before retrying, recover looks for what was made since the first attempt began; when
    found, it is the result."""
    script = Script(dropped_connection())
    looked: list[float] = []

    def recover(once: Session, since: float) -> str:
        assert once.retries is False  # the lookup makes one attempt: no policy in a policy
        looked.append(since)
        return "found"

    before = time.time()
    assert session.call(op("CreateProductVersion"), script, recover=recover) == "found"
    assert script.calls == 1
    [since] = looked
    assert before <= since <= time.time()


def test_recover_finding_nothing_retries_the_create(session: Session) -> None:
    """When recover finds nothing, the create is tried again."""
    script = Script(dropped_connection())
    assert session.call(op("CreateProductVersion"), script, recover=lambda *_: None) == "done"
    assert script.calls == 2


def test_recover_is_not_used_on_the_first_attempt(session: Session) -> None:
    """A create that succeeds first time never looks for an existing resource."""

    def recover(_once: Session, _since: float) -> str:
        raise AssertionError("recover called")

    assert session.call(op("CreateProductVersion"), Script(), recover=recover) == "done"


def _no_retries(monkeypatch: pytest.MonkeyPatch) -> Session:
    """A session with `maxRetryTime` 0: a single attempt of each call."""
    monkeypatch.setattr(_client, "new_client", lambda *a: Runner())
    settings = Settings(credentials=Credentials("id", "secret"), max_retry_time=0)
    return Session(settings, Service.WEBPLUS, "cn-hangzhou", Target("webplus.Application", "shop"))


def test_the_lookup_also_runs_after_the_last_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no time left to retry, a lost answer is still looked up, and what it made is the
    result: the next update does not make a second one."""
    script = Script(dropped_connection())
    assert (
        _no_retries(monkeypatch).call(op("CreateApplication"), script, recover=lambda *_: "found")
        == "found"
    )
    assert script.calls == 1


def test_a_last_lookup_finding_nothing_raises_the_create_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the last lookup finds nothing, the create's own failure is raised."""
    script = Script(dropped_connection())
    with pytest.raises(ConnectionLostError, match="CreateApplication failed"):
        _no_retries(monkeypatch).call(op("CreateApplication"), script, recover=lambda *_: None)


@pytest.mark.parametrize(
    "lookup_error", [api_exception("Forbidden.RAM", 403), api_exception("ServiceUnavailable", 503)]
)
def test_a_lookup_that_cannot_run_says_the_create_may_have_been_applied(
    monkeypatch: pytest.MonkeyPatch, lookup_error: Exception
) -> None:
    """When the lookup fails too, the error names the kind, the name, both failures, and how
    to take over what the create may have made."""
    session = _no_retries(monkeypatch)

    def recover(once: Session, _since: float) -> str:
        return once.call(op("DescribeApplications"), Script(lookup_error))

    with pytest.raises(LostCreateError) as caught:
        session.call(op("CreateApplication"), Script(dropped_connection()), recover=recover)
    text = str(caught.value)
    assert text.startswith('webplus.Application "shop": CreateApplication failed: ')
    assert "may have been applied" in text
    assert f"DescribeApplications: {lookup_error.code}" in text  # type: ignore[attr-defined]
    assert "adopt_id" in text
    assert "alicloud-versions recover" in text


class FakeWebPlus:
    """A WebPlus client whose create drops the connection after the server applied it."""

    def __init__(self, created_ms: int | None = None, drops: int = 10) -> None:
        self.calls: list[str] = []
        # When the version holding the label was made: now (by the lost attempt) by default.
        self.created_ms = int(time.time() * 1000) if created_ms is None else created_ms
        self.drops = drops

    def create_pkg_version_with_options(self, request: Any, headers: Any, runtime: Any) -> Any:
        self.calls.append("CreatePkgVersion")
        if len([c for c in self.calls if c == "CreatePkgVersion"]) <= self.drops:
            raise dropped_connection()
        return webplus_models.CreatePkgVersionResponse().from_map(
            {"statusCode": 200, "body": {"Code": "OK", "PkgVersion": {"PkgVersionId": "wp-2"}}}
        )

    def describe_pkg_versions_with_options(self, request: Any, headers: Any, runtime: Any) -> Any:
        self.calls.append("DescribePkgVersions")
        assert request.pkg_version_label == "1.5"
        return webplus_models.DescribePkgVersionsResponse().from_map(
            {
                "statusCode": 200,
                "body": {
                    "Code": "OK",
                    "PkgVersions": {
                        "PkgVersion": [
                            {
                                "PkgVersionId": "wp-1",
                                "PkgVersionLabel": "1.5",
                                "AppId": request.app_id,
                                "PackageSource": "https://internal/app.war",
                                "CreateTime": self.created_ms,
                            }
                        ]
                    },
                },
            }
        )


def _configured_pkg_version_provider() -> PkgVersionProvider:
    provider = PkgVersionProvider()
    provider.configure(
        ConfigureRequest(
            Config(
                raw_config={"alicloud:accessKey": "id", "alicloud:secretKey": "s"},
                project_name="p",
            )
        )
    )
    return provider


_PKG_INPUTS = {
    "app_id": "wa-1",
    "package_source": "oss://bucket/app.war",
    "pkg_version_label": "1.5",
}


def test_pkg_version_create_adopts_its_own_work_after_a_lost_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A create whose answer was lost finds the version it made by label and adopts it."""
    fake = FakeWebPlus()
    monkeypatch.setattr(_client, "new_client", lambda *a: fake)
    result = _configured_pkg_version_provider().create(dict(_PKG_INPUTS))
    assert result.id == "wp-1"
    assert fake.calls == ["CreatePkgVersion", "DescribePkgVersions"]
    assert result.outs is not None
    assert result.outs["package_source"] == "oss://bucket/app.war"
    assert result.outs["package_url"] == "https://internal/app.war"


def test_pkg_version_create_never_adopts_a_version_older_than_its_first_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A version that held the label before the create began is someone else's: the create is
    tried again instead of taking it over."""
    fake = FakeWebPlus(created_ms=int((time.time() - 3600) * 1000), drops=1)
    monkeypatch.setattr(_client, "new_client", lambda *a: fake)
    result = _configured_pkg_version_provider().create(dict(_PKG_INPUTS))
    assert result.id == "wp-2"
    assert fake.calls == ["CreatePkgVersion", "DescribePkgVersions", "CreatePkgVersion"]


def test_connection_lost_error_is_transient() -> None:
    """ConnectionLostError is a TransientError, so the policy retries it."""
    assert issubclass(ConnectionLostError, TransientError)


def test_each_retry_is_reported_as_it_happens(
    session: Session, caplog: pytest.LogCaptureFixture, no_sleep: list[float]
) -> None:
    """Every retry is reported before its wait, one line each: resource, operation, code,
    attempt, the wait, the time left and the setting that bounds it."""
    script = Script(api_exception("Throttling.User", 400), api_exception("Throttling.User", 400))
    with caplog.at_level("WARNING", logger="alicloud_versions.retries"):
        assert session.call(op("CreatePkgVersion"), script) == "done"
    lines = [r.getMessage() for r in caplog.records if r.name == "alicloud_versions.retries"]
    assert len(lines) == 2 == len(no_sleep)
    for attempt, (line, wait) in enumerate(zip(lines, no_sleep, strict=True), start=1):
        assert line.startswith(
            f'webplus.PkgVersion "1.5": CreatePkgVersion failed with Throttling.User '
            f"(attempt {attempt}); retrying in {wait:.1f}s, "
        )
        assert line.endswith("s left of the 60s retry limit (alicloud-versions:maxRetryTime)")
