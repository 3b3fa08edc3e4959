"""The create journal: a create is on disk before it is sent, privately, with no secret value,
and its answer after; a finished process leaves nothing behind, a killed one its records."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alicloud_versions.core import journal as _journal
from alicloud_versions.core.config import resolve_settings
from alicloud_versions.core.errors import ApiError, Target, TransientError
from alicloud_versions.core.journal import folder, read_records
from alicloud_versions.core.webplus import PkgVersionCore as PkgVersion

SOURCE = "oss://bucket/very-secret-key.zip?token=s3cr3t"


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The provider runs under the engine (it names the project) with its records here."""
    monkeypatch.setenv("PULUMI_PROJECT", "proj")
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(_journal, "_journals", {})
    yield folder("proj")
    for found in _journal._journals.values():
        found.close()


def _version(monkeypatch: pytest.MonkeyPatch, answer: Any) -> tuple[PkgVersion, list[Any]]:
    """A PkgVersion core whose create call, instead of the network, notes what the journal
    holds at the moment of sending and then answers `answer` (or raises it)."""
    seen: list[Any] = []
    core = PkgVersion(resolve_settings({"alicloud:accessKey": "k", "alicloud:secretKey": "s"}))

    def call(self: Any, operation: Any, request: Any, **_: Any) -> Any:
        seen.append([(r.sent, r.answered) for r in read_records(folder("proj"))])
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr("alicloud_versions.core.client.Session.call", call)
    return core, seen


INPUTS = {"app_id": "wa-1", "pkg_version_label": "release-label", "package_source": SOURCE}
MADE = {"pkg_version_id": "pv-1", **INPUTS}


def test_a_create_is_recorded_on_disk_before_it_is_sent_and_answered_after(
    state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the create leaves, its record is already in the file (a kill then still finds
    it); once answered, the record names the id it made."""
    core, seen = _version(monkeypatch, MADE)
    core.create_resource(INPUTS, urn="urn:pulumi:dev::proj::t::v")
    assert len(seen) == 1 and len(seen[0]) == 1 and seen[0][0][1] is False
    (record,) = read_records(state)
    assert record.answered and record.id_ == "pv-1"
    assert record.urn == "urn:pulumi:dev::proj::t::v" and record.kind == "webplus.PkgVersion"
    assert record.deadline >= record.sent + core.settings.max_retry_time
    assert record.matches("webplus.PkgVersion", INPUTS)
    assert not record.matches("webplus.PkgVersion", {**INPUTS, "pkg_version_label": "v2"})


def test_the_records_are_private_and_hold_no_secret_value(
    state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folder 0700, file 0600; a secret input is only named, and no input value is written."""
    core, _ = _version(monkeypatch, MADE)
    core.create_resource(INPUTS, secret={"package_source"})
    (path,) = state.iterdir()
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert "s3cr3t" not in text and "very-secret-key" not in text and "release-label" not in text
    sent = json.loads(text.splitlines()[1])
    assert sent["inputs"]["package_source"] is None


def test_a_failed_create_records_that_it_made_nothing_a_lost_one_does_not(
    state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal is an answer (nothing made); a lost answer leaves the record open."""
    target = Target("webplus.PkgVersion", None, None)
    refused = ApiError(code="InvalidParameter", message="m", target=target, operation="op")
    core, _ = _version(monkeypatch, refused)
    with pytest.raises(ApiError):
        core.create_resource(INPUTS)
    lost = TransientError(code="Timeout", message="m", target=target, operation="op")
    core, _ = _version(monkeypatch, lost)
    with pytest.raises(TransientError):
        core.create_resource(INPUTS)
    first, second = read_records(state)
    assert (first.answered, first.id_) == (True, None)
    assert (second.answered, second.id_) == (False, None)


@pytest.mark.parametrize("answer", ["made", "lost"])
def test_a_normal_exit_removes_the_file_only_when_every_create_was_answered(
    state: Path, monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    """The engine closes its providers when an update ends: the answered records go; a create
    whose answer never came stays for recover."""
    target = Target("webplus.PkgVersion", None, None)
    lost = TransientError(code="Timeout", message="m", target=target, operation="op")
    core, _ = _version(monkeypatch, MADE if answer == "made" else lost)
    if answer == "made":
        core.create_resource(INPUTS)
    else:
        with pytest.raises(TransientError):
            core.create_resource(INPUTS)
    for found in _journal._journals.values():
        found.close()
    assert bool(list(state.iterdir())) == (answer == "lost")


def test_outside_the_engine_nothing_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No project named (a unit test, a script): no journal, no file."""
    monkeypatch.delenv("PULUMI_PROJECT", raising=False)
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path / "state"))
    core, _ = _version(monkeypatch, MADE)
    core.create_resource(INPUTS)
    assert not (tmp_path / "state").exists()


def test_a_record_cut_short_by_a_kill_is_skipped(state: Path) -> None:
    """A half-written last line is not a record, and does not hide the others."""
    state.mkdir(parents=True)
    head = {"pid": 1, "hostname": "h", "started": 0, "salt": "s"}
    sent = {"n": 1, "kind": "k", "inputs": {}, "urn": None, "sent": 1.0, "deadline": 2.0}
    text = "\n".join(map(json.dumps, [head, sent])) + '\n{"n": 2, "kind": "k", "inp'
    (state / "1-1-x.jsonl").write_text(text)
    (record,) = read_records(state)
    assert (record.sent, record.deadline, record.answered) == (1.0, 2.0, False)


def test_a_project_name_never_climbs_out_of_the_records_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's project name is one path component under the root, whatever it holds."""
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path))
    for name in ("../../etc", "..", "a/b", ""):
        assert folder(name).parent == tmp_path / "creates"


def test_a_process_outliving_its_engine_keeps_its_records(
    state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every create answered, but the engine that started the process is gone (killed, the
    process ending on its own afterwards): the file stays, for recover."""
    core, _ = _version(monkeypatch, MADE)
    core.create_resource(INPUTS)
    monkeypatch.setattr(_journal, "_ancestors", lambda: (1,))
    for found in _journal._journals.values():
        found.close()
    assert len(list(state.iterdir())) == 1
