"""Loading the site YAML (plant, workshops, people, special-equipment register) into
``core.site`` models, with the same ``FILE:LINE:COL: message`` errors as checklists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import Node

from inspect_app.core.roles import Role
from inspect_app.core.site import Area, Equipment, Person, Plant, Site, Workshop
from inspect_app.loaders.yaml_nodes import (
    LoadError,
    NodeReader,
    compose,
    decode_source,
    read_source,
)

SITE_KEYS = ("plant", "workshops", "people", "equipment")
PLANT_KEYS = ("id", "name", "timezone")
WORKSHOP_KEYS = ("id", "name", "head", "areas")
AREA_KEYS = ("id", "name")
PERSON_KEYS = ("id", "name", "roles", "workshops")
EQUIPMENT_KEYS = (
    "asset_id",
    "type",
    "name",
    "workshop",
    "location",
    "registration_no",
    "certificate_expiry",
)
EQUIPMENT_REQUIRED = ("asset_id", "type", "name", "workshop", "location", "certificate_expiry")


@dataclass
class SiteLoadResult:
    site: Site | None
    errors: list[LoadError] = field(default_factory=list)


def load_site(path: Path) -> SiteLoadResult:
    errors: list[LoadError] = []
    text = read_source(Path(path), errors)
    if text is None:
        return SiteLoadResult(None, errors)
    return load_site_text(text, str(path))


def load_site_text(text: str | bytes, filename: str) -> SiteLoadResult:
    errors: list[LoadError] = []
    source = decode_source(text, filename, errors) if isinstance(text, bytes) else text
    root = compose(source, filename, errors) if source is not None else None
    if root is None:
        return SiteLoadResult(None, errors)
    parser = _SiteParser(filename)
    site = parser.parse(root)
    return SiteLoadResult(site if not parser.errors else None, parser.errors)


class _SiteParser(NodeReader):
    def parse(self, root: Node) -> Site | None:
        top = self.mapping(root, "the site file", SITE_KEYS, ("plant", "workshops", "people"))
        if top is None:
            return None
        plant = self._plant(top["plant"]) if "plant" in top else None
        workshops = self._list(top.get("workshops"), "workshops", self._workshop)
        people = self._list(top.get("people"), "people", self._person)
        equipment = self._list(top.get("equipment"), "equipment", self._equipment)
        self._check_references(workshops, people, equipment)
        if plant is None or self.errors:
            return None
        return Site(
            plant,
            tuple(w for w, _ in workshops),
            tuple(p for p, _ in people),
            tuple(e for e, _ in equipment),
        )

    def _list(self, node: Node | None, what: str, parse):  # type: ignore[no-untyped-def]
        """Parsed entries with their nodes, duplicates of the first field reported."""
        if node is None:
            return []
        parsed = []
        seen: set[str] = set()
        for entry in self.sequence(node, what) or []:
            value = parse(entry)
            if value is None:
                continue
            key = getattr(value, "asset_id", None) or value.id
            if key in seen:
                self.error(entry, f"duplicate id '{key}' in {what}")
                continue
            seen.add(key)
            parsed.append((value, entry))
        return parsed

    def _plant(self, node: Node) -> Plant | None:
        values = self.mapping(node, "plant", PLANT_KEYS, ("id", "name"))
        if values is None or "id" not in values or "name" not in values:
            return None
        plant_id = self.string(values["id"], "plant id")
        name = self.text(values["name"], "plant name")
        timezone = self.optional(values, "timezone", self.string, "Asia/Shanghai")
        if plant_id is None or name is None or timezone is None:
            return None
        return Plant(plant_id, name, timezone)

    def _workshop(self, node: Node) -> Workshop | None:
        values = self.mapping(node, "a workshop", WORKSHOP_KEYS, ("id", "name", "head"))
        if values is None or not {"id", "name", "head"} <= set(values):
            return None
        workshop_id = self.string(values["id"], "workshop id")
        name = self.text(values["name"], "workshop name")
        head = self.string(values["head"], "workshop head")
        areas = [a for a, _ in self._list(values.get("areas"), "areas", self._area)]
        if workshop_id is None or name is None or head is None:
            return None
        return Workshop(workshop_id, name, head, tuple(areas))

    def _area(self, node: Node) -> Area | None:
        values = self.mapping(node, "an area", AREA_KEYS, AREA_KEYS)
        if values is None or len(values) < 2:
            return None
        area_id = self.string(values["id"], "area id")
        name = self.text(values["name"], "area name")
        return Area(area_id, name) if area_id and name else None

    def _person(self, node: Node) -> Person | None:
        values = self.mapping(node, "a person", PERSON_KEYS, ("id", "name", "roles"))
        if values is None or not {"id", "name", "roles"} <= set(values):
            return None
        person_id = self.string(values["id"], "person id")
        name = self.text(values["name"], "person name")
        roles = [
            self.choice(n, "role", Role) for n in self.sequence(values["roles"], "roles") or []
        ]
        workshops = (
            [
                self.string(n, "workshop id")
                for n in self.sequence(values["workshops"], "workshops") or []
            ]
            if "workshops" in values
            else []
        )
        if not roles:
            self.error(values["roles"], "a person needs at least one role")
        if person_id is None or name is None or None in roles or None in workshops or not roles:
            return None
        return Person(person_id, name, frozenset(roles), frozenset(workshops))  # type: ignore[arg-type]

    def _equipment(self, node: Node) -> Equipment | None:
        values = self.mapping(node, "an equipment entry", EQUIPMENT_KEYS, EQUIPMENT_REQUIRED)
        if values is None or not set(EQUIPMENT_REQUIRED) <= set(values):
            return None
        asset_id = self.string(values["asset_id"], "asset_id")
        asset_type = self.string(values["type"], "type")
        name = self.text(values["name"], "equipment name")
        workshop = self.string(values["workshop"], "workshop")
        location = self.text(values["location"], "location")
        registration = self.optional(values, "registration_no", self.string)
        expiry = self.scalar(values["certificate_expiry"])
        if not isinstance(expiry, dt.date) or isinstance(expiry, dt.datetime):
            self.error(values["certificate_expiry"], "certificate_expiry must be a date YYYY-MM-DD")
            return None
        if None in (asset_id, asset_type, name, workshop, location):
            return None
        return Equipment(asset_id, asset_type, name, workshop, location, expiry, registration)  # type: ignore[arg-type]

    def _check_references(self, workshops, people, equipment) -> None:  # type: ignore[no-untyped-def]
        workshop_ids = {w.id for w, _ in workshops}
        person_ids = {p.id for p, _ in people}
        for workshop, node in workshops:
            if workshop.head not in person_ids:
                self.error(
                    node,
                    f"workshop '{workshop.id}' has head '{workshop.head}', who is not in people",
                )
        for person, node in people:
            for unknown in sorted(person.workshops - workshop_ids):
                self.error(node, f"person '{person.id}' works in unknown workshop '{unknown}'")
        for asset, node in equipment:
            if asset.workshop not in workshop_ids:
                self.error(
                    node, f"equipment '{asset.asset_id}' is in unknown workshop '{asset.workshop}'"
                )
