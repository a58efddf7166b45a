"""What the home screen shows: work in progress, what is due, open hazards, sync state, and
equipment certificates that have run out or soon will."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspect_app.core.checklist import Checklist, Frequency
from inspect_app.core.hazard import Hazard
from inspect_app.core.site import CertificateFinding, certificate_findings
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace

DUE_AFTER_DAYS = {
    Frequency.PER_SHIFT: 0,
    Frequency.DAILY: 1,
    Frequency.WEEKLY: 7,
    Frequency.MONTHLY: 30,
    Frequency.QUARTERLY: 91,
    Frequency.YEARLY: 365,
    Frequency.SEASONAL: 30,
}


@dataclass(frozen=True)
class HomeSummary:
    in_progress: list[dict]
    due: list[Checklist]
    open_major: int
    open_general: int
    pending: int
    last_sync: str | None
    certificates: list[CertificateFinding]


def is_due(checklist: Checklist, last_done: date | None, today: date) -> bool:
    if checklist.season and not checklist.season.contains(today.strftime("%m-%d")):
        return False
    if checklist.frequency in (None, Frequency.AD_HOC):
        return False
    if last_done is None:
        return True
    return (today - last_done).days >= DUE_AFTER_DAYS[checklist.frequency]


def summarize(ws: Workspace) -> HomeSummary:
    today = ws.clock().date()
    headers = InspectionService(ws).headers()
    last_done: dict[str, date] = {}
    for header in headers:
        if header["status"] == "submitted" and header.get("submitted_at"):
            done = date.fromisoformat(header["submitted_at"][:10])
            last_done[header["checklist_id"]] = max(
                done, last_done.get(header["checklist_id"], done)
            )
    hazards: list[Hazard] = [h for h in HazardService(ws).all() if h.status.is_open]
    return HomeSummary(
        in_progress=[h for h in headers if h["status"] == "draft"],
        due=[c for c in ws.catalog.latest_checklists() if is_due(c, last_done.get(c.id), today)],
        open_major=sum(h.is_major for h in hazards),
        open_general=sum(not h.is_major for h in hazards),
        pending=len(ws.store.pending_outbox()),
        last_sync=ws.store.get_meta("last_sync_at"),
        certificates=certificate_findings(ws.catalog.site, today),
    )
