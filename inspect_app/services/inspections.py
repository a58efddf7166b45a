"""Walking an inspection on the device: start, answer, photos, repeated units, resume, submit.

Every change is committed durably to the local store before the call returns. Submitting turns
each failure into a hazard and queues the inspection and the hazards' ``create`` commands in the
outbox, all in one transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta

from inspect_app.core.checklist import Checklist, Grade, LimitLookup, LimitRef, LimitScope, Risk
from inspect_app.core.commands import PayloadError
from inspect_app.core.evaluation import Failure, failures, finish_blockers
from inspect_app.core.hazard import Hazard
from inspect_app.core.inspection import Answer, Finding, Inspection, Position, finding_wording
from inspect_app.core.site import limit_of
from inspect_app.core.text import SUPPORTED_LANGUAGES, LocalText
from inspect_app.core.workflow import Command, CommandType, decide, parse_payload
from inspect_app.photos import ProcessedPhoto, process_photo
from inspect_app.services.clock import today
from inspect_app.services.errors import ErrorCode, ServiceError
from inspect_app.services.outbox import queue_command, queue_inspection
from inspect_app.services.workspace import Workspace


class InspectionError(ServiceError):
    """A request the inspection cannot take."""


@dataclass(frozen=True)
class Submission:
    inspection: Inspection
    hazards: list[Hazard]


class InspectionService:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    # -- reading -------------------------------------------------------------------------------

    def get(self, inspection_id: str) -> Inspection:
        header = self.ws.store.get_inspection(inspection_id)
        if header is None:
            raise InspectionError(ErrorCode.NO_INSPECTION, id=inspection_id)
        answers = list(self.ws.store.answers(inspection_id).values())
        return Inspection.from_dict({**header, "answers": answers})

    def headers(self) -> list[dict]:
        """Inspection headers (no answers), newest first."""
        return sorted(self.ws.store.list_inspections(), key=lambda h: h["started_at"], reverse=True)

    def checklist_of(self, inspection: Inspection) -> Checklist:
        """The checklist the inspection is answered against, with the limits the site file sets
        for its asset and area (one it does not set stays named, and its reading cannot pass)."""
        checklist = self.ws.catalog.get(inspection.checklist_id, inspection.checklist_version)
        lookup = self._limits(inspection.workshop_id, inspection.area_id, inspection.asset_id)
        return checklist.with_limits(lookup)

    def _limits(self, workshop_id: str, area_id: str | None, asset_id: str | None) -> LimitLookup:
        site = self.ws.catalog.site
        asset = site.asset(asset_id) if asset_id else None
        workshop = site.workshop(workshop_id)
        area = workshop.area(area_id) if workshop and area_id else None

        def lookup(ref: LimitRef) -> float | None:
            holder = asset if ref.scope is LimitScope.ASSET else area
            return limit_of(holder.limits, ref.name) if holder else None

        return lookup

    def _check_limits(
        self, checklist: Checklist, workshop_id: str, area_id: str | None, asset_id: str | None
    ) -> None:
        """Refuse to start where a reading's limit is not set for the chosen asset or area."""
        missing = checklist.with_limits(self._limits(workshop_id, area_id, asset_id)).limit_refs()
        if not missing:
            return
        names = ", ".join(ref.name for ref in missing)
        if any(ref.scope is LimitScope.AREA for ref in missing) and not area_id:
            raise InspectionError(ErrorCode.PICK_AREA, limits=names)
        where = asset_id if missing[0].scope is LimitScope.ASSET else area_id
        raise InspectionError(ErrorCode.LIMIT_NOT_SET, limits=names, where=where)

    # -- walking -------------------------------------------------------------------------------

    def start(
        self,
        checklist: Checklist,
        workshop_id: str,
        area_id: str | None = None,
        asset_id: str | None = None,
    ) -> Inspection:
        if checklist.asset_type and not asset_id:
            raise InspectionError(ErrorCode.PICK_ASSET)
        self._check_limits(checklist, workshop_id, area_id, asset_id)
        inspection = Inspection(
            id=str(uuid.uuid4()),
            checklist_id=checklist.id,
            checklist_version=checklist.version,
            checklist_hash=checklist.content_hash,
            workshop_id=workshop_id,
            area_id=area_id,
            asset_id=asset_id,
            inspector_id=self.ws.user.id,
            started_at=self.ws.now(),
        )
        self.ws.store.save_inspection(inspection.header_dict())
        return inspection

    def answer(self, inspection: Inspection, answer: Answer) -> Inspection:
        """Save one answer (and move the resume position to it)."""
        stamped = replace(answer, answered_at=self.ws.now())
        updated = inspection.with_answer(stamped)
        self.ws.store.save_answer(inspection.id, stamped.key, stamped.to_dict())
        return updated

    def set_finding(
        self, inspection: Inspection, item_id: str, tag: str | None, finding: Finding
    ) -> Inspection:
        current = inspection.answer(item_id, tag)
        if current is None:
            raise InspectionError(ErrorCode.ANSWER_FIRST)
        return self.answer(inspection, replace(current, finding=finding))

    def add_instance(self, inspection: Inspection, section_id: str, tag: str) -> Inspection:
        tag = tag.strip()
        if not tag:
            raise InspectionError(ErrorCode.TAG_MISSING)
        if inspection.is_submitted:
            raise InspectionError(ErrorCode.READ_ONLY)
        if tag in inspection.instances.get(section_id, ()):
            raise InspectionError(ErrorCode.TAG_TAKEN, tag=tag)
        updated = inspection.with_instance(section_id, tag)
        self.ws.store.save_inspection(updated.header_dict())
        return updated

    def move_to(self, inspection: Inspection, position: Position) -> Inspection:
        updated = inspection.with_position(position)
        self.ws.store.save_inspection(updated.header_dict())
        return updated

    def process_photo(self, data: bytes) -> ProcessedPhoto:
        """Run the photo pipeline and keep the result on disk; CPU-bound: call off the UI loop."""
        photo = process_photo(data)
        self.ws.store.photos.put(photo.sha256, photo.jpeg, photo.thumb)
        return photo

    def attach_photo(
        self, inspection: Inspection, item_id: str, tag: str | None, data: bytes
    ) -> Inspection:
        """Process and attach a photo, with when it was taken: the camera's time (read as the
        device's zone), else now, when it was picked; and where, from its GPS, if the person
        allows it in Settings."""
        picked = self.ws.clock()
        photo = self.process_photo(data)
        current = inspection.answer(item_id, tag) or Answer(item_id, tag=tag)
        if photo.sha256 in current.photos:
            return inspection
        taken = photo.taken.replace(tzinfo=picked.tzinfo) if photo.taken else picked
        return self.answer(
            inspection,
            replace(
                current,
                photos=(*current.photos, photo.sha256),
                photo_taken={
                    **current.photo_taken,
                    photo.sha256: taken.isoformat(timespec="seconds"),
                },
                photo_places={**current.photo_places, **self._place_of(photo)},
            ),
        )

    def _place_of(self, photo: ProcessedPhoto) -> dict[str, dict[str, float]]:
        if photo.place is None or not self.ws.settings.keep_photo_places:
            return {}
        latitude, longitude = photo.place
        return {photo.sha256: {"lat": latitude, "lon": longitude}}

    def remove_photo(
        self, inspection: Inspection, item_id: str, tag: str | None, sha256: str
    ) -> Inspection:
        current = inspection.answer(item_id, tag)
        if current is None:
            return inspection
        photos = tuple(p for p in current.photos if p != sha256)
        taken = {sha: at for sha, at in current.photo_taken.items() if sha != sha256}
        places = {sha: at for sha, at in current.photo_places.items() if sha != sha256}
        return self.answer(
            inspection, replace(current, photos=photos, photo_taken=taken, photo_places=places)
        )

    def discard_draft(self, inspection_id: str) -> None:
        """Throw away an inspection that was never submitted: it was never queued, so HQ never
        hears of it. The device no longer has it open."""
        if self.get(inspection_id).is_submitted:
            raise InspectionError(ErrorCode.DISCARD_SUBMITTED)
        with self.ws.store.transaction() as tx:
            tx.remove_inspection(inspection_id, list(self.ws.store.answers(inspection_id)))
        if self.ws.settings.open_inspection == inspection_id:
            self.ws.settings.open_inspection = None

    # -- finishing -----------------------------------------------------------------------------

    def submit(
        self, inspection: Inspection, signed_by: str, signature: bytes | None = None
    ) -> Submission:
        """Finish: turn failures into hazards and queue everything for HQ in one transaction.
        ``signature`` is the drawn signature's PNG, kept with the photos."""
        if not signed_by.strip():
            raise InspectionError(ErrorCode.SIGN_TO_SUBMIT)
        checklist = self.checklist_of(inspection)
        day = today(self.ws.clock)
        if finish_blockers(checklist, inspection, day):
            raise InspectionError(ErrorCode.INCOMPLETE)
        signature_sha = None
        if signature is not None:
            signature_sha = hashlib.sha256(signature).hexdigest()
            self.ws.store.photos.put(signature_sha, signature)
        submitted = inspection.submitted(self.ws.now(), signed_by.strip(), signature_sha)
        with self.ws.command_lock, self.ws.store.transaction() as tx:
            tx.put_inspection(submitted.header_dict())
            queue_inspection(tx, submitted.id)
            seq = self.ws.next_command_seq()
            hazards = []
            for failure in failures(checklist, submitted, day):
                command = self._create_command(checklist, submitted, failure, seq)
                decision = decide(None, command, self.ws.user, submitted.submitted_at or "")
                if decision.hazard is None or not decision.applied:
                    raise InspectionError(ErrorCode.FINDING_REFUSED, reason=decision.reason)
                queue_command(tx, command, decision)
                hazards.append(decision.hazard)
                seq += 1
        return Submission(submitted, hazards)

    def _create_command(
        self, checklist: Checklist, inspection: Inspection, failure: Failure, seq: int
    ) -> Command:
        item, answer = failure.slot.item, failure.answer
        on_fail = item.on_fail
        finding = answer.finding or Finding()
        lang = "zh" if self.ws.settings.language == "zh" else "en"
        description = finding.description.strip() or finding_wording(item, lang)
        if failure.slot.tag:
            description = f"[{failure.slot.tag}] {description}"
        if answer.note.strip():
            description = f"{description} — {answer.note.strip()}"
        deadline = today(self.ws.clock) + timedelta(days=on_fail.deadline_days if on_fail else 7)
        fix = on_fail.suggested_fix if on_fail else None
        fields = {
            "workshop_id": inspection.workshop_id,
            "area_id": inspection.area_id,
            "asset_id": inspection.asset_id,
            "inspection_id": inspection.id,
            "checklist_id": checklist.id,
            "item_id": item.id,
            "instance_tag": failure.slot.tag,
            "category": checklist.category.value,
            "description": description,
            "grade": (finding.grade or (on_fail.grade if on_fail else Grade.GENERAL)).value,
            "risk": (finding.risk or (on_fail.risk if on_fail else Risk.YELLOW)).value,
            "reference": item.reference,
            "suggested_fix": _in_both_languages(fix) if fix else None,
            "major_rule": on_fail.major_rule.label if on_fail and on_fail.major_rule else None,
            "photos": list(answer.photos),
            "deadline": deadline.isoformat(),
        }
        try:
            data = parse_payload(CommandType.CREATE, {k: v for k, v in fields.items() if v})
        except PayloadError as exc:
            raise InspectionError(
                ErrorCode.FINDING_INVALID, item=item.id, field=exc.field or "", reason=exc.reason
            ) from exc
        payload = data.to_payload()
        return Command(
            id=str(uuid.uuid4()),
            device_id=self.ws.device_id,
            seq=seq,
            hazard_id=str(uuid.uuid4()),
            type=CommandType.CREATE,
            actor=self.ws.user.id,
            observed_at=inspection.submitted_at or self.ws.now(),
            payload=payload,
        )


def _in_both_languages(text: LocalText) -> str | dict[str, str]:
    """A checklist's text as a hazard keeps it: every language the app shows that the author
    wrote, so each reader sees his own; a single plain text as it is."""
    if text.plain is not None:
        return text.plain
    return {
        lang: text.translations[lang] for lang in SUPPORTED_LANGUAGES if lang in text.translations
    }
