"""Enrolment: a one-time code for a device id and token."""

from __future__ import annotations

from fastapi import APIRouter

from inspect_app.server.api.deps import HQDep
from inspect_app.server.api_schemas import EnrollIn, EnrollOut
from inspect_app.server.middleware import StrictJSONRoute

router = APIRouter(tags=["devices"], route_class=StrictJSONRoute)


@router.post("/v1/devices/enroll", response_model=EnrollOut)
def enroll(body: EnrollIn, hq: HQDep) -> dict[str, str]:
    """Trade a one-time enrolment code (made by an HQ admin) for a device id and token."""
    return hq.enroll(body.code, body.label)
