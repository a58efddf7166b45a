"""What the Sync tab shows and does: enrolment (address and one-time code, or the link from HQ's
QR code), the connection, what waits to go, the last sync and its error, the progress of a
running sync, and this device's actions HQ did not apply (refused, or someone decided first)."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.core.enrolment import parse_enrolment_link
from inspect_app.core.workflow import CommandResult, Reason
from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import Connection, connection, enroll
from inspect_app.sync.engine import LAST_SYNC_AT, LAST_SYNC_ERROR, LEGACY_INVALID, REFUSED_HERE
from inspect_app.sync.errors import SyncError, SyncErrorCode
from inspect_app.sync.progress import SyncProgress


@dataclass(frozen=True)
class NotApplied:
    """One of this device's actions HQ did not apply, and why."""

    hazard_id: str
    hazard: str
    action: str
    who: str
    result: str  # forbidden, rejected_invalid or rejected_conflict
    #: Why, as HQ's state machine said it; None from an HQ that sent only English (not shown).
    reason: Reason | None
    field: str | None = None  # the payload field at fault, for rejected_invalid


@dataclass(frozen=True)
class SyncState:
    connection: Connection | None
    device_id: str
    pending: int
    last_sync: str | None
    #: Why the last sync failed; None when it did not, or when an older version of the app kept
    #: it as English text (``earlier_error``).
    last_error: SyncError | None
    earlier_error: bool
    refused: list[NotApplied]


def progress_line(progress: SyncProgress) -> dict[str, int | float]:
    """The figures a running sync shows: photos and commands left, megabytes sent."""
    return {
        "photos": progress.photos_left,
        "commands": progress.commands_left,
        "mb": round(progress.bytes_sent / 1_000_000, 1),
    }


class SyncModel:
    def __init__(self, ws: Workspace, lang: str) -> None:
        self.ws = ws
        self.lang = lang

    def state(self) -> SyncState:
        store = self.ws.store
        stored = store.get_meta(LAST_SYNC_ERROR)
        last_error = last_sync_error(stored)
        return SyncState(
            connection=connection(self.ws),
            device_id=self.ws.device_id,
            pending=len(store.pending_outbox()),
            last_sync=store.get_meta(LAST_SYNC_AT),
            last_error=last_error,
            earlier_error=bool(stored) and last_error is None,
            refused=self.refused(),
        )

    def refused(self) -> list[NotApplied]:
        """This device's actions HQ answered forbidden, rejected_invalid or rejected_conflict,
        newest first."""
        service = HazardService(self.ws)
        site = self.ws.catalog.site
        found = []
        for hazard_id, event_id in reversed(self.ws.store.get_meta(REFUSED_HERE) or []):
            event = next(e for e in self.ws.store.events_for(hazard_id) if e["id"] == event_id)
            hazard = service.get(hazard_id)
            result = event["result"]
            found.append(
                NotApplied(
                    hazard_id=hazard_id,
                    hazard=hazard.description if hazard else hazard_id,
                    action=event["type"],
                    who=site.person_name(event["actor"], self.lang),
                    result=CommandResult.INVALID.value if result == LEGACY_INVALID else result,
                    reason=Reason.from_dict(event.get("why")),
                    field=event.get("field"),
                )
            )
        return found

    def enroll(self, address: str, code: str) -> Connection:
        """Enrol with an address and code, or with the enrolment link pasted into the address;
        raises SyncError."""
        link = parse_enrolment_link(address)
        if link is not None:
            address, code = link
        if not address.strip():
            raise SyncError(SyncErrorCode.ENTER_ADDRESS)
        if not code.strip():
            raise SyncError(SyncErrorCode.ENTER_CODE)
        return enroll(self.ws, address, code)


def last_sync_error(stored: object) -> SyncError | None:
    """The stored error of the last sync as its code and params; None for none, and for the
    English text versions before codes kept (or a code this version does not know)."""
    if not isinstance(stored, dict) or stored.get("code") not in set(SyncErrorCode):
        return None
    params = stored.get("params")
    try:
        return SyncError(
            SyncErrorCode(stored["code"]), **(params if isinstance(params, dict) else {})
        )
    except (KeyError, IndexError, ValueError):  # params that do not fill its words
        return None
