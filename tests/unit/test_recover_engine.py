"""recover's engine on Pulumi's Automation API, through a stand-in `pulumi` that logs each
command: the stack is named on every command and never selected, refresh targets what was
adopted, the project's name comes from its settings, and a failure quotes stderr only."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from alicloud_versions.recover import Pulumi, RecoveryError
from alicloud_versions.recover.steps import update_start

HISTORY = "the end of the last update in the stack's history"

# Logs its arguments to $FAKE_LOG; prints a secret on stdout and fails for `stack export`;
# answers what Automation asks otherwise.
FAKE = """\
import json, os, sys
args = [a for a in sys.argv[1:] if a != "--non-interactive"]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if args[:1] == ["version"]:
    print("v3.259.0")
elif args[:2] == ["stack", "export"]:
    print('{"deployment": {"secret": "plain-s3cret"}}')
    print("error: the backend is gone", file=sys.stderr)
    sys.exit(255)
elif args[:2] == ["stack", "ls"]:
    print(json.dumps([{"name": "other", "current": False}, {"name": "dev", "current": True}]))
elif args[:2] == ["stack", "history"]:
    update = {"kind": "update", "message": "", "environment": {}, "config": {}}
    when = {"startTime": "2026-01-02T03:00:00.000Z", "endTime": "2026-01-02T04:00:00.000Z"}
    print(json.dumps([{**update, **when, "result": "succeeded"}]))
elif args[:1] == ["refresh"]:
    print("refreshed")
elif args[:1] == ["whoami"]:
    print(json.dumps({"user": "me", "url": "file:///backend"}))
"""


def _engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stack: str | None = None) -> Pulumi:
    fake = tmp_path / "pulumi"
    fake.write_text(f"#!{sys.executable}\n{FAKE}")
    fake.chmod(0o755)
    monkeypatch.setenv("PULUMI_COMMAND", str(fake))
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "log"))
    return Pulumi(tmp_path, stack)


def _ran(tmp_path: Path) -> list[list[str]]:
    return [json.loads(line) for line in (tmp_path / "log").read_text().splitlines()]


def test_a_failed_command_quotes_its_stderr_and_never_its_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a failed export printed on stdout (decrypted secrets) is not in the error."""
    with pytest.raises(RecoveryError) as raised:
        _engine(tmp_path, monkeypatch, "dev").export(show_secrets=True)
    assert "the backend is gone" in str(raised.value)
    assert "plain-s3cret" not in str(raised.value)


def test_the_selected_stack_is_named_on_each_command_and_never_selected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --stack the selected stack is used, named with --stack; no command selects one
    (which would change the user's selection). Its history's end times bound an update."""
    engine = _engine(tmp_path, monkeypatch)
    assert engine.stack_name() == "dev"
    history = engine.history()
    assert update_start([], history, {}) == (1767326400.0, HISTORY)
    ran = _ran(tmp_path)
    assert ["stack", "history", "--json", "--stack", "dev"] in ran, ran
    assert not any(args[:2] == ["stack", "select"] for args in ran)


def test_refresh_targets_only_what_was_adopted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh after an import reads the adopted resources and nothing else."""
    urns = ["urn:pulumi:dev::p::t:m:T::a", "urn:pulumi:dev::p::t:m:T::b"]
    _engine(tmp_path, monkeypatch, "dev").refresh(urns)
    (refresh,) = [args for args in _ran(tmp_path) if args[:1] == ["refresh"]]
    targets = [refresh[i + 1] for i, arg in enumerate(refresh) if arg == "--target"]
    assert targets == urns and refresh[refresh.index("--stack") + 1] == "dev"


def test_a_run_asks_the_selected_stack_once_and_runs_nothing_it_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The selected stack is looked up once and named on every later command; neither the
    engine's version nor, after the refresh, the stack's history is asked, nor the backend
    when $PULUMI_BACKEND_URL names it, nor more than once otherwise (each command costs about
    0.3 CPU seconds)."""
    monkeypatch.setenv("PULUMI_BACKEND_URL", "file:///from-env")
    # The engine's first choice: no command.
    assert _engine(tmp_path, monkeypatch).backend_url() == "file:///from-env"
    monkeypatch.delenv("PULUMI_BACKEND_URL")
    engine = _engine(tmp_path, monkeypatch)
    assert engine.backend_url() == "file:///backend"
    assert engine.backend_url() == "file:///backend"  # asked by the repair and by the plan
    assert engine.stack_name() == "dev"
    engine.history()
    engine.refresh(["urn:pulumi:dev::p::t:m:T::a"])
    ran = [args[:2] for args in _ran(tmp_path)]
    assert ran == [
        ["whoami", "--json"],
        ["stack", "ls"],
        ["stack", "history"],
        ["refresh", "--yes"],
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: proj # the project\nruntime: python\n", "proj"),
        ("name: 'yaml-proj'\nruntime: yaml\nresources: {}\n", "yaml-proj"),
        ("name: j\nruntime:\n  name: java\n", "j"),
        ("runtime: python\n", None),
        ("runtime: yaml\n", None),
        ("name: [a]\nruntime: yaml\n", None),
    ],
)
def test_the_project_name_is_read_from_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: Any
) -> None:
    """Pulumi.yaml is read as Pulumi reads it (a comment is no part of the name), whatever its
    runtime (Automation's settings refuse yaml and java); a file without a name is one clear
    error."""
    (tmp_path / "Pulumi.yaml").write_text(text)
    engine = _engine(tmp_path, monkeypatch, "dev")
    if expected is None:
        with pytest.raises(RecoveryError, match=r"no Pulumi\.yaml with a project name"):
            engine.project_name()
    else:
        assert engine.project_name() == expected
