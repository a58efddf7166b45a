"""The HQ web application: the sync API of docs/sync-protocol.md, the admin API and the HQ pages."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from inspect_app.loaders.checklist_loader import checklist_files
from inspect_app.resources import demo_site_path, shipped_checklists_dir
from inspect_app.server.accounts import Accounts
from inspect_app.server.api import admin, blobs, devices, sync
from inspect_app.server.api_schemas import ErrorOut
from inspect_app.server.blob_store import open_blob_store
from inspect_app.server.database import make_engine, upgrade
from inspect_app.server.hq import HQ
from inspect_app.server.middleware import BodyLimit, StrictJSONRoute, install_error_handlers


@dataclass
class Settings:
    data_dir: Path
    db_url: str | None = None
    blobs_url: str | None = None
    site_file: Path | None = None
    max_json_bytes: int = 8 * 1024 * 1024
    max_blob_bytes: int = 15 * 1024 * 1024
    cors_origins: list[str] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'hq.sqlite3'}"


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        400: "request not acceptable",
        401: "missing, unknown or revoked credentials",
        403: "not allowed for this device or user",
        404: "not found",
        409: "seq gap: expected_seq says where to resume",
        413: "body too large",
        422: "invalid body, hash mismatch or reused id",
        429: "too many failed logins",
    }.items()
}


def bootstrap(settings: Settings) -> tuple[HQ, Accounts]:
    """Open (and upgrade) the database and blob store; seed master data on first start."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    hq = HQ(engine, open_blob_store(settings.blobs_url, settings.data_dir))
    hq.ensure_counter()
    if not hq.directory().sites:
        hq.publish_site((settings.site_file or demo_site_path()).read_text("utf-8"))
        for path in checklist_files([shipped_checklists_dir()]):
            hq.publish_checklist(path.read_text("utf-8"))
    return hq, Accounts(engine)


def create_app(settings: Settings) -> FastAPI:
    hq, accounts = bootstrap(settings)
    app = FastAPI(
        title="inspect_app HQ",
        version="1",
        description="Central sync endpoint: devices push commands, inspections and photos, and "
        "pull events, hazards and master data. See docs/sync-protocol.md.",
        responses=ERRORS,
    )
    app.router.route_class = StrictJSONRoute
    app.state.hq = hq
    app.state.accounts = accounts
    app.add_middleware(
        BodyLimit, max_json_bytes=settings.max_json_bytes, max_blob_bytes=settings.max_blob_bytes
    )
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "HEAD"],
            allow_headers=["Authorization", "Content-Type"],
        )
    install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    for module in (devices, blobs, sync, admin):
        app.include_router(module.router)

    from inspect_app.server.pages import register_pages

    register_pages(app, hq, accounts)
    return app
