"""The payload of each hazard command type: its fields, their types and limits, stated once.

The device builds every command payload with these models and its action forms are read from
them (``form_fields``); HQ validates every pushed payload against them before the state machine
sees it. Facts about who did what and when (``found_by``, ``rectified_by``, ``verified_by``,
``closed_at``, ``approved_by``, ``version``, ``status``) are not payload fields: the state machine
takes them from the authenticated actor and the recording clock. A payload that does not fit is a
``PayloadError`` naming the field at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
)
from pydantic import ValidationError as _PydanticError

from inspect_app.core.checklist import Category, Grade, Risk
from inspect_app.core.hazard import ControlKind


class FieldKind(StrEnum):
    """How a payload field is entered on an action form."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    PERSON = "person"
    PHOTOS = "photos"
    CHOICE = "choice"  # one of a few values, offered as buttons
    CODE = "code"  # an identifier the app fills in, never typed


MAX_PHOTOS = 12
MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 4000
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$"
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
#: Dates outside these years are typing mistakes, not plans.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _calendar_date(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("not a calendar date (YYYY-MM-DD)") from exc
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return day.isoformat()


Code = Annotated[str, StringConstraints(pattern=ID_PATTERN), FieldKind.CODE]
PersonId = Annotated[str, StringConstraints(pattern=ID_PATTERN), FieldKind.PERSON]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT_TEXT),
    FieldKind.TEXT,
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LONG_TEXT),
    FieldKind.LONG_TEXT,
]
IsoDate = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
    AfterValidator(_calendar_date),
    FieldKind.DATE,
]


def _text_or_translations(value: object) -> str | dict[str, str]:
    """One text (as older records hold it), or a text in each language ({"zh", "en"}, at least
    one), each stripped, 1 to MAX_LONG_TEXT characters. One validator rather than a union, so
    a refusal names the field and says what it may hold."""
    if isinstance(value, str):
        texts: dict[Any, Any] = {"": value}
    elif isinstance(value, dict) and value and set(value) <= {"zh", "en"}:
        texts = value
    else:
        raise ValueError('must be a text, or texts by language: {"zh": ..., "en": ...}')
    stripped = {}
    for lang, text in texts.items():
        if not isinstance(text, str) or not text.strip() or len(text.strip()) > MAX_LONG_TEXT:
            raise ValueError(f"each text must hold 1 to {MAX_LONG_TEXT} characters")
        stripped[lang] = text.strip()
    return stripped[""] if isinstance(value, str) else stripped


#: A text every reader sees in his own language, such as a checklist's suggested fix: a text in
#: each language the app shows, or (older records) one text.
TextOrTranslations = Annotated[
    str | dict[str, str], PlainValidator(_text_or_translations), FieldKind.LONG_TEXT
]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_PATTERN.pattern)]
Photos = Annotated[list[Sha256], Field(max_length=MAX_PHOTOS), FieldKind.PHOTOS]
SomePhotos = Annotated[list[Sha256], Field(min_length=1, max_length=MAX_PHOTOS), FieldKind.PHOTOS]


class Payload(BaseModel):
    """Base of every command payload: unknown keys are refused, and a JSON value of another
    type is never coerced (pydantic does not turn a number into a text or a list into an id)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Fields that become required when the hazard is major (the rule lives here only).
    REQUIRED_FOR_MAJOR: ClassVar[tuple[str, ...]] = ()

    def to_payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class CreatePayload(Payload):
    """A hazard registered from a failed item (or by hand)."""

    workshop_id: Code
    description: LongText
    grade: Grade
    risk: Risk
    deadline: IsoDate
    area_id: Code | None = None
    asset_id: Code | None = None
    inspection_id: Code | None = None
    checklist_id: Code | None = None
    item_id: Code | None = None
    instance_tag: ShortText | None = None
    category: Category | None = None
    reference: ShortText | None = None
    #: Both languages when it comes from a checklist; one plain text in records made before.
    suggested_fix: TextOrTranslations | None = None
    major_rule: ShortText | None = None
    photos: Photos = Field(default_factory=list)


class AssignFiveFixesPayload(Payload):
    """The five fixes (五定): responsible person, measures, funds, deadline, contingency plan."""

    REQUIRED_FOR_MAJOR = ("contingency",)

    responsible_id: PersonId
    measures: LongText
    funds: ShortText
    deadline: IsoDate
    contingency: LongText | None = None


class RequestExtensionPayload(Payload):
    reason: LongText
    new_deadline: IsoDate


class NoFields(Payload):
    """A command whose type says it all (start rectification, approve a request or a plan)."""


class SubmitRectifiedPayload(Payload):
    photos: SomePhotos
    note: LongText | None = None
    funds_spent: ShortText | None = None


class FixOnTheSpotPayload(Payload):
    """Fixed by the finder when found (立即整改): what was done, with after photos."""

    photos: SomePhotos
    note: LongText


class VerifyPayload(Payload):
    """Passing or failing a rectification: the verifier's written opinion is part of the record."""

    opinion: LongText


class InterimControlPayload(Payload):
    kind: ControlKind
    photos: SomePhotos


class GovernancePayload(Payload):
    """A major hazard's governance plan: the contents SAWS Order 16 art. 15 lists."""

    targets: LongText
    methods: LongText
    funds_materials: LongText
    organisation: LongText
    deadline: IsoDate
    safety_measures: LongText
    emergency_plan: LongText


class ReportPayload(Payload):
    """The major hazard reported to the authority: to whom and on which day."""

    authority: ShortText
    reported_on: IsoDate


class SupervisionPayload(Payload):
    """Official supervision (挂牌督办): the supervising body and its deadline."""

    body: ShortText
    deadline: IsoDate


class SignOffPayload(Payload):
    """The supervising authority's sign-off, as written on it (its official, not a site person)."""

    signed_off_by: ShortText
    signed_off_on: IsoDate
    sign_off_note: LongText | None = None


class ReasonPayload(Payload):
    """Refusing an extension, voiding: the reason is part of the record."""

    reason: LongText


class ReopenPayload(Payload):
    reason: LongText
    new_deadline: IsoDate | None = None


class CommentPayload(Payload):
    text: LongText


class AddPhotoPayload(Payload):
    photos: SomePhotos


M = TypeVar("M", bound=BaseModel)


class PayloadError(ValueError):
    """A payload that does not fit its command type; ``field`` names the input at fault."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class FormField:
    """One input of an action form, read from the payload model."""

    name: str
    kind: FieldKind
    required: bool
    max_length: int | None = None
    options: tuple[str, ...] = ()  # the values of a CHOICE field


def validate_payload(model: type[Payload], payload: Any) -> Payload:
    """The payload as its typed model, or PayloadError naming the first field at fault."""
    return validated(model, payload, "command")


def validated(model: type[M], data: Any, what: str) -> M:
    """``data`` as ``model``, or PayloadError naming the first field at fault (``answers.3.note``)
    in plain words; ``what`` names the thing in the messages ("command", "inspection")."""
    if not isinstance(data, dict):
        raise PayloadError(None, f"the {what} must be an object")
    try:
        return model.model_validate(data)
    except _PydanticError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        location = ".".join(str(part) for part in first["loc"]) or None
        reason = (
            f"is not a field of this {what}"
            if first["type"] == "extra_forbidden"
            else reason_of(first)
        )
        raise PayloadError(location, reason) from None


def reason_of(error: Any) -> str:
    """A validation error's reason in plain words (our validators' own text without pydantic's
    "Value error, " in front)."""
    return str(error["msg"]).removeprefix("Value error, ")


def form_fields(model: type[Payload], *, major: bool) -> tuple[FormField, ...]:
    """The inputs a person fills in for this payload; identifiers the app fills are left out."""
    fields = []
    for name, info in model.model_fields.items():
        kind = next((m for m in info.metadata if isinstance(m, FieldKind)), None)
        options: tuple[str, ...] = ()
        if isinstance(info.annotation, type) and issubclass(info.annotation, StrEnum):
            kind, options = FieldKind.CHOICE, tuple(m.value for m in info.annotation)
        elif kind is None:
            kind = _kind_of(info.annotation)
        if kind is FieldKind.CODE:
            continue
        required = info.is_required() or (major and name in model.REQUIRED_FOR_MAJOR)
        limit = next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), None)
        fields.append(FormField(name, kind, required, limit, options))
    return tuple(fields)


def missing_for_major(payload: Payload) -> str | None:
    """The first field a major hazard's payload must have and does not."""
    return next((f for f in payload.REQUIRED_FOR_MAJOR if getattr(payload, f) is None), None)


def _kind_of(annotation: Any) -> FieldKind:
    """The kind of an optional field (``X | None`` hides X's metadata in ``args``)."""
    for arg in getattr(annotation, "__args__", ()):
        kind = next((m for m in getattr(arg, "__metadata__", ()) if isinstance(m, FieldKind)), None)
        if kind is not None:
            return kind
    return FieldKind.TEXT
