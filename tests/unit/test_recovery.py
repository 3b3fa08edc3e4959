"""The recover command's pure parts: when the killed update began, secret values, the export as
untrusted input (URNs, malformed entries, escaped names), the settings of the provider that owns
a pending create, and which locks may be removed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from alicloud_versions import recover as _recovery
from alicloud_versions.cli import _table
from alicloud_versions.core.config import Endpoint, Service
from alicloud_versions.core.journal import Record, digests
from alicloud_versions.core.ownership import Candidate, Lookup
from alicloud_versions.recover import (
    Export,
    Lock,
    Plan,
    RecoveryError,
    Step,
    Urn,
    Verdict,
    engine,
    forensics,
    locks,
    pending,
    preview,
    printable,
    recover,
)
from alicloud_versions.recover.export import provider_settings
from alicloud_versions.recover.forensics import judge_holder
from alicloud_versions.recover.locks import file_locks, lock_folders
from alicloud_versions.recover.markers import reveal as _reveal
from alicloud_versions.recover.sidecars import empty_sidecars
from alicloud_versions.recover.steps import update_start

SIG = "4dabf18193072939515e22adb298388d"
STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev"
APP = "alicloud-versions:webplus:Application"


def _secret(value: Any) -> dict[str, str]:
    """A secret as `stack export --show-secrets` writes it."""
    return {SIG: "1b47061264138c4ac30d75fd1eb44270", "plaintext": json.dumps(value)}


def _lock_file(folder: Path, name: str, pid: int, host: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    content = {
        "pid": pid,
        "username": "me",
        "hostname": host or socket.gethostname(),
        "timestamp": "2026-01-01T00:00:00Z",
    }
    path.write_text(json.dumps(content))
    return path


def _locks_of(backend: Path) -> Path:
    return backend / ".pulumi" / "locks" / "organization" / "proj" / "dev"


def _gone_pid() -> int:
    """The pid of a child that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait(timeout=30)
    return child.pid


def _lock(tmp_path: Path, timestamp: str, pid: int) -> Lock:
    when = datetime.fromisoformat(timestamp).timestamp()
    host = socket.gethostname()
    return Lock(tmp_path / "lock.json", b"{}", pid, host, when, Verdict(False, "test"))


# the update's start ------------------------------------------------------------------------


def test_the_lock_the_killed_update_left_dates_it(tmp_path: Path) -> None:
    """A lock's timestamp is the update's start, before any history or state time."""
    since, source = update_start(
        [_lock(tmp_path, "2026-01-02T03:04:05+00:00", 1)],
        [{"endTime": "2026-01-02T04:00:00.000Z"}],
        {"resources": [{"created": "2026-01-01T00:00:00Z"}]},
    )
    assert since == 1767323045.0
    assert source == "the lock it left"


def test_without_a_lock_the_last_update_in_the_history_bounds_it() -> None:
    """Without a lock, the newest end of an earlier update is the bound."""
    since, source = update_start(
        [],
        [{"endTime": "2026-01-02T04:00:00.000Z"}, {"endTime": "2026-01-01T04:00:00.000Z"}],
        {"resources": [{"created": "2026-01-01T00:00:00Z"}]},
    )
    assert since == 1767326400.0
    assert "history" in source


def test_a_first_update_is_bounded_by_the_oldest_create_time_in_its_state() -> None:
    """A stack whose first update was killed has no history: its state's oldest create time
    (the stack resource, written as the update began) is the bound."""
    since, _ = update_start(
        [],
        [],
        {"resources": [{"created": "2026-01-01T00:00:10Z"}, {"created": "2026-01-01T00:00:00Z"}]},
    )
    assert since == 1767225600.0
    assert update_start([], [], {"resources": []}) == (None, "unknown")


def test_secret_values_of_an_export_are_unwrapped() -> None:
    """`stack export --show-secrets` wraps secrets; the lookup needs the plain value."""
    assert _reveal(_secret("s3cret")) == "s3cret"
    assert _reveal("plain") == "plain"


def test_an_encrypted_secret_is_an_error_not_a_value() -> None:
    """A secret exported without --show-secrets is never taken for a value."""
    with pytest.raises(RecoveryError, match="encrypted in the export"):
        _reveal({SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}, "a key")


# URNs and the export as untrusted input ----------------------------------------------------


def test_a_urn_is_parsed_by_the_engines_grammar() -> None:
    """Parent types join with `$`, and the name is everything after the third `::`."""
    urn = Urn.parse("urn:pulumi:dev::proj::my:comp:Comp$alicloud-versions:webplus:App::a::b")
    assert (urn.stack, urn.project, urn.name) == ("dev", "proj", "a::b")
    assert urn.qualified_type == "my:comp:Comp$alicloud-versions:webplus:App"
    assert urn.type == "alicloud-versions:webplus:App"
    assert str(urn) == "urn:pulumi:dev::proj::my:comp:Comp$alicloud-versions:webplus:App::a::b"


@pytest.mark.parametrize(
    "text",
    [
        "urn:pulumi:dev",  # no ::
        "urn:pulumi:dev::proj::app",  # no name part
        "urn:pulumi:dev::proj::::app",  # missing type
        "urn:pulumi:dev::proj::parent$::app",  # a parent and no type
        "urn:pulumi:::proj::t::app",  # missing stack
        "urn:other:dev::proj::t::app",
        42,
        None,
    ],
)
def test_a_malformed_urn_is_one_line_naming_it(text: Any) -> None:
    """What is not a URN stops the recovery with one line, never a traceback."""
    with pytest.raises(RecoveryError) as raised:
        Urn.parse(text, "resources[0].urn")
    assert "\n" not in str(raised.value) and "resources[0].urn" in str(raised.value)


def _export(*resources: Any, pending: Any = None) -> dict[str, Any]:
    deployment: dict[str, Any] = {"resources": list(resources)}
    if pending is not None:
        deployment["pending_operations"] = pending
    return {"version": 3, "deployment": deployment}


def _app(name: str = "app", **extra: Any) -> dict[str, Any]:
    return {"urn": f"urn:pulumi:dev::proj::{APP}::{name}", "type": APP, **extra}


@pytest.mark.parametrize(
    ("exported", "expected"),
    [
        ([], "the export is a list, expected an object"),
        (_export(pending={"creating": 1}), "pending_operations is an object, expected a list"),
        (_export(pending=["creating"]), "pending_operations[0] is a string, expected an object"),
        (
            _export(pending=[{"type": ["creating"], "resource": _app()}]),
            "pending_operations[0].type is a list, expected an operation name",
        ),
        (_export(pending=[{"type": "creating"}]), "pending_operations[0] is null"),
        (
            _export(pending=[{"type": "creating", "resource": _app(inputs=["a", "b"])}]),
            "pending_operations[0].inputs is a list, expected an object",
        ),
        (_export({"urn": "urn:pulumi:dev", "type": APP}), "resources[0].urn"),
        (_export({"urn": "urn:pulumi:dev::proj::::app", "type": APP}), "not a URN"),
        (_export(_app(type=None)), "resources[0].type is null, expected a type token"),
        (_export(_app(type="pulumi:pulumi:Stack")), "is not the type of its URN"),
        (_export(_app(provider=7)), "resources[0].provider is a number"),
        (
            _export(_app(), {"urn": "urn:pulumi:prod::proj::t:m:T::x", "type": "t:m:T"}),
            "several stacks",
        ),
    ],
)
def test_a_malformed_export_is_one_line_naming_where(exported: Any, expected: str) -> None:
    """Each malformed shape of an export ends the recovery with one line saying where."""
    with pytest.raises(RecoveryError) as raised:
        Export.parse(exported)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message and message.startswith("the exported state is malformed")


def test_names_are_printed_escaped() -> None:
    """Newlines, terminal escapes and bidi controls in a name are shown as escapes, and a
    backslash is doubled so that an escape cannot be forged."""
    assert printable("a\nb\x1b[31mc\u202ed\\n") == "a\\nb\\x1b[31mc\\u202ed\\\\n"
    assert printable("商品-1 ok") == "商品-1 ok"
    step = Step(f"urn:pulumi:dev::proj::{APP}::evil\n\x1b[2Jname", "webplus:Application", "x", "y")
    table = _table(Plan(None, "unknown", steps=[step]))
    assert "\x1b" not in table and table.count("\n") == 1
    assert "evil\\n\\x1b[2Jname" in table


def test_a_malformed_urn_in_an_error_is_escaped() -> None:
    """A URN quoted in an error keeps its newline and escapes out of the terminal."""
    with pytest.raises(RecoveryError) as raised:
        Urn.parse("urn:pulumi:x\n\x1b[2J")
    assert "\x1b" not in str(raised.value) and "\n" not in str(raised.value)


# the provider that owns a pending create ---------------------------------------------------


def _provider(type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "urn": f"urn:pulumi:dev::proj::{type_}::{name}",
        "type": type_,
        "id": "1234",
        "inputs": inputs,
    }


def test_the_owning_providers_inputs_give_the_lookups_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An explicit plugin provider's key, region and endpoint (its secret revealed) are the
    lookup's settings, not the stack's config nor the environment's."""
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-key")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret")
    explicit = _provider(
        "pulumi:providers:alicloud-versions",
        "other",
        {
            "accessKey": "other-key",
            "secretKey": _secret("other-secret"),
            "region": "cn-shanghai",
            "webplusEndpoint": "http://127.0.0.1:9",
            "version": "0.1.0",
        },
    )
    app = _app(provider=f"{explicit['urn']}::1234")
    export = Export.parse(_export(explicit, pending=[{"type": "creating", "resource": app}]))
    owner = export.provider_of(export.pending[0][1])
    settings = provider_settings(owner, plugin=True)
    assert settings.credentials is not None
    assert settings.credentials.access_key_id == "other-key"
    assert settings.credentials.access_key_secret == "other-secret"
    assert settings.region == "cn-shanghai"
    assert settings.endpoints == {Service.WEBPLUS: Endpoint("127.0.0.1:9", "http")}


def test_the_dynamic_providers_inputs_are_the_whole_namespaced_config() -> None:
    """The dynamic provider's default provider carries every config key with its namespace."""
    dynamic = _provider(
        "pulumi:providers:pulumi-python",
        "default",
        {
            "alicloud:accessKey": "k",
            "alicloud:secretKey": _secret("s"),
            "alicloud:region": "cn-beijing",
        },
    )
    settings = provider_settings(Export.parse(_export(dynamic)).resources[dynamic["urn"]], False)
    assert settings.credentials is not None
    assert (settings.credentials.access_key_id, settings.region) == ("k", "cn-beijing")
    with pytest.raises(RecoveryError, match="not a pulumi:providers:alicloud-versions"):
        provider_settings(Export.parse(_export(dynamic)).resources[dynamic["urn"]], True)


@pytest.mark.parametrize("reference", [None, "urn:pulumi:dev::proj::pulumi:providers:x::p::9"])
def test_a_pending_create_whose_provider_is_not_in_the_state_stops_recovery(
    reference: str | None,
) -> None:
    """Without its own provider a pending create is never looked up with another's keys."""
    app = _app(provider=reference)
    export = Export.parse(_export(pending=[{"type": "creating", "resource": app}]))
    with pytest.raises(RecoveryError, match=r"names no provider|is not in the state"):
        export.provider_of(export.pending[0][1])


# locks -------------------------------------------------------------------------------------


def test_a_lock_is_stale_only_when_its_process_is_gone_from_this_host(tmp_path: Path) -> None:
    """Our own pid holds a live lock; another host's lock is never taken for stale; a pid that
    no process of this machine has is gone."""
    folder = _locks_of(tmp_path)
    _lock_file(folder, "a.json", os.getpid())
    _lock_file(folder, "b.json", 1, host="elsewhere")
    _lock_file(folder, "c.json", _gone_pid())
    locks = file_locks(tmp_path.as_uri(), "proj", "dev")
    assert [lock.stale for lock in locks] == [False, False, True]
    assert "another machine" in locks[1].verdict.why
    assert file_locks("s3://bucket", "proj", "dev") == []


def test_in_a_container_no_lock_is_judged_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a pid namespace of its own, recover cannot see another container that shares the
    hostname, so a pid missing from its view proves nothing."""
    monkeypatch.setattr(forensics, "_pid_namespace", lambda: 4026532000)
    verdict = judge_holder(_gone_pid(), socket.gethostname())
    assert not verdict.gone and "container" in verdict.why


def test_a_pid_of_a_nested_namespace_counts_as_running(tmp_path: Path) -> None:
    """A process whose pid in its container is the lock's pid may be the holder: NSpid lists
    each process's pid in every namespace it is in."""
    proc = tmp_path / "proc"
    (proc / "4242").mkdir(parents=True)
    (proc / "4242" / "status").write_text("Name:\tpulumi\nNSpid:\t4242\t57\n")
    (proc / "self").mkdir()
    assert forensics._pid_in_any_namespace(57, proc)
    assert forensics._pid_in_any_namespace(4242, proc)
    assert not forensics._pid_in_any_namespace(58, proc)


@pytest.mark.parametrize("stack", ["..", "../../..", "/etc", "a/b", "dev\n", ""])
def test_the_lock_search_never_leaves_the_backends_lock_folder(tmp_path: Path, stack: str) -> None:
    """A stack or project name the file backend could not have made is refused, not joined."""
    with pytest.raises(RecoveryError, match="lock cannot be looked for"):
        lock_folders(tmp_path.as_uri(), "proj", stack)
    with pytest.raises(RecoveryError, match="lock cannot be looked for"):
        lock_folders(tmp_path.as_uri(), stack, "dev")


def test_symlinks_out_of_the_lock_folder_are_not_followed(tmp_path: Path) -> None:
    """A stack folder or lock file that links elsewhere is not read."""
    outside = tmp_path / "outside"
    _lock_file(outside, "x.json", _gone_pid())
    backend = tmp_path / "backend"
    folder = _locks_of(backend)
    folder.parent.mkdir(parents=True)
    folder.symlink_to(outside)
    assert file_locks(backend.as_uri(), "proj", "dev") == []
    folder.unlink()
    folder.mkdir()
    (folder / "y.json").symlink_to(outside / "x.json")
    assert file_locks(backend.as_uri(), "proj", "dev") == []


def test_only_the_lock_proven_stale_is_removed(tmp_path: Path) -> None:
    """Removal takes that one file, after reading it again."""
    folder = _locks_of(tmp_path)
    _lock_file(folder, "dead.json", _gone_pid())
    other = _lock_file(folder, "other.json", os.getpid())
    (stale,) = [lock for lock in file_locks(tmp_path.as_uri(), "proj", "dev") if lock.stale]
    stale.remove()
    assert sorted(p.name for p in folder.iterdir()) == [other.name]


def test_a_lock_rewritten_since_it_was_judged_is_left_in_place(tmp_path: Path) -> None:
    """A lock whose content changed after it was judged stale is not removed."""
    path = _lock_file(_locks_of(tmp_path), "dead.json", _gone_pid())
    (stale,) = file_locks(tmp_path.as_uri(), "proj", "dev")
    _lock_file(path.parent, path.name, os.getpid())
    with pytest.raises(RecoveryError, match="changed since it was read"):
        stale.remove()
    assert path.exists()


def test_a_lock_is_judged_again_at_the_moment_of_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If its holder is no longer proven gone when it is removed, the lock stays."""
    path = _lock_file(_locks_of(tmp_path), "dead.json", _gone_pid())
    (stale,) = file_locks(tmp_path.as_uri(), "proj", "dev")
    assert stale.stale
    monkeypatch.setattr(locks, "judge_holder", lambda pid, host: Verdict(False, "now"))
    with pytest.raises(RecoveryError, match="no longer proven stale"):
        stale.remove()
    assert path.exists()


class _FakePulumi(_recovery.Pulumi):
    """A `Pulumi` that records what it is asked to run and never runs anything."""

    def __init__(self, on_export: Callable[[], Any]) -> None:
        super().__init__(Path("."))
        self.ran: list[tuple[str, ...]] = []
        self.on_export = on_export

    def run(self, *args: str, stack: bool = True) -> str:
        self.ran.append(args)
        return ""

    def export(self, *, show_secrets: bool = False) -> Any:
        return self.on_export()

    def import_(self, exported: Any) -> None:
        self.ran.append(("stack", "import"))

    def refresh(self, urns: Sequence[str]) -> None:
        self.ran.append(("refresh", *urns))

    def backend_url(self) -> str:
        return ""

    def history(self) -> list[dict[str, Any]]:
        return []


def test_recover_racing_a_new_update_leaves_its_lock(tmp_path: Path) -> None:
    """The killed update's lock was seen stale; before recover removes it, it is gone and a new
    update holds a lock of its own: recover removes nothing, and never runs `pulumi cancel`."""
    folder = _locks_of(tmp_path)
    dead = _lock_file(folder, "dead.json", _gone_pid())
    (stale,) = file_locks(tmp_path.as_uri(), "proj", "dev")
    dead.unlink()  # the user's own `pulumi cancel`
    new = _lock_file(folder, "new.json", os.getpid())  # the new update's lock
    pulumi = _FakePulumi(lambda: _export())
    recover(pulumi, Plan(None, "unknown", locks=[stale]))
    assert new.exists()
    assert all(args[0] != "cancel" for args in pulumi.ran)


def test_recover_imports_nothing_when_the_pending_creates_changed(tmp_path: Path) -> None:
    """A pending create that was not looked up (a newer killed update's) is never cleared."""
    app = _app("other", provider="p::1")
    pulumi = _FakePulumi(lambda: _export(pending=[{"type": "creating", "resource": app}]))
    step = Step(f"urn:pulumi:dev::proj::{APP}::app", "webplus:Application", "x", "clear")
    with pytest.raises(RecoveryError, match="pending creates changed"):
        recover(pulumi, Plan(0.0, "test", steps=[step], pending=[step.urn]))
    assert ("stack", "import") not in pulumi.ran


def test_recover_imports_nothing_when_the_stack_changed_meanwhile() -> None:
    """Between the export edited and the import, another write to the stack stops it."""
    app = _app(provider="p::1")
    exports = iter(
        [
            _export(pending=[{"type": "creating", "resource": app}]),
            _export(_app("new"), pending=[{"type": "creating", "resource": app}]),
        ]
    )
    pulumi = _FakePulumi(lambda: next(exports))
    step = Step(str(app["urn"]), "webplus:Application", "x", "clear")
    with pytest.raises(RecoveryError, match="stack changed while recovering"):
        recover(pulumi, Plan(0.0, "test", steps=[step], pending=[step.urn]))
    assert ("stack", "import") not in pulumi.ran


def test_a_resource_left_pending_by_two_killed_updates_is_one_step() -> None:
    """A second update killed before the first was recovered leaves two pending creates of one
    resource: one step, and both pending creates cleared by one import."""
    template = "alicloud-versions:servicecatalog:Template"
    provider = _provider("pulumi:providers:alicloud-versions", "default", {})
    op = {
        "type": "creating",
        "resource": {
            "urn": f"urn:pulumi:dev::proj::{template}::t",
            "type": template,
            "provider": f"{provider['urn']}::1234",
            "inputs": {"templateType": "RosTerraformTemplate"},
        },
    }
    exported = _export(provider, pending=[op, op])
    pulumi = _FakePulumi(lambda: json.loads(json.dumps(exported)))
    imported: list[Any] = []
    pulumi.import_ = imported.append  # type: ignore[method-assign]
    found = _recovery.plan(pulumi)
    assert [step.name for step in found.steps] == ["t"]
    recover(pulumi, found)
    assert imported[0]["deployment"]["pending_operations"] == []


# fast mode: the program's plan -------------------------------------------------------------

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
DYN = "pulumi-python:dynamic/alicloud-versions/"
STACK_RES = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev"
DEFAULT = f"urn:pulumi:dev::proj::pulumi:providers:pulumi-python::default::{UNKNOWN}"


def _create(type_: str, name: str, inputs: dict[str, Any], deps: dict[str, list[str]]) -> Any:
    urn = f"urn:pulumi:dev::proj::{type_}::{name}"
    state = {
        "urn": urn,
        "custom": True,
        "type": type_,
        "inputs": inputs,
        "parent": STACK_RES,
        "provider": DEFAULT,
        "dependencies": sorted({u for us in deps.values() for u in us}),
        "propertyDependencies": deps,
        "stackTrace": [{}],
    }
    return {"op": "create", "urn": urn, "newState": state}


def _preview() -> dict[str, Any]:
    """A first update's plan: an application, a version of it, a template."""
    app = _create(
        f"{DYN}webplus:Application",
        "app",
        {"app_name": "a", "app_description": "[secret]", "__provider": "p"},
        {},
    )
    app_urn = app["urn"]
    pkg = _create(
        f"{DYN}webplus:PkgVersion",
        "pkg",
        {"app_id": UNKNOWN, "pkg_version_label": "1", "package_source": "oss://b/k"},
        {"app_id": [app_urn], "pkg_version_label": []},
    )
    template = _create(f"{DYN}servicecatalog:Template", "t", {"template_type": "x"}, {})
    stack = {
        "op": "create",
        "urn": STACK_RES,
        "newState": {"urn": STACK_RES, "custom": False, "type": "pulumi:pulumi:Stack"},
    }
    return {"steps": [stack, app, pkg, template]}


class _PlanningPulumi(_FakePulumi):
    """A `Pulumi` whose plan is `preview` and whose config has one secret."""

    def __init__(self, preview: Any) -> None:
        super().__init__(lambda: _export())
        self.planned = preview

    def preview(self) -> Any:
        self.ran.append(("preview",))
        return self.planned

    def config(self) -> dict[str, tuple[Any, bool]]:
        self.ran.append(("config",))
        return {"alicloud:accessKey": ("k", False), "alicloud:secretKey": ("s", True)}


def test_a_plan_names_each_create_with_its_unknown_inputs_and_their_parents() -> None:
    """An input the plan cannot know yet is left out of the lookup's inputs and traced to the
    resources it comes from; the stack and others are not this provider's."""
    planned, created = preview.planned_creates(_preview())
    assert [str(p.entry.urn).rsplit("::", 1)[1] for p in planned] == ["app", "pkg", "t"]
    pkg = planned[1]
    assert pkg.unknown == {"app_id"}
    assert pkg.parents == {str(planned[0].entry.urn)}
    assert pkg.inputs == {"pkg_version_label": "1", "package_source": "oss://b/k"}
    assert planned[0].hidden == {"app_description"} and "app_description" not in planned[0].inputs
    assert STACK_RES in created


def _record(
    kind: str,
    inputs: dict[str, Any],
    hidden: tuple[str, ...] = (),
    *,
    sent: float = 100.0,
    deadline: float = 200.0,
    id_: str | None = None,
) -> Record:
    """A create the provider recorded: `inputs` digested, `hidden` ones (secret) only named."""
    shown = {**inputs, **dict.fromkeys(hidden, "x")}
    return Record(
        Path("r.jsonl"),
        kind,
        digests(shown, hidden, "salt"),
        "salt",
        None,
        sent,
        deadline,
        id_ is not None,
        id_,
    )


APP_SENT = _record("webplus.Application", {"app_name": "a"}, ("app_description",))


def _lookup_finds(monkeypatch: pytest.MonkeyPatch, kind: str, *found: Candidate) -> None:
    from alicloud_versions.core import kind_named

    cls = kind_named(kind)
    assert cls is not None
    monkeypatch.setattr(cls, "session", lambda self, inputs, id_=None: None)
    monkeypatch.setattr(cls, "lookup", lambda self, session, inputs: Lookup(found))


def test_a_fast_mode_round_imports_the_parent_and_defers_its_children(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The application made while its recorded create could land is imported with the stack
    resource and the default provider (made from the config, its secret kept secret); the
    version whose app_id comes from it waits for the next round; the template cannot be
    looked up."""
    live = {"app_id": "wa-1", "app_name": "a", "app_description": "shh"}
    _lookup_finds(monkeypatch, "webplus.Application", Candidate("wa-1", 150.0, live))
    pulumi = _PlanningPulumi(_preview())
    found = _recovery.plan_fast(pulumi, Export.parse(_export()), [APP_SENT])
    assert found.fast and not found.blocked
    assert [s.action.split(" ")[0] for s in found.steps] == ["import", "looked", "leave"]
    assert found.deferred == [found.steps[1].urn]
    stack, provider = found.providers
    assert stack["urn"] == STACK_RES
    assert provider["type"] == "pulumi:providers:pulumi-python"
    assert provider["inputs"]["alicloud:secretKey"] == _secret("s")
    resource = found.steps[0].resource
    assert resource is not None
    assert resource["id"] == "wa-1" and resource["provider"].endswith(provider["id"])
    assert "stackTrace" not in resource
    # The plan hides a secret input: not compared, and the state gets the found one, secret.
    assert "not compared: app_description" in found.steps[0].found
    assert resource["inputs"]["app_description"] == _secret("shh")


def test_a_round_that_leaves_nothing_waiting_for_a_parent_is_the_last(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once a round's finds are imported, no new plan is made (a preview) unless a create
    waits for one of them: every other create was judged on the same evidence already."""
    from alicloud_versions.recover import fast

    live = {"app_id": "wa-1", "app_name": "a", "app_description": "shh"}
    _lookup_finds(monkeypatch, "webplus.Application", Candidate("wa-1", 150.0, live))
    monkeypatch.setattr(fast, "consume", lambda records: None)
    plan = _preview()
    plan["steps"] = [s for s in plan["steps"] if not s["urn"].endswith("::pkg")]
    pulumi = _PlanningPulumi(plan)
    found = _recovery.plan_fast(pulumi, Export.parse(_export()), [APP_SENT])
    assert list(found.adopted) and found.deferred == []
    rounds = _recovery.recover_fast(pulumi, found)
    assert rounds == [found]
    assert pulumi.ran.count(("preview",)) == 1 and ("stack", "import") in pulumi.ran
    assert pulumi.ran[-1] == ("refresh", *found.adopted)


def test_when_a_round_finds_no_parent_its_children_are_left_to_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A version waits on its application; once the application is looked up and not found,
    the killed update cannot have made the version either."""
    _lookup_finds(monkeypatch, "webplus.Application")
    found = _recovery.plan_fast(_PlanningPulumi(_preview()), Export.parse(_export()), [APP_SENT])
    assert found.deferred == [] and not found.adopted
    assert "parent was not made" in found.steps[1].found
    assert found.steps[1].action == "leave (the next up creates it)"


def test_a_namesake_made_after_the_create_could_land_is_never_adopted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only a create time inside the recorded create's window qualifies: an application with
    the same fields made after it (by someone else, once the update ended) is left alone."""
    later = Candidate("wa-2", 200.0 + 60, {"app_id": "wa-2", "app_name": "a"})
    _lookup_finds(monkeypatch, "webplus.Application", later)
    found = _recovery.plan_fast(_PlanningPulumi(_preview()), Export.parse(_export()), [APP_SENT])
    assert not found.adopted and not found.blocked
    assert found.steps[0].found.startswith("nothing made by its create")


def test_a_planned_create_with_no_record_was_never_sent_and_is_not_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A planned create no record matches (here, the application's name differs) is left to
    the next up without a lookup, whatever namesake exists."""
    namesake = Candidate("wa-3", 150.0, {"app_id": "wa-3", "app_name": "a"})
    _lookup_finds(monkeypatch, "webplus.Application", namesake)
    other = _record("webplus.Application", {"app_name": "b"}, ("app_description",))
    found = _recovery.plan_fast(_PlanningPulumi(_preview()), Export.parse(_export()), [other])
    assert not found.adopted and found.steps[0].found == "no record of its create"


def test_a_stale_lock_with_nothing_pending_and_no_record_is_nothing_to_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock alone is no evidence of fast mode: with no pending create and no record of a
    create sent, recover plans nothing, runs no preview, and only the stale lock goes."""
    monkeypatch.setenv("ALICLOUD_VERSIONS_STATE_DIR", str(tmp_path / "state"))
    _lock_file(_locks_of(tmp_path), "dead.json", _gone_pid())
    pulumi = _PlanningPulumi(_preview())
    pulumi.backend_url = lambda: tmp_path.as_uri()  # type: ignore[method-assign]
    pulumi.project_name = lambda: "proj"  # type: ignore[method-assign]
    pulumi.stack_name = lambda: "dev"  # type: ignore[method-assign]
    found = _recovery.plan(pulumi, fast=True)
    assert not found.fast and found.steps == [] and len(found.locks) == 1
    assert "made none" in found.notes[0]
    assert all(args[0] != "preview" for args in pulumi.ran)


@pytest.mark.parametrize(
    ("value", "fast"),
    [("true", True), ("1", True), ("TRUE", True), ("false", False), ("yes", False), ("", False)],
)
def test_fast_mode_is_read_from_the_environment_as_the_engine_does(value: str, fast: bool) -> None:
    """PULUMI_SKIP_CHECKPOINTS set true in recover's environment implies --fast-mode."""
    assert _recovery.fast_mode_requested({"PULUMI_SKIP_CHECKPOINTS": value}) is fast


def test_fast_mode_never_searches_the_plan_of_a_stack_locked_by_a_live_update(
    tmp_path: Path,
) -> None:
    """A lock whose holder runs (here, this test) may be a running update's: its plan is not
    what a killed update left, so nothing is looked up and recover says why."""
    _lock_file(_locks_of(tmp_path), "live.json", os.getpid())
    locks = file_locks(tmp_path.as_uri(), "proj", "dev")
    pulumi = _PlanningPulumi(_preview())
    found = _recovery.plan_fast(pulumi, Export.parse(_export()), [APP_SENT], locks=locks)
    assert found.steps == [] and pulumi.ran == []
    assert "an update may be running" in found.blocked[0]


def test_a_lookup_that_needs_an_input_the_plan_hides_stops_the_recovery() -> None:
    """A product whose name is secret cannot be looked up from the plan: recovery stops,
    naming the input, rather than matching on the rest."""
    product = _create(
        f"{DYN}servicecatalog:Product", "p", {"product_name": "[secret]", "provider_name": "x"}, {}
    )
    sent = _record("servicecatalog.Product", {"provider_name": "x"}, ("product_name",))
    found = _recovery.plan_fast(
        _PlanningPulumi({"steps": [product]}), Export.parse(_export()), [sent]
    )
    assert "its lookup needs product_name" in found.blocked[0]
    assert found.steps[0].action == "none" and not found.adopted


# evidence: the records of the creates the killed update sent -------------------------------


def _judge(*found: Candidate, records: list[Record], since: float | None = 50.0) -> Any:
    from alicloud_versions.core import kind_named
    from alicloud_versions.recover.evidence import judge

    cls = kind_named("webplus.Application")
    assert cls is not None

    class Found(cls):  # type: ignore[misc,valid-type]
        def session(self, props: Any, *, id_: str | None = None) -> Any:
            return None

        def lookup(self, session: Any, inputs: Any) -> Lookup:
            return Lookup(found)

    return judge(Found(), "urn", {"app_name": "a"}, records, state_ids={"wa-in-state"}, since=since)


SENT = _record("webplus.Application", {"app_name": "a"}, sent=100.0, deadline=175.0)


def _made(id_: str, when: float) -> Candidate:
    return Candidate(id_, when, {"app_id": id_, "app_name": "a"})


def test_only_a_resource_made_while_the_recorded_create_could_land_is_the_stacks() -> None:
    """Made before the create was sent, or after it could have landed: not the stack's. Made
    inside that window: adopted."""
    assert _judge(_made("wa-early", 90.0), records=[SENT]).mine is None
    assert _judge(_made("wa-late", 200.0), records=[SENT]).mine is None
    assert _judge(_made("wa-1", 130.0), _made("wa-late", 200.0), records=[SENT]).mine.id_ == "wa-1"


def test_an_answered_create_adopts_exactly_the_id_it_answered() -> None:
    """The answer's id is the evidence: a namesake made at the same moment is not."""
    answered = _record("webplus.Application", {"app_name": "a"}, id_="wa-2")
    found = _judge(_made("wa-1", 130.0), _made("wa-2", 131.0), records=[answered])
    assert found.mine is not None and found.mine.id_ == "wa-2" and found.problem is None


def test_two_resources_made_in_the_window_are_listed_never_adopted() -> None:
    """Several candidates inside the window: none is proven the stack's."""
    found = _judge(_made("wa-1", 130.0), _made("wa-2", 140.0), records=[SENT])
    assert found.mine is None and "wa-1" in found.problem and "adopt_id" in found.problem


def test_a_resource_the_state_already_holds_is_never_adopted_again() -> None:
    """An id another resource of the stack has is no candidate."""
    assert _judge(_made("wa-in-state", 130.0), records=[SENT]).mine is None


def test_a_pending_create_with_no_record_and_a_namesake_is_listed_never_adopted() -> None:
    """The engine began the create but no record shows it sent: a namesake made since the
    update began is listed with what settles it; with none, the pending create is cleared."""
    found = _judge(_made("wa-1", 130.0), records=[])
    assert found.mine is None and "no record proves" in found.problem
    assert "adopt_id" in found.problem and "clear-pending-creates" in found.problem
    assert _judge(_made("wa-old", 10.0), records=[]).problem is None
    assert _judge(records=[]).found == "nothing made since the update began"


def test_the_import_passes_the_state_through_a_pipe_not_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stack import` gets the state (which may hold secrets in plain text) on its standard
    input; nothing is written in the project folder, nor anywhere else by recover."""
    calls: list[dict[str, Any]] = []

    def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append({"argv": argv, **kwargs})
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(engine.subprocess, "run", run)
    engine.Pulumi(tmp_path).import_({"deployment": {"secret": "plain-secret"}})
    (call,) = calls
    assert "--file" not in call["argv"] and "plain-secret" in call["input"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("plugin", [False, True], ids=["dynamic", "plugin"])
def test_an_output_derived_from_a_secret_input_is_written_secret(plugin: bool) -> None:
    """A package version adopted with a secret package source: its package URL (derived from
    the source) goes into the state as a secret, as the front doors answer it."""
    source = "packageSource" if plugin else "package_source"
    url = "packageUrl" if plugin else "package_url"
    live = {"pkg_version_id": "pv-1", "package_url": "https://signed?token=t0ken", "app_id": "a"}
    step = Step("urn", "webplus:PkgVersion", "x", "import pv-1", "pv-1", live, plugin=plugin)
    encrypted = {SIG: "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "zzz"}
    entry = pending._adopted({"inputs": {source: encrypted, "appId": "a"}}, step)
    assert entry["outputs"][url] == _secret("https://signed?token=t0ken")
    assert entry["outputs"][source] == encrypted
    assert "t0ken" not in json.dumps(entry).replace(json.dumps(_secret(live["package_url"])), "")


def test_an_input_from_a_parent_that_cannot_be_looked_up_is_matched_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A product version's template URL comes from a template upload, which cannot be found
    again, so the plan never knows it: its record matches on the other inputs, and the
    version made while its create could land is imported."""
    template = _create(f"{DYN}servicecatalog:Template", "t", {"template_type": "x"}, {})
    version = _create(
        f"{DYN}servicecatalog:ProductVersion",
        "pv",
        {"product_id": "prod-1", "product_version_name": "1.0", "template_url": UNKNOWN},
        {"template_url": [template["urn"]]},
    )
    sent = _record(
        "servicecatalog.ProductVersion",
        {"product_id": "prod-1", "product_version_name": "1.0", "template_url": "oss://t"},
    )
    made = Candidate("pv-1", 150.0, {"product_version_id": "pv-1", "product_id": "prod-1"})
    _lookup_finds(monkeypatch, "servicecatalog.ProductVersion", made)
    stack = _preview()["steps"][0]
    pulumi = _PlanningPulumi({"steps": [stack, template, version]})
    found = _recovery.plan_fast(pulumi, Export.parse(_export()), [sent])
    assert [s.id_ for s in found.adopted.values()] == ["pv-1"], found.steps


# sidecars ----------------------------------------------------------------------------------


def _sidecar(path: Path, content: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


def test_only_the_empty_metadata_files_of_the_projects_stacks_are_found(tmp_path: Path) -> None:
    """A killed checkpoint write leaves its `.attrs` file empty: found for this project's
    stacks and their history, a legacy stack and its history, and the backend's meta.yaml;
    never a written one, another project's, the history of no stack here, a file of another
    name, or off a file backend."""
    stacks = tmp_path / ".pulumi" / "stacks"
    wanted = [
        _sidecar(tmp_path / ".pulumi" / "meta.yaml.attrs"),
        _sidecar(stacks / "dev.json.attrs"),  # a backend from before projects scoped stacks
        _sidecar(tmp_path / ".pulumi" / "history" / "dev" / "dev-1.history.json.attrs"),
        _sidecar(tmp_path / ".pulumi" / "history" / "proj" / "dev" / "dev-1.history.json.attrs"),
        _sidecar(stacks / "proj" / "dev.json.attrs"),
    ]
    _sidecar(stacks / "proj" / "prod.json.attrs", '{"md5": "x"}')
    _sidecar(stacks / "proj" / "dev.json")
    _sidecar(stacks / "other" / "dev.json.attrs")
    _sidecar(tmp_path / ".pulumi" / "history" / "stale" / "stale-1.history.json.attrs")
    found = empty_sidecars(tmp_path.as_uri(), "proj")
    assert sorted(s.path for s in found) == sorted(wanted)
    assert empty_sidecars("s3://bucket", "proj") == []
    assert empty_sidecars(tmp_path.as_uri(), "..") == []


def test_a_metadata_file_written_or_linked_since_it_was_found_is_left(tmp_path: Path) -> None:
    """Removal takes the file only while it is still an empty regular file; a symlink is never
    followed nor taken for one."""
    folder = tmp_path / ".pulumi" / "stacks" / "proj"
    path = _sidecar(folder / "dev.json.attrs")
    (found,) = empty_sidecars(tmp_path.as_uri(), "proj")
    path.write_text('{"md5": "x"}')
    with pytest.raises(RecoveryError, match="no longer an empty file"):
        found.remove()
    assert path.exists()
    path.write_text("")
    found.remove()
    assert not path.exists()
    found.remove()  # gone meanwhile: nothing left to do
    _sidecar(tmp_path / "elsewhere.attrs")
    (folder / "prod.json.attrs").symlink_to(tmp_path / "elsewhere.attrs")
    assert empty_sidecars(tmp_path.as_uri(), "proj") == []
