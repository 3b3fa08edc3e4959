"""Command line: `alicloud-versions-emulator`, also `python -m alicloud_versions.emulator`."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from types import FrameType

from .command import ACCESS_KEYS_ENV, BANNER
from .faults import FAILURE_KINDS, ErrorFault, FaultConfig
from .server import Emulator
from .signing import DEFAULT_ACCESS_KEY, DEFAULT_ACCOUNT_ID, AccessKey


def _access_key(value: str) -> AccessKey:
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(parts):
        raise argparse.ArgumentTypeError("expected ID:SECRET or ID:SECRET:ACCOUNT")
    return AccessKey(parts[0], parts[1], parts[2] if len(parts) == 3 else DEFAULT_ACCOUNT_ID)


def _access_keys(text: str) -> list[AccessKey]:
    """Keys one `ID:SECRET[:ACCOUNT]` a line (or separated by blanks); `#` starts a comment."""
    lines = (line.partition("#")[0] for line in text.splitlines())
    return [_access_key(word) for line in lines for word in line.split()]


def _access_key_file(value: str) -> list[AccessKey]:
    try:
        with open(value, encoding="utf-8") as keys:  # not pathlib, which serving never needs
            return _access_keys(keys.read())
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {value}: {exc.strerror}") from exc


def _keys(args: argparse.Namespace, environ: Mapping[str, str]) -> list[AccessKey]:
    """The keys from --access-key, --access-key-file and the environment, in that order."""
    keys: list[AccessKey] = list(args.access_key)
    for from_file in args.access_key_file:
        keys += from_file
    keys += _access_keys(environ.get(ACCESS_KEYS_ENV, ""))
    return keys


def _allowed_host(value: str) -> str:
    if not value.strip() or any(c.isspace() or c in "/?#@" for c in value.strip()):
        raise argparse.ArgumentTypeError(f"expected a host name, got {value!r}")
    return value.strip()


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alicloud-versions-emulator",
        description="Local emulator of Alibaba Cloud WebPlus and Service Catalog.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=9000, help="port; 0 picks a free one")
    parser.add_argument(
        "--allow-host",
        action="append",
        type=_allowed_host,
        default=[],
        metavar="NAME",
        help="also answer requests whose Host is NAME (a container network's name for the "
        "emulator); repeatable. Loopback names and *.aliyuncs.com (as a proxy) are always answered",
    )
    parser.add_argument(
        "--state", default=":memory:", help="SQLite file keeping the state, or :memory:"
    )
    parser.add_argument(
        "--access-key",
        action="append",
        type=_access_key,
        default=[],
        metavar="ID:SECRET[:ACCOUNT]",
        help=f"accept this key for ACCOUNT (default {DEFAULT_ACCOUNT_ID}); repeatable. The "
        "secret is visible in the process list: prefer --access-key-file or "
        f"${ACCESS_KEYS_ENV}",
    )
    parser.add_argument(
        "--access-key-file",
        action="append",
        type=_access_key_file,
        default=[],
        metavar="PATH",
        help="accept the keys in PATH, one ID:SECRET[:ACCOUNT] a line; repeatable",
    )
    parser.add_argument(
        "--no-default-key", action="store_true", help="do not accept the default development key"
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added to API calls")
    parser.add_argument(
        "--failure-rate", type=float, default=0.0, help="share of API calls that fail (0 to 1)"
    )
    parser.add_argument(
        "--failure-kinds",
        type=_names,
        default=list(FAILURE_KINDS),
        help=f"comma-separated failures to inject, of {','.join(FAILURE_KINDS)}",
    )
    parser.add_argument(
        "--failure-actions",
        type=_names,
        default=None,
        help="comma-separated actions that may fail (default: all)",
    )
    parser.add_argument(
        "--drop-after-apply",
        action="store_true",
        help="DropConnection applies the action before dropping the answer",
    )
    parser.add_argument("--max-failures", type=int, default=None, help="inject at most N failures")
    parser.add_argument("--seed", type=int, default=None, help="seed for repeatable failures")
    parser.add_argument(
        "--error-code",
        default=None,
        help="answer API calls with this error code (after the signature is checked), e.g. "
        f"{', '.join(ErrorFault.known())}",
    )
    parser.add_argument(
        "--error-status", type=int, default=None, help="its HTTP status (known codes have one)"
    )
    parser.add_argument("--error-message", default=None, help="its message")
    parser.add_argument(
        "--error-actions",
        type=_names,
        default=None,
        help="comma-separated actions that get the error (default: all)",
    )
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=0.5,
        help="how long a launch, update or termination stays under way before its final status",
    )
    parser.add_argument(
        "--fail-async",
        type=_names,
        default=[],
        help="comma-separated actions whose asynchronous operation ends in its failed status "
        "(e.g. LaunchProduct,CreateAppEnv)",
    )
    parser.add_argument(
        "--no-controls",
        action="store_true",
        help="serve no /_emulator/ control (not even health): only what the real APIs serve",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="log each request line to stderr, parameter values (signatures included) redacted",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM or SIGINT."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        keys = _keys(args, os.environ)
    except argparse.ArgumentTypeError as exc:
        parser.error(f"${ACCESS_KEYS_ENV}: {exc}")
    if not args.no_default_key and all(k.id != DEFAULT_ACCESS_KEY.id for k in keys):
        keys.append(DEFAULT_ACCESS_KEY)
    if not keys:
        parser.error("--no-default-key needs at least one --access-key")
    try:
        faults = FaultConfig(
            latency_ms=args.latency_ms,
            failure_rate=args.failure_rate,
            failure_kinds=tuple(args.failure_kinds),
            actions=frozenset(args.failure_actions) if args.failure_actions is not None else None,
            drop_after_apply=args.drop_after_apply,
            max_failures=args.max_failures,
            seed=args.seed,
            error=(
                ErrorFault.of(
                    args.error_code, args.error_status, args.error_message, args.error_actions
                )
                if args.error_code is not None
                else None
            ),
            settle_s=args.settle_seconds,
            fail_async=frozenset(args.fail_async),
        )
        error_details = (args.error_status, args.error_message, args.error_actions)
        if args.error_code is None and any(value is not None for value in error_details):
            raise ValueError(
                "--error-status, --error-message and --error-actions need --error-code"
            )
    except ValueError as exc:
        parser.error(str(exc))

    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    emulator = Emulator(
        args.host,
        args.port,
        args.state,
        keys,
        faults,
        controls=not args.no_controls,
        verbose=args.verbose,
        allowed_hosts=args.allow_host,
    ).start()
    try:
        print(f"{BANNER}{emulator.url}", flush=True)
        # No timeout, so an idle emulator never wakes: a signal interrupts the wait, and the
        # handler run then sets the event.
        stopping.wait()
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
