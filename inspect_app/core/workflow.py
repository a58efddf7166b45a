"""The hazard state machine: commands, their transitions, who may issue them, and how they apply.

The same ``decide`` runs on the device (to update local state optimistically and to offer only
allowed actions) and on the HQ server (authoritative, in seq order). A command whose
``expected_from`` is not the current status is a ``rejected_conflict``; comments and photos
always apply. Device time never decides anything.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Extension, FiveFixPlan, Hazard, HazardEvent, HazardStatus
from inspect_app.core.roles import Actor, Role


class CommandType(StrEnum):
    CREATE = "create"
    ASSIGN_FIVE_FIXES = "assign_five_fixes"
    REQUEST_EXTENSION = "request_extension"
    START_RECTIFICATION = "start_rectification"
    SUBMIT_RECTIFIED = "submit_rectified"
    VERIFY_PASS = "verify_pass"
    VERIFY_FAIL = "verify_fail"
    REOPEN = "reopen"
    COMMENT = "comment"
    ADD_PHOTO = "add_photo"
    VOID = "void"


class CommandResult(StrEnum):
    APPLIED = "applied"
    REJECTED_CONFLICT = "rejected_conflict"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"


_ALL_ROLES = frozenset(Role)
_HEADS = frozenset({Role.WORKSHOP_HEAD, Role.HQ_ADMIN})
_ANY_STATUS = frozenset(HazardStatus)
_LIVE = frozenset(s for s in HazardStatus if s is not HazardStatus.VOIDED)
S = HazardStatus


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[HazardStatus]
    to: HazardStatus | None  # None: the status does not change
    roles: frozenset[Role]
    #: Applies whatever the current status (comments, photos): never a conflict.
    always_applies: bool = False


TRANSITIONS: dict[CommandType, Transition] = {
    CommandType.ASSIGN_FIVE_FIXES: Transition(frozenset({S.OPEN, S.ASSIGNED}), S.ASSIGNED, _HEADS),
    CommandType.REQUEST_EXTENSION: Transition(frozenset({S.ASSIGNED, S.RECTIFYING}), None, _HEADS),
    CommandType.START_RECTIFICATION: Transition(frozenset({S.ASSIGNED}), S.RECTIFYING, _ALL_ROLES),
    CommandType.SUBMIT_RECTIFIED: Transition(frozenset({S.RECTIFYING}), S.SUBMITTED, _ALL_ROLES),
    CommandType.VERIFY_PASS: Transition(frozenset({S.SUBMITTED}), S.CLOSED, _ALL_ROLES),
    CommandType.VERIFY_FAIL: Transition(frozenset({S.SUBMITTED}), S.RECTIFYING, _ALL_ROLES),
    CommandType.REOPEN: Transition(frozenset({S.CLOSED}), S.RECTIFYING, _HEADS),
    CommandType.COMMENT: Transition(_ANY_STATUS, None, _ALL_ROLES, always_applies=True),
    CommandType.ADD_PHOTO: Transition(_ANY_STATUS, None, _ALL_ROLES, always_applies=True),
    CommandType.VOID: Transition(_LIVE, S.VOIDED, frozenset({Role.HQ_ADMIN})),
}
CREATE_ROLES = _ALL_ROLES
_VERIFICATIONS = (CommandType.VERIFY_PASS, CommandType.VERIFY_FAIL)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Command:
    """One hazard command as queued on a device and pushed to HQ."""

    id: str
    device_id: str
    seq: int
    hazard_id: str
    type: CommandType
    actor: str
    observed_at: str
    expected_from: HazardStatus | None = None
    base_version: int = 0
    payload: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["type"] = self.type.value
        data["expected_from"] = self.expected_from.value if self.expected_from else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Command:
        expected = data.get("expected_from")
        return cls(
            id=str(data["id"]),
            device_id=str(data["device_id"]),
            seq=int(data["seq"]),
            hazard_id=str(data["hazard_id"]),
            type=CommandType(data["type"]),
            actor=str(data["actor"]),
            observed_at=str(data["observed_at"]),
            expected_from=HazardStatus(expected) if expected else None,
            base_version=int(data.get("base_version") or 0),
            payload=dict(data.get("payload") or {}),
        )


@dataclass(frozen=True)
class Decision:
    result: CommandResult
    hazard: Hazard | None  # the state after the command (unchanged unless applied)
    event: HazardEvent
    message: str = ""

    @property
    def applied(self) -> bool:
        return self.result is CommandResult.APPLIED


class PayloadError(ValueError):
    """A command payload that does not make sense; the message is shown to the person."""


def referenced_photos(command: Command) -> list[str]:
    """The photo hashes a command needs HQ to hold before it can apply."""
    photos = command.payload.get("photos") or []
    return [p for p in photos if isinstance(p, str)]


def may_issue(hazard: Hazard | None, command_type: CommandType, actor: Actor) -> bool:
    """Whether ``actor``'s role and workshop scope allow this command type on this hazard."""
    if hazard is None:
        return command_type is CommandType.CREATE and bool(actor.roles & CREATE_ROLES)
    if not actor.can_act_in(hazard.workshop_id) or command_type is CommandType.CREATE:
        return False
    transition = TRANSITIONS[command_type]
    if not actor.roles & transition.roles:
        return False
    return not (command_type in _VERIFICATIONS and hazard.rectified_by == actor.id)


def allowed_actions(hazard: Hazard, actor: Actor) -> list[CommandType]:
    """The actions to offer this person now: allowed by both the state machine and their role."""
    return [
        command_type
        for command_type, transition in TRANSITIONS.items()
        if hazard.status in transition.allowed_from and may_issue(hazard, command_type, actor)
    ]


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(f"'{key}' is required")
    return value.strip()


def _iso_date(payload: dict[str, Any], key: str) -> str:
    value = _text(payload, key)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise PayloadError(f"'{key}' must be a date YYYY-MM-DD, got {value!r}") from exc


def _photos(payload: dict[str, Any], *, at_least_one: bool) -> tuple[str, ...]:
    photos = payload.get("photos") or []
    if not isinstance(photos, list) or not all(
        isinstance(p, str) and _SHA256.match(p) for p in photos
    ):
        raise PayloadError("'photos' must be a list of sha256 hashes")
    if at_least_one and not photos:
        raise PayloadError("at least one photo is required")
    return tuple(photos)


def new_hazard(command: Command) -> Hazard:
    """The hazard a ``create`` command registers."""
    data = command.payload
    try:
        hazard = Hazard.from_dict(
            {
                **data,
                "id": command.hazard_id,
                "status": HazardStatus.OPEN.value,
                "version": 1,
                "found_by": data.get("found_by") or command.actor,
                "plan": None,
                "extensions": [],
            }
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise PayloadError(f"incomplete hazard: {exc}") from exc
    _iso_date({"deadline": hazard.deadline}, "deadline")
    _text({"description": hazard.description}, "description")
    _photos({"photos": list(hazard.photos)}, at_least_one=False)
    return hazard


def _apply(hazard: Hazard, command: Command, recorded_at: str) -> Hazard:
    """The state after ``command``; raises PayloadError for a payload that does not fit."""
    payload = command.payload
    changes: dict[str, Any] = {}
    match command.type:
        case CommandType.ASSIGN_FIVE_FIXES:
            plan = FiveFixPlan(
                responsible_id=_text(payload, "responsible_id"),
                measures=_text(payload, "measures"),
                funds=_text(payload, "funds"),
                deadline=_iso_date(payload, "deadline"),
                contingency=str(payload.get("contingency") or "").strip(),
            )
            if hazard.grade is Grade.MAJOR and not plan.contingency:
                raise PayloadError("a major hazard needs the contingency plan of its five fixes")
            changes = {"plan": plan, "deadline": plan.deadline}
        case CommandType.REQUEST_EXTENSION:
            new_deadline = _iso_date(payload, "new_deadline")
            if new_deadline <= hazard.deadline:
                raise PayloadError(f"the new deadline must be after {hazard.deadline}")
            extension = Extension(
                reason=_text(payload, "reason"),
                new_deadline=new_deadline,
                previous_deadline=hazard.deadline,
                requested_by=command.actor,
                requested_at=recorded_at,
            )
            changes = {"extensions": (*hazard.extensions, extension), "deadline": new_deadline}
        case CommandType.SUBMIT_RECTIFIED:
            photos = _photos(payload, at_least_one=True)
            changes = {
                "after_photos": (*hazard.after_photos, *photos),
                "rectified_by": command.actor,
                "rectified_at": recorded_at,
            }
        case CommandType.VERIFY_PASS:
            changes = {"verified_by": command.actor, "closed_at": recorded_at}
        case CommandType.VERIFY_FAIL | CommandType.VOID:
            reason = _text(payload, "reason")
            if command.type is CommandType.VOID:
                changes = {"void_reason": reason}
        case CommandType.REOPEN:
            _text(payload, "reason")
            changes = {"verified_by": None, "closed_at": None}
            if payload.get("new_deadline"):
                changes["deadline"] = _iso_date(payload, "new_deadline")
        case CommandType.COMMENT:
            _text(payload, "text")
            changes = {"comments": hazard.comments + 1}
        case CommandType.ADD_PHOTO:
            photos = _photos(payload, at_least_one=True)
            changes = {"photos": (*hazard.photos, *photos)}
    target = TRANSITIONS[command.type].to
    if target is not None:
        changes["status"] = target
    return replace(hazard, version=hazard.version + 1, **changes)


def decide(
    hazard: Hazard | None, command: Command, actor: Actor | None, recorded_at: str
) -> Decision:
    """Apply ``command`` to ``hazard`` (None when it does not exist yet) on behalf of ``actor``."""

    def outcome(result: CommandResult, after: Hazard | None, message: str = "") -> Decision:
        before = hazard.status.value if hazard else None
        event = HazardEvent(
            id=command.id,
            hazard_id=command.hazard_id,
            type=command.type.value,
            actor=command.actor,
            device_id=command.device_id,
            observed_at=command.observed_at,
            result=result.value,
            status_from=before,
            status_to=after.status.value if after and result is CommandResult.APPLIED else before,
            payload=command.payload,
            recorded_at=recorded_at,
            reason=message or None,
        )
        return Decision(result, after, event, message)

    if actor is None or actor.id != command.actor:
        return outcome(CommandResult.FORBIDDEN, hazard, "unknown actor")
    if command.type is CommandType.CREATE:
        if hazard is not None:
            return outcome(CommandResult.INVALID, hazard, "hazard already exists")
        try:
            created = new_hazard(command)
        except PayloadError as exc:
            return outcome(CommandResult.INVALID, None, str(exc))
        if not (actor.roles & CREATE_ROLES and actor.can_act_in(created.workshop_id)):
            return outcome(CommandResult.FORBIDDEN, None, "outside your workshops")
        return outcome(CommandResult.APPLIED, created)
    if hazard is None:
        return outcome(CommandResult.INVALID, None, "unknown hazard")
    if not may_issue(hazard, command.type, actor):
        return outcome(CommandResult.FORBIDDEN, hazard, _refusal(hazard, command.type, actor))
    transition = TRANSITIONS[command.type]
    if not transition.always_applies and command.expected_from is not hazard.status:
        return outcome(
            CommandResult.REJECTED_CONFLICT,
            hazard,
            f"the hazard is now {hazard.status.value}, not {_status(command.expected_from)}",
        )
    if hazard.status not in transition.allowed_from:
        return outcome(
            CommandResult.INVALID,
            hazard,
            f"{command.type.value} is not allowed when the hazard is {hazard.status.value}",
        )
    try:
        return outcome(CommandResult.APPLIED, _apply(hazard, command, recorded_at))
    except PayloadError as exc:
        return outcome(CommandResult.INVALID, hazard, str(exc))


def _status(status: HazardStatus | None) -> str:
    return status.value if status else "unset"


def _refusal(hazard: Hazard, command_type: CommandType, actor: Actor) -> str:
    if not actor.can_act_in(hazard.workshop_id):
        return "the hazard is outside your workshops"
    if command_type in _VERIFICATIONS and hazard.rectified_by == actor.id:
        return "the person who rectified a hazard cannot verify it"
    return f"your role may not {command_type.value.replace('_', ' ')}"
