"""Inline programs for the end-to-end tests, and readers of what the engine reported."""

from __future__ import annotations

import gc
import json
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import pulumi
from pulumi import automation as auto

from alicloud_versions import servicecatalog, webplus
from alicloud_versions.recover.markers import is_secret
from tests.support.engine import ROOT, Stack, checkpoint, new_stack, workspace_options

BUCKET = "e2e-artifacts"
TEMPLATE_BODY = json.dumps(
    {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Workspace": {"main.tf": 'variable "package_url" { type = string }\n'},
    }
)
# Resources in the release program, stack included, when every part is declared.
RELEASE_RESOURCES = 8
# Resource names of the release program.
APP, PKG_A, PKG_B, TEMPLATE, PRODUCT, PV_A, PV_B = (
    "app",
    "pkg-a",
    "pkg-b",
    "template",
    "product",
    "pv-a",
    "pv-b",
)


def release_program() -> None:
    """An application, two package versions of it, a template, a product and two product
    versions, each input fed from another resource's output.

    Config (project namespace) changes one thing at a time: ``versions`` (``false``: only the
    application, template and product), ``label_a`` / ``desc_a`` / ``source_a`` (pkg-a),
    ``pv_name`` / ``pv_description`` / ``pv_guidance`` / ``pv_active`` (pv-a),
    ``template_body``, ``app_description``, ``product_name`` / ``product_provider`` /
    ``product_description``, ``adopt_pkg_b`` / ``adopt_pv_a`` / ``adopt_pv_b`` (adopt ids), and
    ``force_delete`` (pkg-a and pv-a).
    """
    config = pulumi.Config()
    app = webplus.Application(
        APP, app_name="shop", app_description=config.get("app_description") or "e2e shop"
    )
    template = servicecatalog.Template(
        TEMPLATE,
        template_type="RosTerraformTemplate",
        template_body=config.get("template_body") or TEMPLATE_BODY,
    )
    product = servicecatalog.Product(
        PRODUCT,
        product_name=config.get("product_name") or "shop",
        provider_name=config.get("product_provider") or "e2e",
        description=config.get("product_description"),
    )
    pulumi.export("app_id", app.app_id)
    pulumi.export("template_url", template.template_url)
    pulumi.export("product_id", product.product_id)
    if config.get_bool("versions") is False:
        return

    def package(name: str, label: str, description: str, **extra: Any) -> webplus.PkgVersion:
        default_source = app.app_name.apply(lambda n: f"oss://{BUCKET}/{n}/{n}-{label}.war")
        return webplus.PkgVersion(
            name,
            app_id=app.app_id,
            package_source=extra.pop("source", None) or default_source,
            pkg_version_label=label,
            pkg_version_description=description,
            **extra,
        )

    label_a = config.get("label_a") or "1.0"
    force_delete = config.get_bool("force_delete")
    pkg_a = package(
        PKG_A,
        label_a,
        config.get("desc_a") or f"release {label_a}",
        source=config.get("source_a"),
        force_delete=force_delete,
    )
    pkg_b = package(PKG_B, "2.0", "release 2.0", adopt_id=config.get("adopt_pkg_b"))

    def product_version(
        name: str, version_name: str, pkg: webplus.PkgVersion, **extra: Any
    ) -> servicecatalog.ProductVersion:
        return servicecatalog.ProductVersion(
            name,
            product_id=product.product_id,
            product_version_name=version_name,
            template_type="RosTerraformTemplate",
            template_url=template.template_url,
            description=extra.pop("description", None)
            or pulumi.Output.concat("ships ", pkg.pkg_version_id),
            **extra,
        )

    pv_a = product_version(
        PV_A,
        config.get("pv_name") or "v1",
        pkg_a,
        description=config.get("pv_description"),
        guidance=config.get("pv_guidance") or "Recommended",
        active=config.get_bool("pv_active"),
        adopt_id=config.get("adopt_pv_a"),
        force_delete=force_delete,
    )
    pv_b = product_version(PV_B, "v2", pkg_b, adopt_id=config.get("adopt_pv_b"))
    pulumi.export("pkg_version_ids", [pkg_a.pkg_version_id, pkg_b.pkg_version_id])
    pulumi.export("pkg_a_label", pkg_a.pkg_version_label)
    pulumi.export("product_version_ids", [pv_a.product_version_id, pv_b.product_version_id])
    pulumi.export("pv_a", {"name": pv_a.product_version_name, "guidance": pv_a.guidance})


def import_program(pkg_version_id: str, app_id: str, label: str) -> Callable[[], None]:
    """A program adopting an existing package version through the ``import_`` option."""

    def program() -> None:
        webplus.PkgVersion(
            "imported",
            app_id=app_id,
            package_source=f"oss://{BUCKET}/shop/shop-{label}.war",
            pkg_version_label=label,
            pkg_version_description=f"release {label}",
            opts=pulumi.ResourceOptions(import_=pkg_version_id),
        )

    return program


def set_config(stack: auto.Stack, **values: str) -> None:
    """Set project config keys of the release program (``pv_active="false"`` and so on)."""
    stack.set_all_config({key: auto.ConfigValue(value) for key, value in values.items()})


class Events:
    """Collects the engine events of one operation (pass as ``on_event=``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[auto.EngineEvent] = []

    def __call__(self, event: auto.EngineEvent) -> None:
        with self._lock:
            self.events.append(event)

    def steps(self) -> list[auto.events.StepEventMetadata]:
        """The steps the engine announced (resource pre-events), in order, stack excluded."""
        return [
            ev.resource_pre_event.metadata
            for ev in self.events
            if ev.resource_pre_event is not None
            and not _is_engine_own(ev.resource_pre_event.metadata.type)
        ]

    def ops(self, name: str) -> list[str]:
        """The operations on resource `name`, in the order the engine announced them."""
        return [step.op.value for step in self.steps() if _name(step.urn) == name]

    def changed(self) -> dict[str, str]:
        """Resource name -> its operation, for every resource not `same`; the three steps of a
        replacement count as one `replace`."""
        found: dict[str, str] = {}
        for step in self.steps():
            name = _name(step.urn)
            if step.op != auto.OpType.SAME and found.get(name) != "replace":
                found[name] = "replace" if step.op.value in _REPLACEMENT else step.op.value
        return found

    def outcomes(self) -> dict[str, auto.events.StepEventMetadata]:
        """Resource name -> the step that ended it, for every resource not `same`: how a
        refresh, whose steps all start as `refresh`, reports what it found."""
        return {
            _name(ev.res_outputs_event.metadata.urn): ev.res_outputs_event.metadata
            for ev in self.events
            if ev.res_outputs_event is not None
            and ev.res_outputs_event.metadata.op != auto.OpType.SAME
            and not _is_engine_own(ev.res_outputs_event.metadata.type)
        }

    def step(self, name: str, op: str) -> auto.events.StepEventMetadata:
        """The one step of `op` on resource `name`."""
        found = [s for s in self.steps() if _name(s.urn) == name and s.op.value == op]
        assert len(found) == 1, f"{op} on {name}: {[(_name(s.urn), s.op) for s in self.steps()]}"
        return found[0]

    def diagnostics(self) -> str:
        """Every diagnostic message the engine printed, joined."""
        return "".join(
            ev.diagnostic_event.message for ev in self.events if ev.diagnostic_event is not None
        )


_REPLACEMENT = frozenset({"create-replacement", "replace", "delete-replaced"})


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _is_engine_own(type_token: str) -> bool:
    """The stack and the provider resources, which are not the program's resources."""
    return type_token == "pulumi:pulumi:Stack" or type_token.startswith("pulumi:providers:")


def deployment(stack: auto.Stack) -> dict[str, Any]:
    """The stack's latest deployment, as `pulumi stack export` prints it (secrets encrypted).

    On a file backend (every stack here but a live one's, maybe) it is read from the checkpoint
    file the engine wrote, which is what `stack export` prints, without a `pulumi` command (0.3
    CPU s each); any other backend, or a stack with no checkpoint yet, is asked through `stack
    export`.
    """
    url = stack.workspace.env_vars.get("PULUMI_BACKEND_URL", "")
    if url.startswith("file://"):
        backend = Path(url2pathname(urlparse(url).path))
        found = checkpoint(backend, stack.workspace.project_settings().name, stack.name)
        if found is not None:
            return found
    return stack.export_stack().deployment or {}


def resources(stack: auto.Stack) -> dict[str, dict[str, Any]]:
    """Resource name -> its state (id, inputs, outputs), from the stack's checkpoint."""
    found = deployment(stack).get("resources") or []
    return {_name(res["urn"]): res for res in found if not _is_engine_own(res["type"])}


def outputs(stack: auto.Stack) -> dict[str, Any]:
    """The stack's outputs, each as its plain value: what `up.outputs` holds after the stack's
    last update. Read from its checkpoint, without the two `pulumi stack output` commands
    Automation runs, unless one of them is a secret, which only the engine decrypts."""
    values = plain_outputs(deployment(stack))
    if values is None:
        return {key: value.value for key, value in stack.outputs().items()}
    return values


def plain_outputs(deployment: dict[str, Any]) -> dict[str, Any] | None:
    """The stack outputs a deployment holds, or None when one of them is a secret, which only
    the engine decrypts."""
    [root] = [
        res for res in deployment.get("resources") or [] if res["type"] == "pulumi:pulumi:Stack"
    ]
    values: dict[str, Any] = dict(root.get("outputs") or {})
    return None if any(map(is_secret, values.values())) else values


def changed_inputs(step: auto.events.StepEventMetadata) -> list[str]:
    """The inputs whose value differs between the old and new state of a step."""
    old = (step.old.inputs if step.old else None) or {}
    new = (step.new.inputs if step.new else None) or {}
    return sorted(k for k in set(old) | set(new) if k != "__provider" and old.get(k) != new.get(k))


def failing(operation: Callable[[], object]) -> auto.errors.CommandError:
    """Run a stack operation that must fail; the engine's error.

    When the engine stops an inline program early, the Automation API leaves the program's
    event loop and a monitor socket for the garbage collector, whose ResourceWarnings would
    surface as errors in whichever later test collects them; collect them here instead.
    """
    try:
        operation()
    except auto.errors.CommandError as exc:
        return exc
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
    raise AssertionError("the operation succeeded")


def unique_stack_name() -> str:
    """A stack name no developer's stack in the repository root will have."""
    return f"e2e-{uuid.uuid4().hex[:10]}"


@contextmanager
def project_stack(
    tmp: Path,
    config: dict[str, auto.ConfigValue],
    stack: str | None = None,
    project_dir: Path = ROOT,
) -> Iterator[Stack]:
    """A stack of one of the repository's projects (by default Pulumi.yaml, the quickstart),
    run by the Python language host, on a file backend in `tmp`.

    The engine keeps a stack's config in ``Pulumi.<stack>.yaml`` next to ``Pulumi.yaml``, so the
    stack gets a unique name and its file is removed with it.
    """
    name = stack or unique_stack_name()
    try:
        st = new_stack(name, workspace_options(tmp, project_dir))
        st.set_all_config(config)
        yield st
    finally:
        (project_dir / f"Pulumi.{name}.yaml").unlink(missing_ok=True)
