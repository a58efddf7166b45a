"""What a submitted inspection pushed by a device may hold: the fields ``Inspection.to_dict``
writes, their types and limits. HQ checks every pushed inspection against it before storing it;
the device's own inspections pass it by construction (a test walks one and checks)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.commands import (
    MAX_LONG_TEXT,
    MAX_PHOTOS,
    Code,
    PersonId,
    Photos,
    ShortText,
    validated,
)
from inspect_app.core.records import Timestamp

#: More answers than any checklist has items times repeated units is not an inspection.
MAX_ANSWERS = 5000
MAX_UNITS = 200

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Value = (
    Annotated[str, Field(max_length=MAX_LONG_TEXT)]
    | Annotated[float, Field(allow_inf_nan=False)]
    | None
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FindingPayload(_Strict):
    description: Annotated[str, Field(max_length=MAX_LONG_TEXT)] = ""
    grade: Grade | None = None
    risk: Risk | None = None


class PlacePayload(_Strict):
    """Where a photo was taken, in degrees (WGS 84, as the camera's GPS writes it)."""

    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False, strict=True)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False, strict=True)]


class AnswerPayload(_Strict):
    item_id: Code
    tag: ShortText | None = None
    value: Value = None
    note: Annotated[str, Field(max_length=MAX_LONG_TEXT)] = ""
    photos: Photos = Field(default_factory=list)
    finding: FindingPayload | None = None
    answered_at: Timestamp | Literal[""] = ""
    photo_taken: dict[Sha256Hex, Timestamp] = Field(default_factory=dict, max_length=MAX_PHOTOS)
    photo_places: dict[Sha256Hex, PlacePayload] = Field(default_factory=dict, max_length=MAX_PHOTOS)


class PositionPayload(_Strict):
    section_id: Code
    item_id: Code
    tag: ShortText | None = None


class InspectionPayload(_Strict):
    id: Code
    checklist_id: Code
    checklist_version: int = Field(ge=1, le=2**31 - 1)
    checklist_hash: Sha256Hex
    workshop_id: Code
    area_id: Code | None = None
    asset_id: Code | None = None
    inspector_id: PersonId
    started_at: Timestamp
    status: Literal["submitted"]
    instances: dict[Code, Annotated[list[ShortText], Field(max_length=MAX_UNITS)]] = Field(
        default_factory=dict, max_length=100
    )
    position: PositionPayload | None = None
    submitted_at: Timestamp
    signed_by: ShortText
    signature_photo: Sha256Hex | None = None
    answers: list[AnswerPayload] = Field(default_factory=list, max_length=MAX_ANSWERS)


def validate_inspection(data: Any) -> InspectionPayload:
    """The pushed inspection as its typed model, or PayloadError naming the first field at
    fault (``answers.3.photos.0``)."""
    return validated(InspectionPayload, data, "inspection")
