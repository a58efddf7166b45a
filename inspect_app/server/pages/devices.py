"""Enrolled devices (revoke one) and enrolment codes with their QR code. A new code is shown in
the answer to the form that made it, never put in a URL (URLs end up in logs and history)."""

from __future__ import annotations

import io
from typing import Annotated

import qrcode
import qrcode.exceptions
import qrcode.image.svg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from inspect_app.core.enrolment import enrolment_link
from inspect_app.server import audit, schema
from inspect_app.server.devices import WEB_PREFIX
from inspect_app.server.errors import HQError, NotFound
from inspect_app.server.hazard_reads import fits
from inspect_app.server.pages.common import (
    PageRefused,
    Viewer,
    lang_of,
    may_open,
    pages,
    read_form,
)

router = APIRouter(include_in_schema=False)
allowed = may_open("devices")


def qr_svg(text: str) -> Markup | None:
    """The QR code of ``text`` as inline SVG (path data only, made by the qrcode library from
    bits, so it carries no text of the input); None when the text is too long for a QR code."""
    try:
        image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    except (qrcode.exceptions.DataOverflowError, ValueError):  # ValueError: "version 41"
        return None
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return Markup(svg[svg.index("<svg") :])


def _devices_page(
    request: Request, viewer: Viewer, status: int = 200, **values: object
) -> Response:
    ctx = pages(request)
    listed = ctx.hq.list_devices()
    return ctx.render(
        request,
        "devices.html",
        viewer,
        status,
        labels=ctx.labels(lang_of(request)),
        devices=[d for d in listed if not d["web"]],
        web_devices=[
            {**d, "username": d["id"].removeprefix(WEB_PREFIX)} for d in listed if d["web"]
        ],
        people=[p for s in ctx.hq.directory().sites.values() for p in s.people],
        **{"code": None, "person": "", "qr": None, "error": "", **values},
    )


@router.get("/devices")
def devices_page(request: Request, viewer: Annotated[Viewer, Depends(allowed)]) -> Response:
    return _devices_page(request, viewer)


@router.post("/devices/codes")
async def make_code(request: Request, viewer: Annotated[Viewer, Depends(allowed)]) -> Response:
    person = (await read_form(request, viewer.csrf)).get("person_id", "")
    hq = pages(request).hq
    try:
        code, _ = hq.make_code(person, viewer.username)
    except HQError as exc:
        return _devices_page(request, viewer, exc.status, error=str(exc))
    audit.record(hq.engine, "enrol_code", viewer.username, audit.address_of(request), person=person)
    return _devices_page(
        request,
        viewer,
        code=code,
        person=person,
        qr=qr_svg(enrolment_link(str(request.base_url), code)),
    )


@router.post("/devices/{device_id}/revoke")
async def revoke(
    request: Request, device_id: str, viewer: Annotated[Viewer, Depends(allowed)]
) -> Response:
    await read_form(request, viewer.csrf)
    try:
        if not fits(schema.devices.c.id, device_id):
            raise NotFound(f"no device {device_id[:64]}")
        pages(request).hq.revoke_device(device_id)
    except NotFound as exc:
        raise PageRefused(404, str(exc)) from exc
    audit.record(
        pages(request).hq.engine,
        "device_revoked",
        viewer.username,
        audit.address_of(request),
        device=device_id,
    )
    return RedirectResponse("/devices", status_code=303)
