"""Master data HQ sends down (checklist versions, the plant's site file): kept in the store, and
applied to the device's catalog so new inspections use it. Older checklist versions are kept, so
an inspection is always shown against the version it was started with."""

from __future__ import annotations

import logging
from typing import Any

from inspect_app.loaders.checklist_loader import load_checklist_text
from inspect_app.loaders.site_loader import load_site_text
from inspect_app.services.catalog import Catalog
from inspect_app.services.workspace import Workspace

SYNCED_CHECKLISTS = "synced_checklists"  # {"<id>@<version>": yaml}
SYNCED_SITE = "synced_site"  # yaml of the device's plant
log = logging.getLogger("inspect_app.sync")


def merge_master_data(
    ws: Workspace, page: dict[str, Any]
) -> tuple[dict[str, str], str | None] | None:
    """What the store should hold after this pull page, or None when the page has none."""
    if not page.get("checklists") and not page.get("site"):
        return None
    checklists = dict(ws.store.get_meta(SYNCED_CHECKLISTS) or {})
    for entry in page.get("checklists") or []:
        checklists[f"{entry['id']}@{entry['version']}"] = entry["yaml"]
    site = (page.get("site") or {}).get("yaml") or ws.store.get_meta(SYNCED_SITE)
    return checklists, site


def apply_master_data(catalog: Catalog, checklists: dict[str, str], site: str | None) -> None:
    """Add HQ's checklist versions and site to the catalog; a file that does not load is
    logged and skipped, never half-applied."""
    for key, text in checklists.items():
        result = load_checklist_text(text, f"hq:{key}")
        if result.checklist is None:
            log.warning("checklist %s from HQ does not load: %s", key, result.errors[:1])
            continue
        catalog.add(result.checklist)
    if site:
        loaded = load_site_text(site, "hq:site")
        if loaded.site is not None:
            catalog.site = loaded.site
        else:
            log.warning("site file from HQ does not load: %s", loaded.errors[:1])
