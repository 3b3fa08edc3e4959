"""The two front doors agree by construction: what the plugin's served schema says of each input
(required, default, replaces) is what the dynamic provider host does with it. Secrets are not a
schema matter here (no input is declared secret): that a secret input and what is made from it
stay secret is tested per front door (test_secrets.py, tests/e2e/test_secret_outputs.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from alicloud_versions.core.fields import camel
from alicloud_versions.dynamic._provider import BaseProvider
from tests.support.engine import TOOLS, engine_env
from tests.unit.resources import PROVIDERS, VALID, provider_id

from .conftest import Host

# The served schema comes from the real engine (`pulumi package get-schema`).
pytestmark = pytest.mark.engine

# A value of each input that differs from the valid one and is itself valid.
OTHER: dict[str, Any] = {
    "app_id": "wa-456",
    "package_source": "oss://bucket/app-2.war",
    "template_url": "oss://servicecatalog-cn-hangzhou/123/terraform/template/tpl-2/template.json",
    "template_type": "RosStandardTemplate",
    "template_body": '{"other": true}',
    "guidance": "Latest",
    "active": False,
    "region": "cn-shanghai",
    "product_type": "Ros",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The schema the plugin serves, as the real engine gets it (`pulumi package get-schema`)."""
    tmp = tmp_path_factory.mktemp("schema")
    (tmp / "backend").mkdir()
    plugin = Path(sys.executable).with_name("pulumi-resource-alicloud-versions")
    done = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "package", "get-schema", str(plugin)],
        capture_output=True,
        text=True,
        timeout=120,
        env=engine_env(tmp / "backend", tmp / "home"),
        cwd=tmp,
        check=True,
    )
    return dict(json.loads(done.stdout))


def _resource(served: dict[str, Any], cls: type[BaseProvider]) -> dict[str, Any]:
    module, name = cls.TYPE.split(".")
    return dict(served["resources"][f"alicloud-versions:{module}:{name}"])


def _other(name: str, value: Any) -> Any:
    if name in OTHER and OTHER[name] != value:
        return OTHER[name]
    return f"{value}-2" if isinstance(value, str) else not value


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_required_inputs_agree(served: dict[str, Any], host: Host, cls: type[BaseProvider]) -> None:
    """An input the schema requires is exactly one whose omission the dynamic check rejects
    outright (a schema lists none when every input may be omitted, as with `adopt_id`)."""
    required = set(_resource(served, cls).get("requiredInputs", []))
    for name in cls.kind.INPUTS:
        news = {k: v for k, v in VALID[cls].items() if k != name}
        _, failures = host.check(cls(), news)
        # The dynamic check names the property in its reason only (`BaseProvider.check`).
        rejected = any(why == f"{name} is required" for _prop, why in failures)
        assert rejected == (camel(name) in required), name


@pytest.mark.parametrize("cls", PROVIDERS, ids=provider_id)
def test_replaces_agree(served: dict[str, Any], host: Host, cls: type[BaseProvider]) -> None:
    """An input the schema marks replaceOnChanges is exactly one whose change the dynamic diff
    answers as a replacement; a create-only input causes no diff at all."""
    inputs = _resource(served, cls)["inputProperties"]
    olds = {**VALID[cls], "region": "cn-hangzhou"}
    for name, spec in cls.kind.INPUTS.items():
        news = {**olds, name: _other(name, olds.get(name, "x"))}
        diff = host.diff(cls(), "id-1", olds, news)
        replaced = name in diff.replaces
        assert replaced == bool(inputs[camel(name)].get("replaceOnChanges")), name
        if spec.create_only:
            assert diff.changes == diff.DIFF_NONE, name


# The kinds with an input the declaration gives a default (the others have nothing to agree on).
WITH_DEFAULTS = [c for c in PROVIDERS if any(i.default is not None for i in c.kind.INPUTS.values())]


@pytest.mark.parametrize("cls", WITH_DEFAULTS, ids=provider_id)
def test_defaults_agree(served: dict[str, Any], host: Host, cls: type[BaseProvider]) -> None:
    """Omitting an input the served schema gives a default diffs as no change against that
    default, and the check accepts the omission."""
    inputs = _resource(served, cls)["inputProperties"]
    defaults = {name: spec["default"] for name, spec in inputs.items() if "default" in spec}
    assert defaults, "the schema gives no input of this kind a default"
    for prop, default in defaults.items():
        name = next(n for n in cls.kind.INPUTS if camel(n) == prop)
        olds = {**VALID[cls], name: default}
        news = {k: v for k, v in VALID[cls].items() if k != name}
        diff = host.diff(cls(), "id-1", olds, news)
        assert diff.changes == diff.DIFF_NONE, name
        assert host.check(cls(), news)[1] == [], name
