"""What HQ refuses, as people see it. Scenario 10: a workshop head verifies a rectification as
passed while an HQ admin, offline on another device, fails it; HQ applies whichever arrives first,
the other comes back rejected_conflict, and both devices show it beside the decision that won.
And a hazard HQ will not register stays on the device, voided with HQ's reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app.core.hazard import HazardStatus
from inspect_app.core.workflow import CommandType
from inspect_app.resources import demo_site_path
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import enroll
from inspect_app.ui.i18n import Translator
from inspect_app.ui.viewmodels.hazards import HazardDetailModel
from inspect_app.ui.viewmodels.sync import SyncModel
from tests.server.conftest import Hq
from tests.services.conftest import FakeClock, jpeg_bytes
from tests.sync.test_sync_client import hq, sync, walk_with_failure

__all__ = ["hq"]  # the fixture this module uses

PLAN = {
    "responsible_id": "p-zhao",
    "measures": "Re-earth",
    "funds": "CNY 80",
    "deadline": "2026-12-01",
}


@pytest.fixture
def devices(tmp_path: Path, hq: Hq) -> Iterator[dict[str, Workspace]]:
    opened = {}
    for person in ("p-li", "p-wang", "p-zhao", "p-lin"):
        ws = open_workspace(tmp_path / person, clock=FakeClock())
        enroll(ws, hq.url, hq.app.state.hq.make_code(person, "test")[0])
        opened[person] = ws
    yield opened
    for ws in opened.values():
        ws.store.close()


def act(ws: Workspace, hazard_id: str, command: CommandType, payload: dict) -> None:
    hazards = HazardService(ws)
    hazard = hazards.get(hazard_id)
    assert hazard is not None
    decision = hazards.act(hazard, command, payload)
    assert decision.applied, decision.message


def test_the_losing_verification_is_shown_with_the_winner_on_both_devices(
    devices: dict[str, Workspace],
) -> None:
    li, wang, zhao, lin = (devices[p] for p in ("p-li", "p-wang", "p-zhao", "p-lin"))
    walk_with_failure(li)
    sync(li)
    sync(wang)
    hazard_id = HazardService(wang).all()[0].id
    act(wang, hazard_id, CommandType.ASSIGN_FIVE_FIXES, PLAN)
    sync(wang)
    sync(zhao)
    act(zhao, hazard_id, CommandType.START_RECTIFICATION, {})
    photo = HazardDetailModel(zhao, hazard_id, "en").add_photo(jpeg_bytes("green"))
    act(zhao, hazard_id, CommandType.SUBMIT_RECTIFIED, {"photos": [photo]})
    sync(zhao)
    sync(li)
    sync(lin)
    # The finder and the safety officer both decide offline on the same rectification.
    act(li, hazard_id, CommandType.VERIFY_PASS, {"opinion": "Earth bar tight"})
    act(lin, hazard_id, CommandType.VERIFY_FAIL, {"opinion": "still loose"})
    sync(li)
    report = sync(lin)
    assert list(report.results.values()) == ["rejected_conflict"]
    sync(li)  # the winner pulls the loser's refused command too

    for ws in (lin, li):
        detail = HazardDetailModel(ws, hazard_id, "en")
        assert detail.hazard.status is HazardStatus.CLOSED
        [(mine, winner)] = detail.conflicts()
        assert (mine.event.type, mine.who) == ("verify_fail", "林晓燕")
        assert winner is not None and (winner.event.type, winner.who) == ("verify_pass", "李明")
    [listed] = SyncModel(lin, "en").refused()
    assert (listed.action, listed.hazard_id) == ("verify_fail", hazard_id)
    assert listed.reason is not None and listed.reason.params["now"] == "closed"
    assert SyncModel(li, "en").refused() == []  # his decision won; nothing of his was refused


def test_a_hazard_hq_will_not_register_is_kept_voided_with_the_reason(
    tmp_path: Path, hq: Hq
) -> None:
    ws = open_workspace(tmp_path / "li", clock=FakeClock())
    enroll(ws, hq.url, hq.app.state.hq.make_code("p-li", "test")[0])
    try:
        walk_with_failure(ws)  # offline: stamping is still his workshop on the device
        site = demo_site_path().read_text("utf-8")
        narrowed = site.replace(
            "workshops: [ws-stamping, ws-welding]", "workshops: [ws-welding]", 1
        )
        assert narrowed != site
        hq.app.state.hq.publish_site(narrowed)
        report = sync(ws)
        assert list(report.results.values()) == ["forbidden", "forbidden"]  # inspection, create
        [hazard] = HazardService(ws).all()
        assert hazard.status is HazardStatus.VOIDED
        assert hazard.void_reason is None  # HQ's reason is kept as codes, said when shown
        assert hazard.not_registered is not None
        said = {lang: Translator(lang).refusal(**hazard.not_registered) for lang in ("en", "zh")}
        assert said["en"] == "the hazard is outside your workshops"
        assert said["zh"] != said["en"] and not re.search("[A-Za-z]", said["zh"])
        assert ws.store.pending_outbox() == []
    finally:
        ws.store.close()
