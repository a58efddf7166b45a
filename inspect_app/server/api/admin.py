"""The admin API: log in, enrolment codes, devices, and publishing site and checklist files."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from inspect_app.server import audit
from inspect_app.server.accounts import set_session_cookie
from inspect_app.server.api.deps import AccountsDep, AdminDep, HQDep
from inspect_app.server.api_schemas import CodeIn, CodeOut, LoginIn
from inspect_app.server.errors import HQError
from inspect_app.server.middleware import StrictJSONRoute

router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=StrictJSONRoute)

#: A site or checklist file is sent as the YAML text itself.
YAML_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"type": "string"}} for media in ("application/yaml", "text/plain")
        },
    }
}


async def _yaml_text(request: Request) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HQError(f"the YAML body is not UTF-8: {exc.reason}") from exc


@router.post("/login")
def login(
    body: LoginIn, request: Request, response: Response, accounts: AccountsDep
) -> dict[str, str]:
    token = accounts.login(body.username, body.password, audit.address_of(request))
    set_session_cookie(response, token, https=request.url.scheme == "https")
    return {"username": body.username}


@router.post("/codes", response_model=CodeOut)
def make_code(body: CodeIn, request: Request, hq: HQDep, who: AdminDep) -> dict[str, str]:
    code, expires = hq.make_code(body.person_id, who)
    audit.record(hq.engine, "enrol_code", who, audit.address_of(request), person=body.person_id)
    return {"code": code, "expires_at": expires, "person_id": body.person_id}


@router.get("/devices")
def devices(hq: HQDep, _: AdminDep) -> list[dict[str, Any]]:
    return hq.list_devices()


@router.post("/devices/{device_id}/revoke")
def revoke(
    device_id: Annotated[str, Path(max_length=64)], request: Request, hq: HQDep, who: AdminDep
) -> dict[str, str]:
    hq.revoke_device(device_id)
    audit.record(hq.engine, "device_revoked", who, audit.address_of(request), device=device_id)
    return {"revoked": device_id}


@router.put("/site", openapi_extra=YAML_BODY)
async def put_site(request: Request, hq: HQDep, who: AdminDep) -> dict[str, str]:
    """Replace a plant's site file (YAML body): workshops, people and roles, equipment."""
    plant_id = await run_in_threadpool(hq.publish_site, await _yaml_text(request))
    await run_in_threadpool(
        lambda: audit.record(
            hq.engine, "site_published", who, audit.address_of(request), plant=plant_id
        )
    )
    return {"plant_id": plant_id}


@router.put("/checklists", openapi_extra=YAML_BODY)
async def put_checklist(request: Request, hq: HQDep, who: AdminDep) -> dict[str, Any]:
    """Publish a checklist version (YAML body); devices get it on their next pull."""
    text = await _yaml_text(request)
    checklist_id, version = await run_in_threadpool(hq.publish_checklist, text)
    await run_in_threadpool(
        lambda: audit.record(
            hq.engine,
            "checklist_published",
            who,
            audit.address_of(request),
            checklist=checklist_id,
            version=version,
        )
    )
    return {"id": checklist_id, "version": version}
