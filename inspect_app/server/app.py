"""The HQ web application: the sync API of docs/sync-protocol.md, the admin API and the HQ pages."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, select

from inspect_app.loaders.checklist_loader import checklist_files
from inspect_app.resources import demo_site_path, shipped_checklists_dir
from inspect_app.server import observability, schema
from inspect_app.server.accounts import Accounts
from inspect_app.server.api import admin, blobs, devices, sync
from inspect_app.server.api_schemas import ErrorOut
from inspect_app.server.blob_store import BlobStore, open_blob_store
from inspect_app.server.common import SEQ, ensure_counter, now_iso
from inspect_app.server.database import (
    check_reachable,
    current_revision,
    describe,
    head_revision,
    make_engine,
    migration_lock,
    sqlite_path,
    upgrade,
)
from inspect_app.server.errors import HQError
from inspect_app.server.hq import HQ
from inspect_app.server.master_data import MasterData
from inspect_app.server.middleware import BodyLimit, StrictJSONRoute, install_error_handlers

#: Every setting's environment variable; a command-line option given wins over it.
ENVIRONMENT = {
    "data_dir": "INSPECT_DATA",
    "db_url": "INSPECT_DB_URL",
    "blobs_url": "INSPECT_BLOBS_URL",
    "site_file": "INSPECT_SITE",
    "demo": "INSPECT_DEMO",
    "cors_origins": "INSPECT_CORS_ORIGINS",
    "trusted_proxies": "INSPECT_TRUSTED_PROXIES",
    "log_format": "INSPECT_LOG_FORMAT",
    "metrics_token": "INSPECT_METRICS_TOKEN",
    "host": "INSPECT_HOST",
    "port": "INSPECT_PORT",
    "workers": "INSPECT_WORKERS",
}
DEFAULT_DATA = Path("hq-data")


@dataclass
class Settings:
    data_dir: Path | None = None
    db_url: str | None = None
    blobs_url: str | None = None
    site_file: Path | None = None
    #: Seed a new database with the demo plant (never unless asked).
    demo: bool = False
    cors_origins: list[str] = field(default_factory=list)
    #: Addresses of reverse proxies whose X-Forwarded-For HQ believes.
    trusted_proxies: list[str] = field(default_factory=list)
    log_format: str = "text"
    #: A bearer token /metrics asks for; without one only loopback clients may scrape.
    metrics_token: str = ""
    host: str = "127.0.0.1"
    port: int = 8700
    workers: int = 1
    max_json_bytes: int = 8 * 1024 * 1024
    max_blob_bytes: int = 15 * 1024 * 1024

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, **given: Any
    ) -> Settings:
        """Settings from ``INSPECT_*`` variables, overridden by the ``given`` values that are
        not None (the command line's). ValueError names a variable that does not parse."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, variable in ENVIRONMENT.items():
            raw = environ.get(variable, "").strip()
            if raw:
                values[name] = _parse(name, variable, raw)
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)

    def environment(self) -> dict[str, str]:
        """These settings as the variables ``from_environment`` reads (for worker processes)."""
        out: dict[str, str] = {}
        for name, variable in ENVIRONMENT.items():
            value = getattr(self, name)
            if isinstance(value, list):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "1" if value else ""
            if value is not None and value != "":
                out[variable] = str(value)
        return out

    @property
    def data(self) -> Path:
        return self.data_dir or DEFAULT_DATA

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data / 'hq.sqlite3'}"

    @property
    def blob_location(self) -> str:
        """Where photos go; with a database URL but no data folder, it must be said."""
        if self.blobs_url:
            return self.blobs_url
        if self.db_url and self.data_dir is None:
            raise HQError(
                "say where photos go: --blobs (INSPECT_BLOBS_URL) or --data (INSPECT_DATA)"
            )
        return str(self.data / "blobs")


def _parse(name: str, variable: str, raw: str) -> Any:
    if name in ("data_dir", "site_file"):
        return Path(raw)
    if name in ("cors_origins", "trusted_proxies"):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if name == "demo":
        return raw.lower() in ("1", "true", "yes", "on")
    if name in ("port", "workers"):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{variable}={raw} is not a number") from None
    return raw


#: S3 error codes that mean the access key or its secret is wrong.
S3_KEY_REFUSED = frozenset(
    {"SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "403", "InvalidSecurity"}
)

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


def prepare(settings: Settings) -> Engine:
    """Connect, migrate and on first start seed master data, all under the migration lock so
    HQ processes starting together take turns; ``inspect-app migrate`` is this alone."""
    settings.blob_location  # noqa: B018 - refuses an unsaid photo store before creating anything
    engine = make_engine(settings.database_url)
    path = sqlite_path(engine)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    check_reachable(engine)
    with migration_lock(engine):
        upgrade(engine)
        master = MasterData(engine, now_iso)
        with engine.begin() as conn:
            ensure_counter(conn, SEQ)
        # The demo is a group of two plants (demo-site.yaml and demo-site-2.yaml beside it).
        demo = sorted(demo_site_path().parent.glob("demo-site*.yaml")) if settings.demo else []
        sites = [settings.site_file] if settings.site_file else demo
        if sites and not master.directory().sites:
            for site in sites:
                master.publish_site(site.read_text("utf-8"))
        if not _has_checklists(engine):
            for path in checklist_files([shipped_checklists_dir()]):
                master.publish_checklist(path.read_text("utf-8"))
    return engine


def _has_checklists(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(schema.checklists.c.id).limit(1)).first() is not None


def connect(settings: Settings) -> Engine:
    """The existing, up-to-date database, for commands that must not create or migrate one."""
    engine = make_engine(settings.database_url)
    path = sqlite_path(engine)
    if path is not None and not path.exists():
        raise HQError(f"no HQ database at {path}: run 'inspect-app migrate' or 'serve' first")
    check_reachable(engine)
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise HQError(
            f"the database {describe(engine)} is at schema {current or 'none'}, this HQ needs "
            f"{head}: run 'inspect-app migrate'"
        )
    return engine


def open_hq(settings: Settings, engine: Engine) -> tuple[HQ, Accounts]:
    return HQ(engine, open_blobs(settings)), Accounts(engine)


def open_blobs(settings: Settings) -> BlobStore:
    """The blob store, or HQError in one line saying what is wrong with it."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    location = settings.blob_location
    try:
        return open_blob_store(location, settings.data)
    except NoCredentialsError as exc:
        raise HQError(
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        ) from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in S3_KEY_REFUSED:
            raise HQError(
                f"S3 refused the access key for {location} ({code}): check "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            ) from exc
        raise HQError(f"cannot use the S3 bucket {location}: {code or exc}") from exc
    except BotoCoreError as exc:
        raise HQError(f"cannot reach S3 for {location}: {exc}") from exc
    except OSError as exc:
        raise HQError(f"cannot use the photo folder {location}: {exc}") from exc


def bootstrap(settings: Settings) -> tuple[HQ, Accounts]:
    """Open (migrating and seeding first) the database, and the blob store."""
    return open_hq(settings, prepare(settings))


def app_from_environment() -> FastAPI:
    """The app factory for uvicorn or gunicorn workers: settings from ``INSPECT_*``."""
    return create_app(Settings.from_environment())


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
    for module in (devices, blobs, sync, admin):
        app.include_router(module.router)

    from inspect_app.server.pages import register_pages

    register_pages(app, hq, accounts)

    # Watching HQ (server/observability.py): request ids and logs, /healthz and /readyz, 503s
    # while a dependency is down, /metrics, client addresses through trusted proxies.
    observability.install(
        app,
        log_format=settings.log_format,
        trusted_proxies=settings.trusted_proxies,
        metrics_token=settings.metrics_token,
    )
    return app
