"""What the Sync tab shows and does: enrolment (address and one-time code, or the link from HQ's
QR code), the connection, what waits to go, the last sync and its error, the progress of a
running sync, and this device's actions HQ did not apply (refused, or someone decided first)."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.core.enrolment import parse_enrolment_link
from inspect_app.core.workflow import CommandResult
from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import Connection, connection, enroll
from inspect_app.sync.engine import LAST_SYNC_AT, LAST_SYNC_ERROR, LEGACY_INVALID, REFUSED_HERE
from inspect_app.sync.progress import SyncProgress
from inspect_app.sync.transport import SyncError


@dataclass(frozen=True)
class Refusal:
    """One of this device's actions HQ did not apply, and why."""

    hazard_id: str
    hazard: str
    action: str
    who: str
    result: str  # forbidden, rejected_invalid or rejected_conflict
    reason: str
    field: str | None = None  # the payload field at fault, for rejected_invalid


@dataclass(frozen=True)
class SyncState:
    connection: Connection | None
    device_id: str
    pending: int
    last_sync: str | None
    last_error: str | None
    refused: list[Refusal]


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
        return SyncState(
            connection=connection(self.ws),
            device_id=self.ws.device_id,
            pending=len(store.pending_outbox()),
            last_sync=store.get_meta(LAST_SYNC_AT),
            last_error=store.get_meta(LAST_SYNC_ERROR),
            refused=self.refused(),
        )

    def refused(self) -> list[Refusal]:
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
                Refusal(
                    hazard_id=hazard_id,
                    hazard=hazard.description if hazard else hazard_id,
                    action=event["type"],
                    who=site.person_name(event["actor"], self.lang),
                    result=CommandResult.INVALID.value if result == LEGACY_INVALID else result,
                    reason=event.get("reason") or "",
                    field=event.get("field"),
                )
            )
        return found

    def enroll(self, address: str, code: str) -> Connection:
        """Enrol with an address and code, or with the enrolment link pasted into the address;
        raises SyncError with a reason in plain words."""
        link = parse_enrolment_link(address)
        if link is not None:
            address, code = link
        if not address.strip():
            raise SyncError("enter HQ's address, e.g. https://hq.example.com")
        if not code.strip():
            raise SyncError("enter the one-time code from HQ's Devices page")
        return enroll(self.ws, address, code)
