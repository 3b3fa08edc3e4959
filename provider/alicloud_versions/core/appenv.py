"""WebPlus deployment environments, `AppEnv`: an application's package version running on a
technology stack.

Every change to an environment is asynchronous in WebPlus: CreateAppEnv, UpdateAppEnv and
TerminateAppEnv start a change (their answer is its ``EnvChangeDetail``) and the environment shows
it in DescribeAppEnvs (``EnvStatus``, ``ApplyingChange``, ``ChangeBanner``) until it ends. Create,
update and delete wait for its end (`waits.wait_for`), within the resource's timeouts. A delete
terminates the environment, waits for ``TERMINATED``, then deletes it (DeleteAppEnv refuses an
environment that is not terminated).

Sources: the WebPlus 2019-03-20 API reference (AlibabaCloudDocs/webx, cn.zh-CN/API参考/部署环境/:
CreateAppEnv, DescribeAppEnvs, DescribeAppEnvStatus, UpdateAppEnv, TerminateAppEnv, DeleteAppEnv)
and the console's environment statuses (Initializing, Running, Releasing, Released, Abnormal).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from .client import Session, record
from .errors import ApiError, ImportIdError, WaitError
from .failures import redact
from .fields import REGION, Input, Output, text_input
from .lifecycle import Read, ResourceCore, Secrets
from .operations import Sends
from .ownership import Lookup
from .users import changed
from .validate import is_str, length, one_of
from .waits import Seen, Statuses, wait_for
from .webplus import _AMBIGUOUS, ApplicationCore, _op

__all__ = ["AppEnvCore"]

# EnvStatus values (DescribeAppEnvs, DescribeAppEnvStatus). A change under way shows as its
# status with ApplyingChange true: an update keeps RUNNING while it applies.
INITIALIZING = "INITIALIZING"
RUNNING = "RUNNING"
TERMINATING = "TERMINATING"
TERMINATED = "TERMINATED"
ABNORMAL = "ABNORMAL"
APPLYING = " (applying a change)"
NOT_SHOWN = " (its change {change} not shown yet)"

_RUNS = Statuses(done=frozenset({RUNNING}), failed=frozenset({ABNORMAL, TERMINATED}))
_ENDS = Statuses(done=frozenset({TERMINATED}), failed=frozenset({ABNORMAL}), gone_done=True)

# The outputs an environment's record gives, from DescribeAppEnvs (and the inputs it shows).
_LIVE = (
    "env_id",
    "env_name",
    "env_description",
    "env_status",
    "last_env_status",
    "env_type",
    "app_id",
    "app_name",
    "category_name",
    "stack_id",
    "stack_name",
    "pkg_version_id",
    "pkg_version_label",
    "pkg_version_storage_key",
    "latest_change_id",
    "total_instances",
    "create_username",
    "update_username",
    "create_time",
    "update_time",
)


def option_settings(value: Any) -> str | None:
    """A JSON array of objects with string ``path``, ``name`` and ``value``, as WebPlus takes
    ``OptionSettings``."""
    if not isinstance(value, str):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return "must be a JSON array (it is not JSON)"
    if not isinstance(parsed, list) or not all(
        isinstance(item, dict)
        and set(item) == {"path", "name", "value"}
        and all(isinstance(v, str) for v in item.values())
        for item in parsed
    ):
        return 'must be a JSON array of {"path": ..., "name": ..., "value": ...} string objects'
    return None


option_settings.doc = (  # type: ignore[attr-defined]
    'a JSON array of ``{"path", "name", "value"}`` objects whose values are strings'
)


def _seen(live: Mapping[str, Any] | None, change: str | None = None) -> Seen:
    """What one poll of the environment shows: its status, marked while a change applies (or
    while `change`, the one waited for, is not yet its latest: the service may show the
    status before it for a moment), and the service's banner as the reason."""
    if live is None:
        return Seen(None)
    status = str(live.get("env_status") or "")
    if change and live.get("latest_change_id") != change:
        return Seen(status + NOT_SHOWN.format(change=change))
    if live.get("applying_change") and status in (RUNNING, ABNORMAL):
        status += APPLYING
    banner = live.get("change_banner")
    return Seen(status, str(banner) if banner else None)


class AppEnvCore(ResourceCore):
    """CreateAppEnv / DescribeAppEnvs / UpdateAppEnv / TerminateAppEnv, then DeleteAppEnv."""

    TYPE = "webplus.AppEnv"
    DESCRIPTION = (
        "A WebPlus deployment environment of an application, running one of its package versions "
        "on a technology stack. Create, update and delete wait until WebPlus has finished the "
        "change (the resource's ``customTimeouts``, 5 minutes by default)."
    )
    IMPORT_ID = "``APP_ID:ENV_ID`` (an environment is found within its application)"
    INPUTS: ClassVar[Mapping[str, Input]] = {
        "app_id": Input(
            "Id of the application the environment belongs to",
            required=True,
            rules=(is_str, length(1, 128)),
            replaces=True,
        ),
        "env_name": text_input(
            "Environment name, unique within the application (UpdateAppEnv cannot rename one)",
            required=True,
            replaces=True,
        ),
        "stack_id": Input(
            "Id of the technology stack it runs on (DescribeStacks); another stack of the same "
            "category is applied in place",
            required=True,
            rules=(is_str, length(1, 128)),
        ),
        "pkg_version_id": Input(
            "Id of the package version it runs, of the same application; changing it deploys "
            "that version in place",
            required=True,
            rules=(is_str, length(1, 128)),
        ),
        "env_description": text_input("Description", kept_when_omitted=True),
        "option_settings": Input(
            "Configuration items to set, WebPlus's ``OptionSettings``. No read gives them back",
            rules=(is_str, length(2, 4096), option_settings),
            kept_when_omitted=True,
            unreadable=True,
        ),
        "profile_name": Input(
            "The initial configuration profile: ``HighAvailability`` (two instances, a public "
            "load balancer) or ``StandAlone`` (one instance)",
            rules=(is_str, one_of(("HighAvailability", "StandAlone"))),
            replaces=True,
            unreadable=True,
        ),
        "region": REGION,
    }
    OUTPUTS: ClassVar[Mapping[str, Output]] = {
        "env_id": Output("The environment's id"),
        "env_status": Output(
            "Its status when last read: ``RUNNING`` once a change has ended well, ``ABNORMAL`` "
            "when it failed"
        ),
        "last_env_status": Output("Its status before the last change", optional=True),
        "env_type": Output("The environment's type (``web``)", optional=True),
        "app_name": Output("The application's name"),
        "category_name": Output("The application's category", optional=True),
        "stack_name": Output("The technology stack's name", optional=True),
        "pkg_version_label": Output("The label of the package version it runs"),
        "pkg_version_storage_key": Output("The package file it runs", optional=True),
        "latest_change_id": Output("The id of its latest change"),
        "total_instances": Output("How many instances it has", "integer", optional=True),
        "create_username": Output("Who made it"),
        "update_username": Output("Who last changed it", optional=True),
        "create_time": Output("When it was made, in milliseconds since the epoch", "integer"),
        "update_time": Output("When it last changed, in milliseconds since the epoch", "integer"),
    }
    _SERVICE = ApplicationCore._SERVICE
    _ID_FIELD = "env_id"
    _NAME_FIELD = "env_name"
    CREATE = _op("CreateAppEnv", Sends.CREATE)
    LIST = _op("DescribeAppEnvs")
    READ = LIST  # by id, within the application
    UPDATE = _op("UpdateAppEnv", Sends.UPDATE)
    DELETE = _op("TerminateAppEnv")
    PURGE = _op("DeleteAppEnv")
    """After `DELETE` has terminated it: the environment's record goes too."""
    _PLURAL = "environments"
    _AMBIGUOUS = _AMBIGUOUS
    _NOT_FOUND: ClassVar[Mapping[str, str]] = {
        "DeletingEnvNotExists": "WebPlus API reference (AlibabaCloudDocs/webx, DeleteAppEnv): "
        "404, the specified environment does not exist"
    }
    _ADOPT_MATCH = frozenset({"app_id", "env_name", "stack_id", "pkg_version_id"})

    # reading -------------------------------------------------------------------------------

    def _items(self, response: Any) -> list[Any]:
        envs = response.body.app_envs
        return list(envs.app_env or []) if envs else []

    def _fetch(self, session: Session, app_id: str, id_: str) -> dict[str, Any] | None:
        """The environment `id_` of `app_id`, terminated or not (one call); None when the
        listing answers without it."""
        found, _ = self.listed(session, app_id=app_id, env_id=id_, include_terminated=True)
        for env in found:
            if env.env_id == id_:
                return record(env)
        return None

    def _get(self, session: Session, id_: str, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """The live environment; None when it is gone or terminated (it runs nothing, and only
        a delete's DeleteAppEnv is left to do)."""
        live = self._fetch(session, state["app_id"], id_)
        if live is None or live.get("env_status") == TERMINATED:
            return None
        return self._shown(live)

    def _shown(self, live: Mapping[str, Any]) -> dict[str, Any]:
        """The declared fields of a live record."""
        return {k: live[k] for k in _LIVE if live.get(k) is not None}

    def _absent(self, session: Session, id_: str, state: Mapping[str, Any]) -> bool:
        """Absent when its application is, or when the application's listing (terminated
        environments included) answers without it."""
        app_id = state.get("app_id")
        if not isinstance(app_id, str):
            return False
        if ApplicationCore()._get(session, app_id, {}) is None:
            return True
        return self._fetch(session, app_id, id_) is None

    def lookup(self, session: Session, inputs: Mapping[str, Any]) -> Lookup:
        """The application's environments of this name (one call)."""
        found, response = self.listed(
            session, app_id=inputs["app_id"], env_name=inputs["env_name"], page_size=10
        )
        records = [record(env) for env in found if env.env_name == inputs["env_name"]]
        return self.found(records, inputs, response)

    def listed_under(
        self, session: Session, field: str, parent_id: str
    ) -> list[dict[str, Any]] | None:
        """An application's environments, terminated ones too (their record is left to
        delete); no listing finds them by package version."""
        if field != "app_id":
            return None
        return [record(e) for e in self.every(session, app_id=parent_id, include_terminated=True)]

    def read_imported(self, import_id: str) -> Read:
        """The environment `pulumi import` names as ``APP_ID:ENV_ID``; a blank id when there
        is none (or it is terminated)."""
        app_id, _, id_ = import_id.partition(":")
        if not app_id or not id_:
            raise ImportIdError(f"{self.TYPE}: import id {import_id!r} is not APP_ID:ENV_ID")
        return self.read_resource(id_, {"app_id": app_id})

    # changes -------------------------------------------------------------------------------

    def _made(self, response: Any) -> dict[str, Any]:
        change = response.body.env_change_detail
        return {"env_id": change.env_id, "latest_change_id": change.change_id}

    def _settle(
        self,
        session: Session,
        id_: str,
        app_id: str,
        operation: str,
        statuses: Statuses,
        change: str | None = None,
    ) -> dict[str, Any] | None:
        """Wait for the change `operation` started on `id_` (its id `change`, when its answer
        gave one) to end; the environment as it is then (None: gone). Each status seen is
        reported as progress."""
        changed(session, app_id)  # the versions' in-use listing of this app is out of date
        last: dict[str, dict[str, Any] | None] = {}

        def poll() -> Seen:
            last["live"] = self._fetch(session, app_id, id_)
            seen = _seen(last["live"], change)
            # The service's banner goes into messages: redacted as a provisioned product's is.
            return Seen(seen.status, seen.reason and redact(seen.reason, (), session.hidden))

        try:
            wait_for(poll, statuses, target=session.target, operation=operation)
        finally:
            changed(session, app_id)
        return last.get("live")

    def create_resource(
        self, inputs: Mapping[str, Any], secret: Secrets = (), urn: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """CreateAppEnv, then wait until the environment runs. A launch that fails or times out
        raises `WaitError` with ``created`` set to the id and outputs, so that a front door
        can keep the environment in the state."""
        id_, outs = super().create_resource(inputs, secret, urn)
        session = self.session(inputs, id_=id_, secret=secret)
        try:
            live = self._settle(session, id_, inputs["app_id"], str(self.CREATE), _RUNS)
        except WaitError as exc:
            exc.created = (id_, outs)
            raise
        return id_, self.outputs(self._shown(live or {}), inputs)

    def update_resource(
        self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], secret: Secrets = ()
    ) -> dict[str, Any]:
        """UpdateAppEnv (another package version, stack, description or settings in place),
        then wait until it runs again. An update that changes nothing still waits for the
        environment to run: the engine updates a resource whose create failed to initialize,
        and that update ends well only once the environment runs. The wait follows the change
        UpdateAppEnv answered: until the environment shows it as its latest, the status read
        is the one before it, and ends nothing. An update whose change fails or times out
        raises `WaitError` with ``created`` set to the outputs a read finds then."""
        self.seen(id_)
        session = self.session(news, id_=id_, secret=secret)
        change = None
        if set(self.changed(olds, news)) - self._LOCAL:
            update = self._operation(self.UPDATE, "has no update")
            response = session.call(update, self.request(update, session, news, env_id=id_))
            detail = response.body.env_change_detail
            change = str(detail.change_id) if detail and detail.change_id else None
        try:
            live = self._settle(session, id_, news["app_id"], str(self.UPDATE), _RUNS, change)
        except WaitError as exc:
            # As a provisioned product's: the state takes what a read finds now, not the
            # outputs from before the update, and the message says so.
            try:
                found = self._fetch(session, news["app_id"], id_) or {}
            except ApiError:
                found = {}
            exc.created = (
                id_,
                self.outputs({**self.update_outputs(olds, news), **self._shown(found)}, news),
            )
            exc.args = (
                f"{exc}; the state now holds it as the service shows it (status "
                f"{exc.status or 'unknown'}), not its outputs from before the update",
            )
            raise
        return self.outputs({**self.update_outputs(olds, news), **self._shown(live or {})}, news)

    def delete_resource(self, id_: str, state: Mapping[str, Any], secret: Secrets = ()) -> None:
        """TerminateAppEnv, wait for ``TERMINATED``, then DeleteAppEnv. Gone at any step is
        success, under the same rule as read; a terminated one is only deleted."""
        session = self.session(state, id_=id_, secret=secret)
        app_id = state["app_id"]
        try:
            live = self._fetch(session, app_id, id_)
        except ApiError as exc:
            if not self._gone(session, exc, id_, state):
                raise
            return
        if live is None:
            return
        if live.get("env_status") not in (TERMINATING, TERMINATED):
            terminate = self._operation(self.DELETE, "has no delete")
            try:
                session.call(terminate, self.request(terminate, session, None, env_id=id_))
            except ApiError as exc:
                if exc.code != "StatusNotAllowedTerminated" and not self._gone(
                    session, exc, id_, state
                ):
                    raise
        if self._settle(session, id_, app_id, str(self.DELETE), _ENDS) is None:
            return
        try:
            session.call(self.PURGE, self.request(self.PURGE, session, None, env_id=id_))
        except ApiError as exc:
            if not self._gone(session, exc, id_, state):
                raise
