"""The ``alicloud-versions`` command: ``recover`` finishes the creates a killed update left;
``sweep`` deletes what test runs left behind; ``plugin install`` installs the provider plugin."""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import _plugin_install, _sweep_command
from .core.errors import AlicloudVersionsError
from .recover import printable

if TYPE_CHECKING:
    from .recover import Plan, Pulumi

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alicloud-versions", description="Tools for stacks using pulumi-alicloud-versions."
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {importlib.metadata.version('pulumi-alicloud-versions')}",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser(
        "recover",
        help="finish the creates a killed `pulumi up` left pending",
        description="After `pulumi up` was killed, find each create it left pending in the "
        "cloud: import what the records of its creates prove it made (the provider records "
        "each create before sending it, and the answer), clear what it did not make, so the "
        "next `pulumi up` neither duplicates nor orphans anything; what cannot be told is "
        "listed, never imported. Without --yes, only prints the plan. Runs the pulumi on PATH, "
        "or $PULUMI_COMMAND.",
    )
    rec.add_argument("--stack", help="the stack (default: the selected one)")
    rec.add_argument("--cwd", type=Path, default=Path.cwd(), help="the project folder")
    rec.add_argument("--yes", action="store_true", help="carry out the plan")
    rec.add_argument(
        "--fast-mode",
        action="store_true",
        help="the killed update ran with PULUMI_SKIP_CHECKPOINTS=true. Not needed: such an "
        "update is recognised by the creates it recorded that the state does not hold, and "
        "then what the program plans to create (`pulumi preview`) is searched for what they "
        "made; without such records there is nothing to search for",
    )
    _sweep_command.add_parser(commands)
    _plugin_install.add_parser(commands)
    return parser


def _table(found: Plan) -> str:
    rows: list[tuple[str, ...]] = [("RESOURCE", "KIND", "FOUND", "ACTION")]
    # Names and ids come from the state and the cloud: escaped, so none can move the cursor,
    # colour the terminal or forge a row.
    rows += [tuple(map(printable, (s.name, s.kind, s.found, s.action))) for s in found.steps]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)).rstrip()
        for row in rows
    )


def _lines(text: str) -> str:
    """A message of several lines, each escaped: a message may quote the cloud or the state."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _since(found: Plan) -> str:
    if found.since is None:
        return "unknown"
    stamp = datetime.fromtimestamp(found.since, timezone.utc).isoformat(timespec="seconds")
    return f"{stamp} ({found.since_source})"


def _report(found: Plan, first: bool = True) -> None:
    if first:
        print(
            f"Update began at or after {_since(found)}. It recorded creates its stack's state "
            "does not hold, so it skipped checkpoints (fast mode): searching what the program "
            "plans to create.\n"
        )
    print(_table(found) if found.steps else "Nothing of this provider's left to create.")
    for reason in [*found.blocked, *found.notes]:
        print(f"\n{_lines(reason)}")


def _fast(pulumi: Pulumi, found: Plan, *, yes: bool) -> int:
    """Recover a killed fast-mode update, round by round (see `recover_fast`)."""
    _report(found)
    if not yes:
        if found.deferred:
            print(
                f"\n{len(found.deferred)} planned creates wait for a parent: each round looks "
                "them up once the round before imported their parents."
            )
        print("\nPlan only: run again with --yes to carry it out.")
        return 1 if found.blocked else 0

    def report(n: int, round_: Plan) -> None:
        print(f"\nRound {n}, after importing what round {n - 1} found:\n")
        _report(round_, first=False)

    from .recover import recover_fast

    recover_fast(pulumi, found, report)
    for lock in found.locks:
        print(f"\nRemoved the lock the killed update left ({lock.describe()}).")
    print("\nDone: run `pulumi up` to create what was not found.")
    return 0


def _repair(pulumi: Pulumi, *, yes: bool) -> bool:
    """Remove the metadata files a killed write left empty in a file backend, which stop pulumi
    reading the state (`recover.sidecars`); without `yes`, only list them. Whether the recovery
    can go on."""
    from .recover import RecoveryError, empty_sidecars

    try:
        project = pulumi.project_name()
    except RecoveryError:
        return True  # no project here: pulumi's first command says so
    broken = empty_sidecars(pulumi.backend_url(), project)
    if not broken:
        return True
    if not yes:
        print(
            "pulumi cannot read the state (`error: EOF`): a killed write left these metadata "
            "files of the file backend empty:"
        )
        for sidecar in broken:
            print(f"  {sidecar.describe()}")
        print(
            "\nPlan only: run again with --yes to remove them (an empty one holds nothing; "
            "pulumi reads a missing one as no metadata) and carry out the recovery."
        )
        return False
    for sidecar in broken:
        sidecar.remove()
        print(f"Removed an empty metadata file a killed write left: {sidecar.describe()}")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "sweep":
        return _sweep_command.main(args)
    if args.command == "plugin":
        return _plugin_install.main(args)
    # Loaded only here: the parser, `--help` and the other commands need none of it (nor
    # Pulumi's Automation API, which it loads).
    from .recover import Pulumi, fast_mode_requested, plan, recover

    pulumi = Pulumi(args.cwd.resolve(), args.stack)
    try:
        if not _repair(pulumi, yes=args.yes):
            return 1
        found = plan(pulumi, fast=args.fast_mode or fast_mode_requested())
        if found.fast:
            return _fast(pulumi, found, yes=args.yes)
        if not found.steps:
            print("No pending creates of alicloud-versions resources: nothing to recover.")
            for note in found.notes:
                print(f"\n{note}")
            if found.locks and args.yes:
                recover(pulumi, found)
                for lock in found.locks:
                    print(f"Removed the lock the killed update left ({lock.describe()}).")
            return 0
        print(f"Update began at or after {_since(found)}.\n")
        print(_table(found))
        for reason in [*found.blocked, *found.notes]:
            print(f"\n{_lines(reason)}")
        if not args.yes:
            print("\nPlan only: run again with --yes to carry it out.")
            return 1 if found.blocked else 0
        recover(pulumi, found)
    except AlicloudVersionsError as exc:
        print(f"alicloud-versions recover: {_lines(str(exc))}", file=sys.stderr)
        return 1
    print("\nDone: run `pulumi up` to create what was cleared.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
