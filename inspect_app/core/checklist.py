"""Typed model of a checklist (the YAML format of docs/checklist-format.md), free of any parsing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from inspect_app.core.text import LocalText


class Category(StrEnum):
    FIRE = "fire"
    ELECTRICAL = "electrical"
    SPECIAL_EQUIPMENT = "special_equipment"
    FLOOD_SEASON = "flood_season"
    ENVIRONMENT = "environment"
    OTHER = "other"


class Frequency(StrEnum):
    PER_SHIFT = "per_shift"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    SEASONAL = "seasonal"
    AD_HOC = "ad_hoc"


class ItemType(StrEnum):
    PASS_FAIL = "pass_fail"
    READING = "reading"
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
    PHOTO = "photo"


class Grade(StrEnum):
    """事故隐患 grade."""

    GENERAL = "general"
    MAJOR = "major"


class Risk(StrEnum):
    """Risk colour, red the highest."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        return _RISK_RANK[self]


_RISK_RANK = {Risk.RED: 0, Risk.ORANGE: 1, Risk.YELLOW: 2, Risk.BLUE: 3}


class PhotoRule(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


class ShowIfOperator(StrEnum):
    EQUALS = "equals"
    IN = "in"
    NOT_EQUALS = "not_equals"


@dataclass(frozen=True)
class Season:
    """Inclusive MM-DD window; may wrap the new year (``from`` after ``to``)."""

    start: str
    end: str

    def contains(self, month_day: str) -> bool:
        if self.start <= self.end:
            return self.start <= month_day <= self.end
        return month_day >= self.start or month_day <= self.end


@dataclass(frozen=True)
class ShowIf:
    item: str
    operator: ShowIfOperator
    value: str | list[str]


@dataclass(frozen=True)
class PassIf:
    min: float | None = None
    max: float | None = None

    def accepts(self, value: float) -> bool:
        if self.min is not None and value < self.min:
            return False
        return self.max is None or value <= self.max


@dataclass(frozen=True)
class Option:
    value: str
    label: LocalText


@dataclass(frozen=True)
class OnFail:
    grade: Grade = Grade.GENERAL
    risk: Risk = Risk.YELLOW
    photo: PhotoRule = PhotoRule.OPTIONAL
    deadline_days: int = 7
    suggested_fix: LocalText | None = None
    major_rule: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    type: ItemType
    prompt: LocalText
    guidance: LocalText | None = None
    reference: str | None = None
    required: bool = True
    allow_na: bool = False
    show_if: ShowIf | None = None
    unit: str | None = None
    pass_if: PassIf | None = None
    options: tuple[Option, ...] = ()
    fail_on: tuple[str, ...] = ()
    within_days: int | None = None
    on_fail: OnFail | None = None

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Repeat:
    unit: LocalText
    tag_prompt: LocalText
    min: int = 1


@dataclass(frozen=True)
class Section:
    id: str
    title: LocalText
    items: tuple[Item, ...]
    repeat: Repeat | None = None


@dataclass(frozen=True)
class Checklist:
    id: str
    version: int
    category: Category
    title: LocalText
    sections: tuple[Section, ...]
    frequency: Frequency | None = None
    season: Season | None = None
    asset_type: str | None = None
    #: sha256 of the source bytes, so an inspection records exactly what it was answered against.
    content_hash: str = ""
    _items_by_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)
    _section_of: dict[str, Section] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for item in section.items:
                self._items_by_id[item.id] = item
                self._section_of[item.id] = section

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def section_of(self, item_id: str) -> Section:
        return self._section_of[item_id]

    @property
    def item_count(self) -> int:
        return len(self._items_by_id)
