"""A do-nothing dynamic resource: the engine smoke test and the benchmark's floor."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult


class NoopProvider(ResourceProvider):
    """Creates nothing; sleeps `delay` seconds in create and delete to stand in for one API call."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        time.sleep(float(props.get("delay") or 0))
        return CreateResult(id_=uuid.uuid4().hex, outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k in ("value", "delay") if olds.get(k) != news.get(k)]
        return DiffResult(changes=bool(changed), replaces=[], stables=[])

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs=news)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        time.sleep(float(props.get("delay") or 0))


class Noop(Resource, module="test", name="Noop"):
    """A resource that holds `value` and nothing else."""

    value: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        value: pulumi.Input[str],
        delay: float = 0.0,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(NoopProvider(), name, {"value": value, "delay": delay}, opts)
