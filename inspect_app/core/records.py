"""What a stored hazard record must hold, to find records written before HQ validated commands.

Each record is its command payload's model (``core.commands``: fields and limits stated once)
plus the facts the state machine adds (status, version, who and when), checked for type and
form. ``record_problems`` lists every field at fault, so an operator sees all of them at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
)

from inspect_app.core.commands import (
    MAX_LONG_TEXT,
    AssignFiveFixesPayload,
    Code,
    CreatePayload,
    GovernancePayload,
    InterimControlPayload,
    IsoDate,
    LongText,
    PersonId,
    ReportPayload,
    RequestExtensionPayload,
    ShortText,
    SupervisionPayload,
    reason_of,
)
from inspect_app.core.hazard import ExtensionStatus, HazardStatus


def _zoned_timestamp(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not an ISO timestamp") from None
    if moment.tzinfo is None:
        raise ValueError("the time has no time zone")
    return value


Timestamp = Annotated[str, Field(max_length=40), AfterValidator(_zoned_timestamp)]


class _Record(BaseModel):
    """A stored record keeps keys added later; only the known ones are checked."""

    model_config = ConfigDict(extra="ignore")


class PlanRecord(_Record, AssignFiveFixesPayload):
    contingency: str = Field(default="", max_length=MAX_LONG_TEXT)


class ExtensionRecord(_Record, RequestExtensionPayload):
    previous_deadline: IsoDate
    requested_by: PersonId
    requested_at: Timestamp
    status: ExtensionStatus = ExtensionStatus.APPROVED  # rows before requests were approved
    decided_by: PersonId | None = None
    decided_at: Timestamp | None = None


class GovernanceRecord(_Record, GovernancePayload):
    submitted_by: PersonId
    submitted_at: Timestamp
    approved_by: PersonId | None = None
    approved_at: Timestamp | None = None


class ControlRecord(_Record, InterimControlPayload):
    set_by: PersonId
    set_at: Timestamp


class ReportRecord(_Record, ReportPayload):
    reported_by: PersonId
    recorded_at: Timestamp


class SupervisionRecord(_Record, SupervisionPayload):
    recorded_by: PersonId
    signed_off_by: ShortText | None = None
    signed_off_on: IsoDate | None = None
    sign_off_note: LongText | None = None


class NotRegisteredRecord(_Record):
    """Why HQ would not register a hazard found on this device (kept only there)."""

    result: str = Field(max_length=40)
    why: dict[str, Any] | None = None


class HazardRecord(_Record, CreatePayload):
    """What was found (the ``create`` payload's fields) and what the state machine added."""

    id: Code
    category: Code | None = None  # stored as the category's value, older records too
    found_by: PersonId
    found_at: Timestamp
    status: HazardStatus = HazardStatus.OPEN
    version: StrictInt = Field(default=1, ge=1)
    after_photos: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = Field(
        default_factory=list
    )
    plan: PlanRecord | None = None
    extensions: list[ExtensionRecord] = Field(default_factory=list)
    rectified_by: PersonId | None = None
    rectified_at: Timestamp | None = None
    funds_spent: ShortText | None = None
    on_the_spot: StrictBool = False
    verified_by: PersonId | None = None
    verification_opinion: LongText | None = None
    closed_at: Timestamp | None = None
    void_reason: str | None = Field(default=None, max_length=MAX_LONG_TEXT)
    not_registered: NotRegisteredRecord | None = None
    comments: StrictInt = Field(default=0, ge=0)
    governance: GovernanceRecord | None = None
    control: ControlRecord | None = None
    report: ReportRecord | None = None
    supervision: SupervisionRecord | None = None


def record_problems(doc: Any) -> list[tuple[str, str]]:
    """Every (field, reason) at fault in a stored hazard record; empty when it is sound."""
    if not isinstance(doc, dict):
        return [("", "the record is not an object")]
    try:
        HazardRecord.model_validate(doc)
    except ValidationError as exc:
        return [
            (".".join(str(p) for p in error["loc"]), reason_of(error))
            for error in exc.errors(include_url=False, include_input=False)
        ]
    return []
