"""The HQ web application: the sync API of docs/sync-protocol.md, the admin API and the HQ pages."""

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspect_app.core.hazard import HazardStatus
from inspect_app.core.workflow import CommandType
from inspect_app.resources import demo_site_path, shipped_checklists_dir
from inspect_app.server.accounts import SESSION_COOKIE, Accounts, set_session_cookie
from inspect_app.server.blob_store import check_key, open_blob_store
from inspect_app.server.database import make_engine, upgrade
from inspect_app.server.hq import HQ, Device, HQError, NotFound, Unauthorized
from inspect_app.server.master_data import MasterDataError

log = logging.getLogger("inspect_app.server")


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


class BodyLimit:
    """Refuse bodies over the limit with 413 before they are read into memory or onto disk."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = (
            self.settings.max_blob_bytes
            if scope["path"].startswith("/v1/blobs/")
            else self.settings.max_json_bytes
        )
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _BodyTooLarge:
            await _too_large(send, limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail": "request body larger than {limit} bytes"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ErrorOut(BaseModel):
    detail: Any


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


class EnrollIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=100)


class EnrollOut(BaseModel):
    device_id: str
    token: str
    person_id: str


class CommandIn(BaseModel):
    id: str = Field(min_length=1, max_length=64)
    seq: int = Field(ge=1)
    hazard_id: str = Field(min_length=1, max_length=64)
    type: CommandType
    actor: str = Field(min_length=1, max_length=64)
    observed_at: str = Field(max_length=40)
    expected_from: HazardStatus | None = None
    base_version: int = 0
    payload: dict[str, Any] = Field(default_factory=dict)
    device_id: str | None = None


class PushIn(BaseModel):
    device_id: str
    commands: list[CommandIn] = Field(default_factory=list, max_length=1000)
    inspections: list[dict[str, Any]] = Field(default_factory=list, max_length=200)


class ItemResult(BaseModel):
    id: str
    status: str
    server_seq: int | None = None
    replayed: bool = False
    message: str | None = None
    missing_blobs: list[str] | None = None


class PushOut(BaseModel):
    commands: list[ItemResult]
    inspections: list[ItemResult]


class PullOut(BaseModel):
    events: list[dict[str, Any]]
    hazards: list[dict[str, Any]]
    checklists: list[dict[str, Any]] | None
    site: dict[str, Any] | None
    next_since: int
    has_more: bool


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class CodeIn(BaseModel):
    person_id: str = Field(min_length=1, max_length=64)


def bootstrap(settings: Settings) -> tuple[HQ, Accounts]:
    """Open (and upgrade) the database and blob store; seed master data on first start."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    hq = HQ(engine, open_blob_store(settings.blobs_url, settings.data_dir))
    hq.ensure_counter()
    if not hq.directory().sites:
        hq.publish_site((settings.site_file or demo_site_path()).read_text("utf-8"))
        for path in sorted(shipped_checklists_dir().glob("*.yaml")):
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
    app.state.hq = hq
    app.state.accounts = accounts
    app.add_middleware(BodyLimit, settings=settings)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "HEAD"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.exception_handler(HQError)
    async def _hq_error(_: Request, exc: HQError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(
            {"detail": str(exc), **exc.extra}, status_code=exc.status, headers=headers
        )

    @app.exception_handler(MasterDataError)
    async def _master_error(_: Request, exc: MasterDataError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    def device(authorization: Annotated[str | None, Header()] = None) -> Device:
        if not authorization or not authorization.startswith("Bearer "):
            raise Unauthorized("a device token is required (Authorization: Bearer ...)")
        return hq.authenticate(authorization.removeprefix("Bearer ").strip())

    def admin(request: Request) -> str:
        return accounts.session_user(request.cookies.get(SESSION_COOKIE))

    def reader(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
        """Photos may be read by a device or a logged-in HQ user."""
        if authorization and authorization.startswith("Bearer "):
            hq.authenticate(authorization.removeprefix("Bearer ").strip())
        else:
            accounts.session_user(request.cookies.get(SESSION_COOKIE), admin=False)

    def sha(sha256: str) -> str:
        try:
            return check_key(sha256)
        except ValueError as exc:
            raise NotFound("a blob is named by the sha256 hex of its bytes") from exc

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/devices/enroll", response_model=EnrollOut, tags=["devices"])
    def enroll(body: EnrollIn) -> dict[str, str]:
        """Trade a one-time enrolment code (made by an HQ admin) for a device id and token."""
        return hq.enroll(body.code, body.label)

    @app.head("/v1/blobs/{sha256}", tags=["blobs"])
    def head_blob(sha256: str, _: Annotated[Device, Depends(device)]) -> Response:
        return Response(status_code=200 if hq.blob_exists(sha(sha256)) else 404)

    @app.get("/v1/blobs/{sha256}", tags=["blobs"], responses={200: {"content": {"image/jpeg": {}}}})
    def get_blob(sha256: str, _: Annotated[None, Depends(reader)]) -> Response:
        data = hq.blobs.get(sha(sha256)) if hq.blob_exists(sha(sha256)) else None
        if data is None:
            raise NotFound("no such blob")
        return Response(
            data,
            media_type="image/jpeg",
            headers={"Cache-Control": "private, max-age=31536000, immutable"},
        )

    @app.put(
        "/v1/blobs/{sha256}",
        status_code=201,
        tags=["blobs"],
        responses={200: {"description": "already stored"}, 413: {}, 422: {}},
    )
    async def put_blob(
        sha256: str, request: Request, _: Annotated[Device, Depends(device)]
    ) -> Response:
        """Upload a photo (JPEG, PNG or WebP) named by the sha256 of its bytes."""
        key = sha(sha256)
        try:
            data = await request.body()
        except ClientDisconnect:
            # The device's link dropped mid-upload (plant Wi-Fi): nothing was stored, it will
            # send the photo again; not an error worth a traceback in HQ's log.
            log.info("upload of blob %s cut off by the client", key)
            return Response(status_code=400)
        created = await run_in_threadpool(hq.put_blob, key, data)
        return Response(status_code=201 if created else 200)

    @app.post(
        "/v1/sync/push",
        response_model=PushOut,
        tags=["sync"],
        responses={403: {}, 409: {}, 422: {}},
    )
    def push(body: PushIn, who: Annotated[Device, Depends(device)]) -> Response:
        """Apply commands in seq order and store inspections; one result per item."""
        data = body.model_dump(mode="json")
        data["commands"] = [
            {k: v for k, v in c.items() if k != "device_id"} for c in data["commands"]
        ]
        # Returned as built: the response model documents the shape without re-validating it.
        return JSONResponse(hq.push(who, data))

    @app.get("/v1/sync/pull", response_model=PullOut, tags=["sync"])
    def pull(
        who: Annotated[Device, Depends(device)],
        since: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    ) -> Response:
        """Events after the cursor, in server_seq order, with the hazards they touch."""
        return Response(hq.pull(who, since, limit), media_type="application/json")

    @app.get("/v1/checklists/{checklist_id}/{version}", tags=["sync"])
    def checklist_version(
        checklist_id: str, version: int, _: Annotated[Device, Depends(device)]
    ) -> dict[str, Any]:
        return hq.checklist_version(checklist_id, version)

    @app.post("/v1/admin/login", tags=["admin"])
    def login(body: LoginIn, request: Request, response: Response) -> dict[str, str]:
        address = request.client.host if request.client else "?"
        token = accounts.login(body.username, body.password, address)
        set_session_cookie(response, token, https=request.url.scheme == "https")
        return {"username": body.username}

    @app.post("/v1/admin/codes", tags=["admin"])
    def make_code(body: CodeIn, who: Annotated[str, Depends(admin)]) -> dict[str, str]:
        code, expires = hq.make_code(body.person_id, who)
        return {"code": code, "expires_at": expires, "person_id": body.person_id}

    @app.get("/v1/admin/devices", tags=["admin"])
    def devices(_: Annotated[str, Depends(admin)]) -> list[dict[str, Any]]:
        return hq.list_devices()

    @app.post("/v1/admin/devices/{device_id}/revoke", tags=["admin"])
    def revoke(device_id: str, _: Annotated[str, Depends(admin)]) -> dict[str, str]:
        hq.revoke_device(device_id)
        return {"revoked": device_id}

    @app.put("/v1/admin/site", tags=["admin"])
    async def put_site(request: Request, _: Annotated[str, Depends(admin)]) -> dict[str, str]:
        """Replace a plant's site file (YAML body): workshops, people and roles, equipment."""
        return {"plant_id": hq.publish_site((await request.body()).decode("utf-8", "replace"))}

    @app.put("/v1/admin/checklists", tags=["admin"])
    async def put_checklist(request: Request, _: Annotated[str, Depends(admin)]) -> dict[str, Any]:
        """Publish a checklist version (YAML body); devices get it on their next pull."""
        checklist_id, version = hq.publish_checklist(
            (await request.body()).decode("utf-8", "replace")
        )
        return {"id": checklist_id, "version": version}

    from inspect_app.server.pages import register_pages

    register_pages(app, hq, accounts)
    return app
