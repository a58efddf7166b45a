"""Answer evaluation: pass/fail per answer, show_if visibility, progress, what blocks finishing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from inspect_app.core.checklist import (
    Checklist,
    Item,
    ItemType,
    PhotoRule,
    Section,
    ShowIfOperator,
)
from inspect_app.core.inspection import Answer, Inspection, PassFail


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"
    #: Answered, but the item type has no pass/fail (free text, a photo).
    RECORDED = "recorded"
    UNANSWERED = "unanswered"
    #: The value cannot be understood for this item (e.g. a reading that is not a number).
    INVALID = "invalid"


def parse_reading(value: str | float | None) -> float | None:
    """A reading as a number; accepts a decimal comma, as typed on many phone keypads."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = value.strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def evaluate(item: Item, answer: Answer | None, today: date) -> Outcome:
    """Pass or fail of one answer, from readings, choices, dates and explicit pass/fail."""
    if answer is None or answer.value is None or answer.value == "":
        return Outcome.UNANSWERED
    if answer.is_na:
        return Outcome.NA if item.allow_na else Outcome.INVALID
    match item.type:
        case ItemType.PASS_FAIL:
            if answer.value == PassFail.PASS:
                return Outcome.PASS
            return Outcome.FAIL if answer.value == PassFail.FAIL else Outcome.INVALID
        case ItemType.READING:
            reading = parse_reading(answer.value)
            if reading is None:
                return Outcome.INVALID
            assert item.pass_if is not None
            if not item.pass_if.is_concrete:
                # A limit the site file does not set for this asset or area: never a silent pass.
                return Outcome.INVALID
            return Outcome.PASS if item.pass_if.accepts(reading) else Outcome.FAIL
        case ItemType.CHOICE:
            if item.option(str(answer.value)) is None:
                return Outcome.INVALID
            return Outcome.FAIL if answer.value in item.fail_on else Outcome.PASS
        case ItemType.DATE:
            try:
                answered = date.fromisoformat(str(answer.value))
            except ValueError:
                return Outcome.INVALID
            if answered > today:
                return Outcome.INVALID
            if item.within_days is not None and today - answered > timedelta(days=item.within_days):
                return Outcome.FAIL
            return Outcome.PASS
        case ItemType.TEXT | ItemType.PHOTO:
            return Outcome.RECORDED
    return Outcome.INVALID


def _show_if_value(answer: Answer | None) -> str | None:
    if answer is None or answer.value is None:
        return None
    return str(answer.value)


def is_visible(checklist: Checklist, inspection: Inspection, item: Item, tag: str | None) -> bool:
    """Whether ``item`` is shown, following show_if chains (a hidden item hides its dependants)."""
    condition = item.show_if
    if condition is None:
        return True
    target = checklist.item(condition.item)
    # Inside a repeated section the condition reads the same instance, else the single answer.
    target_tag = tag if checklist.section_of(target.id).repeat is not None else None
    if not is_visible(checklist, inspection, target, target_tag):
        return False
    value = _show_if_value(inspection.answer(target.id, target_tag))
    match condition.operator:
        case ShowIfOperator.EQUALS:
            return value == str(condition.value)
        case ShowIfOperator.NOT_EQUALS:
            return value is not None and value != str(condition.value)
        case ShowIfOperator.IN:
            return value in {str(v) for v in condition.value}
    return False


@dataclass(frozen=True)
class Slot:
    """One answerable place in the walk: an item, and the instance tag for repeated sections."""

    section: Section
    item: Item
    tag: str | None = None


def slots(checklist: Checklist, inspection: Inspection) -> Iterator[Slot]:
    """Every visible item in walk order; repeated sections once per instance added so far."""
    for section in checklist.sections:
        tags: tuple[str | None, ...] = (
            inspection.instances.get(section.id, ()) if section.repeat else (None,)
        )
        for tag in tags:
            for item in section.items:
                if is_visible(checklist, inspection, item, tag):
                    yield Slot(section, item, tag)


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    def __str__(self) -> str:
        return f"{self.answered} / {self.total}"


def progress(checklist: Checklist, inspection: Inspection, today: date) -> Progress:
    answered = total = 0
    for slot in slots(checklist, inspection):
        total += 1
        outcome = evaluate(slot.item, inspection.answer(slot.item.id, slot.tag), today)
        if outcome not in (Outcome.UNANSWERED, Outcome.INVALID):
            answered += 1
    return Progress(answered, total)


class BlockReason(StrEnum):
    UNANSWERED = "unanswered"
    INVALID = "invalid"
    PHOTO_REQUIRED = "photo_required"
    TOO_FEW_INSTANCES = "too_few_instances"


@dataclass(frozen=True)
class Blocker:
    """A reason the inspection cannot be finished yet, pointing at the place to fix."""

    reason: BlockReason
    section_id: str
    item_id: str | None = None
    tag: str | None = None


@dataclass(frozen=True)
class Failure:
    slot: Slot
    answer: Answer


def failures(checklist: Checklist, inspection: Inspection, today: date) -> list[Failure]:
    found = []
    for slot in slots(checklist, inspection):
        answer = inspection.answer(slot.item.id, slot.tag)
        if answer is not None and evaluate(slot.item, answer, today) is Outcome.FAIL:
            found.append(Failure(slot, answer))
    return found


def finish_blockers(checklist: Checklist, inspection: Inspection, today: date) -> list[Blocker]:
    """Everything that must be done before the inspection can be submitted, in walk order."""
    blockers: list[Blocker] = []
    for section in checklist.sections:
        if section.repeat and len(inspection.instances.get(section.id, ())) < section.repeat.min:
            blockers.append(Blocker(BlockReason.TOO_FEW_INSTANCES, section.id))
    for slot in slots(checklist, inspection):
        answer = inspection.answer(slot.item.id, slot.tag)
        outcome = evaluate(slot.item, answer, today)
        where = (slot.section.id, slot.item.id, slot.tag)
        if outcome is Outcome.UNANSWERED and slot.item.required:
            blockers.append(Blocker(BlockReason.UNANSWERED, *where))
        elif outcome is Outcome.INVALID:
            blockers.append(Blocker(BlockReason.INVALID, *where))
        elif outcome is Outcome.FAIL and answer is not None and not answer.photos:
            on_fail = slot.item.on_fail
            if on_fail is not None and on_fail.photo is PhotoRule.REQUIRED:
                blockers.append(Blocker(BlockReason.PHOTO_REQUIRED, *where))
    return blockers
