"""HQ's master data: each plant's site file and every version of every checklist, validated with
the same loaders the devices use, and the people they define (for roles and workshop scope).

Every publication bumps the ``master_version`` counter in its own transaction; each HQ process
reads that counter along with the request's first row and reloads its directory when it moved,
so a site published through any process or the CLI takes effect on the next request everywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from inspect_app.core.checklist import Checklist
from inspect_app.core.site import Person, Site
from inspect_app.loaders.checklist_loader import load_checklist_text
from inspect_app.loaders.site_loader import load_site_text
from inspect_app.server import schema
from inspect_app.server.common import MASTER_VERSION, counter_value, lock_counter, save_counter
from inspect_app.server.errors import HQError, NotFound


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


class MasterData:
    """Publication of sites and checklists, and the directory as of the database's version."""

    def __init__(self, engine: Engine, clock: Callable[[], str]) -> None:
        self.engine = engine
        self.clock = clock
        self._cached: tuple[int, Directory] | None = None
        self._lock = threading.Lock()

    def directory(self) -> Directory:
        with self.engine.connect() as conn:
            version = conn.execute(select(counter_value(MASTER_VERSION))).scalar_one()
            return self.directory_at(conn, version)

    def directory_at(self, conn: Connection, version: int) -> Directory:
        """The directory for master-data ``version`` (read by the caller with its own row)."""
        with self._lock:
            if self._cached is not None and self._cached[0] == version:
                return self._cached[1]
        directory = load_directory(conn)
        with self._lock:
            self._cached = (version, directory)
        return directory

    def _published(self, conn: Connection, kind: str, data: dict[str, Any]) -> None:
        """The event devices pull, and the version bump every HQ process sees."""
        seq = lock_counter(conn) + 1
        conn.execute(
            insert(schema.events).values(
                server_seq=seq,
                kind=kind,
                hazard_id=None,
                workshop_id=None,
                data={**data, "kind": kind, "server_seq": seq},
                recorded_at=self.clock(),
            )
        )
        save_counter(conn, seq)
        save_counter(conn, lock_counter(conn, MASTER_VERSION) + 1, MASTER_VERSION)

    def publish_site(self, yaml_text: str) -> str:
        """Store a plant's site file (validated); devices receive it on their next pull."""
        site = parse_site(yaml_text)
        table = schema.sites
        with self.engine.begin() as conn:
            lock_counter(conn)
            if conn.execute(
                select(table.c.plant_id).where(table.c.plant_id == site.plant.id)
            ).first():
                conn.execute(
                    update(table)
                    .where(table.c.plant_id == site.plant.id)
                    .values(yaml_text=yaml_text, updated_at=self.clock())
                )
            else:
                conn.execute(
                    insert(table).values(
                        plant_id=site.plant.id, yaml_text=yaml_text, updated_at=self.clock()
                    )
                )
            self._published(conn, "site", {"plant_id": site.plant.id})
        return site.plant.id

    def publish_checklist(self, yaml_text: str) -> tuple[str, int]:
        """Publish a checklist version; a changed file must carry a higher version."""
        checklist = parse_checklist(yaml_text)
        table = schema.checklists
        with self.engine.begin() as conn:
            lock_counter(conn)
            rows = conn.execute(
                select(table.c.version, table.c.content_hash).where(table.c.id == checklist.id)
            ).all()
            same = [r for r in rows if r.version == checklist.version]
            if same and same[0].content_hash == checklist.content_hash:
                return checklist.id, checklist.version
            newest = max((r.version for r in rows), default=0)
            if checklist.version <= newest:
                raise HQError(
                    f"checklist {checklist.id} version {checklist.version} is already "
                    f"published; bump the version above {newest} to change it"
                )
            conn.execute(
                insert(table).values(
                    id=checklist.id,
                    version=checklist.version,
                    yaml_text=yaml_text,
                    content_hash=checklist.content_hash,
                    published_at=self.clock(),
                )
            )
            self._published(conn, "checklist", {"id": checklist.id, "version": checklist.version})
        return checklist.id, checklist.version

    def checklist_version(self, checklist_id: str, version: int) -> dict[str, Any]:
        table = schema.checklists
        with self.engine.connect() as conn:
            row = conn.execute(
                select(table).where(table.c.id == checklist_id, table.c.version == version)
            ).first()
        if row is None:
            raise NotFound(f"no checklist {checklist_id} version {version}")
        return {
            "id": row.id,
            "version": row.version,
            "yaml": row.yaml_text,
            "content_hash": row.content_hash,
        }
