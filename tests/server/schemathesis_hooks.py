"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS) that make generated pushes reach the
state machine: the body names the enrolled device, and its commands carry the device's person
and the next seqs HQ expects (read from HQ just before each push), so each command is judged
rather than refused as a seq gap, a foreign device or an unknown actor."""

from __future__ import annotations

import os
from typing import Any

import requests
import schemathesis


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    if context.operation is None or context.operation.path != "/v1/sync/push":
        return
    body = case.body
    if not isinstance(body, dict) or "device_id" not in body:
        return
    device_id = os.environ["INSPECT_FUZZ_DEVICE_ID"]
    body["device_id"] = device_id
    commands = body.get("commands")
    if isinstance(commands, list) and commands:
        last = _last_seq(device_id)
        for offset, command in enumerate(commands, start=1):
            if isinstance(command, dict):
                command["seq"] = last + offset
                command["actor"] = os.environ["INSPECT_FUZZ_PERSON_ID"]


def _last_seq(device_id: str) -> int:
    answer = requests.get(
        f"{os.environ['INSPECT_FUZZ_HQ']}/v1/admin/devices",
        cookies={"hq_session": os.environ["INSPECT_FUZZ_ADMIN_SESSION"]},
        timeout=10,
    )
    answer.raise_for_status()
    return next(d["last_seq"] for d in answer.json() if d["id"] == device_id)
