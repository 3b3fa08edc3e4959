"""Input rules for check: each returns the reason a value is invalid, or None when it is fine."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "Rule",
    "is_bool",
    "is_str",
    "length",
    "matches",
    "one_of",
    "oss_uri",
    "region",
]

Rule = Callable[[Any], "str | None"]

_OSS_URI = re.compile(r"^oss://(?P<bucket>[a-z0-9][a-z0-9-]{1,61}[a-z0-9])/(?P<object>\S.*)$")
_REGION = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


def is_str(value: Any) -> str | None:
    """Strings only."""
    return None if isinstance(value, str) else f"must be a string, not {type(value).__name__}"


def is_bool(value: Any) -> str | None:
    """true or false only (not "true", not 1)."""
    if isinstance(value, bool):
        return None
    return f"must be a boolean (true or false), not {type(value).__name__} {value!r}"


def length(low: int, high: int) -> Rule:
    """Strings of `low` to `high` characters."""

    def rule(value: Any) -> str | None:
        if isinstance(value, str) and not low <= len(value) <= high:
            return f"must be {low} to {high} characters long, got {len(value)}"
        return None

    return rule


def one_of(choices: Iterable[str]) -> Rule:
    """One of a fixed set of strings (case-sensitive, as the API is)."""
    allowed = tuple(choices)

    def rule(value: Any) -> str | None:
        if isinstance(value, str) and value not in allowed:
            return f"must be one of {', '.join(allowed)}; got {value!r}"
        return None

    return rule


def matches(pattern: str, what: str) -> Rule:
    """Strings matching a regular expression, described to the user as `what`."""
    compiled = re.compile(pattern)

    def rule(value: Any) -> str | None:
        if isinstance(value, str) and not compiled.fullmatch(value):
            return f"must be {what}; got {value!r}"
        return None

    return rule


def oss_uri(value: Any) -> str | None:
    """An OSS object written ``oss://bucket/object``."""
    if isinstance(value, str) and not _OSS_URI.match(value):
        return f"must be an OSS object written oss://bucket/object; got {value!r}"
    return None


def region(value: Any) -> str | None:
    """A region id such as ``cn-hangzhou``."""
    if isinstance(value, str) and not _REGION.match(value):
        return f"must be a region id such as cn-hangzhou; got {value!r}"
    return None
