"""Service Catalog's request parameters: lists of structs, filters, lengths and choices."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ...errors import InvalidParameter, MissingParameter
from ...params import ActionRequest
from .api import CHOICES, LENGTHS, PRODUCT_FILTERS


def flat_list(params: Mapping[str, str], name: str) -> list[dict[str, str]]:
    """A list of structs parameter: `Name.N.Field` fields as the SDK flattens it into a form or
    query, or one `Name` field holding a JSON array, as a JSON body carries it."""
    pattern = re.compile(rf"^{re.escape(name)}\.(\d+)\.(\w+)$")
    items: dict[int, dict[str, str]] = {}
    for key, value in params.items():
        match = pattern.match(key)
        if match:
            items.setdefault(int(match.group(1)), {})[match.group(2)] = value
    if not items and name in params:
        try:
            parsed = json.loads(params[name])
        except json.JSONDecodeError as exc:
            raise InvalidParameter(name, "it must be a list of objects") from exc
        if not isinstance(parsed, list) or not all(isinstance(i, dict) for i in parsed):
            raise InvalidParameter(name, "it must be a list of objects")
        return [{k: str(v) for k, v in item.items()} for item in parsed]
    return [items[index] for index in sorted(items)]


def filters(
    request: ActionRequest, keys: tuple[str, ...] = PRODUCT_FILTERS
) -> list[tuple[str, str]]:
    """The `Filters` list as (key, value) pairs, each key one of `keys`."""
    found = []
    for n, item in enumerate(flat_list(request.params, "Filters"), start=1):
        key, value = item.get("Key"), item.get("Value")
        if not key:
            raise MissingParameter(f"Filters.{n}.Key")
        request.choice(f"Filters.{n}.Key", key, keys)
        if not value:
            raise MissingParameter(f"Filters.{n}.Value")
        found.append((key, value))
    return found


def text(request: ActionRequest, name: str) -> str:
    """A required parameter within its declared lengths."""
    value = request.required(name)
    request.length(name, value, *LENGTHS[name])
    return value


def length(request: ActionRequest, name: str) -> str | None:
    """An optional parameter within its declared lengths."""
    return request.length(name, request.optional(name), *LENGTHS[name])


def choice(request: ActionRequest, name: str) -> str:
    """A required parameter that is one of its declared values."""
    value = request.required(name)
    request.choice(name, value, CHOICES[name])
    return value


def optional_choice(request: ActionRequest, name: str) -> str | None:
    """An optional parameter that, when sent, is one of its declared values."""
    return request.choice(name, request.optional(name), CHOICES[name])
