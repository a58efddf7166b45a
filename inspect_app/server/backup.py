"""Backups of HQ: the database (SQLite's backup API, or pg_dump's custom format) and every blob
(a folder's files, or a bucket's objects) in one folder with a manifest; and restoring one, which
starts a new epoch so devices send again what HQ lost (docs/operations.md)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from inspect_app.server import audit
from inspect_app.server.app import Settings, connect, open_blobs, prepare
from inspect_app.server.blob_store import BlobStore, FileBlobStore, S3BlobStore, is_key
from inspect_app.server.common import now_iso
from inspect_app.server.database import (
    current_revision,
    make_engine,
    migration_lock,
    sqlite_path,
    upgrade,
)
from inspect_app.server.epoch import current_epoch, new_epoch
from inspect_app.server.errors import HQError

MANIFEST = "manifest.json"
SQLITE_FILE = "hq.sqlite3"
PG_DUMP = "hq.pgdump"
BLOBS = "blobs"


def backup(settings: Settings, dest: Path) -> dict[str, object]:
    """Write a backup of the running or stopped HQ into the new folder ``dest``."""
    if dest.exists() and any(dest.iterdir()):
        raise HQError(f"{dest} is not empty: back up into a new folder")
    engine = connect(settings)
    dest.mkdir(parents=True, exist_ok=True)
    path = sqlite_path(engine)
    if path is not None:
        with sqlite3.connect(path) as source, sqlite3.connect(dest / SQLITE_FILE) as target:
            source.backup(target)
        source.close()
        target.close()
    else:
        _pg("pg_dump", engine, "--format=custom", f"--file={dest / PG_DUMP}")
    with engine.connect() as conn:
        epoch = current_epoch(conn)
    count = 0
    for sha, data in _blobs_of(open_blobs(settings)):
        target_file = dest / BLOBS / sha[:2] / sha
        target_file.parent.mkdir(parents=True, exist_ok=True)
        target_file.write_bytes(data)
        count += 1
    manifest = {
        "format": 1,
        "database": "sqlite" if path is not None else "postgresql",
        "schema": current_revision(engine),
        "epoch": epoch,
        "blobs": count,
        "created_at": now_iso(),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    engine.dispose()
    return manifest


def restore(settings: Settings, source: Path, actor: str = "cli") -> str:
    """Replace HQ's database with the backup's, put its blobs back (keeping any newer ones),
    migrate, and start a new epoch, which it returns; the restored database's audit log says
    who (``actor``) restored which backup. HQ must be stopped."""
    try:
        manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise HQError(f"{source} is not an inspect-app backup: {exc}") from exc
    engine = make_engine(settings.database_url)
    path = sqlite_path(engine)
    kind = "sqlite" if path is not None else "postgresql"
    if manifest.get("database") != kind:
        raise HQError(f"the backup holds a {manifest.get('database')} database, HQ uses {kind}")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with migration_lock(engine):
            engine.dispose()
            for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            with sqlite3.connect(source / SQLITE_FILE) as backup_db, sqlite3.connect(path) as db:
                backup_db.backup(db)
            backup_db.close()
            db.close()
    else:
        prepare(settings).dispose()  # the database exists and holds HQ's tables to replace
        with migration_lock(engine):
            _pg(
                "pg_restore",
                engine,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                str(source / PG_DUMP),
            )
    with migration_lock(engine):
        upgrade(engine)
    store = open_blobs(settings)
    for file in sorted((source / BLOBS).glob("*/*")):
        if is_key(file.name):
            store.put(file.name, file.read_bytes())
    epoch = new_epoch(engine, "restored")
    audit.record(engine, "restore", actor, "local", how="restore", source=str(source), epoch=epoch)
    engine.dispose()
    return epoch


def _blobs_of(store: BlobStore) -> Iterator[tuple[str, bytes]]:
    if isinstance(store, FileBlobStore):
        for file in sorted(store.root.glob("*/*")):
            if is_key(file.name):
                yield file.name, file.read_bytes()
        return
    assert isinstance(store, S3BlobStore)
    pages = store.client.get_paginator("list_objects_v2").paginate(
        Bucket=store.bucket, Prefix=f"{store.prefix}/" if store.prefix else ""
    )
    for page in pages:
        for item in page.get("Contents", []):
            sha = item["Key"].rsplit("/", 1)[-1]
            data = store.get(sha) if is_key(sha) else None
            if data is not None:
                yield sha, data


def pg_tool(name: str) -> str:
    """A PostgreSQL client program: from ``pg_config --bindir``, else the PATH."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidate = Path(done.stdout.strip()) / name
        if done.returncode == 0 and candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise HQError(f"{name} is not installed (PostgreSQL client programs are needed)")
    return found


def _pg(program: str, engine: Engine, *args: str) -> None:
    """Run pg_dump or pg_restore on HQ's database; the password goes by PGPASSWORD, not argv."""
    url = make_url(engine.url).set(drivername="postgresql")
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    dbname = url.set(password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [pg_tool(program), f"--dbname={dbname}", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
    )
    if done.returncode:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise HQError(f"{program} failed: {reason[0] if reason else done.returncode}")
