"""A hazard made from a finding keeps the checklist's suggested fix in both languages, so the
head reading in the other language sees his own; a record holding one plain text (made before)
still validates and reads."""

from __future__ import annotations

import pytest

from inspect_app.core.commands import CreatePayload, PayloadError, validate_payload
from inspect_app.core.hazard import Hazard
from inspect_app.core.records import record_problems
from inspect_app.services.workspace import Workspace
from tests.services.test_inspection_flow import walk_fire

CREATE = {
    "workshop_id": "ws-stamping",
    "description": "Gauge in red",
    "grade": "general",
    "risk": "orange",
    "deadline": "2026-11-29",
}


def test_a_hazard_from_a_finding_keeps_the_fix_in_both_languages(workspace: Workspace) -> None:
    workspace.settings.language = "en"
    service, inspection = walk_fire(workspace)
    submission = service.submit(inspection, "Li Ming")
    fixes = [h.suggested_fix for h in submission.hazards if h.suggested_fix]
    assert fixes, "the fire checklist suggests fixes"
    for fix in fixes:
        assert set(fix.translations) == {"en", "zh"}
        assert fix.get("zh") != fix.get("en")
    queued = [e["command"] for e in workspace.store.pending_outbox() if e["kind"] == "command"]
    stored = [c["payload"]["suggested_fix"] for c in queued if "suggested_fix" in c["payload"]]
    assert stored and all(set(fix) == {"en", "zh"} for fix in stored)
    for doc in workspace.store.list_hazards():
        assert record_problems(doc) == []
        assert Hazard.from_dict(doc).to_dict()["suggested_fix"] == doc["suggested_fix"]


@pytest.mark.parametrize(
    "fix",
    ["Recharge the extinguisher", {"zh": "送检充装", "en": "Recharge it"}, {"zh": "送检充装"}],
)
def test_the_payload_takes_both_forms(fix: object) -> None:
    payload = validate_payload(CreatePayload, {**CREATE, "suggested_fix": fix})
    assert payload.to_payload()["suggested_fix"] == fix
    record = {**CREATE, "suggested_fix": fix, "id": "h-1", "found_by": "p-li"}
    record["found_at"] = "2026-11-22T09:00:00+08:00"
    assert record_problems(record) == []
    hazard = Hazard.from_dict({**record, "status": "open"})
    assert hazard.suggested_fix is not None
    assert hazard.suggested_fix.get("zh") == (fix if isinstance(fix, str) else fix["zh"])


@pytest.mark.parametrize("fix", [{}, {"fr": "Rechargez"}, {"zh": ""}, {"zh": 3}, ["x"]])
def test_the_payload_refuses_what_is_not_a_text_in_our_languages(fix: object) -> None:
    with pytest.raises(PayloadError) as raised:
        validate_payload(CreatePayload, {**CREATE, "suggested_fix": fix})
    assert (raised.value.field or "").startswith("suggested_fix")


def test_an_old_plain_text_record_reads_in_every_language() -> None:
    record = {**CREATE, "id": "h-1", "found_by": "p-li", "status": "open"}
    record |= {"found_at": "2026-11-22T09:00:00+08:00", "suggested_fix": "Recharge it"}
    hazard = Hazard.from_dict(record)
    assert hazard.suggested_fix is not None
    assert hazard.suggested_fix.get("zh") == hazard.suggested_fix.get("en") == "Recharge it"
    assert hazard.to_dict()["suggested_fix"] == "Recharge it"
