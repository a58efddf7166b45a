"""The API's request and response bodies. They check the envelope (ids, seq, type, sizes);
a command's payload is checked by ``core`` when HQ decides it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from inspect_app.core.commands import ID_PATTERN
from inspect_app.core.hazard import HazardStatus
from inspect_app.core.workflow import CommandType

#: Largest value of a signed 64-bit column (event numbers, device seqs).
INT64_MAX = 2**63 - 1
#: Largest value of a 32-bit column (checklist versions).
INT32_MAX = 2**31 - 1
Id = Annotated[str, Field(min_length=1, max_length=64)]
#: An id a device makes up (a uuid); pages and links show it, so only letters, digits, ``._:@-``.
MadeId = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]


class ErrorOut(BaseModel):
    detail: Any


class EnrollIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=100)


class EnrollOut(BaseModel):
    device_id: str
    token: str
    person_id: str


class CommandIn(BaseModel):
    id: MadeId
    seq: int = Field(ge=1, le=INT64_MAX)
    hazard_id: MadeId
    type: CommandType
    actor: Id
    observed_at: str = Field(max_length=40)
    expected_from: HazardStatus | None = None
    base_version: int = Field(default=0, ge=0, le=INT64_MAX)
    payload: dict[str, Any] = Field(default_factory=dict)


class InspectionIn(BaseModel):
    """An inspection's envelope; the rest of it is read by ``core.inspection``."""

    model_config = ConfigDict(extra="allow")

    id: MadeId
    workshop_id: Id


class PushIn(BaseModel):
    device_id: str = Field(max_length=64)
    commands: list[CommandIn] = Field(default_factory=list, max_length=1000)
    inspections: list[InspectionIn] = Field(default_factory=list, max_length=200)
    #: After HQ's epoch changed: the seq the device's commands now start from (sync-protocol.md).
    restart_seq: int | None = Field(default=None, ge=1, le=INT64_MAX)


class ItemResult(BaseModel):
    id: str
    status: str
    server_seq: int | None = None
    replayed: bool = False
    message: str | None = None
    field: str | None = None
    missing_blobs: list[str] | None = None


class PushOut(BaseModel):
    commands: list[ItemResult]
    inspections: list[ItemResult]
    epoch: str


class PullOut(BaseModel):
    events: list[dict[str, Any]]
    hazards: list[dict[str, Any]]
    checklists: list[dict[str, Any]] | None
    site: dict[str, Any] | None
    next_since: int
    has_more: bool
    epoch: str


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class CodeIn(BaseModel):
    person_id: Id


class CodeOut(BaseModel):
    code: str
    expires_at: str
    person_id: str
