"""The ownership rule: only a resource made since the create began is taken for its own."""

from __future__ import annotations

import math

import pytest

from alicloud_versions import OwnershipError
from alicloud_versions.core.errors import Target
from alicloud_versions.core.ownership import (
    CLOCK_SKEW,
    Candidate,
    Lookup,
    clock_offset,
    made_since,
    parse_time,
)

TARGET = Target("webplus.Application", "orders-svc")


def _pick(*created: float, since: float, offset: float = 0.0) -> Candidate | None:
    candidates = tuple(Candidate(f"id-{n}", c, {}) for n, c in enumerate(created))
    return made_since(
        Lookup(candidates, offset),
        since,
        target=TARGET,
        operation="CreateApplication",
        kind="applications",
    )


def test_a_resource_older_than_the_first_attempt_is_never_taken() -> None:
    """Made a minute before the create began: someone else's."""
    assert _pick(1000.0 - 60, since=1000.0) is None


def test_the_one_resource_made_since_the_first_attempt_is_taken() -> None:
    """Beside an older namesake, the one made after the start is the create's own."""
    found = _pick(1000.0 - 60, 1000.5, since=1000.0)
    assert found is not None and found.id_ == "id-1"


def test_a_create_time_within_the_skew_before_the_start_still_counts() -> None:
    """Create times a little before the start on a skewed clock still qualify."""
    assert _pick(1000.0 - CLOCK_SKEW + 0.5, since=1000.0) is not None
    assert _pick(1000.0 - CLOCK_SKEW - 1.5, since=1000.0) is None


def test_the_server_clock_offset_moves_the_bound() -> None:
    """A server clock an hour ahead: its create times are compared on its own clock."""
    assert _pick(1000.0 + 10, since=1000.0, offset=3600.0) is None
    assert _pick(1000.0 + 3601, since=1000.0, offset=3600.0) is not None


def test_two_qualifying_candidates_fail_with_both_listed() -> None:
    """No rule can tell two new namesakes apart: fail, listing ids and create times."""
    with pytest.raises(OwnershipError) as caught:
        _pick(1000.0, 1001.0, since=1000.0)
    message = str(caught.value)
    assert "id-0 (created 1970-01-01T00:16:40+00:00)" in message
    assert "id-1 (created " in message and "adopt_id" in message


def test_an_unknown_create_time_never_qualifies() -> None:
    """Without a create time nothing can be proven."""
    assert _pick(math.nan, since=1000.0) is None


def test_create_times_parse_in_both_api_formats() -> None:
    """WebPlus answers epoch milliseconds, Service Catalog ISO 8601 in UTC."""
    assert parse_time(1_700_000_000_123) == 1_700_000_000.123
    assert parse_time("2023-11-14T22:13:20Z") == 1_700_000_000.0
    assert math.isnan(parse_time("yesterday"))
    assert math.isnan(parse_time(None))


def test_the_date_header_gives_a_lower_bound_of_the_clock_offset() -> None:
    """Date - local receipt time; no Date header means no offset."""
    headers = {"date": "Tue, 14 Nov 2023 22:13:20 GMT"}
    assert clock_offset(headers, received=1_700_000_000.0 - 3600) == 3600.0
    assert clock_offset({}, received=5.0) == 0.0
    assert clock_offset({"Date": "garbage"}, received=5.0) == 0.0
