"""Pulumi's own markers in exported deployments and plans, imported from the SDK, and the
helpers that read and write them.

`pulumi.runtime.rpc` keeps the secret signature under private names (``_special_sig_key``,
``_special_secret_sig``): they are imported anyway, since a copy could drift from the engine's
wire format, and `tests/unit/test_recover_markers.py` pins that they are the values of the
published format. ``UNKNOWN`` and the dynamic provider's ``__provider`` key are public.
"""

from __future__ import annotations

import json
from typing import Any

from pulumi.dynamic.dynamic import PROVIDER_KEY
from pulumi.runtime.rpc import UNKNOWN
from pulumi.runtime.rpc import _special_secret_sig as SECRET_SIG
from pulumi.runtime.rpc import _special_sig_key as SIG_KEY

from .messages import RecoveryError

__all__ = [
    "HIDDEN",
    "PROVIDER_KEY",
    "SECRET_SIG",
    "SIG_KEY",
    "UNKNOWN",
    "holds",
    "is_secret",
    "is_unknown",
    "reveal",
    "secret",
]

# What a plan's JSON (`pulumi preview --json --show-secrets`) shows for a secret input: the
# engine's display text (3.259), which no SDK module exports.
HIDDEN = "[secret]"


def secret(value: Any) -> dict[str, Any]:
    """`value` as a secret in plain text, which `pulumi stack import` encrypts."""
    return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(value)}


def is_secret(value: Any) -> bool:
    """Whether `value` is a secret of an export, encrypted or in plain text."""
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def reveal(value: Any, where: str = "a value") -> Any:
    """A value of an export made with ``--show-secrets``, secret wrapper removed."""
    if is_secret(value):
        if "plaintext" not in value:
            raise RecoveryError(
                f"{where} is encrypted in the export: it was made without --show-secrets"
            )
        try:
            return json.loads(value["plaintext"])
        except (TypeError, ValueError):
            raise RecoveryError(
                f"the exported state is malformed: {where} holds a secret that is not JSON"
            ) from None
    return value


def holds(value: Any, marker: str) -> bool:
    """Whether `value` is `marker` or holds it (the plan's unknown or hidden marker)."""
    if isinstance(value, str):
        return value == marker
    if isinstance(value, dict):
        return any(holds(v, marker) for v in value.values())
    if isinstance(value, list):
        return any(holds(v, marker) for v in value)
    return False


def is_unknown(value: Any) -> bool:
    """Whether `value` is, or holds, a value the plan does not know until the update runs."""
    return holds(value, UNKNOWN)
