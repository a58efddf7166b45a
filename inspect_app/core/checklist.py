"""Typed model of a checklist (the YAML format of docs/checklist-format.md), free of any parsing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
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


class LimitScope(StrEnum):
    """Where a named limit is set in the site file: on the equipment or on the area."""

    ASSET = "asset"
    AREA = "area"


@dataclass(frozen=True)
class LimitRef:
    """A limit the checklist names, set per asset or area in the site file (``max_pressure``)."""

    scope: LimitScope
    name: str

    def __str__(self) -> str:
        return f"{self.scope.value}.{self.name}"


#: A reading's bound: a number, or a limit resolved for the inspection's asset or area.
Bound = float | LimitRef
#: The value of a named limit for the inspection at hand, or None where the site sets none.
LimitLookup = Callable[[LimitRef], float | None]


@dataclass(frozen=True)
class PassIf:
    min: Bound | None = None
    max: Bound | None = None

    @property
    def refs(self) -> tuple[LimitRef, ...]:
        return tuple(b for b in (self.min, self.max) if isinstance(b, LimitRef))

    @property
    def is_concrete(self) -> bool:
        return not self.refs

    def resolved(self, lookup: LimitLookup) -> PassIf:
        """Named bounds replaced by their values where ``lookup`` knows them."""

        def bound(value: Bound | None) -> Bound | None:
            if isinstance(value, LimitRef):
                found = lookup(value)
                return value if found is None else found
            return value

        return PassIf(bound(self.min), bound(self.max))

    def accepts(self, value: float) -> bool:
        low, high = self.min, self.max
        if isinstance(low, LimitRef) or isinstance(high, LimitRef):
            raise ValueError(f"limits not resolved: {', '.join(map(str, self.refs))}")
        if low is not None and value < low:
            return False
        return high is None or value <= high


@dataclass(frozen=True)
class Option:
    value: str
    label: LocalText


@dataclass(frozen=True)
class MajorRule:
    """The clause of a major-hazard criterion (checklists/criteria.yaml) a failure meets."""

    criterion: str
    clause: str

    @property
    def label(self) -> str:
        """As carried in a hazard's ``major_rule``: "GB 45067-2024 5.7.4"."""
        return f"{self.criterion} {self.clause}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class OnFail:
    grade: Grade = Grade.GENERAL
    risk: Risk = Risk.YELLOW
    photo: PhotoRule = PhotoRule.OPTIONAL
    #: 0 means fix now, on the spot.
    deadline_days: int = 7
    suggested_fix: LocalText | None = None
    major_rule: MajorRule | None = None


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
    #: The failure in words ("Drain blocked with silt"), to start the finding's description.
    finding: LocalText | None = None

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

    def limit_refs(self) -> list[LimitRef]:
        """Every named limit the checklist's readings use, each once, in walk order."""
        refs = (ref for item in self.items() if item.pass_if for ref in item.pass_if.refs)
        return list(dict.fromkeys(refs))

    def with_limits(self, lookup: LimitLookup) -> Checklist:
        """This checklist with its named limits set from ``lookup`` (those it knows)."""
        if not self.limit_refs():
            return self
        sections = tuple(
            replace(
                section,
                items=tuple(
                    replace(item, pass_if=item.pass_if.resolved(lookup)) if item.pass_if else item
                    for item in section.items
                ),
            )
            for section in self.sections
        )
        return replace(self, sections=sections, _items_by_id={}, _section_of={})
