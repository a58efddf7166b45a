"""HQ's master data: each plant's site file and every version of every checklist, validated with
the same loaders the devices use, and the people they define (for roles and workshop scope)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from inspect_app.core.checklist import Checklist
from inspect_app.core.site import Person, Site
from inspect_app.loaders.checklist_loader import load_checklist_text
from inspect_app.loaders.site_loader import load_site_text
from inspect_app.server import schema


class MasterDataError(ValueError):
    """Rejected master data; the message lists the FILE:LINE:COL problems."""


@dataclass(frozen=True)
class Directory:
    """Everyone HQ knows, across plants."""

    sites: dict[str, Site]

    def person(self, person_id: str) -> Person | None:
        for site in self.sites.values():
            person = site.person(person_id)
            if person is not None:
                return person
        return None

    def plant_of(self, person_id: str) -> str | None:
        return next((pid for pid, s in self.sites.items() if s.person(person_id)), None)

    def workshop_names(self) -> dict[str, Site]:
        return {w.id: site for site in self.sites.values() for w in site.workshops}


def parse_site(yaml_text: str, name: str = "site.yaml") -> Site:
    result = load_site_text(yaml_text, name)
    if result.site is None:
        raise MasterDataError("\n".join(str(e) for e in result.errors))
    return result.site


def parse_checklist(yaml_text: str, name: str = "checklist.yaml") -> Checklist:
    result = load_checklist_text(yaml_text, name)
    if result.checklist is None:
        raise MasterDataError("\n".join(str(e) for e in result.errors))
    return result.checklist


def load_directory(conn: Connection) -> Directory:
    rows = conn.execute(select(schema.sites.c.plant_id, schema.sites.c.yaml_text)).all()
    return Directory({row.plant_id: parse_site(row.yaml_text, row.plant_id) for row in rows})


def latest_checklists(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(
        select(schema.checklists).order_by(schema.checklists.c.id, schema.checklists.c.version)
    ).all()
    latest: dict[str, object] = {}
    for row in rows:
        latest[row.id] = {
            "id": row.id,
            "version": row.version,
            "yaml": row.yaml_text,
            "content_hash": row.content_hash,
        }
    return list(latest.values())  # type: ignore[arg-type]
