"""The device's master data: checklists (every version it knows) and the site, from shipped files
or, once synced, from what HQ sent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inspect_app.core.checklist import Checklist
from inspect_app.core.site import Person, Site
from inspect_app.services.errors import ErrorCode, ServiceError


class CatalogError(ServiceError):
    """Master data that cannot be used; ``detail`` names the file and the problem."""


@dataclass
class Catalog:
    site: Site
    _versions: dict[tuple[str, int], Checklist] = field(default_factory=dict)

    @classmethod
    def build(cls, site: Site, checklists: Iterable[Checklist]) -> Catalog:
        catalog = cls(site)
        for checklist in checklists:
            catalog.add(checklist)
        return catalog

    @classmethod
    def from_files(cls, site_path: Path, checklist_paths: list[Path]) -> Catalog:
        from inspect_app.loaders.checklist_loader import load_checklists
        from inspect_app.loaders.site_loader import load_site

        site_result = load_site(site_path)
        if site_result.site is None:
            raise CatalogError(
                ErrorCode.MASTER_DATA_INVALID,
                detail="\n".join(str(e) for e in site_result.errors),
            )
        checklists, _errors = load_checklists(checklist_paths)
        return cls.build(site_result.site, checklists)

    def add(self, checklist: Checklist) -> None:
        self._versions[(checklist.id, checklist.version)] = checklist

    def get(self, checklist_id: str, version: int) -> Checklist:
        return self._versions[(checklist_id, version)]

    def latest(self, checklist_id: str) -> Checklist:
        versions = [c for (cid, _), c in self._versions.items() if cid == checklist_id]
        if not versions:
            raise KeyError(checklist_id)
        return max(versions, key=lambda c: c.version)

    def latest_checklists(self) -> list[Checklist]:
        """The newest version of each checklist, by category then id."""
        ids = sorted({cid for cid, _ in self._versions})
        return sorted((self.latest(cid) for cid in ids), key=lambda c: (c.category.value, c.id))

    def person(self, person_id: str) -> Person | None:
        return self.site.person(person_id)
