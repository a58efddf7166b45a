"""Push, pull and old checklist versions: the device's side of docs/sync-protocol.md."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import JSONResponse

from inspect_app.server import metrics
from inspect_app.server.api.deps import DeviceDep, HQDep
from inspect_app.server.api_schemas import INT32_MAX, INT64_MAX, PullOut, PushIn, PushOut
from inspect_app.server.errors import Conflict
from inspect_app.server.middleware import StrictJSONRoute
from inspect_app.server.pull import PAGE_MAX

router = APIRouter(tags=["sync"], route_class=StrictJSONRoute)


@router.post("/v1/sync/push", response_model=PushOut, responses={403: {}, 409: {}, 422: {}})
def push(body: PushIn, hq: HQDep, who: DeviceDep) -> Response:
    """Apply commands in seq order and store inspections; one result per item."""
    try:
        results = hq.push(who, body.model_dump(mode="json"))
    except Conflict as exc:  # what came before the gap was stored
        metrics.count_push(exc.extra)
        raise
    metrics.count_push(results)
    # Returned as built: the response model documents the shape without re-validating it.
    return JSONResponse(results)


@router.get("/v1/sync/pull", response_model=PullOut)
def pull(
    hq: HQDep,
    who: DeviceDep,
    since: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 500,
) -> Response:
    """Events after the cursor that the device's person may see, in server_seq order, with the
    hazards they touch."""
    page = hq.pull(who, since, limit)
    metrics.PULL_EVENTS.inc(len(json.loads(page)["events"]))
    return Response(page, media_type="application/json")


@router.get("/v1/checklists/{checklist_id}/{version}")
def checklist_version(
    checklist_id: Annotated[str, Path(max_length=64)],
    version: Annotated[int, Path(ge=1, le=INT32_MAX)],
    hq: HQDep,
    _: DeviceDep,
) -> dict[str, Any]:
    return hq.checklist_version(checklist_id, version)
