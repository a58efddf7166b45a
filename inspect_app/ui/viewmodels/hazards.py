"""What the hazards screens show and do, without Flet: the filtered, paged list in urgency order,
one hazard's detail with its timeline, and the action forms the state machine and the person's
role allow, each turned into a command through ``HazardService``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.commands import FieldKind, FormField, PayloadError
from inspect_app.core.hazard import Hazard, HazardEvent, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import (
    CommandResult,
    CommandType,
    Decision,
    action_form,
    parse_payload,
    unmet_condition,
)
from inspect_app.services.clock import today
from inspect_app.services.hazards import HazardFilter, HazardPage, HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.photos import PhotoService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection
from inspect_app.sync.photo_downloads import fetch_full, opened
from inspect_app.sync.transport import RetryPolicy, SyncError

PAGE_SIZE = 20


def form_fields(command_type: CommandType, hazard: Hazard) -> tuple[FormField, ...]:
    """The form for an action on this hazard, read from the command's payload model."""
    return action_form(command_type, hazard)


class FormError(ValueError):
    """A form that cannot be sent yet; ``fields`` names every input to fix, in the form's
    order (all at once, so the person fixes them in one go)."""

    def __init__(self, fields: str | list[str], message: str) -> None:
        super().__init__(message)
        self.fields = (fields,) if isinstance(fields, str) else tuple(fields)

    @property
    def field(self) -> str:
        """The first input to fix: the one the form scrolls to."""
        return self.fields[0]


def build_payload(
    command_type: CommandType, hazard: Hazard, values: dict[str, Any]
) -> dict[str, Any]:
    """The command payload from what the person entered, checked by the same model HQ uses;
    the parts a major hazard needs besides are required fields of its form."""
    raw: dict[str, Any] = {}
    missing: list[str] = []
    for form_field in form_fields(command_type, hazard):
        value = values.get(form_field.name)
        if form_field.kind is FieldKind.PHOTOS:
            if value:
                raw[form_field.name] = list(value)
            elif form_field.required:
                missing.append(form_field.name)
            continue
        text = str(value or "").strip()
        if form_field.required and not text:
            missing.append(form_field.name)
        if text:
            raw[form_field.name] = text
    if missing:
        raise FormError(missing, "fill in " + ", ".join(missing))
    try:
        data = parse_payload(command_type, raw)
    except PayloadError as exc:
        raise FormError((exc.field or "").split(".")[0], exc.reason) from exc
    return data.to_payload()


@dataclass(frozen=True)
class HazardRow:
    """One line of the list: what a head scans for before opening a hazard."""

    id: str
    description: str
    place: str
    grade: Grade
    risk: Risk
    status: HazardStatus
    age_days: int
    days_left: int
    overdue: bool
    thumbnail: bytes | None  # of the first photo whose thumbnail is on this device


@dataclass(frozen=True)
class FilterOptions:
    workshops: list[tuple[str, str]]  # (id, name) within the person's scope
    categories: list[str]


@dataclass
class HazardListModel:
    """Filter state and the current page; the list is never built whole into controls."""

    ws: Workspace
    lang: str
    page_size: int = PAGE_SIZE
    page_index: int = 0
    filter: HazardFilter = field(init=False)

    def __post_init__(self) -> None:
        self.service = HazardService(self.ws)
        self.filter = self.service.default_filter()
        self.user_id = self.ws.user.id

    def set_filter(self, **changes: Any) -> None:
        """Change some filters; the list starts again at its first page."""
        self.filter = replace(self.filter, **changes)
        self.page_index = 0

    def show_closed(self, closed: bool) -> None:
        statuses = {s for s in HazardStatus if s.is_open}
        if closed:
            statuses = {HazardStatus.CLOSED, HazardStatus.VOIDED}
        self.set_filter(statuses=frozenset(statuses))

    def active_filters(self) -> int:
        """How many filters narrow the list (open-or-closed is not counted)."""
        f = self.filter
        return sum(
            value not in (None, False)
            for value in (f.workshop_id, f.grade, f.risk, f.category, f.overdue_only)
        )

    @property
    def showing_closed(self) -> bool:
        return HazardStatus.CLOSED in self.filter.statuses

    def go_to_page(self, index: int) -> None:
        self.page_index = max(0, index)

    def load(self) -> tuple[HazardPage, list[HazardRow]]:
        """The current page and its rows; a page past the end falls back to the last one."""
        page = self.service.page(self.filter, self.page_index, self.page_size)
        if not page.hazards and page.total and self.page_index >= page.pages:
            self.page_index = page.pages - 1
            page = self.service.page(self.filter, self.page_index, self.page_size)
        return page, [self.row(h) for h in page.hazards]

    def row(self, hazard: Hazard) -> HazardRow:
        day = today(self.ws.clock)
        site = self.ws.catalog.site
        photos = PhotoService(self.ws)
        thumbnail = next(
            (t for t in map(photos.thumbnail, (*hazard.photos, *hazard.after_photos)) if t), None
        )
        return HazardRow(
            id=hazard.id,
            description=hazard.description,
            place=site.place_name(hazard.workshop_id, hazard.area_id, hazard.asset_id, self.lang),
            grade=hazard.grade,
            risk=hazard.risk,
            status=hazard.status,
            age_days=(day - hazard.found_date()).days,
            days_left=hazard.days_to_deadline(day),
            overdue=hazard.is_overdue(day),
            thumbnail=thumbnail,
        )

    def options(self) -> FilterOptions:
        user = self.ws.user
        site = self.ws.catalog.site
        workshops = [(w.id, w.name.get(self.lang)) for w in site.workshops if user.can_act_in(w.id)]
        categories = sorted({c.category.value for c in self.ws.catalog.latest_checklists()})
        return FilterOptions(workshops, categories)


@dataclass(frozen=True)
class PhotoGroup:
    """Photos of one kind on the hazard page: ``kind`` is "before", "after" or a control's."""

    kind: str
    photos: tuple[str, ...]


@dataclass(frozen=True)
class OpenedPhoto:
    """What a tapped photo shows: the full size, else (offline) the thumbnail with a note."""

    data: bytes | None
    full: bool


#: Opening a photo waits this long for HQ (connect, read) and tries twice, then shows the
#: thumbnail: a person is waiting with the dialog open.
OPEN_TIMEOUTS = (3.0, 20.0)
OPEN_RETRY = RetryPolicy(attempts=2, base_delay=0.2, max_delay=1.0)


@dataclass(frozen=True)
class TimelineEntry:
    event: HazardEvent
    who: str
    applied: bool
    #: An action HQ refused because someone else decided first: shown with both decisions.
    conflict: bool


class HazardDetailModel:
    """One hazard: its facts, its timeline and the actions this person may take now."""

    def __init__(self, ws: Workspace, hazard_id: str, lang: str) -> None:
        self.ws = ws
        self.lang = lang
        self.service = HazardService(ws)
        self.hazard_id = hazard_id
        self._hazard: Hazard | None = None

    @property
    def hazard(self) -> Hazard:
        """The hazard as stored, read once and again after each action taken here."""
        if self._hazard is None:
            self._hazard = self.service.get(self.hazard_id)
            if self._hazard is None:
                raise KeyError(f"no hazard {self.hazard_id} on this device")
        return self._hazard

    def place(self) -> str:
        h = self.hazard
        return self.ws.catalog.site.place_name(h.workshop_id, h.area_id, h.asset_id, self.lang)

    def person(self, person_id: str | None) -> str:
        return self.ws.catalog.site.person_name(person_id, self.lang)

    def origin(self) -> tuple[str, str | None] | None:
        """The checklist item the hazard came from and its reference, when known here."""
        h = self.hazard
        if not h.checklist_id or not h.item_id:
            return None
        header = self.ws.store.get_inspection(h.inspection_id) if h.inspection_id else None
        try:
            checklist = (
                self.ws.catalog.get(h.checklist_id, header["checklist_version"])
                if header
                else self.ws.catalog.latest(h.checklist_id)
            )
            item = checklist.item(h.item_id)
        except KeyError:
            return (h.item_id, h.reference)
        prompt = item.prompt.get(self.lang)
        if h.instance_tag:
            prompt = f"[{h.instance_tag}] {prompt}"
        return (prompt, h.reference or item.reference)

    def timeline(self) -> list[TimelineEntry]:
        return [
            TimelineEntry(
                event=event,
                who=self.person(event.actor),
                applied=event.result == CommandResult.APPLIED,
                conflict=event.result == CommandResult.REJECTED_CONFLICT,
            )
            for event in self.service.timeline(self.hazard_id)
        ]

    def conflicts(self) -> list[tuple[TimelineEntry, TimelineEntry | None]]:
        """Each refused action of this device beside the applied one that won the race."""
        entries = self.timeline()
        pairs = []
        for index, entry in enumerate(entries):
            if not entry.conflict:
                continue
            winner = next(
                (
                    e
                    for e in reversed(entries[:index])
                    if e.applied and e.event.status_to != e.event.status_from
                ),
                None,
            )
            pairs.append((entry, winner))
        return pairs

    def actions(self) -> list[CommandType]:
        return self.service.actions(self.hazard)

    def is_excluded_from_verifying(self) -> bool:
        """Verification is never by whoever rectified nor by the person responsible for the fix."""
        h, user = self.hazard, self.ws.user.id
        return h.rectified_by == user or (h.plan is not None and h.plan.responsible_id == user)

    def closing_needs(self) -> list[str]:
        """What a submitted major hazard still lacks before it may close: "governance" (the
        principal's approval of the plan) and "signoff" (the supervising authority's)."""
        h = self.hazard
        if h.status is not HazardStatus.SUBMITTED or not unmet_condition(
            h, CommandType.VERIFY_PASS
        ):
            return []
        needs = []
        if h.governance is None or not h.governance.approved:
            needs.append("governance")
        if h.supervision is not None and not h.supervision.signed_off:
            needs.append("signoff")
        return needs

    def people_for_plan(self) -> list[tuple[str, str]]:
        """Who can be made responsible: people working in the hazard's workshop."""
        workshop = self.hazard.workshop_id
        return [
            (p.id, p.name.get(self.lang))
            for p in self.ws.catalog.site.people
            if p.can_act_in(workshop) and p.roles - {Role.HQ_ADMIN}
        ]

    def photo_groups(self) -> list[PhotoGroup]:
        """The before photos (always, even none) and the after photos when there are any."""
        h = self.hazard
        groups = [PhotoGroup("before", h.photos)]
        if h.after_photos:
            groups.append(PhotoGroup("after", h.after_photos))
        return groups

    def thumbnail(self, sha256: str) -> bytes | None:
        return PhotoService(self.ws).thumbnail(sha256)

    def open_photo(self, sha256: str) -> OpenedPhoto:
        """The photo at full size: held here, else fetched from HQ and kept; offline (or not
        enrolled) its thumbnail. Waits on the network: call off the event loop."""
        photos = PhotoService(self.ws)
        held = photos.full_size(sha256)
        if held is not None:
            opened(self.ws.store, sha256)
            return OpenedPhoto(held, True)
        saved = connection(self.ws)
        if saved is not None:
            connect, read = OPEN_TIMEOUTS
            transport = saved.transport(
                connect_timeout=connect, read_timeout=read, retry=OPEN_RETRY
            )
            try:
                return OpenedPhoto(fetch_full(self.ws.store, transport, sha256), True)
            except SyncError:
                pass  # offline or HQ cannot give it: the thumbnail, with the note
            finally:
                transport.close()
        return OpenedPhoto(photos.thumbnail(sha256), False)

    def add_photo(self, data: bytes) -> str:
        """Run a picked photo through the pipeline into the store; returns its sha256."""
        return InspectionService(self.ws).process_photo(data).sha256

    def perform(self, command_type: CommandType, values: dict[str, Any]) -> Decision:
        """Send the action as a command; raises FormError for an incomplete form. A refusal by
        the state machine comes back as the decision's message."""
        hazard = self.hazard
        payload = build_payload(command_type, hazard, values)
        decision = self.service.act(hazard, command_type, payload)
        self._hazard = None
        return decision


@dataclass
class HazardScreen:
    """What the hazards tab shows: list or rates, the open hazard, the action form in progress
    (its entered values survive re-renders, e.g. while a photo is picked)."""

    mode: str = "list"  # "list" | "rates"
    filters_open: bool = False
    open_hazard: str | None = None
    form: CommandType | None = None
    values: dict[str, Any] = field(default_factory=dict)
    # What stops the form, in words: per field (shown beside it) and for the whole form.
    field_errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def open(self, hazard_id: str | None) -> None:
        self.open_hazard = hazard_id
        self.close_form()

    def start_form(self, command_type: CommandType) -> None:
        self.form = command_type
        self.values = {}
        self.field_errors = {}
        self.error = None

    def close_form(self) -> None:
        self.form = None
        self.values = {}
        self.field_errors = {}
        self.error = None
