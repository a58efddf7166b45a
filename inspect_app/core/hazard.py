"""A hazard (事故隐患): what was found, grade and risk, the five-fix plan, extensions, status, and
for a major hazard its governance plan, interim control, report to the authority and supervision."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.text import LocalText


class HazardStatus(StrEnum):
    OPEN = "open"  # registered, waiting for a five-fix plan
    ASSIGNED = "assigned"  # plan set
    RECTIFYING = "rectifying"
    SUBMITTED = "submitted"  # rectified, waiting for verification by another person
    CLOSED = "closed"  # verified and closed off (销号)
    VOIDED = "voided"  # registered in error; kept, never deleted

    @property
    def is_open(self) -> bool:
        return self not in (HazardStatus.CLOSED, HazardStatus.VOIDED)


@dataclass(frozen=True)
class FiveFixPlan:
    """The "five fixes" (五定): responsible person, measures, funds, deadline, contingency plan."""

    responsible_id: str
    measures: str
    funds: str
    deadline: str  # ISO date
    contingency: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FiveFixPlan:
        return cls(
            responsible_id=str(data["responsible_id"]),
            measures=str(data["measures"]),
            funds=str(data["funds"]),
            deadline=str(data["deadline"]),
            contingency=str(data.get("contingency") or ""),
        )


class ExtensionStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True)
class Extension:
    """One request to move the deadline, kept as its own row; it moves the deadline only once the
    next level approves it."""

    reason: str
    new_deadline: str
    previous_deadline: str
    requested_by: str
    requested_at: str
    status: ExtensionStatus = ExtensionStatus.REQUESTED
    decided_by: str | None = None
    decided_at: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extension:
        values = _known(cls, data)
        # Rows stored before extensions needed approval moved the deadline at once.
        values["status"] = ExtensionStatus(values.get("status") or ExtensionStatus.APPROVED)
        return cls(**values)


@dataclass(frozen=True)
class GovernancePlan:
    """A major hazard's governance plan (治理方案), with the contents SAWS Order 16 art. 15 lists;
    approved by the principal."""

    targets: str  # 治理的目标和任务
    methods: str  # 采取的方法和措施
    funds_materials: str  # 经费和物资的落实
    organisation: str  # 负责治理的机构和人员
    deadline: str  # ISO date: 治理的时限和要求
    safety_measures: str  # 安全措施
    emergency_plan: str  # 应急预案
    submitted_by: str
    submitted_at: str
    approved_by: str | None = None
    approved_at: str | None = None

    @property
    def approved(self) -> bool:
        return self.approved_by is not None


class ControlKind(StrEnum):
    ISOLATED = "isolated"
    OUT_OF_SERVICE = "out_of_service"


@dataclass(frozen=True)
class InterimControl:
    """What was done at once while a major hazard waits for its fix: the place isolated or the
    equipment taken out of service, with photos."""

    kind: ControlKind
    photos: tuple[str, ...]
    set_by: str
    set_at: str


@dataclass(frozen=True)
class AuthorityReport:
    """The major hazard reported to the authority (Work Safety Law art. 41)."""

    authority: str
    reported_on: str  # ISO date
    reported_by: str
    recorded_at: str


@dataclass(frozen=True)
class Supervision:
    """Official supervision (挂牌督办): the supervising body, its deadline and its sign-off."""

    body: str
    deadline: str  # ISO date
    recorded_by: str
    signed_off_by: str | None = None  # the authority's official, as written on the sign-off
    signed_off_on: str | None = None  # ISO date
    sign_off_note: str | None = None

    @property
    def signed_off(self) -> bool:
        return self.signed_off_on is not None


@dataclass(frozen=True)
class Hazard:
    id: str
    workshop_id: str
    description: str
    grade: Grade
    risk: Risk
    found_by: str
    found_at: str  # ISO timestamp
    deadline: str  # ISO date; the plan's, moved by approved extensions
    status: HazardStatus = HazardStatus.OPEN
    version: int = 1
    area_id: str | None = None
    asset_id: str | None = None
    inspection_id: str | None = None
    checklist_id: str | None = None
    item_id: str | None = None
    instance_tag: str | None = None
    reference: str | None = None
    suggested_fix: LocalText | None = None  # both languages; one plain text in older records
    major_rule: str | None = None
    category: str | None = None
    photos: tuple[str, ...] = ()
    after_photos: tuple[str, ...] = ()
    plan: FiveFixPlan | None = None
    extensions: tuple[Extension, ...] = ()
    rectified_by: str | None = None
    rectified_at: str | None = None
    funds_spent: str | None = None
    on_the_spot: bool = False  # fixed by the finder when found (立即整改)
    verified_by: str | None = None
    verification_opinion: str | None = None
    closed_at: str | None = None
    void_reason: str | None = None
    #: Only on the device that found it: HQ would not register it, so it is kept here voided.
    #: ``{"result": the push result, "why": workflow.Reason.to_dict() or None}``.
    not_registered: dict[str, Any] | None = None
    comments: int = 0
    governance: GovernancePlan | None = None
    control: InterimControl | None = None
    report: AuthorityReport | None = None
    supervision: Supervision | None = None

    @property
    def is_major(self) -> bool:
        return self.grade is Grade.MAJOR

    @property
    def original_deadline(self) -> str:
        """The deadline before any approved extension (an on-the-spot fix's is the day found):
        on time is measured against it."""
        if self.on_the_spot:
            return self.found_date().isoformat()
        approved = [e for e in self.extensions if e.status is ExtensionStatus.APPROVED]
        return approved[0].previous_deadline if approved else self.deadline

    @property
    def pending_extension(self) -> Extension | None:
        return next((e for e in self.extensions if e.status is ExtensionStatus.REQUESTED), None)

    @property
    def approved_extensions(self) -> int:
        return sum(e.status is ExtensionStatus.APPROVED for e in self.extensions)

    @property
    def all_photos(self) -> tuple[str, ...]:
        """Every photo the record shows: as found, after the fix, of the interim control."""
        control = self.control.photos if self.control else ()
        return (*self.photos, *self.after_photos, *control)

    def deadline_date(self) -> date:
        return date.fromisoformat(self.deadline)

    def is_overdue(self, today: date) -> bool:
        return self.status.is_open and self.deadline_date() < today

    def days_to_deadline(self, today: date) -> int:
        return (self.deadline_date() - today).days

    def found_date(self) -> date:
        return datetime.fromisoformat(self.found_at).date()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["grade"] = self.grade.value
        data["risk"] = self.risk.value
        data["status"] = self.status.value
        data["suggested_fix"] = self.suggested_fix.to_data() if self.suggested_fix else None
        data["photos"] = list(self.photos)
        data["after_photos"] = list(self.after_photos)
        data["extensions"] = [{**asdict(e), "status": e.status.value} for e in self.extensions]
        if self.control:
            data["control"] = {
                **asdict(self.control),
                "kind": self.control.kind.value,
                "photos": list(self.control.photos),
            }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hazard:
        values = dict(data)
        values["grade"] = Grade(values["grade"])
        values["risk"] = Risk(values["risk"])
        values["status"] = HazardStatus(values["status"])
        fix = values.get("suggested_fix")
        values["suggested_fix"] = LocalText.of(fix) if fix else None
        values["photos"] = tuple(values.get("photos", ()))
        values["after_photos"] = tuple(values.get("after_photos", ()))
        values["extensions"] = tuple(Extension.from_dict(e) for e in values.get("extensions") or ())
        plan = values.get("plan")
        values["plan"] = FiveFixPlan.from_dict(plan) if plan else None
        for key, part in (
            ("governance", GovernancePlan),
            ("report", AuthorityReport),
            ("supervision", Supervision),
        ):
            values[key] = part(**_known(part, values[key])) if values.get(key) else None
        if control := values.get("control"):
            values["control"] = InterimControl(
                **{
                    **_known(InterimControl, control),
                    "kind": ControlKind(control["kind"]),
                    "photos": tuple(control.get("photos") or ()),
                }
            )
        values["on_the_spot"] = bool(values.get("on_the_spot"))
        return cls(**_known(cls, values))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``data`` that are fields of the dataclass ``cls``."""
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return {k: v for k, v in data.items() if k in fields}


@dataclass(frozen=True)
class HazardEvent:
    """One line of a hazard's timeline: who did what, when, from which device, and the result."""

    id: str  # the command id
    hazard_id: str
    type: str
    actor: str
    device_id: str
    observed_at: str
    result: str
    status_from: str | None
    status_to: str | None
    payload: dict[str, Any] = field(default_factory=dict)
    server_seq: int | None = None
    recorded_at: str | None = None
    reason: str | None = None
    field: str | None = None  # the payload field a rejected_invalid command got wrong
    #: Why it was not applied, for people: ``workflow.Reason.to_dict()`` (``reason`` is English).
    why: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HazardEvent:
        return cls(**_known(cls, data))
