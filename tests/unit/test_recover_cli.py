"""`alicloud-versions recover` on crafted exports, through a stand-in `pulumi`: one clear line
and no traceback for what is malformed, no lock read outside the backend, names escaped."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# A stand-in for `pulumi`: prints the export in $FAKE_EXPORT, a file backend at $FAKE_BACKEND,
# an empty history, the stack `dev`, an empty plan and config, its version; anything else fails
# as pulumi would.
FAKE_PULUMI = """\
import json, os, sys
args = [a for a in sys.argv[1:] if a != "--non-interactive"]
if args[:2] == ["stack", "export"]:
    print(open(os.environ["FAKE_EXPORT"]).read())
elif args[:1] == ["whoami"]:
    url = os.environ.get("FAKE_URL") or "file://" + os.environ["FAKE_BACKEND"]
    print(json.dumps({"user": "me", "url": url}))
elif args[:2] == ["stack", "history"]:
    print("[]")
elif args[:2] == ["stack", "ls"]:
    print(json.dumps([{"name": "dev", "current": True}]))
elif args[:1] == ["version"]:
    print("v3.259.0")
elif args[:1] == ["preview"]:
    print(json.dumps({"steps": []}))
elif args[:1] == ["config"]:
    print("{}")
else:
    print("unexpected: " + " ".join(args), file=sys.stderr)
    sys.exit(1)
"""
TEMPLATE = "alicloud-versions:servicecatalog:Template"
PROVIDER = "pulumi:providers:alicloud-versions"


def _recover(
    tmp_path: Path, exported: Any, url: str = "", *extra: str, fast: str = ""
) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "fake_pulumi"
    fake.write_text(f"#!{sys.executable}\n{FAKE_PULUMI}")
    fake.chmod(0o755)
    export = tmp_path / "export.json"
    export.write_text(exported if isinstance(exported, str) else json.dumps(exported))
    backend = tmp_path / "backend"
    backend.mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "PULUMI_COMMAND": str(fake),
        "FAKE_EXPORT": str(export),
        "FAKE_BACKEND": str(backend),
        "FAKE_URL": url,
        "PULUMI_SKIP_CHECKPOINTS": fast,
        "ALICLOUD_VERSIONS_STATE_DIR": str(tmp_path / "state"),
    }
    return subprocess.run(
        [sys.executable, "-m", "alicloud_versions.cli", "recover", "--cwd", str(tmp_path), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _template(stack: str = "dev", name: str = "t") -> dict[str, Any]:
    """An export with one pending Template create (never looked up: no network)."""
    provider_urn = f"urn:pulumi:{stack}::proj::{PROVIDER}::default"
    return {
        "version": 3,
        "deployment": {
            "resources": [
                {"urn": provider_urn, "type": PROVIDER, "id": "1", "inputs": {}},
                {
                    "urn": f"urn:pulumi:{stack}::proj::pulumi:pulumi:Stack::proj-{stack}",
                    "type": "pulumi:pulumi:Stack",
                    "created": "2026-01-01T00:00:00Z",
                },
            ],
            "pending_operations": [
                {
                    "type": "creating",
                    "resource": {
                        "urn": f"urn:pulumi:{stack}::proj::{TEMPLATE}::{name}",
                        "type": TEMPLATE,
                        "provider": f"{provider_urn}::1",
                        "inputs": {},
                    },
                }
            ],
        },
    }


@pytest.mark.parametrize(
    "exported",
    [
        "not json",
        {"deployment": {"pending_operations": ["creating"]}},
        {"deployment": {"resources": [{"urn": "urn:pulumi:dev", "type": "t"}]}},
        {"deployment": {"resources": [{"urn": "urn:pulumi:dev::p::::n", "type": ""}]}},
        {"deployment": {"resources": [{"urn": "urn:pulumi:dev::p::t:m:T::n", "inputs": []}]}},
    ],
    ids=["not-json", "operation-is-a-string", "no-separators", "missing-type", "list-inputs"],
)
def test_a_malformed_export_is_one_line_and_no_traceback(tmp_path: Path, exported: Any) -> None:
    """Each malformed export ends recover with status 1 and one line on stderr."""
    done = _recover(tmp_path, exported)
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("alicloud-versions recover: ") and done.stderr.count("\n") == 1


def test_a_stack_name_climbing_out_of_the_backend_reads_no_lock(tmp_path: Path) -> None:
    """A URN whose stack part is `../../..` stops recover before any lock file is read."""
    done = _recover(tmp_path, _template(stack="../../.."))
    assert done.returncode == 1, done
    assert "lock cannot be looked for" in done.stderr and "Traceback" not in done.stderr


def test_a_name_with_a_newline_and_terminal_escapes_is_printed_escaped(tmp_path: Path) -> None:
    """The plan's table shows such a name escaped, on one line."""
    done = _recover(tmp_path, _template(name="evil\n\x1b[2Jname"))
    assert done.returncode == 0, done
    assert "\x1b" not in done.stdout
    (row,) = [line for line in done.stdout.splitlines() if "servicecatalog:Template" in line]
    assert row.startswith("evil\\n\\x1b[2Jname ")


def test_on_a_backend_whose_locks_it_cannot_see_recover_says_to_cancel(tmp_path: Path) -> None:
    """On an s3 (or cloud) backend recover removes no lock and says when to `pulumi cancel`."""
    done = _recover(tmp_path, _template(), url="s3://bucket/state")
    assert done.returncode == 0, done
    assert "cannot see the killed update's lock on this backend (s3)" in done.stdout
    assert "`pulumi cancel` once you know that update is no longer running" in done.stdout


def _empty_state(tmp_path: Path) -> dict[str, Any]:
    """The export of a stack whose first update ran in fast mode and was killed."""
    (tmp_path / "Pulumi.yaml").write_text("name: proj\nruntime: python\n")
    return {"version": 3, "deployment": {}}


@pytest.mark.parametrize(
    ("extra", "fast"), [(("--fast-mode",), ""), ((), "true")], ids=["flag", "environment"]
)
def test_fast_mode_asked_for_without_a_record_looks_nothing_up(
    tmp_path: Path, extra: tuple[str, ...], fast: str
) -> None:
    """Asked for fast mode (the flag, or PULUMI_SKIP_CHECKPOINTS=true) with no record of a
    create sent, recover searches no plan and says the killed update made nothing."""
    for yes in ((), ("--yes",)):
        done = _recover(tmp_path, _empty_state(tmp_path), "", *extra, *yes, fast=fast)
        assert done.returncode == 0, done
        assert "nothing to recover" in done.stdout and "made none" in done.stdout
        assert "fast mode" not in done.stdout
        assert "Traceback" not in done.stderr and "unexpected" not in done.stderr


def _stale_lock(tmp_path: Path) -> Path:
    folder = tmp_path / "backend" / ".pulumi" / "locks" / "organization" / "proj" / "dev"
    folder.mkdir(parents=True)
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait(timeout=30)
    lock = folder / "x.json"
    lock.write_text(
        json.dumps(
            {
                "pid": child.pid,
                "hostname": socket.gethostname(),
                "timestamp": "2026-01-01T00:00:00Z",
            }
        )
    )
    return lock


def test_a_lock_left_with_no_pending_create_and_no_record_is_nothing_to_recover(
    tmp_path: Path,
) -> None:
    """A stale lock and nothing pending is also what an update killed before any create left:
    no evidence of fast mode. recover says nothing is to recover and, with --yes, removes only
    the stale lock."""
    lock = _stale_lock(tmp_path)
    done = _recover(tmp_path, _empty_state(tmp_path))
    assert done.returncode == 0, done
    assert "nothing to recover" in done.stdout and "fast mode" not in done.stdout
    assert lock.exists()
    done = _recover(tmp_path, _empty_state(tmp_path), "", "--yes")
    assert done.returncode == 0, done
    assert not lock.exists() and "Removed the lock" in done.stdout


def test_a_record_of_a_create_the_state_does_not_hold_means_fast_mode(tmp_path: Path) -> None:
    """A create the provider recorded sending, with nothing pending in the state, is what a
    killed fast-mode update leaves: recover searches the program's plan (here empty)."""
    state = tmp_path / "state" / "creates" / "proj"
    state.mkdir(parents=True)
    head = {"pid": 1, "hostname": "h", "started": 0, "salt": "s"}
    sent = {"n": 1, "kind": "webplus.Application", "inputs": {}, "urn": None}
    lines = [head, {**sent, "sent": 1.0, "deadline": 2.0}]
    (state / "1-1-x.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    _stale_lock(tmp_path)
    done = _recover(tmp_path, _empty_state(tmp_path))
    assert done.returncode == 0, done
    assert "fast mode" in done.stdout and "Nothing of this provider's left" in done.stdout


def test_an_empty_metadata_file_is_listed_then_removed_with_yes(tmp_path: Path) -> None:
    """A metadata file a killed write left empty stops every read of the state (`error: EOF`):
    the plan lists it and changes nothing; --yes removes it, says so, and goes on."""
    exported = _empty_state(tmp_path)
    attrs = tmp_path / "backend" / ".pulumi" / "stacks" / "proj" / "dev.json.attrs"
    attrs.parent.mkdir(parents=True)
    attrs.write_text("")
    done = _recover(tmp_path, exported)
    assert done.returncode == 1, done
    assert str(attrs) in done.stdout and "run again with --yes" in done.stdout
    assert attrs.exists()
    done = _recover(tmp_path, exported, "", "--yes")
    assert done.returncode == 0, done
    assert f"Removed an empty metadata file a killed write left: {attrs}" in done.stdout
    assert not attrs.exists()
    assert "nothing to recover" in done.stdout
