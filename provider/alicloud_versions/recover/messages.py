"""recover's one error, and how it shows what comes from the state or the cloud: escaped."""

from __future__ import annotations

from typing import Any

from ..core.errors import AlicloudVersionsError

__all__ = ["RecoveryError", "printable", "shown"]


class RecoveryError(AlicloudVersionsError):
    """The recovery cannot go on; the message says why and what to do."""


def printable(text: str) -> str:
    """`text` with every character a terminal would act on escaped (newlines, escapes, bidi
    controls), and backslashes doubled so that the escapes cannot be forged."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char.isprintable():
            out.append(char)
        else:
            out.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def shown(value: Any) -> str:
    """A value from the export as a message shows it: escaped, and at most 80 characters."""
    text = printable(value if isinstance(value, str) else repr(value))
    return text if len(text) <= 80 else text[:77] + "..."
