"""Loading checklist YAML (docs/checklist-format.md) into ``core.checklist`` models, enforcing every
rule of the format and reporting each problem as ``FILE:LINE:COL: message``."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from inspect_app.core.checklist import (
    Bound,
    Category,
    Checklist,
    Frequency,
    Grade,
    Item,
    ItemType,
    LimitRef,
    LimitScope,
    MajorRule,
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
from inspect_app.core.inspection import PassFail
from inspect_app.loaders.checklist_format import (
    CHECKLIST,
    CHECKLIST_ID,
    ITEM,
    LIMIT,
    LIMIT_NAME,
    MAJOR_RULE,
    MONTH_DAY,
    ON_FAIL,
    OPTION,
    PASS_IF,
    REPEAT,
    SEASON,
    SECTION,
    SHOW_IF,
    TYPE_KEYS,
    TYPE_REQUIRED,
)
from inspect_app.loaders.criteria import CRITERIA_FILE, Criteria, shipped_criteria
from inspect_app.loaders.yaml_nodes import (
    Fields,
    LoadError,
    NodeReader,
    as_bytes,
    parse_yaml,
    read_file,
)

KIND = "a checklist"


@dataclass
class LoadResult:
    checklist: Checklist | None
    errors: list[LoadError] = field(default_factory=list)
    #: (line, column) of the checklist's ``id``, for problems found across files.
    id_at: tuple[int, int] = (1, 1)


def load_checklist(path: Path | str, criteria: Criteria | None = None) -> LoadResult:
    errors: list[LoadError] = []
    data = read_file(Path(path), KIND, errors)
    if data is None:
        return LoadResult(None, errors)
    return load_checklist_text(data, str(path), criteria)


def load_checklist_text(
    text: bytes | str, filename: str, criteria: Criteria | None = None
) -> LoadResult:
    """The checklist in ``text`` (the file's bytes, or its text), named ``filename`` in errors;
    major rules are checked against ``criteria`` (the shipped checklists/criteria.yaml)."""
    data = as_bytes(text)
    errors: list[LoadError] = []
    root = parse_yaml(data, filename, KIND, errors)
    if root is None:
        return LoadResult(None, errors)
    parser = _ChecklistParser(
        filename, hashlib.sha256(data).hexdigest(), criteria or shipped_criteria()
    )
    checklist = parser.parse(root)
    errors = sorted(parser.errors, key=lambda e: (e.line, e.col))
    return LoadResult(checklist, errors, parser.id_at)


def checklist_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, and the ``*.yaml``/``*.yml`` files of folders (but the criteria
    file kept beside them), sorted."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.suffix in (".yaml", ".yml") and p.name != CRITERIA_FILE
                )
            )
        else:
            files.append(path)
    return files


def load_checklists(paths: Iterable[Path | str]) -> tuple[list[Checklist], list[LoadError]]:
    """Every valid checklist in ``paths`` (files and folders); one bad file never blocks the
    others, and a checklist id already loaded from an earlier file is an error on the later one."""
    checklists: list[Checklist] = []
    errors: list[LoadError] = []
    first_file: dict[str, str] = {}
    for path in checklist_files(paths):
        result = load_checklist(path)
        errors.extend(result.errors)
        if result.checklist is None:
            continue
        checklist_id = result.checklist.id
        if checklist_id in first_file:
            message = f"checklist id '{checklist_id}' is also used by {first_file[checklist_id]}"
            errors.append(LoadError(str(path), *result.id_at, message))
            continue
        first_file[checklist_id] = str(path)
        checklists.append(result.checklist)
    return checklists, errors


@dataclass(frozen=True)
class _Place:
    """Where an item is: its position in the checklist and its section (by position too)."""

    order: int
    section: int
    repeated: bool


@dataclass(frozen=True)
class _Condition:
    """A parsed ``show_if``, kept to check once every item is known."""

    item_id: str
    place: _Place
    show_if: ShowIf
    fields: Fields
    value_nodes: tuple[Node, ...]


class _ChecklistParser(NodeReader):
    def __init__(self, file: str, content_hash: str, criteria: Criteria) -> None:
        super().__init__(file)
        self.content_hash = content_hash
        self.criteria = criteria
        self.asset_type: str | None = None
        #: Asset limits named by readings, checked once asset_type is known.
        self.asset_limits: list[Node] = []
        self.id_at = (1, 1)
        self.item_count = 0
        self.places: dict[str, _Place] = {}
        self.items: dict[str, Item] = {}
        self.conditions: list[_Condition] = []

    def parse(self, root: Node) -> Checklist | None:
        fields = self.mapping(root, CHECKLIST)
        if fields is None:
            return None
        checklist_id = fields.get("id", self._checklist_id)
        version = fields.get("version", self.positive_int)
        category = fields.get("category", self.member_of(Category))
        title = fields.get("title", self.text)
        frequency = fields.get("frequency", self.member_of(Frequency))
        season = fields.get("season", self._season)
        asset_type = fields.get("asset_type", self.string)
        sections = fields.get("sections", self._sections)
        if asset_type is None:
            for node in self.asset_limits:
                self.error(node, "an asset limit needs a checklist with an asset_type")
        for condition in self.conditions:
            self._check_condition(condition)
        if self.errors:
            return None
        # No error means every required key was there and valid.
        return Checklist(
            id=checklist_id,
            version=version,
            category=category,
            title=title,
            sections=sections,
            frequency=frequency,
            season=season,
            asset_type=asset_type,
            content_hash=self.content_hash,
        )

    def _checklist_id(self, node: Node, what: str) -> str | None:
        self.id_at = (node.start_mark.line + 1, node.start_mark.column + 1)
        value = self.string(node, what)
        if value is not None and not CHECKLIST_ID.match(value):
            self.error(node, f"{what} '{value}' must be 3 to 64 characters of a-z, 0-9 and '-'")
            return None
        return value

    def _season(self, node: Node, what: str) -> Season | None:
        fields = self.mapping(node, SEASON)
        if fields is None:
            return None
        start, end = fields.get("from", self._month_day), fields.get("to", self._month_day)
        return Season(start, end) if start and end else None

    def _month_day(self, node: Node, what: str) -> str | None:
        # Read as typed: YAML would make 0515 the octal number 333.
        text = node.value if isinstance(node, ScalarNode) else ""
        match = MONTH_DAY.match(text)
        try:
            if not match:
                raise ValueError(text)
            date(2024, int(match[1]), int(match[2]))  # a leap year, so 02-29 is a day
        except ValueError:
            shown = f"'{text}'" if isinstance(node, ScalarNode) else "a list or mapping"
            self.error(node, f"{what} must be a date as MM-DD, not {shown}")
            return None
        return text

    def _sections(self, node: Node, what: str) -> tuple[Section, ...] | None:
        nodes = self.sequence(node, what, one="section")
        if nodes is None:
            return None
        seen: set[str] = set()
        sections = (self._section(n, index, seen) for index, n in enumerate(nodes))
        return tuple(s for s in sections if s is not None)

    def _section(self, node: Node, index: int, seen: set[str]) -> Section | None:
        fields = self.mapping(node, SECTION)
        if fields is None:
            return None
        section_id = fields.get("id", self.string)
        if section_id is not None:
            if section_id in seen:
                self.error(fields.node, f"duplicate section id '{section_id}'")
            seen.add(section_id)
        title = fields.get("title", self.text)
        repeat = fields.get("repeat", self._repeat)
        repeated = "repeat" in fields
        items = fields.get("items", lambda n, what: self._items(n, what, index, repeated))
        if section_id is None or title is None or items is None:
            return None
        return Section(section_id, title, items, repeat)

    def _repeat(self, node: Node, what: str) -> Repeat | None:
        fields = self.mapping(node, REPEAT)
        if fields is None:
            return None
        unit = fields.get("unit", self.text)
        tag_prompt = fields.get("tag_prompt", self.text)
        minimum = fields.get("min", self.positive_int, 1)
        if unit is None or tag_prompt is None or minimum is None:
            return None
        return Repeat(unit, tag_prompt, minimum)

    def _items(
        self, node: Node, what: str, section: int, repeated: bool
    ) -> tuple[Item, ...] | None:
        nodes = self.sequence(node, what, one="item")
        if nodes is None:
            return None
        items = (self._item(n, section, repeated) for n in nodes)
        return tuple(item for item in items if item is not None)

    def _item(self, node: Node, section: int, repeated: bool) -> Item | None:
        fields = self.mapping(node, ITEM)
        if fields is None:
            return None
        item_id = fields.get("id", self.string)
        place = _Place(self.item_count, section, repeated)
        self.item_count += 1
        if item_id in self.places:
            self.error(fields.node, f"duplicate item id '{item_id}'")
        elif item_id is not None:
            self.places[item_id] = place
        item_type = fields.get("type", self.member_of(ItemType))
        prompt = fields.get("prompt", self.text)
        specific = self._type_specific(fields, item_type) if item_type is not None else {}
        guidance = fields.get("guidance", self.text)
        reference = fields.get("reference", self.string)
        required = fields.get("required", self.boolean, True)
        allow_na = fields.get("allow_na", self.boolean, False)
        show_if = fields.get("show_if", lambda n, _: self._show_if(n, item_id, place))
        on_fail = fields.get("on_fail", self._on_fail)
        finding = fields.get("finding", self.text)
        if item_id is None or item_type is None or prompt is None:
            return None
        item = Item(
            id=item_id,
            type=item_type,
            prompt=prompt,
            guidance=guidance,
            reference=reference,
            required=bool(required),
            allow_na=bool(allow_na),
            show_if=show_if,
            on_fail=on_fail,
            finding=finding,
            **specific,
        )
        self.items.setdefault(item_id, item)
        return item

    def _type_specific(self, fields: Fields, item_type: ItemType) -> dict[str, Any]:
        """The keys of ``item_type``'s own, after reporting other types' keys and missing ones."""
        for owner, keys in TYPE_KEYS.items():
            for key in keys:
                if owner is not item_type and key in fields:
                    self.error(fields.key_node(key), f"'{key}' only applies to {owner.value} items")
        missing = [k for k in TYPE_REQUIRED.get(item_type, ()) if k not in fields]
        if missing:
            names = " and ".join(f"'{k}'" for k in missing)
            self.error(fields.node, f"a {item_type.value} item needs {names}")
        match item_type:
            case ItemType.READING:
                return {
                    "unit": fields.get("unit", self.string),
                    "pass_if": fields.get("pass_if", self._pass_if),
                }
            case ItemType.CHOICE:
                options = fields.get("options", self._options)
                fail_on = fields.get("fail_on", lambda n, what: self._fail_on(n, what, options))
                return {"options": options or (), "fail_on": fail_on or ()}
            case ItemType.DATE:
                return {"within_days": fields.get("within_days", self.positive_int)}
        return {}

    def _pass_if(self, node: Node, what: str) -> PassIf | None:
        fields = self.mapping(node, PASS_IF)
        if fields is None:
            return None
        low, high = fields.get("min", self._bound), fields.get("max", self._bound)
        if isinstance(low, float) and isinstance(high, float) and low > high:
            self.error(node, f"pass_if.min ({low:g}) is greater than pass_if.max ({high:g})")
        return PassIf(low, high)

    def _bound(self, node: Node, what: str) -> Bound | None:
        """A number, or the name of a limit set in the site file: ``{asset: max_pressure}``."""
        if not isinstance(node, MappingNode):
            return self.number(node, what)
        fields = self.mapping(node, LIMIT)
        scope = next((s for s in LimitScope if fields and s.value in fields), None)
        if fields is None or scope is None:
            return None
        name = fields.get(scope.value, self.string)
        if name is None:
            return None
        if not LIMIT_NAME.match(name):
            at = fields.value_node(scope.value)
            self.error(at, f"{what} limit '{name}' must be a-z, 0-9 and '_'")
            return None
        if scope is LimitScope.ASSET:
            self.asset_limits.append(node)
        return LimitRef(scope, name)

    def _options(self, node: Node, what: str) -> tuple[Option, ...] | None:
        """The options, or None when any is invalid (so fail_on is not checked against a part)."""
        nodes = self.sequence(node, what, one="option")
        if nodes is None:
            return None
        options: dict[str, Option] = {}
        valid = True
        for option_node in nodes:
            fields = self.mapping(option_node, OPTION)
            if fields is None:
                valid = False
                continue
            value, label = fields.get("value", self.string), fields.get("label", self.text)
            if value in options:
                self.error(fields.value_node("value"), f"duplicate option value '{value}'")
            elif value is not None and label is not None:
                options[value] = Option(value, label)
                continue
            valid = False
        return tuple(options.values()) if valid else None

    def _fail_on(
        self, node: Node, what: str, options: tuple[Option, ...] | None
    ) -> tuple[str, ...] | None:
        nodes = self.sequence(node, what)
        if nodes is None:
            return None
        values = [self.string(n, f"{what} value") for n in nodes]
        if options is not None:
            known = [o.value for o in options]
            for value, value_node in zip(values, nodes, strict=True):
                if value is not None and value not in known:
                    self.error(
                        value_node,
                        f"{what} value '{value}' is not one of the options ({', '.join(known)})",
                    )
        return tuple(v for v in values if v is not None)

    def _show_if(self, node: Node, item_id: str | None, place: _Place) -> ShowIf | None:
        fields = self.mapping(node, SHOW_IF)
        if fields is None:
            return None
        target = fields.get("item", self.string)
        operator = next((op for op in ShowIfOperator if op.value in fields), None)
        if operator is None:
            return None
        what = SHOW_IF.prefix + operator.value
        value_node = fields.value_node(operator.value)
        if operator is ShowIfOperator.IN:
            nodes = self.sequence(value_node, what, one="value") or []
            values = [self.string(n, f"{what} value") for n in nodes]
        else:
            nodes = [value_node]
            values = [self.string(value_node, what)]
        strings = [v for v in values if v is not None]
        if target is None or item_id is None or not nodes or len(strings) < len(nodes):
            return None
        show_if = ShowIf(target, operator, strings if operator is ShowIfOperator.IN else strings[0])
        self.conditions.append(_Condition(item_id, place, show_if, fields, tuple(nodes)))
        return show_if

    def _check_condition(self, condition: _Condition) -> None:
        """A show_if must read an earlier item that is answered wherever the item is shown, with
        a value that item can take."""
        target = condition.show_if.item
        at = condition.fields.value_node("item")
        place = self.places.get(target)
        if place is None:
            close = difflib.get_close_matches(target, list(self.places), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.error(at, f"show_if points at unknown item '{target}'{hint}")
        elif target == condition.item_id:
            self.error(at, f"show_if of item '{target}' points at the item itself")
        elif place.order > condition.place.order:
            self.error(
                at, f"show_if points at '{target}', which comes later: it must be an earlier item"
            )
        elif place.repeated and place.section != condition.place.section:
            self.error(
                at,
                f"show_if points at '{target}' in a repeated section, which only items of that "
                "section can read",
            )
        elif (answers := _answers(self.items.get(target))) is not None:
            values = condition.show_if.value
            for value, node in zip(
                values if isinstance(values, list) else [values], condition.value_nodes, strict=True
            ):
                if value not in answers:
                    self.error(
                        node,
                        f"show_if value '{value}' never matches: '{target}' is answered "
                        + ", ".join(answers),
                    )

    def _on_fail(self, node: Node, what: str) -> OnFail | None:
        fields = self.mapping(node, ON_FAIL)
        if fields is None:
            return None
        defaults = OnFail()
        grade = fields.get("grade", self.member_of(Grade), defaults.grade)
        risk = fields.get("risk", self.member_of(Risk), defaults.risk)
        photo = fields.get("photo", self.member_of(PhotoRule), defaults.photo)
        deadline_days = fields.get("deadline_days", self.non_negative_int, defaults.deadline_days)
        suggested_fix = fields.get("suggested_fix", self.text)
        major_rule = fields.get("major_rule", self._major_rule)
        if grade is Grade.MAJOR and "major_rule" not in fields:
            self.error(
                fields.node,
                "a major grade needs on_fail.major_rule: the clause of "
                + " or ".join(self.criteria.titles)
                + " it meets",
            )
        elif grade is Grade.GENERAL and "major_rule" in fields:
            at = fields.key_node("major_rule")
            self.error(at, "on_fail.major_rule only goes with grade: major")
        if grade is None or risk is None or photo is None or deadline_days is None:
            return None
        return OnFail(grade, risk, photo, deadline_days, suggested_fix, major_rule)

    def _major_rule(self, node: Node, what: str) -> MajorRule | None:
        """A clause of a criterion that decides a major hazard, as listed in criteria.yaml."""
        fields = self.mapping(node, MAJOR_RULE)
        if fields is None:
            return None
        criterion = fields.get("criterion", self.string)
        clause = fields.get("clause", self._clause_number)
        if criterion is None or clause is None:
            return None
        if criterion not in self.criteria.titles:
            self.error(
                fields.value_node("criterion"),
                f"major_rule.criterion '{criterion}' does not decide a major hazard: use one of "
                + ", ".join(self.criteria.titles),
            )
            return None
        if (criterion, clause) not in self.criteria.clauses:
            listed = ", ".join(self.criteria.clauses_of(criterion)) or "none"
            self.error(
                fields.value_node("clause"),
                f"major_rule.clause '{clause}' of {criterion} is not in {CRITERIA_FILE} "
                f"(listed: {listed})",
            )
            return None
        return MajorRule(criterion, clause)

    def _clause_number(self, node: Node, what: str) -> str | None:
        # Read as typed: YAML would make 5.2 the number 5.2 and 5.10 the number 5.1.
        if isinstance(node, ScalarNode) and node.value.strip():
            return node.value.strip()
        self.error(node, f'{what} must be a clause number such as "5.7.4"')
        return None


def _answers(item: Item | None) -> list[str] | None:
    """Every answer ``item`` can have, when that is a closed set."""
    if item is None or item.type not in (ItemType.PASS_FAIL, ItemType.CHOICE):
        return None
    if item.type is ItemType.PASS_FAIL:
        answers = [PassFail.PASS.value, PassFail.FAIL.value]
    else:
        answers = [o.value for o in item.options]
    return [*answers, PassFail.NA.value] if item.allow_na else answers
