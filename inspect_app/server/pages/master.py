"""Master data: each plant's site file (workshops, people and roles, equipment) and checklist
versions, published from a form; the answer says what was published or why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select

from inspect_app.server import audit, schema
from inspect_app.server.errors import HQError
from inspect_app.server.i18n import translator
from inspect_app.server.pages.common import Viewer, lang_of, may_open, pages, read_form

router = APIRouter(include_in_schema=False)
allowed = may_open("master")


def _master_page(
    request: Request, viewer: Viewer, status: int = 200, message: str = "", error: str = ""
) -> Response:
    ctx = pages(request)
    with ctx.hq.engine.connect() as conn:
        sites = conn.execute(select(schema.sites.c.plant_id, schema.sites.c.yaml_text)).all()
        versions = conn.execute(
            select(schema.checklists.c.id, schema.checklists.c.version).order_by(
                schema.checklists.c.id, schema.checklists.c.version
            )
        ).all()
    return ctx.render(
        request,
        "master.html",
        viewer,
        status,
        sites=sites,
        versions=versions,
        message=message,
        error=error,
    )


@router.get("/master")
def master_page(request: Request, viewer: Annotated[Viewer, Depends(allowed)]) -> Response:
    return _master_page(request, viewer)


async def _publish(
    request: Request,
    viewer: Viewer,
    kind: str,
    action: Callable[[str], tuple[str, dict[str, object]]],
) -> Response:
    """Publish with ``action``, which answers the reader's message and the audit's details."""
    text = (await read_form(request, viewer.csrf)).get("yaml", "")
    try:
        message, details = action(text)
    except (HQError, ValueError) as exc:  # MasterDataError is a ValueError
        return _master_page(request, viewer, 422, error=str(exc))
    audit.record(
        pages(request).hq.engine, kind, viewer.username, audit.address_of(request), **details
    )
    return _master_page(request, viewer, message=message)


@router.post("/master/site")
async def publish_site(request: Request, viewer: Annotated[Viewer, Depends(allowed)]) -> Response:
    hq = pages(request).hq
    t = translator(lang_of(request))
    def action(text: str) -> tuple[str, dict[str, object]]:
        plant = hq.publish_site(text)
        return t("master.published_site", plant=plant), {"plant": plant}

    return await _publish(request, viewer, "site_published", action)


@router.post("/master/checklist")
async def publish_checklist(
    request: Request, viewer: Annotated[Viewer, Depends(allowed)]
) -> Response:
    hq = pages(request).hq
    t = translator(lang_of(request))

    def action(text: str) -> tuple[str, dict[str, object]]:
        checklist_id, version = hq.publish_checklist(text)
        message = t("master.published_checklist", id=checklist_id, version=version)
        return message, {"checklist": checklist_id, "version": version}

    return await _publish(request, viewer, "checklist_published", action)
