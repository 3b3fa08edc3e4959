"""``alicloud-versions sweep``'s command line: its options, the plan it prints, and ``--yes``
taking back the digest of the plan the user reviewed (`_sweep` finds and deletes)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from ._sweep import MIN_PREFIX, ROOTS, SWEPT, Leftover, SweepPlan, held_by, plan, sweep
from .core.config import (
    ACCESS_KEY,
    ALLOW_HTTP,
    ENDPOINT,
    MAX_RETRY_TIME,
    REGION,
    SECRET_KEY,
    SECURITY_TOKEN,
    Key,
    checked_region,
    resolve_settings,
)
from .core.errors import AlicloudVersionsError
from .recover import printable

__all__ = ["add_parser", "main", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"(\d+)([smhdw])")


def parse_duration(text: str) -> float:
    """Seconds in ``90s``, ``15m``, ``2h``, ``7d``, ``1w`` or a sum of them (``1h30m``)."""
    value = text.strip().lower()
    parts = _DURATION.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration: write a number and a unit, s, m, h, d or w "
            "(90s, 15m, 2h, 7d, 1h30m)"
        )
    return float(sum(int(n) * _UNITS[u] for n, u in parts))


def _region(text: str) -> str:
    try:
        return checked_region(text, "the region")
    except AlicloudVersionsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _prefix(text: str) -> str:
    if len(text.strip()) < MIN_PREFIX or text != text.strip():
        raise argparse.ArgumentTypeError(
            f"the prefix must be at least {MIN_PREFIX} characters, without surrounding blanks"
        )
    return text


def _table(found: SweepPlan) -> str:
    rows = [("KIND", "ID", "NAME", "CREATED", "ACTION")]

    def row(item: Leftover, action: str) -> None:
        # Names and ids come from the cloud: escaped, so none can move the cursor, colour the
        # terminal or forge a row of the plan.
        cells = (item.kind.TYPE, printable(item.id_), printable(item.name), item.created_text())
        rows.append((*cells, action))

    for family in found.delete:
        for item in family.resources:
            row(item, "delete")
    for family in found.kept:
        for item in family.resources:
            why = item.kept or (family.kept if item.kind in ROOTS else "with its family")
            row(item, f"keep ({why})")
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row))
        for row in rows
    )


# The settings sweep reads, each from its option (if it has one), then its variables in order:
# the provider's own declarations, less the stack config, which sweep has no stack to read.
_OPTIONS: dict[Key, str] = {REGION: "--region", ENDPOINT: "--endpoint", ALLOW_HTTP: "--allow-http"}
_READ = (ACCESS_KEY, SECRET_KEY, SECURITY_TOKEN, REGION, ENDPOINT, ALLOW_HTTP, MAX_RETRY_TIME)


def reads() -> str:
    """The settings sweep reads and where, in its order, as its help and errors say it."""
    places = [" then ".join(([_OPTIONS[k]] if k in _OPTIONS else []) + list(k.env)) for k in _READ]
    return "; ".join(f"{key.name}: {where}" for key, where in zip(_READ, places, strict=True))


def _names(kinds: Any) -> str:
    """The kinds' plural names, with the field a root is named by."""
    return ", ".join(k._PLURAL + (f" (by {k._NAME_FIELD})" if k in ROOTS else "") for k in kinds)


_KEYS_ONLY_FROM = (
    f"sweep reads an access key only from the environment ({ACCESS_KEY.env[0]} and "
    f"{SECRET_KEY.env[0]}, else {ACCESS_KEY.env[1]} and {SECRET_KEY.env[1]}; a token from "
    f"{' or '.join(SECURITY_TOKEN.env)}): no stack config (sweep has no stack), no profile, "
    "RAM role or metadata service (a tool that deletes acts with a key you gave it)"
)
_NOT_STACKS = (
    "Whether a Pulumi stack holds any of these, sweep cannot tell by itself: the services "
    "record no owner. Name each stack that might with --stack (sweep reads its state and keeps "
    "every family it holds a resource of), or destroy such a stack (`pulumi destroy`) rather "
    "than sweep under it."
)


def add_parser(commands: Any) -> None:
    """Register ``sweep`` on the command's subparsers."""
    parser = commands.add_parser(
        "sweep",
        help="list, and with --yes delete, resources whose names start with a prefix",
        description=f"Find the {_names(ROOTS)} whose names start with PREFIX, with what belongs "
        f"to them ({_names(k for k in SWEPT if k not in ROOTS)}), in one region; with --yes "
        "delete them, what belongs to a resource before it (terminations waited for). Nothing "
        "else is touched, nor a version still in use by anything else. Without --yes, only "
        "prints the plan and its "
        "digest; --yes --plan DIGEST deletes only if the plan is still the one reviewed. "
        f"Templates cannot be listed or deleted through the API. Settings read, first match "
        f"wins: {reads()}. {_KEYS_ONLY_FROM}. {_NOT_STACKS}",
    )
    parser.add_argument("--prefix", required=True, type=_prefix, help="the name prefix")
    parser.add_argument(
        "--older-than",
        type=parse_duration,
        metavar="DURATION",
        help="only resources made at least this long ago (90s, 15m, 2h, 7d, 1h30m)",
    )
    parser.add_argument("--region", type=_region, help="the region (else ALICLOUD_REGION, ...)")
    parser.add_argument(
        "--endpoint", help="endpoint of both services (else ALICLOUD_VERSIONS_ENDPOINT)"
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="allow a plain http:// endpoint to a host other than loopback",
    )
    parser.add_argument(
        "--stack",
        action="append",
        default=[],
        metavar="NAME",
        help="keep what this stack's state holds (its project in --cwd); repeatable",
    )
    parser.add_argument(
        "--cwd",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the Pulumi project of the --stack stacks (default: here)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="delete what the plan lists (with --plan)"
    )
    parser.add_argument(
        "--plan",
        metavar="DIGEST",
        help="the digest of the plan reviewed: --yes deletes only if the plan is still that one",
    )


class _Options:
    """The command's options as the settings' config keys, each named as the user wrote it."""

    def __init__(self, args: argparse.Namespace) -> None:
        given = {REGION: args.region, ENDPOINT: args.endpoint}
        given[ALLOW_HTTP] = "true" if args.allow_http else None
        self._options = {k.stack_key: (_OPTIONS[k], v) for k, v in given.items()}

    def get(self, key: str) -> Any:
        return self._options.get(key, ("", None))[1]

    def origin(self, stack_key: str) -> str:
        return self._options.get(stack_key, (stack_key, None))[0]


def main(args: argparse.Namespace) -> int:
    """Run ``sweep`` with parsed `args`; the exit status."""
    if args.yes and not args.plan:
        print(
            "alicloud-versions sweep: --yes deletes only a plan you reviewed: run without --yes, "
            "then again with --yes --plan DIGEST, the digest it printed",
            file=sys.stderr,
        )
        return 2
    try:
        settings = resolve_settings(_Options(args))
        if settings.credentials is None:
            # Refused before any client: the default chain would end at the metadata service.
            print(f"alicloud-versions sweep: no access key: {_KEYS_ONLY_FROM}", file=sys.stderr)
            return 2
        held = held_by(args.stack, args.cwd)
        found = plan(settings, args.prefix, args.older_than, held=held)
        print(f"Resources named {printable(found.prefix)}* in {found.region}:\n")
        if not found.delete and not found.kept:
            print("(none)")
        else:
            print(_table(found))
        print(
            "\nTemplates are not listed: Service Catalog cannot list, read or delete them, so "
            "any a run uploaded stays."
        )
        if not found.delete:
            print("\nNothing to delete.")
            return 0
        if args.stack:
            named = ", ".join(printable(stack) for stack in args.stack)
            print(f"\nChecked against the state of: {named}; what it holds is kept.")
        else:
            print(f"\n{_NOT_STACKS}")
        if not args.yes:
            print(
                f"\nPlan only (digest {found.digest}): to delete these, run again with "
                f"--yes --plan {found.digest}"
            )
            return 0
        if args.plan != found.digest:
            print(
                f"\nThis plan is {found.digest}, not the {printable(args.plan)} reviewed: what "
                "the prefix names changed since, so nothing was deleted. Review this one, then "
                f"run again with --yes --plan {found.digest}.",
                file=sys.stderr,
            )
            return 1
        print()
        failures = sweep(settings, found)
    except AlicloudVersionsError as exc:
        print(f"alicloud-versions sweep: {printable(str(exc))}", file=sys.stderr)
        return 1
    if failures:
        print(f"\n{failures} not deleted (see above).", file=sys.stderr)
        return 1
    print("\nDone.")
    return 0
