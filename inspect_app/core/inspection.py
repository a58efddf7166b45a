"""An inspection: one walk of one checklist version, answers keyed by item (and instance tag)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from inspect_app.core.checklist import Grade, Item, Risk


class InspectionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class PassFail(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"


#: A failure's words when the item gives none.
_NOT_OK = {"en": "Not OK: {}", "zh": "不合格：{}"}


def finding_wording(item: Item, lang: str) -> str:
    """How a failure of ``item`` starts its finding: the item's ``finding`` wording, else
    "Not OK: <prompt>"; never the prompt alone, which words the pass."""
    if item.finding:
        return item.finding.get(lang)
    return _NOT_OK.get(lang, _NOT_OK["en"]).format(item.prompt.get(lang))


def answer_key(item_id: str, tag: str | None = None) -> str:
    """Answers of a repeated section are keyed by (item id, instance tag)."""
    return item_id if tag is None else f"{item_id}@{tag}"


@dataclass(frozen=True)
class Finding:
    """What the inspector wrote about a failing answer; it becomes a hazard on submit."""

    description: str = ""
    grade: Grade | None = None
    risk: Risk | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "grade": self.grade.value if self.grade else None,
            "risk": self.risk.value if self.risk else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            description=data.get("description", ""),
            grade=Grade(data["grade"]) if data.get("grade") else None,
            risk=Risk(data["risk"]) if data.get("risk") else None,
        )


@dataclass(frozen=True)
class Answer:
    """One answer: "pass"/"fail"/"na", a number, a choice value, an ISO date or text."""

    item_id: str
    value: str | float | None = None
    tag: str | None = None
    note: str = ""
    photos: tuple[str, ...] = ()
    finding: Finding | None = None
    answered_at: str = ""
    #: When each photo was taken (sha256 -> ISO time): the camera's, else when it was picked.
    photo_taken: dict[str, str] = field(default_factory=dict)
    #: Where each photo was taken (sha256 -> {"lat", "lon"} in degrees), from the photo's GPS,
    #: kept only where the person allows it; never inside the JPEG.
    photo_places: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return answer_key(self.item_id, self.tag)

    @property
    def is_na(self) -> bool:
        return self.value == PassFail.NA.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "tag": self.tag,
            "value": self.value,
            "note": self.note,
            "photos": list(self.photos),
            "finding": self.finding.to_dict() if self.finding else None,
            "answered_at": self.answered_at,
            "photo_taken": dict(self.photo_taken),
            "photo_places": {sha: dict(place) for sha, place in self.photo_places.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        finding = data.get("finding")
        return cls(
            item_id=data["item_id"],
            value=data.get("value"),
            tag=data.get("tag"),
            note=data.get("note", ""),
            photos=tuple(data.get("photos", ())),
            finding=Finding.from_dict(finding) if finding else None,
            answered_at=data.get("answered_at", ""),
            photo_taken=dict(data.get("photo_taken") or {}),
            photo_places={
                sha: dict(place) for sha, place in (data.get("photo_places") or {}).items()
            },
        )


@dataclass(frozen=True)
class Position:
    """Where the inspector is in the walk, so reopening the app lands on the same item."""

    section_id: str
    item_id: str
    tag: str | None = None


@dataclass(frozen=True)
class Inspection:
    id: str
    checklist_id: str
    checklist_version: int
    checklist_hash: str
    workshop_id: str
    inspector_id: str
    started_at: str
    area_id: str | None = None
    asset_id: str | None = None
    status: InspectionStatus = InspectionStatus.DRAFT
    answers: dict[str, Answer] = field(default_factory=dict)
    #: Instance tags entered for each repeated section, in the order they were added.
    instances: dict[str, tuple[str, ...]] = field(default_factory=dict)
    position: Position | None = None
    submitted_at: str | None = None
    signed_by: str | None = None
    #: sha256 of the signature drawn beside the typed name (a PNG in the photo store).
    signature_photo: str | None = None

    @property
    def is_submitted(self) -> bool:
        return self.status is InspectionStatus.SUBMITTED

    @property
    def all_photos(self) -> list[str]:
        """Every picture the inspection refers to: the answers' photos and the signature."""
        shas = dict.fromkeys(p for a in self.answers.values() for p in a.photos)
        if self.signature_photo:
            shas[self.signature_photo] = None
        return list(shas)

    def answer(self, item_id: str, tag: str | None = None) -> Answer | None:
        return self.answers.get(answer_key(item_id, tag))

    def with_answer(self, answer: Answer) -> Inspection:
        self._require_draft()
        return replace(self, answers={**self.answers, answer.key: answer})

    def with_instance(self, section_id: str, tag: str) -> Inspection:
        self._require_draft()
        tags = self.instances.get(section_id, ())
        if tag in tags:
            raise ValueError(f"tag {tag!r} is already used in this section")
        return replace(self, instances={**self.instances, section_id: (*tags, tag)})

    def with_position(self, position: Position) -> Inspection:
        return replace(self, position=position)

    def submitted(self, at: str, signed_by: str, signature_photo: str | None = None) -> Inspection:
        self._require_draft()
        return replace(
            self,
            status=InspectionStatus.SUBMITTED,
            submitted_at=at,
            signed_by=signed_by,
            signature_photo=signature_photo,
        )

    def _require_draft(self) -> None:
        if self.is_submitted:
            raise ValueError("a submitted inspection is read-only")

    def header_dict(self) -> dict[str, Any]:
        """Everything but the answers: the part kept in the inspection index."""
        return {
            "id": self.id,
            "checklist_id": self.checklist_id,
            "checklist_version": self.checklist_version,
            "checklist_hash": self.checklist_hash,
            "workshop_id": self.workshop_id,
            "area_id": self.area_id,
            "asset_id": self.asset_id,
            "inspector_id": self.inspector_id,
            "started_at": self.started_at,
            "status": self.status.value,
            "instances": {k: list(v) for k, v in self.instances.items()},
            "position": (
                {
                    "section_id": self.position.section_id,
                    "item_id": self.position.item_id,
                    "tag": self.position.tag,
                }
                if self.position
                else None
            ),
            "submitted_at": self.submitted_at,
            "signed_by": self.signed_by,
            "signature_photo": self.signature_photo,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.header_dict(), "answers": [a.to_dict() for a in self.answers.values()]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inspection:
        answers = [Answer.from_dict(a) for a in data.get("answers", ())]
        position = data.get("position")
        return cls(
            id=data["id"],
            checklist_id=data["checklist_id"],
            checklist_version=data["checklist_version"],
            checklist_hash=data["checklist_hash"],
            workshop_id=data["workshop_id"],
            inspector_id=data["inspector_id"],
            started_at=data["started_at"],
            area_id=data.get("area_id"),
            asset_id=data.get("asset_id"),
            status=InspectionStatus(data.get("status", "draft")),
            answers={a.key: a for a in answers},
            instances={k: tuple(v) for k, v in (data.get("instances") or {}).items()},
            position=Position(**position) if position else None,
            submitted_at=data.get("submitted_at"),
            signed_by=data.get("signed_by"),
            signature_photo=data.get("signature_photo"),
        )
