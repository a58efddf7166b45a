"""What an inspection report says, in the reader's language, before any layout: the header
fields, the counts, the answers grouped by section and unit, and the findings with their photos.

Every string the PDF draws is in here, so it can all be checked against the fonts up front.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from inspect_app.core.checklist import Checklist, Grade, Item, ItemType, Risk
from inspect_app.core.evaluation import Outcome, Slot, evaluate, slots
from inspect_app.core.inspection import Answer, Inspection
from inspect_app.core.site import Site
from inspect_app.exports.words import words


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Count:
    outcome: Outcome
    label: str
    n: int


@dataclass(frozen=True)
class AnswerRow:
    prompt: str
    answer: str
    outcome: Outcome
    mark: str
    note: str


@dataclass(frozen=True)
class AnswerGroup:
    """A section's answers; a repeated section has one group per unit, titled with its tag."""

    title: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class FindingBlock:
    title: str
    grade: Grade
    risk: Risk
    fields: tuple[Field, ...]
    photos: tuple[str, ...]  # sha256 of each photo


@dataclass(frozen=True)
class ReportContent:
    title: str
    plant: str
    draft_banner: str | None
    header: tuple[Field, ...]
    counts: tuple[Count, ...]
    groups: tuple[AnswerGroup, ...]
    findings: tuple[FindingBlock, ...]
    #: sha256 of the signature drawn beside the typed name, if one was drawn.
    signature: str | None
    #: The vocabulary of the report's language, for the labels the layout adds.
    words: Mapping[str, str]

    def texts(self) -> Iterator[str]:
        """Every string in the report."""
        yield from _strings(self)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def _plain(text: str) -> str:
    """Free text as typed on a device, with tabs and Windows line ends made drawable."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()


def _when(timestamp: str | None) -> str:
    return datetime.fromisoformat(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def _as_of(inspection: Inspection) -> date:
    """The day the answers are judged on: date items are checked against the day of the walk."""
    if inspection.submitted_at:
        return datetime.fromisoformat(inspection.submitted_at).date()
    moments = [inspection.started_at, *(a.answered_at for a in inspection.answers.values())]
    return max(datetime.fromisoformat(m) for m in moments if m).date()


#: The report's result column: a tick or a cross before the outcome's word; a recorded answer
#: (text, a photo) has no verdict to show.
_TICKS = {Outcome.PASS: "✓ ", Outcome.FAIL: "✗ "}


def _mark(outcome: Outcome, vocabulary: Mapping[str, str]) -> str:
    if outcome is Outcome.RECORDED:
        return ""
    return _TICKS.get(outcome, "") + vocabulary[f"outcome.{outcome.value}"]


def _answer_text(
    item: Item, answer: Answer | None, vocabulary: Mapping[str, str], lang: str
) -> str:
    if answer is None or answer.value is None or answer.value == "":
        return ""
    if answer.is_na or item.type is ItemType.PASS_FAIL:
        return vocabulary.get(f"outcome.{answer.value}", str(answer.value))
    if item.type is ItemType.READING:
        if not item.unit:
            return str(answer.value)
        return f"{answer.value} {vocabulary.get(f'unit.{item.unit}', item.unit)}"
    if item.type is ItemType.CHOICE:
        option = item.option(str(answer.value))
        return option.label.get(lang) if option else str(answer.value)
    if item.type is ItemType.PHOTO:
        return vocabulary["report.photos"].format(n=len(answer.photos))
    return _plain(str(answer.value))


def _header(inspection: Inspection, checklist: Checklist, site: Site, lang: str) -> list[Field]:
    vocabulary = words(lang)
    workshop = site.workshop(inspection.workshop_id)
    area = workshop.area(inspection.area_id) if workshop and inspection.area_id else None
    asset = site.asset(inspection.asset_id) if inspection.asset_id else None
    inspector = site.person(inspection.inspector_id)
    version = vocabulary["report.version"].format(n=checklist.version)
    fields = [
        ("report.checklist", checklist.title.get(lang) + version),
        ("report.workshop", workshop.name.get(lang) if workshop else inspection.workshop_id),
        ("report.area", area.name.get(lang) if area else inspection.area_id or ""),
        ("report.asset", asset.name.get(lang) if asset else inspection.asset_id or ""),
        ("report.inspector", inspector.name.get(lang) if inspector else inspection.inspector_id),
        ("report.started", _when(inspection.started_at)),
        ("report.submitted", _when(inspection.submitted_at)),
        ("report.signed_by", inspection.signed_by or ""),
    ]
    return [Field(vocabulary[key], value) for key, value in fields if value]


def _group_title(slot: Slot, lang: str) -> str:
    """The section's title; for a repeated section also the unit and its tag, e.g. "Fire
    extinguishers - Extinguisher F-12", or just "灭火器 F-12" when the unit is the title."""
    title = slot.section.title.get(lang)
    repeat = slot.section.repeat
    if repeat is None or slot.tag is None:
        return title
    unit = f"{repeat.unit.get(lang)} {slot.tag}"
    return unit if repeat.unit.get(lang) == title else f"{title} - {unit}"


def _finding(slot: Slot, answer: Answer, number: int, lang: str) -> FindingBlock:
    """A failed answer with what the inspector wrote; grade and risk as its hazard gets them."""
    vocabulary = words(lang)
    on_fail = slot.item.on_fail
    finding = answer.finding
    grade = (finding and finding.grade) or (on_fail.grade if on_fail else Grade.GENERAL)
    risk = (finding and finding.risk) or (on_fail.risk if on_fail else Risk.YELLOW)
    fields = [
        (vocabulary["report.finding"], _plain(finding.description) if finding else ""),
        (vocabulary["report.note"], _plain(answer.note)),
    ]
    return FindingBlock(
        title=vocabulary["report.finding_title"].format(
            n=number, item=slot.item.prompt.get(lang), where=_group_title(slot, lang)
        ),
        grade=grade,
        risk=risk,
        fields=tuple(Field(label, value) for label, value in fields if value),
        photos=answer.photos,
    )


def report_content(
    inspection: Inspection, checklist: Checklist, site: Site, lang: str
) -> ReportContent:
    """The report of ``inspection``, walked against ``checklist``, in ``lang``."""
    vocabulary = words(lang)
    day = _as_of(inspection)
    groups: dict[tuple[str, str | None], AnswerGroup] = {}
    findings: list[FindingBlock] = []
    outcomes: Counter[Outcome] = Counter()
    for slot in slots(checklist, inspection):
        answer = inspection.answer(slot.item.id, slot.tag)
        outcome = evaluate(slot.item, answer, day)
        outcomes[outcome] += 1
        row = AnswerRow(
            prompt=slot.item.prompt.get(lang),
            answer=_answer_text(slot.item, answer, vocabulary, lang),
            outcome=outcome,
            mark=_mark(outcome, vocabulary),
            note=_plain(answer.note) if answer else "",
        )
        key = (slot.section.id, slot.tag)
        group = groups.get(key) or AnswerGroup(_group_title(slot, lang), ())
        groups[key] = dataclasses.replace(group, rows=(*group.rows, row))
        if outcome is Outcome.FAIL and answer is not None:
            findings.append(_finding(slot, answer, len(findings) + 1, lang))
    shown = [Outcome.PASS, Outcome.FAIL, Outcome.NA]
    if outcomes[Outcome.UNANSWERED]:
        shown.append(Outcome.UNANSWERED)
    return ReportContent(
        title=vocabulary["report.title"],
        plant=site.plant.name.get(lang),
        draft_banner=None if inspection.is_submitted else vocabulary["report.draft"],
        header=tuple(_header(inspection, checklist, site, lang)),
        counts=tuple(Count(o, vocabulary[f"outcome.{o.value}"], outcomes[o]) for o in shown),
        groups=tuple(groups.values()),
        findings=tuple(findings),
        signature=inspection.signature_photo,
        words=vocabulary,
    )
