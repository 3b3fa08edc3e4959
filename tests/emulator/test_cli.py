"""The command line: start-up line, flags, keys, and a clean exit on SIGTERM and SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alibabacloud_webplus20190320.client import Client as WebPlusClient

from alicloud_versions.emulator import ACCESS_KEYS_ENV, AccessKey, EmulatorProcess
from tests.emulator.conftest import DEFAULT_KEY, Controls, error_of, make_config
from tests.support.builders import create_app

EXTRA = AccessKey("LTAI5tCliKey000000000001", "CliSecret", "1111222233334444")


@contextmanager
def emulator_process(
    *args: str, state: str = ":memory:"
) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """Run `python -m alicloud_versions.emulator --port 0 ARGS`; answer it, its URL and port."""
    with EmulatorProcess(state, *args) as emu:
        assert emu.proc is not None
        yield emu.proc, emu.url, emu.port


def _client(port: int, key: AccessKey) -> WebPlusClient:
    """A WebPlus client for an emulator on the port."""
    return WebPlusClient(make_config(f"127.0.0.1:{port}", key))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_prints_the_url_and_exits_cleanly(signum: int) -> None:
    """The CLI prints one listening line, serves, and exits 0 on SIGTERM or SIGINT."""
    with emulator_process() as (process, url, port):
        assert Controls(url).get("/_emulator/health") == {"ok": True}
        create_app(_client(port, DEFAULT_KEY))
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0


def test_access_keys_and_the_default_key(tmp_path: Path) -> None:
    """--access-key adds a key for its account; the default key works unless --no-default-key."""
    state = str(tmp_path / "state.sqlite")
    key = f"{EXTRA.id}:{EXTRA.secret}:{EXTRA.account_id}"
    with emulator_process("--access-key", key, state=state) as (process, url, port):
        create_app(_client(port, EXTRA), "extra")
        create_app(_client(port, DEFAULT_KEY), "default")
        accounts = Controls(url).get("/_emulator/inventory")["accounts"]
        assert [a["AppName"] for a in accounts[EXTRA.account_id]["applications"]] == ["extra"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    with emulator_process("--access-key", key, "--no-default-key", state=state) as (
        _,
        url,
        port,
    ):
        err = error_of(lambda: create_app(_client(port, DEFAULT_KEY)))
        assert err.code == "InvalidAccessKeyId.NotFound"
        accounts = Controls(url).get("/_emulator/inventory")["accounts"]
        assert [a["AppName"] for a in accounts[EXTRA.account_id]["applications"]] == ["extra"]


def test_fault_flags() -> None:
    """The fault flags set what GET /_emulator/faults answers and what calls see."""
    flags = ["--latency-ms", "5", "--failure-rate", "1", "--failure-kinds", "ServiceUnavailable"]
    flags += ["--failure-actions", "CreateApplication,CreatePkgVersion", "--drop-after-apply"]
    flags += ["--settle-seconds", "2", "--fail-async", "LaunchProduct,CreateAppEnv"]
    with emulator_process(*flags) as (_, url, port):
        assert Controls(url).get("/_emulator/faults") == {
            "latency_ms": 5,
            "failure_rate": 1.0,
            "failure_kinds": ["ServiceUnavailable"],
            "actions": ["CreateApplication", "CreatePkgVersion"],
            "drop_after_apply": True,
            "max_failures": None,
            "seed": None,
            "clock_skew_s": 0.0,
            "error": None,
            "settle_s": 2.0,
            "fail_async": ["CreateAppEnv", "LaunchProduct"],
            "task_lag_s": 0.0,
        }
        assert error_of(lambda: create_app(_client(port, DEFAULT_KEY))).code == "ServiceUnavailable"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line to its end (a usage error ends it at once)."""
    return subprocess.run(
        [sys.executable, "-m", "alicloud_versions.emulator", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env=env,
    )


def test_bad_flags_are_refused() -> None:
    """An unknown failure kind or a malformed key is a usage error."""
    for args in (["--failure-kinds", "Meteor"], ["--access-key", "only-an-id"]):
        result = run_cli(*args)
        assert result.returncode == 2
        assert result.stdout == ""


def test_console_script_is_installed() -> None:
    """The alicloud-versions-emulator console script runs the same main."""
    script = Path(sys.executable).with_name("alicloud-versions-emulator")
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0
    assert "--failure-kinds" in result.stdout


def test_the_spawner_fails_without_a_banner() -> None:
    """A child that exits without its banner fails start() at once, and is ended."""
    emu = EmulatorProcess(":memory:", "--latency-ms", "oops", banner_timeout=10)
    with pytest.raises(RuntimeError, match="did not start"):
        emu.start()
    assert emu.proc is None


def test_error_flags() -> None:
    """--error-code (with --error-actions) answers the chosen error; GET faults shows it."""
    flags = ["--error-code", "Forbidden.RAM", "--error-actions", "CreateApplication"]
    with emulator_process(*flags) as (_, url, port):
        error = Controls(url).get("/_emulator/faults")["error"]
        assert (error["code"], error["status"], error["actions"]) == (
            "Forbidden.RAM",
            403,
            ["CreateApplication"],
        )
        err = error_of(lambda: create_app(_client(port, DEFAULT_KEY)))
        assert (err.code, err.data["statusCode"]) == ("Forbidden.RAM", 403)


def test_no_controls_flag() -> None:
    """--no-controls serves the APIs and no control; EmulatorProcess(controls=False) passes it."""
    with EmulatorProcess(controls=False) as emu:
        create_app(_client(emu.port, DEFAULT_KEY))
        status, body = Controls(emu.url).request("GET", "/_emulator/health")
        assert (status, body["Code"]) == (404, "InvalidAction.NotFound")


def test_access_keys_from_a_file_and_the_environment(tmp_path: Path) -> None:
    """Keys from --access-key-file and from the environment work; no secret is in the command."""
    other = AccessKey("LTAI5tEnvKey000000000002", "EnvSecret", "5555666677778888")
    key_file = tmp_path / "keys"
    key_file.write_text(f"# test keys\n{EXTRA.id}:{EXTRA.secret}:{EXTRA.account_id}\n\n")
    with EmulatorProcess(
        ":memory:", "--access-key-file", str(key_file), access_keys=[other]
    ) as emu:
        assert emu.proc is not None
        assert all(key.secret not in " ".join(emu.proc.args) for key in (EXTRA, other))
        create_app(_client(emu.port, EXTRA), "from-file")
        create_app(_client(emu.port, other), "from-env")
        accounts = Controls(emu.url).get("/_emulator/inventory")["accounts"]
        assert [a["AppName"] for a in accounts[EXTRA.account_id]["applications"]] == ["from-file"]
        assert [a["AppName"] for a in accounts[other.account_id]["applications"]] == ["from-env"]


def test_bad_key_sources_are_refused(tmp_path: Path) -> None:
    """A missing key file, a malformed key in the environment or --error-status alone is a usage
    error."""
    env = {**os.environ, ACCESS_KEYS_ENV: "only-an-id"}
    for args, environ in (
        (["--access-key-file", str(tmp_path / "absent")], None),
        ([], env),
        (["--error-status", "500"], None),
    ):
        result = run_cli(*args, env=environ)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
