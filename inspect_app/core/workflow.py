"""The hazard state machine: commands, their transitions, who may issue them, and how they apply.

The same ``decide`` runs on the device (to update local state optimistically and to offer only
allowed actions) and on the HQ server (authoritative, in seq order). Every payload is checked
against its type's model in ``core.commands`` first (``rejected_invalid`` naming the field). A
decision whose ``expected_from`` or ``base_version`` is not the hazard's current status or version
is a ``rejected_conflict``; comments and photos always apply. Device time never decides anything:
who acted is the authenticated actor and when is the recording clock.

Who may verify: never whoever rectified nor the plan's responsible person; a general hazard its
finder or a safety officer, a major one a safety officer only, and only once the principal has
approved its governance plan and, where it is under official supervision, the authority has
signed off. Extension requests move the deadline only when the next level approves them (a
safety officer; the principal for a major hazard), at most twice.

Why a command is refused is a ``Reason``: a stable code (``Refusal``) and the values its sentence
needs, said in zh and en by ``core.vocabulary``; ``Decision.message`` is the English for HQ's logs
and API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from inspect_app.core.checklist import Grade
from inspect_app.core.commands import (
    SHA256_PATTERN,
    AddPhotoPayload,
    AssignFiveFixesPayload,
    CommentPayload,
    CreatePayload,
    FixOnTheSpotPayload,
    FormField,
    GovernancePayload,
    InterimControlPayload,
    NoFields,
    Payload,
    PayloadError,
    ReasonPayload,
    ReopenPayload,
    ReportPayload,
    RequestExtensionPayload,
    SignOffPayload,
    SubmitRectifiedPayload,
    SupervisionPayload,
    VerifyPayload,
    form_fields,
    missing_for_major,
    validate_payload,
)
from inspect_app.core.hazard import (
    AuthorityReport,
    Extension,
    ExtensionStatus,
    FiveFixPlan,
    GovernancePlan,
    Hazard,
    HazardEvent,
    HazardStatus,
    InterimControl,
    Supervision,
)
from inspect_app.core.roles import Actor, Role
from inspect_app.core.text import LocalText


class CommandType(StrEnum):
    CREATE = "create"
    ASSIGN_FIVE_FIXES = "assign_five_fixes"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    SET_INTERIM_CONTROL = "set_interim_control"
    SUBMIT_GOVERNANCE = "submit_governance"
    APPROVE_GOVERNANCE = "approve_governance"
    RECORD_REPORT = "record_report"
    RECORD_SUPERVISION = "record_supervision"
    RECORD_SUPERVISION_SIGNOFF = "record_supervision_signoff"
    START_RECTIFICATION = "start_rectification"
    SUBMIT_RECTIFIED = "submit_rectified"
    FIX_ON_THE_SPOT = "fix_on_the_spot"
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
    INVALID = "rejected_invalid"


class Refusal(StrEnum):
    """Why the state machine refuses a command; the comments name each one's params."""

    UNKNOWN_ACTOR = "unknown_actor"
    UNKNOWN_HAZARD = "unknown_hazard"
    HAZARD_EXISTS = "hazard_exists"
    OUTSIDE_WORKSHOPS = "outside_workshops"
    ROLE_MAY_NOT = "role_may_not"  # action
    RECTIFIER_VERIFIES = "rectifier_verifies"
    RESPONSIBLE_VERIFIES = "responsible_verifies"
    REQUESTER_DECIDES = "requester_decides"
    NEXT_LEVEL_DECIDES = "next_level_decides"
    WRONG_GRADE = "wrong_grade"  # grade
    EXTENSION_WAITING = "extension_waiting"
    EXTENSIONS_USED = "extensions_used"  # n
    NO_EXTENSION_WAITING = "no_extension_waiting"
    NO_GOVERNANCE = "no_governance"
    GOVERNANCE_APPROVED = "governance_approved"
    NOT_SUPERVISED = "not_supervised"
    SIGNED_OFF = "signed_off"
    MAJOR_NEEDS_GOVERNANCE = "major_needs_governance"
    SUPERVISED_NEEDS_SIGNOFF = "supervised_needs_signoff"
    STATUS_CHANGED = "status_changed"  # now, expected
    VERSION_CHANGED = "version_changed"  # version, base
    NOT_IN_STATUS = "not_in_status"  # action, status
    INVALID_VALUE = "invalid_value"  # field


@dataclass(frozen=True)
class Reason:
    """A refusal and its params (codes and numbers: an action, a status, a grade, a field),
    which the vocabulary says in words; ``str()`` is the English for logs."""

    code: Refusal
    params: Mapping[str, str | int] = field(default_factory=dict)

    def __str__(self) -> str:
        # Imported here: the vocabulary names this module's enums.
        from inspect_app.core.vocabulary import refusal_for_logs

        return refusal_for_logs(self)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Any) -> Reason | None:
        """A stored or pulled reason; None for none, or one this version cannot say (an unknown
        code, params that do not fill its words)."""
        if not isinstance(data, dict) or data.get("code") not in set(Refusal):
            return None
        params = data.get("params")
        known = params if isinstance(params, dict) else {}
        reason = cls(Refusal(data["code"]), {str(k): v for k, v in known.items()})
        try:
            str(reason)
        except (KeyError, IndexError, ValueError):
            return None
        return reason


def _why(code: Refusal, **params: str | int) -> Reason:
    return Reason(code, params)


_ALL_ROLES = frozenset(Role)
_HEADS = frozenset({Role.WORKSHOP_HEAD, Role.HQ_ADMIN})
_MANAGERS = _HEADS | {Role.SAFETY_OFFICER}
_SAFETY_OFFICER = frozenset({Role.SAFETY_OFFICER})
_PRINCIPAL = frozenset({Role.PRINCIPAL})
_RECORDERS = _SAFETY_OFFICER | _PRINCIPAL
_NOBODY_BY_ROLE = frozenset[Role]()
_ANY_STATUS = frozenset(HazardStatus)
_LIVE = frozenset(s for s in HazardStatus if s is not HazardStatus.VOIDED)
S = HazardStatus
_UNFINISHED = frozenset({S.OPEN, S.ASSIGNED, S.RECTIFYING, S.SUBMITTED})
_BEING_FIXED = frozenset({S.ASSIGNED, S.RECTIFYING})
_ALL_GRADES = frozenset(Grade)
_MAJOR = frozenset({Grade.MAJOR})
_GENERAL = frozenset({Grade.GENERAL})
MAX_EXTENSIONS = 2


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[HazardStatus]
    to: HazardStatus | None  # None: the status does not change
    roles: frozenset[Role]
    #: Applies whatever the current status (comments, photos): never a conflict.
    always_applies: bool = False
    #: The grades of hazard it applies to.
    grades: frozenset[Grade] = _ALL_GRADES
    #: The hazard's finder may issue it too, whatever his role, on a general hazard.
    finder: bool = False


TRANSITIONS: dict[CommandType, Transition] = {
    CommandType.ASSIGN_FIVE_FIXES: Transition(frozenset({S.OPEN, S.ASSIGNED}), S.ASSIGNED, _HEADS),
    CommandType.REQUEST_EXTENSION: Transition(_BEING_FIXED, None, _HEADS),
    CommandType.APPROVE_EXTENSION: Transition(_BEING_FIXED, None, _RECORDERS),
    CommandType.REFUSE_EXTENSION: Transition(_BEING_FIXED, None, _RECORDERS),
    CommandType.SET_INTERIM_CONTROL: Transition(_UNFINISHED, None, _MANAGERS, grades=_MAJOR),
    CommandType.SUBMIT_GOVERNANCE: Transition(_UNFINISHED, None, _MANAGERS, grades=_MAJOR),
    CommandType.APPROVE_GOVERNANCE: Transition(_UNFINISHED, None, _PRINCIPAL, grades=_MAJOR),
    CommandType.RECORD_REPORT: Transition(_LIVE, None, _RECORDERS, grades=_MAJOR),
    CommandType.RECORD_SUPERVISION: Transition(_UNFINISHED, None, _RECORDERS, grades=_MAJOR),
    CommandType.RECORD_SUPERVISION_SIGNOFF: Transition(
        _UNFINISHED, None, _RECORDERS, grades=_MAJOR
    ),
    CommandType.START_RECTIFICATION: Transition(frozenset({S.ASSIGNED}), S.RECTIFYING, _ALL_ROLES),
    CommandType.SUBMIT_RECTIFIED: Transition(frozenset({S.RECTIFYING}), S.SUBMITTED, _ALL_ROLES),
    CommandType.FIX_ON_THE_SPOT: Transition(
        frozenset({S.OPEN}), S.SUBMITTED, _NOBODY_BY_ROLE, grades=_GENERAL, finder=True
    ),
    CommandType.VERIFY_PASS: Transition(
        frozenset({S.SUBMITTED}), S.CLOSED, _SAFETY_OFFICER, finder=True
    ),
    CommandType.VERIFY_FAIL: Transition(
        frozenset({S.SUBMITTED}), S.RECTIFYING, _SAFETY_OFFICER, finder=True
    ),
    CommandType.REOPEN: Transition(frozenset({S.CLOSED}), S.RECTIFYING, _HEADS),
    CommandType.COMMENT: Transition(_ANY_STATUS, None, _ALL_ROLES, always_applies=True),
    CommandType.ADD_PHOTO: Transition(_ANY_STATUS, None, _ALL_ROLES, always_applies=True),
    CommandType.VOID: Transition(_LIVE, S.VOIDED, frozenset({Role.HQ_ADMIN})),
}
CREATE_ROLES = _ALL_ROLES
_VERIFICATIONS = (CommandType.VERIFY_PASS, CommandType.VERIFY_FAIL)
_EXTENSION_DECISIONS = (CommandType.APPROVE_EXTENSION, CommandType.REFUSE_EXTENSION)


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
    message: str = ""  # the English for HQ's logs and API
    field: str | None = None  # the payload field at fault, for rejected_invalid
    reason: Reason | None = None  # why it was not applied, for people

    @property
    def applied(self) -> bool:
        return self.result is CommandResult.APPLIED


PAYLOADS: dict[CommandType, type[Payload]] = {
    CommandType.CREATE: CreatePayload,
    CommandType.ASSIGN_FIVE_FIXES: AssignFiveFixesPayload,
    CommandType.REQUEST_EXTENSION: RequestExtensionPayload,
    CommandType.APPROVE_EXTENSION: NoFields,
    CommandType.REFUSE_EXTENSION: ReasonPayload,
    CommandType.SET_INTERIM_CONTROL: InterimControlPayload,
    CommandType.SUBMIT_GOVERNANCE: GovernancePayload,
    CommandType.APPROVE_GOVERNANCE: NoFields,
    CommandType.RECORD_REPORT: ReportPayload,
    CommandType.RECORD_SUPERVISION: SupervisionPayload,
    CommandType.RECORD_SUPERVISION_SIGNOFF: SignOffPayload,
    CommandType.START_RECTIFICATION: NoFields,
    CommandType.SUBMIT_RECTIFIED: SubmitRectifiedPayload,
    CommandType.FIX_ON_THE_SPOT: FixOnTheSpotPayload,
    CommandType.VERIFY_PASS: VerifyPayload,
    CommandType.VERIFY_FAIL: VerifyPayload,
    CommandType.REOPEN: ReopenPayload,
    CommandType.COMMENT: CommentPayload,
    CommandType.ADD_PHOTO: AddPhotoPayload,
    CommandType.VOID: ReasonPayload,
}


def parse_payload(command_type: CommandType, payload: Any) -> Payload:
    """The typed payload of a command, or PayloadError naming the field at fault."""
    return validate_payload(PAYLOADS[command_type], payload)


def action_form(command_type: CommandType, hazard: Hazard) -> tuple[FormField, ...]:
    """The inputs a person fills in for this action on this hazard (a major hazard's plan
    needs its contingency part)."""
    return form_fields(PAYLOADS[command_type], major=hazard.is_major)


def referenced_photos(command: Command) -> list[str]:
    """The photo hashes a command needs HQ to hold before it can apply."""
    photos = command.payload.get("photos") or []
    if not isinstance(photos, list):
        return []
    return [p for p in photos if isinstance(p, str) and SHA256_PATTERN.match(p)]


def may_issue(hazard: Hazard | None, command_type: CommandType, actor: Actor) -> bool:
    """Whether this person may issue this command type on this hazard: role and workshop scope,
    the finder's own steps, and the people excluded from a decision."""
    return _refusal(hazard, command_type, actor) is None


def _refusal(hazard: Hazard | None, command_type: CommandType, actor: Actor) -> Reason | None:
    """Why this person may not issue this command type on this hazard; None when he may."""
    if hazard is None:
        if command_type is CommandType.CREATE and actor.roles & CREATE_ROLES:
            return None
        return _why(Refusal.UNKNOWN_HAZARD)
    if command_type is CommandType.CREATE:
        return _why(Refusal.HAZARD_EXISTS)
    if not actor.can_act_in(hazard.workshop_id):
        return _why(Refusal.OUTSIDE_WORKSHOPS)
    transition = TRANSITIONS[command_type]
    as_finder = transition.finder and not hazard.is_major and actor.id == hazard.found_by
    if not (actor.roles & transition.roles or as_finder):
        return _why(Refusal.ROLE_MAY_NOT, action=command_type.value)
    if command_type in _VERIFICATIONS:
        if hazard.rectified_by == actor.id:
            return _why(Refusal.RECTIFIER_VERIFIES)
        if hazard.plan is not None and hazard.plan.responsible_id == actor.id:
            return _why(Refusal.RESPONSIBLE_VERIFIES)
    pending = hazard.pending_extension
    if command_type in _EXTENSION_DECISIONS and pending is not None:
        if pending.requested_by == actor.id:
            return _why(Refusal.REQUESTER_DECIDES)
        if not actor.roles & _extension_deciders(hazard):
            return _why(Refusal.NEXT_LEVEL_DECIDES)
    return None


def _extension_deciders(hazard: Hazard) -> frozenset[Role]:
    """The next level above a workshop head: the safety officer; the principal for a major."""
    return _PRINCIPAL if hazard.is_major else _SAFETY_OFFICER


def unmet_condition(hazard: Hazard, command_type: CommandType) -> Reason | None:
    """What the hazard lacks for this command beyond its status; None when nothing."""
    transition = TRANSITIONS[command_type]
    if hazard.grade not in transition.grades:
        # A transition limited by grade names one: the other grade is refused.
        return _why(Refusal.WRONG_GRADE, grade="/".join(sorted(transition.grades)))
    pending = hazard.pending_extension
    match command_type:
        case CommandType.REQUEST_EXTENSION if pending is not None:
            return _why(Refusal.EXTENSION_WAITING)
        case CommandType.REQUEST_EXTENSION if hazard.approved_extensions >= MAX_EXTENSIONS:
            return _why(Refusal.EXTENSIONS_USED, n=MAX_EXTENSIONS)
        case CommandType.APPROVE_EXTENSION | CommandType.REFUSE_EXTENSION if pending is None:
            return _why(Refusal.NO_EXTENSION_WAITING)
        case CommandType.APPROVE_GOVERNANCE if hazard.governance is None:
            return _why(Refusal.NO_GOVERNANCE)
        case CommandType.APPROVE_GOVERNANCE if hazard.governance and hazard.governance.approved:
            return _why(Refusal.GOVERNANCE_APPROVED)
        case CommandType.RECORD_SUPERVISION_SIGNOFF if hazard.supervision is None:
            return _why(Refusal.NOT_SUPERVISED)
        case CommandType.RECORD_SUPERVISION_SIGNOFF if (
            hazard.supervision and hazard.supervision.signed_off
        ):
            return _why(Refusal.SIGNED_OFF)
        case CommandType.VERIFY_PASS if hazard.is_major:
            if hazard.governance is None or not hazard.governance.approved:
                return _why(Refusal.MAJOR_NEEDS_GOVERNANCE)
            if hazard.supervision is not None and not hazard.supervision.signed_off:
                return _why(Refusal.SUPERVISED_NEEDS_SIGNOFF)
    return None


def allowed_actions(hazard: Hazard, actor: Actor) -> list[CommandType]:
    """The actions to offer this person now: allowed by the state machine, what the hazard holds
    and the person's role."""
    return [
        command_type
        for command_type, transition in TRANSITIONS.items()
        if hazard.status in transition.allowed_from
        and unmet_condition(hazard, command_type) is None
        and may_issue(hazard, command_type, actor)
    ]


def _timestamp(value: str) -> datetime:
    """An ISO timestamp with its zone, or PayloadError for ``observed_at``."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or len(value) > 40:
        raise PayloadError("observed_at", "must be an ISO timestamp with its time zone")
    return moment


def new_hazard(command: Command, data: CreatePayload, recorded_at: str) -> Hazard:
    """The hazard a ``create`` command registers: what was found comes from the payload, who
    found it from the actor, and when from the device's observation, never later than the
    moment it is recorded."""
    observed = _timestamp(command.observed_at)
    found_at = min(observed, _timestamp(recorded_at)).isoformat(timespec="seconds")
    if data.deadline < found_at[:10]:
        raise PayloadError("deadline", f"must not be before the day it was found ({found_at[:10]})")
    return Hazard(
        id=command.hazard_id,
        workshop_id=data.workshop_id,
        description=data.description,
        grade=data.grade,
        risk=data.risk,
        found_by=command.actor,
        found_at=found_at,
        deadline=data.deadline,
        area_id=data.area_id,
        asset_id=data.asset_id,
        inspection_id=data.inspection_id,
        checklist_id=data.checklist_id,
        item_id=data.item_id,
        instance_tag=data.instance_tag,
        reference=data.reference,
        suggested_fix=LocalText.of(data.suggested_fix) if data.suggested_fix else None,
        major_rule=data.major_rule,
        category=data.category.value if data.category else None,
        photos=tuple(data.photos),
    )


def _apply(hazard: Hazard, command: Command, data: Payload, recorded_at: str) -> Hazard:
    """The state after ``command``; raises PayloadError for a payload that does not fit the
    hazard as it is now."""
    if hazard.is_major and (missing := missing_for_major(data)):
        raise PayloadError(missing, "a major hazard needs it")
    actor, found_on, today = command.actor, hazard.found_date().isoformat(), recorded_at[:10]
    changes: dict[str, Any] = {}
    match data:
        case AssignFiveFixesPayload():
            plan = FiveFixPlan(
                responsible_id=data.responsible_id,
                measures=data.measures,
                funds=data.funds,
                deadline=data.deadline,
                contingency=data.contingency or "",
            )
            changes = {"plan": plan, "deadline": plan.deadline}
        case RequestExtensionPayload():
            if data.new_deadline <= hazard.deadline:
                raise PayloadError("new_deadline", f"must be after {hazard.deadline}")
            extension = Extension(
                reason=data.reason,
                new_deadline=data.new_deadline,
                previous_deadline=hazard.deadline,
                requested_by=actor,
                requested_at=recorded_at,
            )
            changes = {"extensions": (*hazard.extensions, extension)}
        case NoFields() | ReasonPayload() if command.type in _EXTENSION_DECISIONS:
            changes = _decide_extension(hazard, command, recorded_at)
        case InterimControlPayload():
            control = InterimControl(data.kind, tuple(data.photos), actor, recorded_at)
            changes = {"control": control}
        case GovernancePayload():
            _not_before(data.deadline, found_on, "deadline")
            fields = data.model_dump()
            plan = GovernancePlan(**fields, submitted_by=actor, submitted_at=recorded_at)
            changes = {"governance": plan}
        case NoFields() if command.type is CommandType.APPROVE_GOVERNANCE:
            assert hazard.governance is not None  # unmet_condition checked it
            changes = {
                "governance": replace(hazard.governance, approved_by=actor, approved_at=recorded_at)
            }
        case ReportPayload():
            _on_a_past_day(data.reported_on, found_on, today, "reported_on")
            report = AuthorityReport(data.authority, data.reported_on, actor, recorded_at)
            changes = {"report": report}
        case SupervisionPayload():
            _not_before(data.deadline, found_on, "deadline")
            changes = {"supervision": Supervision(data.body, data.deadline, actor)}
        case SignOffPayload():
            assert hazard.supervision is not None  # unmet_condition checked it
            _on_a_past_day(data.signed_off_on, found_on, today, "signed_off_on")
            signed = replace(
                hazard.supervision,
                signed_off_by=data.signed_off_by,
                signed_off_on=data.signed_off_on,
                sign_off_note=data.sign_off_note,
            )
            changes = {"supervision": signed}
        case SubmitRectifiedPayload():
            changes = {
                "after_photos": (*hazard.after_photos, *data.photos),
                "rectified_by": actor,
                "rectified_at": recorded_at,
            }
            if data.funds_spent:
                changes["funds_spent"] = data.funds_spent
        case FixOnTheSpotPayload():
            changes = {
                "after_photos": (*hazard.after_photos, *data.photos),
                "rectified_by": actor,
                "rectified_at": recorded_at,
                "on_the_spot": True,
            }
        case VerifyPayload() if command.type is CommandType.VERIFY_PASS:
            changes = {
                "verified_by": actor,
                "verification_opinion": data.opinion,
                "closed_at": recorded_at,
            }
        case VerifyPayload():
            changes = {"verification_opinion": data.opinion}
        case ReasonPayload() if command.type is CommandType.VOID:
            changes = {"void_reason": data.reason}
        case ReopenPayload():
            changes = {"verified_by": None, "verification_opinion": None, "closed_at": None}
            if data.new_deadline:
                changes["deadline"] = data.new_deadline
        case CommentPayload():
            changes = {"comments": hazard.comments + 1}
        case AddPhotoPayload():
            changes = {"photos": (*hazard.photos, *data.photos)}
    transition = TRANSITIONS[command.type]
    if transition.to is not None:
        changes["status"] = transition.to
    if not transition.always_applies:
        # The version counts decisions: a comment or a photo added meanwhile does not make a
        # decision taken on the previous version a conflict.
        changes["version"] = hazard.version + 1
    return replace(hazard, **changes)


def _decide_extension(hazard: Hazard, command: Command, recorded_at: str) -> dict[str, Any]:
    """The pending request approved (the deadline moves) or refused (it stays)."""
    pending = hazard.pending_extension
    assert pending is not None  # unmet_condition checked it
    approved = command.type is CommandType.APPROVE_EXTENSION
    status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REFUSED
    decided = replace(pending, status=status, decided_by=command.actor, decided_at=recorded_at)
    changes: dict[str, Any] = {
        "extensions": tuple(decided if e is pending else e for e in hazard.extensions)
    }
    if approved:
        changes["deadline"] = pending.new_deadline
    return changes


def _not_before(day: str, first: str, field_name: str) -> None:
    if day < first:
        raise PayloadError(field_name, f"must not be before the day it was found ({first})")


def _on_a_past_day(day: str, first: str, today: str, field_name: str) -> None:
    """A day something happened: not before the hazard was found, not after today."""
    _not_before(day, first, field_name)
    if day > today:
        raise PayloadError(field_name, f"must not be after today ({today})")


def decide(
    hazard: Hazard | None, command: Command, actor: Actor | None, recorded_at: str
) -> Decision:
    """Apply ``command`` to ``hazard`` (None when it does not exist yet) on behalf of ``actor``.

    The payload is checked against its command type's model before anything else; a payload
    that does not fit is ``rejected_invalid`` with the field at fault and is not kept."""

    def outcome(
        result: CommandResult,
        after: Hazard | None,
        why: Reason | None = None,
        field: str | None = None,
        detail: str = "",
    ) -> Decision:
        """The decision and its event; ``detail`` is the English of a payload error, else the
        reason's."""
        message = detail or (str(why) if why else "")
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
            payload=command.payload if result is not CommandResult.INVALID else {},
            recorded_at=recorded_at,
            reason=message or None,
            field=field,
            why=why.to_dict() if why else None,
        )
        return Decision(result, after, event, message, field, why)

    def invalid(exc: PayloadError) -> Decision:
        why = _why(Refusal.INVALID_VALUE, field=exc.field or "")
        return outcome(CommandResult.INVALID, hazard, why, exc.field, exc.reason)

    if actor is None or actor.id != command.actor:
        return outcome(CommandResult.FORBIDDEN, hazard, _why(Refusal.UNKNOWN_ACTOR))
    refusal = _refusal(hazard, command.type, actor) if hazard is not None else None
    if refusal and command.type is not CommandType.CREATE:
        return outcome(CommandResult.FORBIDDEN, hazard, refusal)
    try:
        _timestamp(command.observed_at)
        data = parse_payload(command.type, command.payload)
    except PayloadError as exc:
        return invalid(exc)
    if isinstance(data, CreatePayload):
        if hazard is not None:
            return outcome(CommandResult.INVALID, hazard, _why(Refusal.HAZARD_EXISTS), "hazard_id")
        if not (actor.roles & CREATE_ROLES and actor.can_act_in(data.workshop_id)):
            return outcome(CommandResult.FORBIDDEN, None, _why(Refusal.OUTSIDE_WORKSHOPS))
        try:
            return outcome(CommandResult.APPLIED, new_hazard(command, data, recorded_at))
        except PayloadError as exc:
            return invalid(exc)
    if hazard is None:
        return outcome(CommandResult.INVALID, None, _why(Refusal.UNKNOWN_HAZARD), "hazard_id")
    transition = TRANSITIONS[command.type]
    if not transition.always_applies:
        if command.expected_from is not hazard.status:
            now, expected = hazard.status.value, _status(command.expected_from)
            why = _why(Refusal.STATUS_CHANGED, now=now, expected=expected)
            return outcome(CommandResult.REJECTED_CONFLICT, hazard, why)
        if command.base_version != hazard.version:
            why = _why(Refusal.VERSION_CHANGED, version=hazard.version, base=command.base_version)
            return outcome(CommandResult.REJECTED_CONFLICT, hazard, why)
    if hazard.status not in transition.allowed_from:
        why = _why(Refusal.NOT_IN_STATUS, action=command.type.value, status=hazard.status.value)
        return outcome(CommandResult.INVALID, hazard, why, "type")
    if unmet := unmet_condition(hazard, command.type):
        return outcome(CommandResult.INVALID, hazard, unmet, "type")
    try:
        return outcome(CommandResult.APPLIED, _apply(hazard, command, data, recorded_at))
    except PayloadError as exc:
        return invalid(exc)


def _status(status: HazardStatus | None) -> str:
    return status.value if status else "unset"
