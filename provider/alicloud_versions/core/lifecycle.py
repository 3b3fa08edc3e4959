"""The resources' lifecycle over plain values: create (or adopt), read, update and delete, on
top of each kind's declaration (`kind`: check, diff, outputs), its calls (`calls`) and finding
it again (`adoption`).

Nothing here knows Pulumi. The front doors import `ResourceCore` and the values they trade with
it (`UNKNOWN`, `Diff`, `Read`, `Secrets`, declared in `kind`) from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .adoption import Adoption
from .client import Session
from .errors import ApiError, InUseError, TransientError
from .kind import UNKNOWN, Diff, Read, Secrets, is_unknown

__all__ = [
    "UNKNOWN",
    "Diff",
    "Read",
    "ResourceCore",
    "Secrets",
    "is_unknown",
]


class ResourceCore(Adoption):
    """A resource kind: its declaration, check and diff derived from it, and its lifecycle.

    A subclass declares what the kind is (`TYPE`, `DESCRIPTION`, `INPUTS`, `OUTPUTS`, its
    operations and the codes that prove it gone: `Kind`) and fills in the hooks of the lifecycle
    (`_made`, `_get`, `_items`, `lookup`). Which inputs replace, which never diff, which a read
    cannot see, which each operation sends, all follow from `INPUTS`. The instance holds
    nothing but the settings `configure_settings` resolved, in the provider process, and the ids
    of the stack's resources the engine has named to it (`seen`), neither of which is ever
    serialized.
    """

    # lifecycle -----------------------------------------------------------------------------

    def create_resource(
        self, inputs: Mapping[str, Any], secret: Secrets = (), urn: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Create the resource, or adopt ``adopt_id``; a retried create adopts its own work.
        Answers the id and the outputs. No message shows a value `secret` hides. A create of a
        kind that can be found again is recorded (`journal`) before it is sent, with the
        resource's `urn` when the front door knows it, and its answer after."""
        session = self.session(inputs, secret=secret)
        adopt_id = inputs.get("adopt_id")
        if adopt_id:
            live = self._adopt(session.about(id_=adopt_id), adopt_id, inputs)
            self.seen(adopt_id)
            return adopt_id, self.outputs(live, inputs)

        def recover(once: Session, since: float) -> dict[str, Any] | None:
            return self.recovered(once, inputs, since)

        create = self._operation(self.CREATE, "has no create")
        record = self._record_create(inputs, self.disclosure(secret).secret, urn)
        try:
            made = session.call(
                create,
                self.request(create, session, inputs),
                answer=self._made,
                recover=recover if self.findable() else None,
            )
        except ApiError as exc:
            if record is not None and not isinstance(exc, TransientError):
                record(None)  # the service answered, and made nothing
            clearer = self._create_failed(session, inputs, exc)
            if clearer is None:
                raise
            raise clearer from None
        id_ = str(made[self._ID_FIELD])
        self.seen(id_)
        if record is not None:
            record(id_)
        return id_, self.outputs(self._created(made, inputs), inputs)

    def read_resource(self, id_: str, state: Mapping[str, Any], secret: Secrets = ()) -> Read:
        """The live resource; a blank id only when an answer proves it gone (`_gone`)."""
        session = self.session(state, id_=id_, secret=secret)
        self.seen(id_)
        return self.refreshed(id_, self._live(session, id_, state), state)

    def update_resource(
        self, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], secret: Secrets = ()
    ) -> dict[str, Any]:
        """Apply `news` in place; answers the outputs. The id stays. A change of local inputs
        only (``force_delete``) calls no API."""
        self.seen(id_)
        if set(self.changed(olds, news)) - self._LOCAL:
            self._update_call(self.session(news, id_=id_, secret=secret), id_, news)
        return self.update_outputs(olds, news)

    def delete_resource(self, id_: str, state: Mapping[str, Any], secret: Secrets = ()) -> None:
        """Delete the resource; one already gone is success, under the same rule as read. A
        kind that can be in use is first checked for users (`_users`), unless ``force_delete``:
        any fails the delete before it changes anything."""
        session = self.session(state, id_=id_, secret=secret)
        if "force_delete" in self.INPUTS and not state.get("force_delete"):
            users = self._users(session, id_, state)
            if users:
                raise InUseError(
                    f"{session.target}: cannot delete: in use by {', '.join(users)}. "
                    f"{self._IN_USE_HINT}; or, to delete it anyway, set force_delete to true "
                    "and run `pulumi up` (it changes nothing else) before the update or destroy "
                    "that deletes it"
                )
        delete = self._operation(self.DELETE, "has no delete")
        try:
            session.call(delete, self.request(delete, session, None, **{self._ID_FIELD: id_}))
        except ApiError as exc:
            if not self._gone(session, exc, id_, state):
                raise
        self.__dict__.get("_held", {}).pop(id_, None)

    def read_imported(self, import_id: str) -> Read:
        """The resource `pulumi import` names by `import_id`, with no state to go by."""
        session = self.session({}, id_=import_id)
        self.seen(import_id)
        return self.imported(import_id, self._live(session, import_id, {}))

    def imported(self, id_: str, live: Mapping[str, Any] | None) -> Read:
        """What `pulumi import` records of the live resource `id_`: its outputs, and as inputs
        those the API gives back, which pass check, so that the code the engine generates from
        them passes too and previews unchanged. An input the API does not give back stands as
        its declared output (`Input.imported_as`), or is needless once ``adopt_id`` names the
        resource (`Input.unless_adopted`); an optional one the API answers blank is left out,
        as a program leaves it."""
        if live is None:
            return Read("", {})
        found = dict(live)
        for name, field in self.INPUTS.items():
            if field.imported_as is not None and found.get(field.imported_as) is not None:
                found[name] = found[field.imported_as]
        if any(field.unless_adopted for field in self.INPUTS.values()):
            found["adopt_id"] = id_
        blank = {
            k
            for k, v in found.items()
            if k in self.INPUTS
            and not self.INPUTS[k].required
            and isinstance(v, str)
            and not v.strip()
        }
        read = self.refreshed(id_, {k: v for k, v in found.items() if k not in blank}, {})
        return Read(read.id, read.outs, read.inputs or {})

    # hooks ---------------------------------------------------------------------------------

    def _made(self, response: Any) -> dict[str, Any]:
        """The new record (its id at least) in the `CREATE` response."""
        return {self._ID_FIELD: getattr(response.body, self._ID_FIELD)}

    def _created(self, made: Mapping[str, Any], _inputs: Mapping[str, Any]) -> Mapping[str, Any]:
        """The record a create leaves, from what its call answered."""
        return made

    def _create_failed(
        self, _session: Session, _inputs: Mapping[str, Any], _exc: ApiError
    ) -> Exception | None:
        """A clearer error for a failed create, or None to raise the API's as it is."""
        return None

    def _update_call(self, session: Session, id_: str, inputs: Mapping[str, Any]) -> None:
        """Apply `inputs` to `id_` in place, in one `UPDATE`."""
        update = self._operation(self.UPDATE, "has no update: every input replaces")
        session.call(update, self.request(update, session, inputs, **{self._ID_FIELD: id_}))

    def _users(self, session: Session, id_: str, state: Mapping[str, Any]) -> list[str]:
        """What still uses `id_`, each described for a message; API errors are raised."""
        return []
