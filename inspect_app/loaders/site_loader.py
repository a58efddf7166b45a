"""Loading the site YAML (plant, workshops and areas, people, special-equipment register) into
``core.site`` models, with the same ``FILE:LINE:COL: message`` errors as checklists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from inspect_app.core.roles import PLANT_WIDE, Role
from inspect_app.core.site import Area, Equipment, Limits, Person, Plant, Site, Workshop
from inspect_app.loaders.checklist_format import LIMIT_NAME
from inspect_app.loaders.yaml_nodes import (
    Fields,
    Keys,
    LoadError,
    NodeReader,
    as_bytes,
    parse_yaml,
    read_file,
)

T = TypeVar("T")
KIND = "a site file"

SITE = Keys(
    "site file", ("plant", "workshops", "people", "equipment"), ("plant", "workshops", "people")
)
PLANT = Keys("plant", ("id", "name", "timezone"), ("id", "name"), prefix="plant ")
WORKSHOP = Keys(
    "workshop", ("id", "name", "head", "areas"), ("id", "name", "head"), prefix="workshop "
)
AREA = Keys("area", ("id", "name", "limits"), ("id", "name"), prefix="area ")
PERSON = Keys(
    "person", ("id", "name", "roles", "workshops"), ("id", "name", "roles"), prefix="person "
)
EQUIPMENT = Keys(
    "equipment",
    (
        "asset_id",
        "type",
        "name",
        "workshop",
        "location",
        "registration_no",
        "certificate_expiry",
        "limits",
    ),
    ("asset_id", "type", "name", "workshop", "location", "certificate_expiry"),
)


@dataclass
class SiteLoadResult:
    site: Site | None
    errors: list[LoadError] = field(default_factory=list)


def load_site(path: Path | str) -> SiteLoadResult:
    errors: list[LoadError] = []
    data = read_file(Path(path), KIND, errors)
    return SiteLoadResult(None, errors) if data is None else load_site_text(data, str(path))


def load_site_text(text: bytes | str, filename: str) -> SiteLoadResult:
    """The site in ``text`` (the file's bytes, or its text), named ``filename`` in errors."""
    errors: list[LoadError] = []
    root = parse_yaml(as_bytes(text), filename, KIND, errors)
    if root is None:
        return SiteLoadResult(None, errors)
    parser = _SiteParser(filename)
    site = parser.parse(root)
    return SiteLoadResult(site, sorted(parser.errors, key=lambda e: (e.line, e.col)))


class _SiteParser(NodeReader):
    def parse(self, root: Node) -> Site | None:
        fields = self.mapping(root, SITE)
        if fields is None:
            return None
        plant = fields.get("plant", self._plant)
        workshops, workshop_ids = self._list(fields, "workshops", WORKSHOP, self._workshop)
        people, person_ids = self._list(fields, "people", PERSON, self._person)
        equipment, _ = self._list(fields, "equipment", EQUIPMENT, self._equipment, "asset_id")
        self._check_references(workshops, people, equipment, workshop_ids, person_ids)
        if plant is None or self.errors:
            return None
        everywhere = frozenset(w.id for w, _ in workshops)
        return Site(
            plant,
            tuple(w for w, _ in workshops),
            tuple(
                replace(p, workshops=everywhere) if p.roles & PLANT_WIDE else p for p, _ in people
            ),
            tuple(e for e, _ in equipment),
        )

    def _list(
        self,
        parent: Fields,
        key: str,
        keys: Keys,
        build: Callable[[Fields], T | None],
        id_key: str = "id",
    ) -> tuple[list[tuple[T, Fields]], set[str]]:
        """The valid entries under ``parent[key]``, each with its fields, and the ids of all
        entries (invalid ones too, so nothing that refers to them is reported as dangling)."""
        entries: list[tuple[T, Fields]] = []
        ids: set[str] = set()
        if key not in parent:
            return entries, ids
        for node in self.sequence(parent.value_node(key), parent.keys.prefix + key) or []:
            fields = self.mapping(node, keys)
            if fields is None:
                continue
            id_node = fields.value_node(id_key) if id_key in fields else None
            entry_id = id_node.value if isinstance(id_node, ScalarNode) else None
            if entry_id in ids:
                self.error(node, f"duplicate {keys.what} {id_key} '{entry_id}'")
                continue
            if entry_id is not None:
                ids.add(entry_id)
            value = build(fields)
            if value is not None:
                entries.append((value, fields))
        return entries, ids

    def _plant(self, node: Node, what: str) -> Plant | None:
        fields = self.mapping(node, PLANT)
        if fields is None:
            return None
        plant_id = fields.get("id", self.string)
        name = fields.get("name", self.text)
        timezone = fields.get("timezone", self.string, Plant.timezone)
        if plant_id is None or name is None or timezone is None:
            return None
        return Plant(plant_id, name, timezone)

    def _workshop(self, fields: Fields) -> Workshop | None:
        workshop_id = fields.get("id", self.string)
        name = fields.get("name", self.text)
        head = fields.get("head", self.string)
        areas, _ = self._list(fields, "areas", AREA, self._area)
        if workshop_id is None or name is None or head is None:
            return None
        return Workshop(workshop_id, name, head, tuple(a for a, _ in areas))

    def _area(self, fields: Fields) -> Area | None:
        area_id, name = fields.get("id", self.string), fields.get("name", self.text)
        limits = fields.get("limits", self._limits, ())
        if area_id is None or name is None or limits is None:
            return None
        return Area(area_id, name, limits)

    def _limits(self, node: Node, what: str) -> Limits | None:
        """A mapping of limit names (``max_pressure``) to numbers."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of limit names to numbers")
            return None
        limits: dict[str, float] = {}
        valid = True
        for key_node, value_node in node.value:
            name = self.string(key_node, f"{what} name")
            if name is not None and not LIMIT_NAME.match(name):
                self.error(key_node, f"{what} name '{name}' must be a-z, 0-9 and '_'")
                name = None
            elif name in limits:
                self.error(key_node, f"duplicate limit '{name}'")
                name = None
            value = self.number(value_node, f"{what}.{name}")
            if name is None or value is None:
                valid = False
            else:
                limits[name] = value
        return tuple(limits.items()) if valid else None

    def _person(self, fields: Fields) -> Person | None:
        person_id = fields.get("id", self.string)
        name = fields.get("name", self.text)
        role = self.member_of(Role)
        roles = fields.get("roles", lambda n, what: self._all(n, what, role, "role"))
        workshops = fields.get("workshops", lambda n, what: self._all(n, what, self.string), [])
        if person_id is None or name is None or roles is None or workshops is None:
            return None
        return Person(person_id, name, frozenset(roles), frozenset(workshops))

    def _all(
        self, node: Node, what: str, read: Callable[[Node, str], T | None], one: str | None = None
    ) -> list[T] | None:
        """Every entry of a list read by ``read``, or None if any is not acceptable."""
        nodes = self.sequence(node, what, one)
        values = [read(n, f"{what} entry") for n in nodes or []]
        entries = [v for v in values if v is not None]
        return entries if nodes is not None and len(entries) == len(nodes) else None

    def _equipment(self, fields: Fields) -> Equipment | None:
        asset_id = fields.get("asset_id", self.string)
        asset_type = fields.get("type", self.string)
        name = fields.get("name", self.text)
        workshop = fields.get("workshop", self.string)
        location = fields.get("location", self.text)
        registration_no = fields.get("registration_no", self.string)
        expiry = fields.get("certificate_expiry", self.day)
        limits = fields.get("limits", self._limits, ())
        if None in (asset_id, asset_type, name, workshop, location, expiry, limits):
            return None
        return Equipment(
            asset_id=asset_id,
            type=asset_type,
            name=name,
            workshop=workshop,
            location=location,
            registration_no=registration_no,
            certificate_expiry=expiry,
            limits=limits,
        )

    def _check_references(
        self,
        workshops: Sequence[tuple[Workshop, Fields]],
        people: Sequence[tuple[Person, Fields]],
        equipment: Sequence[tuple[Equipment, Fields]],
        workshop_ids: set[str],
        person_ids: set[str],
    ) -> None:
        for workshop, fields in workshops:
            if workshop.head not in person_ids:
                self.error(
                    fields.value_node("head"),
                    f"workshop '{workshop.id}' has head '{workshop.head}', who is not in people",
                )
        for person, fields in people:
            for node in fields.value_node("workshops").value if "workshops" in fields else []:
                if node.value not in workshop_ids:
                    self.error(
                        node, f"person '{person.id}' works in unknown workshop '{node.value}'"
                    )
        for asset, fields in equipment:
            if asset.workshop not in workshop_ids:
                self.error(
                    fields.value_node("workshop"),
                    f"equipment '{asset.asset_id}' is in unknown workshop '{asset.workshop}'",
                )
