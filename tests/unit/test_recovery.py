"""The recover command's pure parts: when the killed update began, and secret values."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

from alicloud_versions._recovery import Lock, _reveal, file_locks, update_start


def _lock(tmp_path: Path, timestamp: str, pid: int) -> Lock:
    when = datetime.fromisoformat(timestamp).timestamp()
    return Lock(tmp_path / "lock.json", pid, socket.gethostname(), when)


def test_the_lock_the_killed_update_left_dates_it(tmp_path: Path) -> None:
    """A lock's timestamp is the update's start, before any history or state time."""
    since, source = update_start(
        [_lock(tmp_path, "2026-01-02T03:04:05+00:00", 1)],
        [{"endTime": "2026-01-02T04:00:00.000Z"}],
        {"resources": [{"created": "2026-01-01T00:00:00Z"}]},
    )
    assert since == 1767323045.0
    assert source == "the lock it left"


def test_without_a_lock_the_last_update_in_the_history_bounds_it() -> None:
    """Without a lock, the newest end of an earlier update is the bound."""
    since, source = update_start(
        [],
        [{"endTime": "2026-01-02T04:00:00.000Z"}, {"endTime": "2026-01-01T04:00:00.000Z"}],
        {"resources": [{"created": "2026-01-01T00:00:00Z"}]},
    )
    assert since == 1767326400.0
    assert "history" in source


def test_a_first_update_is_bounded_by_the_oldest_create_time_in_its_state() -> None:
    """A stack whose first update was killed has no history: its state's oldest create time
    (the stack resource, written as the update began) is the bound."""
    since, _ = update_start(
        [],
        [],
        {"resources": [{"created": "2026-01-01T00:00:10Z"}, {"created": "2026-01-01T00:00:00Z"}]},
    )
    assert since == 1767225600.0
    assert update_start([], [], {"resources": []}) == (None, "unknown")


def test_a_lock_is_stale_only_when_its_process_is_gone_from_this_host(tmp_path: Path) -> None:
    """Our own pid holds a live lock; another host's lock is never taken for stale."""
    root = tmp_path / ".pulumi" / "locks" / "organization" / "proj" / "dev"
    root.mkdir(parents=True)
    (root / "a.json").write_text(
        json.dumps(
            {
                "pid": os.getpid(),
                "hostname": socket.gethostname(),
                "timestamp": "2026-01-01T00:00:00Z",
            }
        )
    )
    (root / "b.json").write_text(
        json.dumps({"pid": 1, "hostname": "elsewhere", "timestamp": "2026-01-01T00:00:00Z"})
    )
    locks = sorted(file_locks(tmp_path.as_uri(), "proj", "dev"), key=lambda lock: lock.path)
    assert [lock.stale for lock in locks] == [False, False]
    assert file_locks("s3://bucket", "proj", "dev") == []


def test_secret_values_of_an_export_are_unwrapped() -> None:
    """`stack export --show-secrets` wraps secrets; the lookup needs the plain value."""
    wrapped = {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        "plaintext": '"s3cret"',
    }
    assert _reveal(wrapped) == "s3cret"
    assert _reveal("plain") == "plain"
