"""Enrolment: a one-time code for a device id and token."""

from __future__ import annotations

from fastapi import APIRouter, Request

from inspect_app.server import audit
from inspect_app.server.api.deps import HQDep
from inspect_app.server.api_schemas import EnrollIn, EnrollOut
from inspect_app.server.middleware import StrictJSONRoute

router = APIRouter(tags=["devices"], route_class=StrictJSONRoute)


@router.post("/v1/devices/enroll", response_model=EnrollOut)
def enroll(body: EnrollIn, request: Request, hq: HQDep) -> dict[str, str]:
    """Trade a one-time enrolment code (made by an HQ admin) for a device id and token."""
    enrolled = hq.enroll(body.code, body.label)
    audit.record(
        hq.engine,
        "device_enrolled",
        enrolled["person_id"],
        audit.address_of(request),
        device=enrolled["device_id"],
        label=body.label,
    )
    return enrolled
