"""Enrolling again while work still waits: allowed only when HQ no longer knows this device (HQ
was restored from a backup older than its enrolment). Then nothing the device holds is lost:
its waiting entries and those HQ acknowledged before the restore go to HQ again under the new
enrolment, numbered from seq 1 (docs/sync-protocol.md, "Enrolling again").

A revoked device may not carry its work over: an HQ admin revoked it on purpose (a lost phone,
someone who left), so what it holds is not sent under a new enrolment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspect_app.core.enrolment import REVOKED_DEVICE, UNKNOWN_DEVICE
from inspect_app.services.outbox import COMMAND
from inspect_app.services.workspace import COMMAND_SEQ, USER_ID, Workspace
from inspect_app.store.local_store import Transaction
from inspect_app.sync.engine import HQ_EPOCH, KEPT_FIELDS
from inspect_app.sync.errors import SyncError, SyncErrorCode
from inspect_app.sync.transport import RetryPolicy

if TYPE_CHECKING:
    from inspect_app.sync.client import Connection

#: A photo name no photo has: asking for it costs HQ one indexed read, and its answer says
#: whether HQ still accepts the token (404) or why not (401 with a reason).
_PROBE = "/v1/blobs/" + "0" * 64


def refused_because(saved: Connection) -> str | None:
    """Why HQ refuses the saved token (``UNKNOWN_DEVICE``, ``REVOKED_DEVICE`` or another
    reason), or None while HQ accepts it or cannot be asked."""
    transport = saved.transport(retry=RetryPolicy(attempts=2, base_delay=0.5, max_delay=1.0))
    try:
        answer = transport.request("GET", _PROBE, ok=frozenset({200, 401, 404}))
    except SyncError:
        return None
    finally:
        transport.close()
    if answer.status_code != 401:
        return None
    try:
        body = answer.json()
    except ValueError:
        body = None
    reason = body.get("reason") if isinstance(body, dict) else None
    return str(reason or "refused")


def carries_over(workspace: Workspace, saved: Connection) -> bool:
    """Whether enrolling this enrolled device again carries its entries over (HQ forgot it);
    raise SyncError when entries wait that may not be carried over."""
    store = workspace.store
    waiting = len(store.pending_outbox())
    if not waiting and not store.sent_outbox():
        return False
    reason = refused_because(saved)
    if reason == UNKNOWN_DEVICE:
        return True
    if not waiting:
        return False
    if reason == REVOKED_DEVICE:
        raise SyncError(SyncErrorCode.REVOKED_WAITING, waiting=waiting)
    raise SyncError(SyncErrorCode.SYNC_FIRST, waiting=waiting)


def check_same_person(workspace: Workspace, person_id: str | None) -> None:
    """The waiting work was done by the person the device was enrolled for; HQ decides each
    command as the new enrolment's person, so it may only go on under the same one."""
    before = workspace.store.get_meta(USER_ID)
    if person_id != before:
        raise SyncError(
            SyncErrorCode.OTHER_PERSON,
            person=_name(workspace, person_id),
            before=_name(workspace, before),
        )


def _name(workspace: Workspace, person_id: str | None) -> str | dict[str, str]:
    """A person's name in both languages when the device's site knows him, else his id."""
    person = workspace.catalog.person(person_id) if person_id else None
    return person.name.to_data() if person else person_id or "?"


def carry_over(workspace: Workspace, tx: Transaction, carry: bool) -> None:
    """With ``carry``, queue again every entry kept since HQ acknowledged it, beside the
    waiting ones, and number their commands 1, 2, 3… for the new device id: HQ forgot the old
    id with all its commands, so none of them is a replay there (an inspection HQ kept is
    known by its id and answered as one). Without it, forget the kept entries: HQ holds them
    under the old device id, and sent under the new one they would be new commands."""
    store = workspace.store
    if not carry:
        tx.drop_sent([entry["seq"] for entry in store.sent_outbox()])
        return
    entries = sorted(
        [*store.sent_outbox(), *store.pending_outbox()], key=lambda entry: entry["seq"]
    )
    seq = 0
    for entry in entries:
        doc = {k: v for k, v in entry.items() if k not in KEPT_FIELDS}
        if doc["kind"] == COMMAND:
            seq += 1
            doc["command"] = {**doc["command"], "seq": seq}
        tx.requeue(doc)
    tx.set_meta(COMMAND_SEQ, seq)
    tx.set_meta(HQ_EPOCH, None)  # the first answer under the new enrolment sets it
