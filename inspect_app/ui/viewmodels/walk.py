"""The walk through one inspection, as plain Python the Flet view draws: the steps (repeated-unit
pages, items, the summary), where the inspector is, and every action, each saved at once.

Actions name the item (``slot``) or the step (``origin``) they were made on: a tap that arrives
after the screen moved on (the second tap of a double tap, a late blur) acts on what the person
saw, never on whatever step is current by then."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from inspect_app.core.checklist import Grade, Item, PhotoRule, Risk, Section
from inspect_app.core.evaluation import (
    Blocker,
    Failure,
    Outcome,
    Progress,
    Slot,
    evaluate,
    failures,
    finish_blockers,
    progress,
    slots,
)
from inspect_app.core.inspection import Answer, Finding, Position, finding_wording
from inspect_app.photos.signature import Point, signature_png
from inspect_app.services.inspections import InspectionService, Submission
from inspect_app.services.photos import PhotoService

UNITS = "__units__"
SUMMARY = "__summary__"
#: The signature pad's size in logical pixels, as drawn on the summary.
PAD_WIDTH, PAD_HEIGHT = 360, 150


@dataclass(frozen=True)
class Step:
    kind: str  # "units" | "item" | "summary"
    section: Section | None = None
    slot: Slot | None = None

    @property
    def position(self) -> Position:
        if self.kind == "units" and self.section:
            return Position(self.section.id, UNITS)
        if self.kind == "item" and self.slot:
            return Position(self.slot.section.id, self.slot.item.id, self.slot.tag)
        return Position(SUMMARY, SUMMARY)


class WalkViewModel:
    def __init__(self, service: InspectionService, inspection_id: str, lang: str = "en") -> None:
        self.service = service
        self.inspection = service.get(inspection_id)
        self.checklist = service.checklist_of(self.inspection)
        self.lang = lang
        self.index = self._resume_index()
        #: The signature drawn on the pad so far: strokes of (x, y) points.
        self.strokes: list[list[Point]] = []

    # -- where we are --------------------------------------------------------------------------

    def today(self) -> date:
        return self.service.ws.clock().date()

    def steps(self) -> list[Step]:
        found: list[Step] = []
        walk = list(slots(self.checklist, self.inspection))
        for section in self.checklist.sections:
            if section.repeat:
                found.append(Step("units", section=section))
            found.extend(Step("item", slot=s) for s in walk if s.section.id == section.id)
        found.append(Step("summary"))
        return found

    def _resume_index(self) -> int:
        if self.inspection.is_submitted:
            return len(self.steps()) - 1
        position = self.inspection.position
        if position is None:
            return 0
        for index, step in enumerate(self.steps()):
            if step.position == position:
                return index
        return 0

    @property
    def step(self) -> Step:
        steps = self.steps()
        self.index = max(0, min(self.index, len(steps) - 1))
        return steps[self.index]

    @property
    def is_last(self) -> bool:
        return self.step.kind == "summary"

    def go(self, delta: int, origin: int | None = None) -> Step:
        """Move ``delta`` steps; a move asked for on step ``origin`` once the walk has left that
        step is ignored, so a double tap on Next moves one step."""
        if origin is not None and origin != self.index:
            return self.step
        self.index = max(0, min(self.index + delta, len(self.steps()) - 1))
        if not self.inspection.is_submitted:
            self.inspection = self.service.move_to(self.inspection, self.step.position)
        return self.step

    def progress(self) -> Progress:
        return progress(self.checklist, self.inspection, self.today())

    # -- the current item ----------------------------------------------------------------------

    @property
    def item(self) -> Item:
        assert self.step.slot is not None
        return self.step.slot.item

    @property
    def answer(self) -> Answer | None:
        return self._answer_of(self.step.slot)

    def _answer_of(self, slot: Slot | None) -> Answer | None:
        return self.inspection.answer(slot.item.id, slot.tag) if slot else None

    def _slot(self, slot: Slot | None) -> Slot:
        slot = slot or self.step.slot
        assert slot is not None
        return slot

    def outcome(self, slot: Slot | None = None) -> Outcome:
        slot = self._slot(slot)
        return evaluate(slot.item, self._answer_of(slot), self.today())

    def set_value(
        self, value: str | float | None, slot: Slot | None = None, drop_finding: bool = False
    ) -> Outcome:
        """Save the value of ``slot`` (the current item unless named); ``drop_finding`` also
        clears its finding and photos (the person confirmed it)."""
        slot = self._slot(slot)
        current = self._answer_of(slot) or Answer(slot.item.id, tag=slot.tag)
        changed = replace(current, value=value)
        if drop_finding:
            changed = replace(changed, finding=None, photos=(), photo_taken={}, photo_places={})
        self.inspection = self.service.answer(self.inspection, changed)
        return self.outcome(slot)

    def drops_finding(self, value: str, slot: Slot | None = None) -> bool:
        """Whether answering ``value`` would turn a failure that has a finding written or photos
        taken into a non-failure (the view asks before doing that)."""
        slot = self._slot(slot)
        current = self._answer_of(slot)
        if current is None or not (current.finding or current.photos):
            return False
        after = evaluate(slot.item, replace(current, value=value), self.today())
        return self.outcome(slot) is Outcome.FAIL and after is not Outcome.FAIL

    def set_note(self, note: str, slot: Slot | None = None) -> None:
        slot = self._slot(slot)
        current = self._answer_of(slot) or Answer(slot.item.id, tag=slot.tag)
        self.inspection = self.service.answer(self.inspection, replace(current, note=note))

    # -- finding -------------------------------------------------------------------------------

    def finding(self, slot: Slot | None = None) -> Finding:
        """The finding as saved, or prefilled from the item's failure wording and its on_fail."""
        slot = self._slot(slot)
        answer = self._answer_of(slot)
        saved = answer.finding if answer else None
        on_fail = slot.item.on_fail
        return Finding(
            description=(
                saved.description
                if saved and saved.description
                else finding_wording(slot.item, self.lang)
            ),
            grade=(
                saved.grade
                if saved and saved.grade
                else on_fail.grade
                if on_fail
                else Grade.GENERAL
            ),
            risk=(saved.risk if saved and saved.risk else on_fail.risk if on_fail else Risk.YELLOW),
        )

    def save_finding(self, finding: Finding, slot: Slot | None = None) -> None:
        slot = self._slot(slot)
        self.inspection = self.service.set_finding(self.inspection, slot.item.id, slot.tag, finding)

    def change_finding(self, slot: Slot | None = None, **changes: object) -> Finding:
        """Save the finding with ``changes`` (description, grade, risk) over what it holds."""
        finding = replace(self.finding(slot), **changes)  # type: ignore[arg-type]
        self.save_finding(finding, slot)
        return finding

    def suggested_fix(self) -> str | None:
        on_fail = self.item.on_fail
        return on_fail.suggested_fix.get(self.lang) if on_fail and on_fail.suggested_fix else None

    def photo_required(self) -> bool:
        on_fail = self.item.on_fail
        return on_fail is not None and on_fail.photo is PhotoRule.REQUIRED

    def add_photo(self, data: bytes, slot: Slot | None = None) -> None:
        """Process and attach a photo (CPU-bound: the view calls this off the event loop)."""
        slot = self._slot(slot)
        self.inspection = self.service.attach_photo(self.inspection, slot.item.id, slot.tag, data)

    def remove_photo(self, sha256: str, slot: Slot | None = None) -> None:
        slot = self._slot(slot)
        self.inspection = self.service.remove_photo(self.inspection, slot.item.id, slot.tag, sha256)

    def photo_taken(self, sha256: str, slot: Slot | None = None) -> str | None:
        """When the photo was taken (ISO time), if known."""
        answer = self._answer_of(self._slot(slot))
        return answer.photo_taken.get(sha256) if answer else None

    def photo_place(self, sha256: str, slot: Slot | None = None) -> tuple[str, str] | None:
        """Where the photo was taken (latitude, longitude to 5 places, about a metre), if
        kept."""
        answer = self._answer_of(self._slot(slot))
        place = answer.photo_places.get(sha256) if answer else None
        return (f"{place['lat']:.5f}", f"{place['lon']:.5f}") if place else None

    def thumbnail(self, sha256: str) -> bytes | None:
        return PhotoService(self.service.ws).thumbnail(sha256)

    # -- repeated units ------------------------------------------------------------------------

    def units(self) -> tuple[str, ...]:
        section = self.step.section
        return self.inspection.instances.get(section.id, ()) if section else ()

    def add_unit(self, tag: str) -> None:
        section = self.step.section
        assert section is not None
        self.inspection = self.service.add_instance(self.inspection, section.id, tag)

    # -- finishing -----------------------------------------------------------------------------

    def failures(self) -> list[Failure]:
        return failures(self.checklist, self.inspection, self.today())

    def blockers(self) -> list[Blocker]:
        return finish_blockers(self.checklist, self.inspection, self.today())

    def go_to_blocker(self, blocker: Blocker) -> Step:
        for index, step in enumerate(self.steps()):
            position = step.position
            if position.section_id == blocker.section_id and (
                (blocker.item_id is None and position.item_id == UNITS)
                or (position.item_id == blocker.item_id and position.tag == blocker.tag)
            ):
                return self.go(index - self.index)
        return self.step

    def begin_stroke(self, x: float, y: float) -> None:
        """A finger put down on the pad."""
        self.strokes.append([(x, y)])

    def extend_stroke(self, x: float, y: float) -> None:
        """The finger moved on the pad (a move with none down starts a stroke)."""
        if not self.strokes:
            self.strokes.append([])
        self.strokes[-1].append((x, y))

    def clear_signature(self) -> None:
        self.strokes.clear()

    def signature_png(self) -> bytes | None:
        """The drawn signature as a PNG; None when nothing is drawn."""
        if not any(self.strokes):
            return None
        return signature_png(self.strokes, PAD_WIDTH, PAD_HEIGHT)

    def submit(self, signed_by: str) -> Submission:
        submission = self.service.submit(self.inspection, signed_by, self.signature_png())
        self.inspection = submission.inspection
        return submission
