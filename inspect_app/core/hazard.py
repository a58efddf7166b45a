"""A hazard (事故隐患): what was found, grade and risk, the five-fix plan, extensions, status."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from inspect_app.core.checklist import Grade, Risk


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


@dataclass(frozen=True)
class Extension:
    """One request to move the deadline, kept as its own row."""

    reason: str
    new_deadline: str
    previous_deadline: str
    requested_by: str
    requested_at: str


@dataclass(frozen=True)
class Hazard:
    id: str
    workshop_id: str
    description: str
    grade: Grade
    risk: Risk
    found_by: str
    found_at: str  # ISO timestamp
    deadline: str  # ISO date; the plan's, moved by extensions
    status: HazardStatus = HazardStatus.OPEN
    version: int = 1
    area_id: str | None = None
    asset_id: str | None = None
    inspection_id: str | None = None
    checklist_id: str | None = None
    item_id: str | None = None
    instance_tag: str | None = None
    reference: str | None = None
    suggested_fix: str | None = None
    major_rule: str | None = None
    category: str | None = None
    photos: tuple[str, ...] = ()
    after_photos: tuple[str, ...] = ()
    plan: FiveFixPlan | None = None
    extensions: tuple[Extension, ...] = ()
    rectified_by: str | None = None
    rectified_at: str | None = None
    verified_by: str | None = None
    closed_at: str | None = None
    void_reason: str | None = None
    comments: int = 0

    @property
    def is_major(self) -> bool:
        return self.grade is Grade.MAJOR

    def deadline_date(self) -> date:
        return date.fromisoformat(self.deadline)

    def is_overdue(self, today: date) -> bool:
        return self.status.is_open and self.deadline_date() < today

    def days_to_deadline(self, today: date) -> int:
        return (self.deadline_date() - today).days

    def closed_on_time(self) -> bool:
        return self.closed_at is not None and self.closed_at[:10] <= self.deadline

    def found_date(self) -> date:
        return datetime.fromisoformat(self.found_at).date()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["grade"] = self.grade.value
        data["risk"] = self.risk.value
        data["status"] = self.status.value
        data["photos"] = list(self.photos)
        data["after_photos"] = list(self.after_photos)
        data["extensions"] = [asdict(e) for e in self.extensions]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hazard:
        values = dict(data)
        values["grade"] = Grade(values["grade"])
        values["risk"] = Risk(values["risk"])
        values["status"] = HazardStatus(values["status"])
        values["photos"] = tuple(values.get("photos", ()))
        values["after_photos"] = tuple(values.get("after_photos", ()))
        values["extensions"] = tuple(Extension(**e) for e in values.get("extensions", ()))
        plan = values.get("plan")
        values["plan"] = FiveFixPlan.from_dict(plan) if plan else None
        known = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in values.items() if k in known})


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HazardEvent:
        known = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in data.items() if k in known})
