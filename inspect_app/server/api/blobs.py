"""Photos by sha256: devices check and upload; devices and HQ users read photos and their
thumbnails within their scope."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from inspect_app.server.api.deps import DeviceDep, HQDep, ReaderDep
from inspect_app.server.blob_store import check_key
from inspect_app.server.errors import NotFound
from inspect_app.server.middleware import StrictJSONRoute

log = logging.getLogger("inspect_app.server")
router = APIRouter(tags=["blobs"], route_class=StrictJSONRoute)
Sha = Annotated[str, Path(max_length=64)]


def _key(sha256: str) -> str:
    try:
        return check_key(sha256)
    except ValueError as exc:
        raise NotFound("a blob is named by the sha256 hex of its bytes") from exc


@router.head("/v1/blobs/{sha256}", responses={200: {"content": {"image/jpeg": {}}}})
def head_blob(sha256: Sha, hq: HQDep, _: DeviceDep) -> Response:
    """Whether HQ holds the photo, so a device uploads it only once. Any device may ask: the
    answer tells that a hash is known, never what the photo shows."""
    if hq.blob_exists(_key(sha256)):
        return Response(status_code=200, media_type="image/jpeg")
    return Response(status_code=404, media_type="application/json")


@router.get("/v1/blobs/{sha256}", responses={200: {"content": {"image/jpeg": {}}}})
def get_blob(sha256: Sha, hq: HQDep, scope: ReaderDep) -> Response:
    """The photo, if a hazard or inspection the reader may see shows it; else 404."""
    return Response(
        hq.read_blob(_key(sha256), scope),
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )


@router.head("/v1/blobs/{sha256}/thumb", responses={200: {"content": {"image/jpeg": {}}}})
def head_thumb(sha256: Sha, hq: HQDep, scope: ReaderDep) -> Response:
    """200 when GET would give the thumbnail, else 404."""
    key = _key(sha256)
    if hq.photos.readable(key, scope) and hq.blob_exists(key):
        return Response(status_code=200, media_type="image/jpeg")
    return Response(status_code=404, media_type="application/json")


@router.get("/v1/blobs/{sha256}/thumb", responses={200: {"content": {"image/jpeg": {}}}})
def get_thumb(sha256: Sha, hq: HQDep, scope: ReaderDep) -> Response:
    """The photo's thumbnail (JPEG, 320 px on the long edge, as the device makes its own), if a
    hazard or inspection the reader may see shows the photo; else 404. Devices fetch these after
    each pull, for photos taken on other devices."""
    return Response(
        hq.photos.read_thumb(_key(sha256), scope),
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )


@router.put(
    "/v1/blobs/{sha256}",
    status_code=201,
    responses={200: {"description": "already stored"}, 413: {}, 422: {}},
)
async def put_blob(sha256: Sha, request: Request, hq: HQDep, _: DeviceDep) -> Response:
    """Upload a photo (JPEG, PNG or WebP) named by the sha256 of its bytes."""
    key = _key(sha256)
    try:
        data = await request.body()
    except ClientDisconnect:
        # The device's link dropped mid-upload (plant Wi-Fi): nothing was stored, it will send
        # the photo again; not an error worth a traceback in HQ's log.
        log.info("upload of blob %s cut off by the client", key)
        return Response(status_code=400)
    created = await run_in_threadpool(hq.put_blob, key, data)
    return Response(status_code=201 if created else 200)
