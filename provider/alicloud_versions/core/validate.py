"""Input rules for check: each returns the reason a value is invalid, or None when it is fine."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = [
    "QUOTE_LIMIT",
    "Rule",
    "describe",
    "explain",
    "is_bool",
    "is_str",
    "length",
    "matches",
    "not_blank",
    "one_of",
    "oss_uri",
    "quote",
    "region",
    "str_map",
    "tag_key",
]

Rule = Callable[[Any], "str | None"]
"""A check of one value: the reason it is invalid, or None. The reason states what is allowed and
never the value itself (`explain` adds that, where the value may be shown). A rule with a
``doc`` attribute states its constraint for the docs (``1 to 128 characters``); `describe`
collects them; one with ``shows_value`` is clearer with the value quoted; one with ``near``
answers the allowed value a refused one differs from only in case."""

# The rule WebPlus applies to a package source (OSSPathInvalid otherwise), and Service Catalog
# to a template URL: a bucket name of 3 to 63 lower-case letters, digits and hyphens, then an
# object key with no whitespace. Every pattern here must match the whole value (fullmatch), so
# that a trailing newline never passes.
_OSS_URI = re.compile(r"oss://[a-z0-9][a-z0-9-]{1,61}[a-z0-9]/\S{1,1023}")
_REGION = re.compile(r"[a-z]{2,}(-[a-z0-9]+)+")

QUOTE_LIMIT = 64
"""At most this many characters of a value are quoted in a message."""


def quote(value: Any) -> str:
    """`value` for a message: its repr, cut to its first `QUOTE_LIMIT` characters."""
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        return f"{value[:QUOTE_LIMIT]!r}... ({len(value)} characters)"
    return repr(value)


def is_str(value: Any) -> str | None:
    """Strings only."""
    return None if isinstance(value, str) else f"must be a string, not {type(value).__name__}"


def is_bool(value: Any) -> str | None:
    """true or false only (not "true", not 1)."""
    if isinstance(value, bool):
        return None
    return f"must be a boolean (true or false), not {type(value).__name__}"


is_bool.shows_value = True  # type: ignore[attr-defined]


def _documented(rule: Rule, doc: str) -> Rule:
    rule.doc = doc  # type: ignore[attr-defined]
    return rule


def explain(rule: Rule, reason: str, value: Any, *, show: bool, hint: bool) -> str:
    """`reason` (what `rule` found wrong with `value`) for a message: with the value quoted
    when `show`, and with the allowed value it misses only in case when `hint`."""
    if show and getattr(rule, "shows_value", False):
        reason += f"; got {quote(value)}"
    near: Callable[[Any], str | None] | None = getattr(rule, "near", None)
    if hint and near is not None and (found := near(value)) is not None:
        reason += f" (did you mean {found!r}?)"
    return reason


def describe(rules: Iterable[Rule]) -> list[str]:
    """The constraints `rules` document, in order."""
    return [doc for rule in rules if (doc := getattr(rule, "doc", None))]


def length(low: int, high: int) -> Rule:
    """Strings of `low` to `high` characters."""

    def rule(value: Any) -> str | None:
        if isinstance(value, str) and not low <= len(value) <= high:
            return f"must be {low} to {high} characters long, got {len(value)}"
        return None

    return _documented(rule, f"{low} to {high:,} characters")


def one_of(choices: Iterable[str]) -> Rule:
    """One of a fixed set of strings (case-sensitive, as the API is)."""
    allowed = tuple(choices)

    def rule(value: Any) -> str | None:
        if isinstance(value, str) and value not in allowed:
            return f"must be one of {', '.join(allowed)}"
        return None

    def near(value: Any) -> str | None:
        folded = value.casefold() if isinstance(value, str) else None
        return next((v for v in allowed if v.casefold() == folded), None)

    rule.shows_value = True  # type: ignore[attr-defined]
    rule.near = near  # type: ignore[attr-defined]
    return _documented(rule, "one of " + ", ".join(f"``{v}``" for v in allowed))


def matches(pattern: str, what: str) -> Rule:
    """Strings matching a regular expression, described to the user as `what`."""
    compiled = re.compile(pattern)

    def rule(value: Any) -> str | None:
        if isinstance(value, str) and not compiled.fullmatch(value):
            return f"must be {what}"
        return None

    rule.shows_value = True  # type: ignore[attr-defined]
    return rule


def not_blank(value: Any) -> str | None:
    """Not made only of whitespace."""
    if isinstance(value, str) and value and not value.strip():
        return "must not be only whitespace"
    return None


def oss_uri(value: Any) -> str | None:
    """An OSS object written ``oss://bucket/object``, as the services accept it."""
    if isinstance(value, str) and not _OSS_URI.fullmatch(value):
        return (
            "must be an OSS object written oss://bucket/object (a bucket of 3 to 63 "
            "lower-case letters, digits and hyphens; a key without spaces)"
        )
    return None


oss_uri.doc = "an OSS object written ``oss://bucket/object``"  # type: ignore[attr-defined]
oss_uri.shows_value = True  # type: ignore[attr-defined]


def region(value: Any) -> str | None:
    """A region id such as ``cn-hangzhou``."""
    if isinstance(value, str) and not _REGION.fullmatch(value):
        return "must be a region id such as cn-hangzhou"
    return None


region.shows_value = True  # type: ignore[attr-defined]


def str_map(most: int, key_rules: Iterable[Rule] = (), value_high: int = 128) -> Rule:
    """An object of at most `most` entries, each key a string of 1 to 128 characters passing
    `key_rules` and each value a string of at most `value_high` characters. A value not known
    yet passes (check sees it at the update). A reason never quotes a value, only its key."""
    keys = tuple(key_rules)

    def rule(value: Any) -> str | None:
        if not isinstance(value, Mapping):
            return f"must be a map of strings, not {type(value).__name__}"
        if len(value) > most:
            return f"must have at most {most} entries, got {len(value)}"
        for key, item in value.items():
            if not isinstance(key, str) or not 1 <= len(key) <= 128:
                return "must have keys of 1 to 128 characters"
            for check in keys:
                if (why := check(key)) is not None:
                    return f"key {key!r} {why}"
            # The lifecycle's UNKNOWN (a value known only at the update), which this module
            # cannot import: the lifecycle imports it.
            if type(item).__name__ == "_Unknown":
                continue
            if not isinstance(item, str):
                return f"must map {key!r} to a string, not {type(item).__name__}"
            if len(item) > value_high:
                return f"must map {key!r} to at most {value_high} characters, got {len(item)}"
        return None

    return _documented(rule, f"at most {most} entries; values of at most {value_high} characters")


def tag_key(value: Any) -> str | None:
    """A tag key as LaunchProduct takes it: no ``acs:`` or ``aliyun`` prefix, no URL scheme."""
    if isinstance(value, str) and (
        value.startswith(("acs:", "aliyun")) or "http://" in value or "https://" in value
    ):
        return "must not start with acs: or aliyun, nor contain http:// or https://"
    return None
