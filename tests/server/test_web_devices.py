"""The server-side device ``web-<user>`` that HQ web actions are pushed through: listed apart
from the enrolled phones and tablets (on the page, in the API and the CLI), and once an admin
revokes it, that account's actions on the HQ pages are refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app.server.scope import EVERYWHERE
from tests.server.conftest import ADMIN_PASSWORD, Hq, hazard_payload, start_hq
from tests.server.test_page_security import browser_login


@pytest.fixture
def web_hq(tmp_path: Path) -> Iterator[tuple[Hq, str]]:
    server, hq = start_hq(tmp_path / "hq")
    hq.app.state.accounts.create_user("wang", ADMIN_PASSWORD, is_admin=False, person_id="p-wang")
    device = hq.enroll("p-li")
    hazard_id = str(uuid.uuid4())
    created = device.push([device.command(hazard_id, "create", None, hazard_payload())])
    assert created.json()["commands"][0]["status"] == "applied"
    yield hq, hazard_id
    server.stop()


def _comments(hq: Hq, hazard_id: str) -> int:
    record = hq.app.state.pages.reads.one(hazard_id, EVERYWHERE)
    return record.hazard.comments


def _comment(hq: Hq, hazard_id: str, text: str) -> int:
    session, csrf = browser_login(hq, "wang")
    answer = session.post(
        f"{hq.url}/hazards/{hazard_id}/act",
        data={"csrf": csrf, "action": "comment", "text": text},
        headers={"Origin": hq.url},
        timeout=10,
    )
    return answer.status_code


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</table>", start)]


def test_web_devices_are_listed_apart_and_revoking_one_stops_its_actions(
    web_hq: tuple[Hq, str],
) -> None:
    hq, hazard_id = web_hq
    assert _comment(hq, hazard_id, "seen from HQ") == 200
    assert _comments(hq, hazard_id) == 1
    listed = {d["id"]: d for d in hq.app.state.hq.list_devices()}
    assert listed["web-wang"]["web"] is True
    assert not any(d["web"] for i, d in listed.items() if i != "web-wang")

    admin = hq.admin()
    admin.cookies.set("hq_lang", "en")
    page = admin.get(f"{hq.url}/devices", timeout=10).text
    assert "web-wang" not in _section(page, "enrolled-devices")
    assert "web-wang" in _section(page, "web-accounts")
    assert "Actions on the HQ pages" in page

    csrf = admin.get(f"{hq.url}/devices", timeout=10)
    token = csrf.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    revoked = admin.post(
        f"{hq.url}/devices/web-wang/revoke",
        data={"csrf": token},
        headers={"Origin": hq.url},
        timeout=10,
    )
    assert revoked.status_code == 200  # the redirect to /devices, followed
    assert _comment(hq, hazard_id, "after the revoke") == 403
    assert _comments(hq, hazard_id) == 1
