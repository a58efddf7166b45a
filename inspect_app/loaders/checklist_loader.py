"""Loading checklist YAML (docs/checklist-format.md) into ``core.checklist`` models, enforcing every
rule of the format and reporting each problem as ``FILE:LINE:COL: message``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from yaml.nodes import MappingNode, Node

from inspect_app.core.checklist import (
    Category,
    Checklist,
    Frequency,
    Grade,
    Item,
    ItemType,
    OnFail,
    Option,
    PassIf,
    PhotoRule,
    Repeat,
    Risk,
    Season,
    Section,
    ShowIf,
    ShowIfOperator,
)
from inspect_app.loaders.yaml_nodes import (
    LoadError,
    NodeReader,
    compose,
    decode_source,
    read_source,
)

CHECKLIST_ID = re.compile(r"^[a-z0-9-]{3,64}$")
MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")

# The format's keys: the single source for the loader and for checklists/schema.json.
CHECKLIST_KEYS = (
    "id",
    "version",
    "category",
    "title",
    "frequency",
    "season",
    "asset_type",
    "sections",
)
CHECKLIST_REQUIRED = ("id", "version", "category", "title", "sections")
SEASON_KEYS = ("from", "to")
SECTION_KEYS = ("id", "title", "repeat", "items")
SECTION_REQUIRED = ("id", "title", "items")
REPEAT_KEYS = ("unit", "tag_prompt", "min")
REPEAT_REQUIRED = ("unit", "tag_prompt")
ITEM_KEYS = (
    "id",
    "type",
    "prompt",
    "guidance",
    "reference",
    "required",
    "allow_na",
    "show_if",
    "unit",
    "pass_if",
    "options",
    "fail_on",
    "within_days",
    "on_fail",
)
ITEM_REQUIRED = ("id", "type", "prompt")
SHOW_IF_KEYS = ("item", *(op.value for op in ShowIfOperator))
PASS_IF_KEYS = ("min", "max")
OPTION_KEYS = ("value", "label")
ON_FAIL_KEYS = ("grade", "risk", "photo", "deadline_days", "suggested_fix", "major_rule")
TYPE_SPECIFIC = {
    "unit": ItemType.READING,
    "pass_if": ItemType.READING,
    "options": ItemType.CHOICE,
    "fail_on": ItemType.CHOICE,
    "within_days": ItemType.DATE,
}


@dataclass
class LoadResult:
    checklist: Checklist | None
    errors: list[LoadError] = field(default_factory=list)


def load_checklist(path: Path) -> LoadResult:
    errors: list[LoadError] = []
    text = read_source(Path(path), errors)
    if text is None:
        return LoadResult(None, errors)
    return load_checklist_text(text, str(path))


def load_checklist_text(text: str | bytes, filename: str) -> LoadResult:
    errors: list[LoadError] = []
    source = decode_source(text, filename, errors) if isinstance(text, bytes) else text
    if source is None:
        return LoadResult(None, errors)
    root = compose(source, filename, errors)
    if root is None:
        return LoadResult(None, errors)
    parser = _ChecklistParser(filename, hashlib.sha256(source.encode("utf-8")).hexdigest())
    checklist = parser.parse(root)
    if parser.errors:
        return LoadResult(None, parser.errors)
    return LoadResult(checklist, [])


def checklist_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and the ``*.yaml``/``*.yml`` files of folders, sorted."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def load_checklists(paths: Iterable[Path]) -> tuple[list[Checklist], list[LoadError]]:
    """Every valid checklist under ``paths``; one bad file never blocks the others."""
    checklists: list[Checklist] = []
    errors: list[LoadError] = []
    seen: dict[str, str] = {}
    for path in checklist_files(paths):
        result = load_checklist(path)
        errors.extend(result.errors)
        if result.checklist is None:
            continue
        first = seen.get(result.checklist.id)
        if first is not None:
            errors.append(
                LoadError(
                    str(path), 1, 1, f"checklist id '{result.checklist.id}' is also used by {first}"
                )
            )
            continue
        seen[result.checklist.id] = str(path)
        checklists.append(result.checklist)
    return checklists, errors


class _ChecklistParser(NodeReader):
    def __init__(self, file: str, content_hash: str) -> None:
        super().__init__(file)
        self.content_hash = content_hash
        self.item_order: dict[str, int] = {}
        self.show_ifs: list[tuple[str, Node, str]] = []  # (item id, node, target id)

    def parse(self, root: Node) -> Checklist | None:
        top = self.mapping(root, "the checklist", CHECKLIST_KEYS, CHECKLIST_REQUIRED)
        if top is None:
            return None
        checklist_id = self._checklist_id(top.get("id"))
        version = self.positive_int(top["version"], "version") if "version" in top else None
        category = self.choice(top["category"], "category", Category) if "category" in top else None
        title = self.text(top["title"], "title") if "title" in top else None
        frequency = (
            self.choice(top["frequency"], "frequency", Frequency) if "frequency" in top else None
        )
        season = self._season(top["season"]) if "season" in top else None
        asset_type = self.string(top["asset_type"], "asset_type") if "asset_type" in top else None
        sections = self._sections(top["sections"]) if "sections" in top else None
        self._check_show_ifs()
        if None in (checklist_id, version, category, title, sections) or self.errors:
            return None
        return Checklist(
            id=checklist_id,
            version=version,
            category=category,
            title=title,  # type: ignore[arg-type]
            sections=tuple(sections or ()),
            frequency=frequency,
            season=season,
            asset_type=asset_type,
            content_hash=self.content_hash,
        )

    def _checklist_id(self, node: Node | None) -> str | None:
        if node is None:
            return None
        value = self.string(node, "id")
        if value is not None and not CHECKLIST_ID.match(value):
            self.error(node, f"id '{value}' must be 3 to 64 of a-z, 0-9 and '-'")
            return None
        return value

    def _season(self, node: Node) -> Season | None:
        values = self.mapping(node, "season", SEASON_KEYS, SEASON_KEYS)
        if values is None or len(values) < 2:
            return None
        start, end = (self._month_day(values[k], f"season.{k}") for k in SEASON_KEYS)
        return Season(start, end) if start and end else None

    def _month_day(self, node: Node, what: str) -> str | None:
        value = self.string(node, what)
        match = MONTH_DAY.match(value or "")
        if value is not None:
            try:
                if not match:
                    raise ValueError
                date(2024, int(match[1]), int(match[2]))  # a leap year accepts 02-29
            except ValueError:
                self.error(node, f"{what} must be a date as MM-DD, not '{value}'")
                return None
        return value

    def _sections(self, node: Node) -> list[Section] | None:
        nodes = self.sequence(node, "sections")
        if nodes is None:
            return None
        if not nodes:
            self.error(node, "sections must have at least one section")
            return None
        section_ids: set[str] = set()
        sections = []
        for section_node in nodes:
            section = self._section(section_node, section_ids)
            if section is not None:
                sections.append(section)
        return sections

    def _section(self, node: Node, seen: set[str]) -> Section | None:
        values = self.mapping(node, "a section", SECTION_KEYS, SECTION_REQUIRED)
        if values is None:
            return None
        section_id = self.string(values["id"], "section id") if "id" in values else None
        if section_id is not None:
            if section_id in seen:
                self.error(values["id"], f"duplicate section id '{section_id}'")
            seen.add(section_id)
        title = self.text(values["title"], "section title") if "title" in values else None
        repeat = self._repeat(values["repeat"]) if "repeat" in values else None
        items = self._items(values["items"]) if "items" in values else None
        if section_id is None or title is None or items is None:
            return None
        return Section(section_id, title, tuple(items), repeat)

    def _repeat(self, node: Node) -> Repeat | None:
        values = self.mapping(node, "repeat", REPEAT_KEYS, REPEAT_REQUIRED)
        if values is None:
            return None
        unit = self.text(values["unit"], "repeat.unit") if "unit" in values else None
        prompt = (
            self.text(values["tag_prompt"], "repeat.tag_prompt") if "tag_prompt" in values else None
        )
        minimum = self.positive_int(values["min"], "repeat.min") if "min" in values else 1
        if unit is None or prompt is None or minimum is None:
            return None
        return Repeat(unit, prompt, minimum)

    def _items(self, node: Node) -> list[Item] | None:
        nodes = self.sequence(node, "items")
        if nodes is None:
            return None
        if not nodes:
            self.error(node, "the section is empty: items must have at least one item")
            return None
        return [item for item in map(self._item, nodes) if item is not None]

    def _item(self, node: Node) -> Item | None:
        values = self.mapping(node, "an item", ITEM_KEYS, ITEM_REQUIRED)
        if values is None:
            return None
        item_id = self.string(values["id"], "item id") if "id" in values else None
        if item_id is not None:
            if item_id in self.item_order:
                self.error(values["id"], f"duplicate item id '{item_id}'")
            self.item_order.setdefault(item_id, len(self.item_order))
        item_type = self.choice(values["type"], "type", ItemType) if "type" in values else None
        prompt = self.text(values["prompt"], "prompt") if "prompt" in values else None
        if item_type is not None:
            for key, needed in TYPE_SPECIFIC.items():
                if key in values and item_type is not needed:
                    self.error(values[key], f"'{key}' only applies to {needed.value} items")
        guidance = self.optional(values, "guidance", self.text)
        reference = self.optional(values, "reference", self.string)
        required = self.optional(values, "required", self.boolean, True)
        allow_na = self.optional(values, "allow_na", self.boolean, False)
        within_days = self.optional(values, "within_days", self.positive_int)
        show_if = self._show_if(values["show_if"], item_id) if "show_if" in values else None
        on_fail = self._on_fail(values["on_fail"]) if "on_fail" in values else None
        unit, pass_if, options, fail_on = None, None, (), ()
        if item_type is ItemType.READING:
            unit, pass_if = self._reading(node, values)
        elif item_type is ItemType.CHOICE:
            options, fail_on = self._choice(node, values)
        if item_id is None or item_type is None or prompt is None:
            return None
        return Item(
            id=item_id,
            type=item_type,
            prompt=prompt,
            guidance=guidance,
            reference=reference,
            required=bool(required),
            allow_na=bool(allow_na),
            show_if=show_if,
            unit=unit,
            pass_if=pass_if,
            options=options,
            fail_on=fail_on,
            within_days=within_days,
            on_fail=on_fail,
        )

    def _reading(self, node: Node, values: dict[str, Node]) -> tuple[str | None, PassIf | None]:
        unit = self.string(values["unit"], "unit") if "unit" in values else None
        if "unit" not in values:
            self.error(node, "a reading item needs a 'unit'")
        if "pass_if" not in values:
            self.error(node, "a reading item needs 'pass_if' with min and/or max")
            return unit, None
        limits = self.mapping(values["pass_if"], "pass_if", PASS_IF_KEYS)
        if limits is None:
            return unit, None
        if not limits:
            self.error(values["pass_if"], "pass_if needs min and/or max")
            return unit, None
        low = self.number(limits["min"], "pass_if.min") if "min" in limits else None
        high = self.number(limits["max"], "pass_if.max") if "max" in limits else None
        if low is not None and high is not None and low > high:
            self.error(
                values["pass_if"], f"pass_if.min ({low:g}) is greater than pass_if.max ({high:g})"
            )
        return unit, PassIf(low, high)

    def _choice(
        self, node: Node, values: dict[str, Node]
    ) -> tuple[tuple[Option, ...], tuple[str, ...]]:
        if "options" not in values:
            self.error(node, "a choice item needs 'options'")
            return (), ()
        option_nodes = self.sequence(values["options"], "options") or []
        if "options" in values and not option_nodes and isinstance(option_nodes, list):
            self.error(values["options"], "options must have at least one option")
        options: list[Option] = []
        for option_node in option_nodes:
            option_values = self.mapping(option_node, "an option", OPTION_KEYS, OPTION_KEYS)
            if option_values is None or len(option_values) < 2:
                continue
            value = self.string(option_values["value"], "option value")
            label = self.text(option_values["label"], "option label")
            if value is not None and any(o.value == value for o in options):
                self.error(option_values["value"], f"duplicate option value '{value}'")
            elif value is not None and label is not None:
                options.append(Option(value, label))
        fail_on: list[str] = []
        if "fail_on" in values:
            for fail_node in self.sequence(values["fail_on"], "fail_on") or []:
                value = self.string(fail_node, "fail_on value")
                if value is not None and all(o.value != value for o in options):
                    known = ", ".join(o.value for o in options)
                    self.error(
                        fail_node, f"fail_on value '{value}' is not one of the options ({known})"
                    )
                elif value is not None:
                    fail_on.append(value)
        return tuple(options), tuple(fail_on)

    def _show_if(self, node: Node, item_id: str | None) -> ShowIf | None:
        values = self.mapping(node, "show_if", SHOW_IF_KEYS, ("item",))
        if values is None:
            return None
        operators = [op for op in ShowIfOperator if op.value in values]
        if len(operators) != 1:
            self.error(node, "show_if needs exactly one of equals, in, not_equals")
            return None
        target = self.string(values["item"], "show_if.item") if "item" in values else None
        operator = operators[0]
        raw = values[operator.value]
        value: str | list[str] | None
        if operator is ShowIfOperator.IN:
            value = [str(self.scalar(v)) for v in self.sequence(raw, "show_if.in") or []]
        else:
            scalar = self.scalar(raw) if not isinstance(raw, MappingNode) else None
            value = None if scalar is None or isinstance(scalar, list) else str(scalar)
            if value is None:
                self.error(raw, f"show_if.{operator.value} must be a single value")
        if target is None or value is None:
            return None
        self.show_ifs.append((item_id or "", values["item"], target))
        return ShowIf(target, operator, value)

    def _check_show_ifs(self) -> None:
        for item_id, node, target in self.show_ifs:
            if target not in self.item_order:
                self.error(node, f"show_if points at unknown item '{target}'")
            elif target == item_id or self.item_order[target] >= self.item_order.get(item_id, 0):
                self.error(node, f"show_if must point at an item defined earlier, not '{target}'")

    def _on_fail(self, node: Node) -> OnFail | None:
        values = self.mapping(node, "on_fail", ON_FAIL_KEYS)
        if values is None:
            return None
        grade = self.optional(values, "grade", self.enum_parser(Grade), Grade.GENERAL)
        risk = self.optional(values, "risk", self.enum_parser(Risk), Risk.YELLOW)
        photo = self.optional(values, "photo", self.enum_parser(PhotoRule), PhotoRule.OPTIONAL)
        deadline = self.optional(values, "deadline_days", self.positive_int, 7)
        fix = self.optional(values, "suggested_fix", self.text)
        rule = self.optional(values, "major_rule", self.string)
        if None in (grade, risk, photo, deadline):
            return None
        return OnFail(grade, risk, photo, deadline, fix, rule)  # type: ignore[arg-type]
