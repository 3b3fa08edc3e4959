"""The main job: deploy the quickstart stack (Pulumi.yaml) against the local emulator.

Starts the emulator in the background with its state in .state/ (or `--state-dir`; or reuses
the one already answering on the port), points the `dev` stack at it, runs `pulumi up --yes` and
prints the outputs. `--stop` stops the background emulator; `--destroy` tears the stack down first.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from alicloud_versions.emulator import (
    DEFAULT_ACCESS_KEY_ID,
    DEFAULT_ACCESS_KEY_SECRET,
    EmulatorControls,
    EmulatorProcess,
)

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".state"
PULUMI = ROOT / ".tools" / "bin" / "pulumi"


def say(message: str) -> None:
    print(f"[demo] {message}", flush=True)


def healthy(url: str) -> bool:
    return EmulatorControls(url, timeout=2).health()


def start_emulator(port: int, state: Path) -> str:
    url = f"http://127.0.0.1:{port}"
    if healthy(url):
        say(f"reusing the emulator already answering at {url}")
        return url
    state.mkdir(parents=True, exist_ok=True)
    log = state / "emulator.log"
    emulator = EmulatorProcess(state / "emulator.sqlite", port=port, banner_timeout=20)
    try:
        pid = emulator.start_detached(log)  # outlives this script, like a daemon
    except RuntimeError as exc:
        sys.exit(f"[demo] {exc}")
    (state / "emulator.pid").write_text(str(pid))
    say(f"started the emulator at {url} (pid {pid}, state {state / 'emulator.sqlite'})")
    return url


def stop_emulator(state: Path) -> None:
    pid_file = state / "emulator.pid"
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        say("no background emulator was started by the demo")
        return
    try:
        os.kill(pid, signal.SIGTERM)
        say(f"stopped the emulator (pid {pid}); its state stays in {state / 'emulator.sqlite'}")
    except ProcessLookupError:
        say(f"the emulator (pid {pid}) had already stopped")
    pid_file.unlink(missing_ok=True)


def pulumi(*args: str, env: dict[str, str], capture: bool = False) -> str:
    print(f"$ pulumi {' '.join(args)}", flush=True)
    done = subprocess.run(
        [str(PULUMI), *args], cwd=ROOT, env=env, text=True, capture_output=capture
    )
    if done.returncode != 0:
        if capture:
            sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"[demo] `pulumi {args[0]}` failed (exit {done.returncode})")
    return done.stdout if capture else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("EMULATOR_PORT", 9000)))
    parser.add_argument("--stack", default="dev")
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=STATE,
        help="where the background emulator keeps its state, pid and log (default .state)",
    )
    parser.add_argument("--stop", action="store_true", help="stop the background emulator")
    parser.add_argument("--destroy", action="store_true", help="destroy the stack, then stop")
    args = parser.parse_args()

    state = args.state_dir.resolve()
    if args.stop:
        stop_emulator(state)
        return
    if not PULUMI.exists():
        sys.exit("[demo] no Pulumi engine in .tools/bin: run `make engine`")

    env = dict(os.environ)
    env.setdefault("PULUMI_BACKEND_URL", (state / "backend").as_uri())
    if "PULUMI_CONFIG_PASSPHRASE_FILE" not in env:
        env.setdefault("PULUMI_CONFIG_PASSPHRASE", "quickstart")
    env["PULUMI_SKIP_UPDATE_CHECK"] = "true"
    if env["PULUMI_BACKEND_URL"].startswith("file://"):
        Path(env["PULUMI_BACKEND_URL"].removeprefix("file://")).mkdir(parents=True, exist_ok=True)

    url = start_emulator(args.port, state)
    pulumi("stack", "select", "--create", args.stack, env=env)
    for key, value in {
        "alicloud:region": "cn-hangzhou",
        "alicloud-versions:endpoint": url,
        "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
    }.items():
        pulumi("config", "set", key, value, env=env)
    pulumi("config", "set", "--secret", "alicloud:secretKey", DEFAULT_ACCESS_KEY_SECRET, env=env)

    if args.destroy:
        pulumi("destroy", "--yes", "--non-interactive", env=env)
        stop_emulator(state)
        return
    pulumi("up", "--yes", "--non-interactive", env=env)
    outputs = json.loads(pulumi("stack", "output", "--json", env=env, capture=True))
    print(json.dumps(outputs, indent=2))
    say(
        "done. Next: `.tools/bin/pulumi preview` after editing examples/quickstart/__main__.py, "
        f"`.tools/bin/pulumi refresh`, `curl {url}/_emulator/inventory`, "
        "`make demo-down` to stop the emulator (the PULUMI_* settings above are in README)."
    )


if __name__ == "__main__":
    main()
