"""What the home screen shows: work in progress (checklist, place, progress, age), what is due
(each checklist for each workshop or asset the person checks), open hazards, sync state, and
equipment certificates that have run out or soon will."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from inspect_app.core.checklist import Checklist, Frequency
from inspect_app.core.evaluation import progress
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
class Draft:
    """An inspection started on this device and not submitted yet."""

    id: str
    checklist: Checklist
    workshop_id: str
    area_id: str | None
    asset_id: str | None
    answered: int
    total: int
    started_at: str


@dataclass(frozen=True)
class Due:
    """A checklist due for one workshop, or for one piece of equipment."""

    checklist: Checklist
    workshop_id: str
    asset_id: str | None = None


@dataclass(frozen=True)
class HomeSummary:
    in_progress: list[Draft]
    due: list[Due]
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


def age(started_at: str, now: datetime) -> tuple[str, int]:
    """How long ago an inspection started, in its largest whole unit: ("min" | "h" | "d", n)."""
    minutes = max(0, int((now - datetime.fromisoformat(started_at)).total_seconds() // 60))
    if minutes < 60:
        return "min", minutes
    if minutes < 24 * 60:
        return "h", minutes // 60
    return "d", minutes // (24 * 60)


def _drafts(ws: Workspace, service: InspectionService, headers: list[dict]) -> list[Draft]:
    today = ws.clock().date()
    drafts = []
    for header in headers:
        if header["status"] != "draft":
            continue
        inspection = service.get(header["id"])
        done = progress(service.checklist_of(inspection), inspection, today)
        drafts.append(
            Draft(
                id=inspection.id,
                checklist=ws.catalog.get(inspection.checklist_id, inspection.checklist_version),
                workshop_id=inspection.workshop_id,
                area_id=inspection.area_id,
                asset_id=inspection.asset_id,
                answered=done.answered,
                total=done.total,
                started_at=inspection.started_at,
            )
        )
    return drafts


def _due(ws: Workspace, headers: list[dict], today: date) -> list[Due]:
    """Each checklist for each workshop the person works in (or each of its equipment of the
    checklist's kind) that is due by the checklist's frequency."""
    last_done: dict[tuple[str, str, str | None], date] = {}
    for header in headers:
        if header["status"] == "submitted" and header.get("submitted_at"):
            key = (header["checklist_id"], header["workshop_id"], header.get("asset_id"))
            done = date.fromisoformat(header["submitted_at"][:10])
            last_done[key] = max(done, last_done.get(key, done))
    user = ws.user_or_none
    site = ws.catalog.site
    workshops = [w.id for w in site.workshops if user is not None and user.can_act_in(w.id)]
    found = []
    for checklist in ws.catalog.latest_checklists():
        if checklist.asset_type:
            targets = [
                Due(checklist, e.workshop, e.asset_id)
                for e in site.equipment_of_type(checklist.asset_type)
                if e.workshop in workshops
            ]
        else:
            targets = [Due(checklist, w) for w in workshops]
        found += [
            d
            for d in targets
            if is_due(checklist, last_done.get((checklist.id, d.workshop_id, d.asset_id)), today)
        ]
    return found


def summarize(ws: Workspace) -> HomeSummary:
    today = ws.clock().date()
    service = InspectionService(ws)
    headers = service.headers()
    hazards: list[Hazard] = [h for h in HazardService(ws).all() if h.status.is_open]
    return HomeSummary(
        in_progress=_drafts(ws, service, headers),
        due=_due(ws, headers, today),
        open_major=sum(h.is_major for h in hazards),
        open_general=sum(not h.is_major for h in hazards),
        pending=len(ws.store.pending_outbox()),
        last_sync=ws.settings.last_sync,
        certificates=certificate_findings(ws.catalog.site, today),
    )
