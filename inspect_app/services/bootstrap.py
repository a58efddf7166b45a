"""Opening a device's workspace from its data directory: store, master data, signed-in person."""

from __future__ import annotations

import os
from pathlib import Path

from inspect_app.resources import demo_site_path, shipped_checklists_dir
from inspect_app.services.catalog import Catalog
from inspect_app.services.clock import Clock, system_clock
from inspect_app.services.master_data import SYNCED_CHECKLISTS, SYNCED_SITE, apply_master_data
from inspect_app.services.workspace import Workspace
from inspect_app.store import LocalStore

APP_DIR_NAME = "inspect-app"


def default_data_dir() -> Path:
    """Flet's per-app storage when the app runs under Flet, else the per-user data directory."""
    flet_storage = os.environ.get("FLET_APP_STORAGE_DATA")
    if flet_storage:
        return Path(flet_storage)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP_DIR_NAME


def open_workspace(data_dir: Path, clock: Clock = system_clock) -> Workspace:
    """Open (creating if needed) the store under ``data_dir`` with the master data it knows."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = LocalStore.open(data_dir / "store")
    catalog = Catalog.from_files(demo_site_path(), [shipped_checklists_dir()])
    apply_master_data(catalog, store.get_meta(SYNCED_CHECKLISTS) or {}, store.get_meta(SYNCED_SITE))
    return Workspace(store=store, catalog=catalog, clock=clock)
