"""HQ pages against hostile data and hostile browsers: every stored text a page shows is escaped,
stored records that do not parse are listed and marked instead of breaking a page, every answer
carries the security headers, forms need their CSRF token and a same-site Origin, failed logins
are limited per address, and bad form bodies or query parameters never answer 500."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, insert, select

from inspect_app.resources import demo_site_path
from inspect_app.server import schema
from inspect_app.server.accounts import Accounts, TooManyAttempts
from inspect_app.server.errors import Unauthorized
from inspect_app.server.pages.devices import qr_svg
from inspect_app.server.security import SECURITY_HEADERS
from tests.server.conftest import ADMIN_PASSWORD, Hq, days_from_today, start_hq

XSS = '"><script>alert(3)</script>'
ESCAPED = "&lt;script&gt;alert(3)&lt;/script&gt;"
SHA = "ab" * 32
EVIL = "https://evil.example"


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[Hq]:
    server, client = start_hq(tmp_path / "hq")
    client.app.state.accounts.create_user("admin", ADMIN_PASSWORD, is_admin=True)
    yield client
    server.stop()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]  # type: ignore[index]


def english_session() -> requests.Session:
    """A browser session reading HQ in English (the pages' words these tests look for)."""
    session = requests.Session()
    session.cookies.set("hq_lang", "en")
    return session


def browser_login(hq: Hq, username: str = "admin") -> tuple[requests.Session, str]:
    """A session logged in through the login form, and its forms' CSRF token."""
    session = english_session()
    form = session.get(f"{hq.url}/login", timeout=60)
    answer = session.post(
        f"{hq.url}/login",
        data={"username": username, "password": ADMIN_PASSWORD, "csrf": csrf_of(form.text)},
        headers={"Origin": hq.url},
        timeout=60,
    )
    # Signed in, he lands on his own overview (the group for an admin).
    assert answer.status_code == 200 and not answer.url.endswith("/login"), answer.url
    return session, csrf_of(answer.text)


def hazard_data(hazard_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": hazard_id,
        "workshop_id": "ws-stamping",
        "description": "Extinguisher F-12 gauge in red",
        "grade": "major",
        "risk": "red",
        "found_by": "p-li",
        "found_at": f"{days_from_today(-4)}T09:00:00+08:00",
        "deadline": days_from_today(3),
        "status": "open",
        "photos": [],
        **fields,
    }


def store_hazard(hq: Hq, hazard_id: str, data: Any) -> None:
    """Write a hazard row straight into HQ's database, as old or hand-made data would be."""
    workshop = data.get("workshop_id") if isinstance(data, dict) else None
    with hq.app.state.hq.engine.begin() as conn:
        conn.execute(
            insert(schema.hazards).values(
                id=hazard_id,
                workshop_id=workshop if isinstance(workshop, str) else "ws-stamping",
                status="open",
                grade="major",
                data=data,
                updated_seq=1,
            )
        )


def store_event(hq: Hq, seq: int, hazard_id: str, data: Any) -> None:
    with hq.app.state.hq.engine.begin() as conn:
        conn.execute(
            insert(schema.events).values(
                server_seq=seq,
                kind="hazard",
                hazard_id=hazard_id,
                workshop_id="ws-stamping",
                data=data,
                recorded_at="2026-01-01T00:00:00+00:00",
            )
        )


def assert_escaped(answer: requests.Response) -> None:
    assert answer.status_code == 200, answer.text[:500]
    assert "<script" not in answer.text.lower()
    assert ESCAPED in answer.text


def test_every_stored_text_a_page_shows_is_escaped(hq: Hq) -> None:
    site = demo_site_path().read_text("utf-8")
    hq.app.state.hq.publish_site(
        site.replace("name: 李明", f"name: '{XSS}'").replace(
            "name: {en: Stamping workshop", f"name: {{en: '{XSS}'"
        )
    )
    requests.post(
        f"{hq.url}/v1/devices/enroll",
        json={"code": hq.app.state.hq.make_code("p-li", "test")[0], "label": XSS},
        timeout=60,
    ).raise_for_status()
    shown = str(uuid.uuid4())
    store_hazard(
        hq,
        shown,
        hazard_data(
            shown,
            description=XSS,
            item_id=XSS,
            reference=XSS,
            photos=[SHA],
            plan={
                "responsible_id": XSS,
                "measures": XSS,
                "funds": XSS,
                "deadline": days_from_today(3),
                "contingency": XSS,
            },
        ),
    )
    hostile = str(uuid.uuid4())
    store_hazard(
        hq,
        hostile,
        hazard_data(
            hostile,
            description=XSS,
            found_by=XSS,
            found_at=XSS,
            deadline=XSS,
            status=XSS,
            workshop_id=XSS,
            photos=[XSS],
            after_photos=[XSS],
            plan={"responsible_id": XSS, "measures": [XSS], XSS: XSS},
        ),
    )
    store_event(
        hq,
        10_001,
        shown,
        {
            "type": XSS,
            "actor": XSS,
            "result": XSS,
            "reason": XSS,
            "device_id": XSS,
            "recorded_at": XSS,
            "payload": {"text": XSS, XSS: [XSS]},
        },
    )
    session, _ = browser_login(hq)
    for path in ("/hazards", f"/hazards/{shown}", f"/hazards/{hostile}", "/devices", "/master"):
        assert_escaped(session.get(f"{hq.url}{path}", timeout=60))
    hostile_page = session.get(f"{hq.url}/hazards/{hostile}", timeout=60).text
    assert "This record is not valid" in hostile_page
    assert 'src="/v1/blobs/"' not in hostile_page and "photo reference not valid" in hostile_page
    assert f'src="/v1/blobs/{SHA}"' in session.get(f"{hq.url}/hazards/{shown}", timeout=60).text
    refused = session.get(f"{hq.url}/hazards", params={"grade": XSS, "month": XSS}, timeout=60)
    assert_escaped(refused)
    assert "is not a valid grade" in refused.text and "is not a valid month" in refused.text


def test_records_that_do_not_parse_are_listed_and_marked_never_a_500(hq: Hq) -> None:
    good = str(uuid.uuid4())
    store_hazard(hq, good, hazard_data(good, description="Exit door 3 chained"))
    broken = {
        "date": hazard_data("x", found_at="not-a-date"),
        "number": hazard_data("x", found_at=12345),
        "comments": hazard_data("x", comments="many"),
        "workshop": hazard_data("x", workshop_id=["ws-stamping"]),
        "deadline": hazard_data("x", deadline="2024-02-30"),
        "closed": hazard_data("x", status="closed", closed_at="yesterday"),
        "extension": hazard_data("x", extensions=[{"reason": "rain"}]),
        "empty": {},
        "list": [1, 2],
        "text": "a hazard",
        "null": None,
    }
    ids = {name: f"broken-{name}" for name in broken}
    for name, data in broken.items():
        store_hazard(hq, ids[name], data)
    store_event(hq, 10_001, ids["date"], ["not", "an", "event"])
    store_event(hq, 10_002, ids["date"], {"type": "comment", "payload": "many"})
    session, _ = browser_login(hq)
    dashboard = session.get(f"{hq.url}/hazards", timeout=60)
    assert dashboard.status_code == 200
    assert "Exit door 3 chained" in dashboard.text
    assert f"Records that are not valid ({len(broken)})" in dashboard.text
    for name in broken:
        assert f"/hazards/{ids[name]}" in dashboard.text
    reasons = {
        "date": "found_at: not an ISO timestamp",
        "number": "found_at: Input should be a valid string",
        "comments": "comments: Input should be a valid integer",
        "workshop": "workshop_id: Input should be a valid string",
        "deadline": "deadline: not a calendar date (YYYY-MM-DD)",
        "closed": "closed_at: not an ISO timestamp",
        "extension": "extensions.0.new_deadline: Field required",
        "empty": "description: Field required",
        "list": "record: not an object ([1, 2])",
        "text": "record: not an object (a hazard)",
    }
    for name in broken:
        page = session.get(f"{hq.url}/hazards/{ids[name]}", timeout=60)
        assert page.status_code == 200
        assert "This record is not valid" in page.text
        assert reasons.get(name, "record: not an object") in page.text
    timeline = session.get(f"{hq.url}/hazards/{ids['date']}", timeout=60).text
    assert "the stored event is not an object" in timeline and "many" in timeline
    for filters in ({"overdue": "1"}, {"status": "closed"}, {"month": "2024-02"}):
        assert session.get(f"{hq.url}/hazards", params=filters, timeout=60).status_code == 200


def test_a_web_user_who_is_not_an_admin_sees_only_their_workshops(hq: Hq) -> None:
    hq.app.state.accounts.create_user("wang", ADMIN_PASSWORD, is_admin=False, person_id="p-wang")
    hq.app.state.accounts.create_user("nobody", ADMIN_PASSWORD, is_admin=False)
    stamping, welding = str(uuid.uuid4()), str(uuid.uuid4())
    store_hazard(hq, stamping, hazard_data(stamping, description="Press guard missing"))
    store_hazard(
        hq,
        welding,
        hazard_data(welding, workshop_id="ws-welding", description="Gas cylinder unchained"),
    )
    session, _ = browser_login(hq, "wang")
    dashboard = session.get(f"{hq.url}/hazards", timeout=60).text
    assert "Press guard missing" in dashboard and "Gas cylinder unchained" not in dashboard
    assert 'value="ws-welding"' not in dashboard
    assert session.get(f"{hq.url}/hazards/{stamping}", timeout=60).status_code == 200
    assert session.get(f"{hq.url}/hazards/{welding}", timeout=60).status_code == 404
    assert session.get(f"{hq.url}/devices", timeout=60).status_code == 403
    nobody, _ = browser_login(hq, "nobody")
    assert "Press guard missing" not in nobody.get(f"{hq.url}/hazards", timeout=60).text


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2024-99999999999999999999"},
        {"month": "99999999999999999999-01"},
        {"month": "9999-12"},
        {"month": "0000-01"},
        {"month": "2024-13"},
        {"month": "2024-1"},
        {"workshop": "x" * 5000},
        {"status": "\x00"},
    ],
)
def test_a_bad_query_parameter_is_named_on_the_page(hq: Hq, params: dict[str, str]) -> None:
    session, _ = browser_login(hq)
    answer = session.get(f"{hq.url}/hazards", params=params, timeout=60)
    assert answer.status_code == 200
    assert re.search(r"is not a valid (month|workshop|status)", answer.text)


def test_odd_ids_and_parameters_never_answer_500(hq: Hq) -> None:
    session, csrf = browser_login(hq)
    assert session.get(f"{hq.url}/devices", params={"code": "A" * 4000}, timeout=60).ok
    for hazard_id in ("x" * 70, "%00", "a%2Fb"):
        assert session.get(f"{hq.url}/hazards/{hazard_id}", timeout=60).status_code == 404
    for device_id in ("x" * 70, "%00", "dev-none"):
        answer = session.post(
            f"{hq.url}/devices/{device_id}/revoke", data={"csrf": csrf}, timeout=60
        )
        assert answer.status_code == 404 and "no device" in answer.text
    unknown = session.post(
        f"{hq.url}/devices/codes", data={"csrf": csrf, "person_id": XSS}, timeout=60
    )
    assert unknown.status_code == 404 and "<script" not in unknown.text
    assert qr_svg("inspectapp://enroll?code=" + "A" * 4000) is None


def test_security_headers_on_pages_api_and_static_files(hq: Hq) -> None:
    device = hq.enroll("p-li")
    session, _ = browser_login(hq)
    answers = [
        requests.get(f"{hq.url}/login", timeout=60),
        requests.get(f"{hq.url}/", timeout=60, allow_redirects=False),
        session.get(f"{hq.url}/", timeout=60),
        session.get(f"{hq.url}/static/hq.css", timeout=60),
        requests.get(f"{hq.url}/healthz", timeout=60),
        requests.get(f"{hq.url}/v1/sync/pull", headers=device.headers, timeout=60),
        requests.get(f"{hq.url}/v1/admin/devices", timeout=60),
        requests.get(f"{hq.url}/v1/blobs/{SHA}", headers=device.headers, timeout=60),
        requests.get(f"{hq.url}/no-such-page", timeout=60),
        session.post(f"{hq.url}/devices/codes", timeout=60),
    ]
    assert [a.status_code for a in answers][:4] == [200, 303, 200, 200]
    assert all(a.status_code < 500 for a in answers)
    for answer in answers:
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, (answer.url, name)
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]


def enrolment_codes(hq: Hq) -> int:
    with hq.app.state.hq.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.enroll_codes)).scalar_one()


def test_forms_need_their_csrf_token(hq: Hq) -> None:
    session, csrf = browser_login(hq)
    forms = [
        ("/devices/codes", {"person_id": "p-zhao"}),
        ("/master/site", {"yaml": "plant: {}"}),
        ("/master/checklist", {"yaml": "id: x"}),
        ("/logout", {}),
    ]
    for path, fields in forms:
        for token in ({}, {"csrf": "wrong"}, {"csrf": ""}):
            answer = session.post(f"{hq.url}{path}", data={**fields, **token}, timeout=60)
            assert answer.status_code == 403, path
            assert "security token is missing or out of date" in answer.text
    assert enrolment_codes(hq) == 0
    assert session.get(f"{hq.url}/devices", timeout=60).url == f"{hq.url}/devices"  # still in
    _, other_csrf = browser_login(hq)
    assert other_csrf != csrf  # a token per session
    answer = session.post(
        f"{hq.url}/devices/codes", data={"person_id": "p-zhao", "csrf": other_csrf}, timeout=60
    )
    assert answer.status_code == 403
    no_cookie = requests.post(
        f"{hq.url}/login",
        data={"username": "admin", "password": ADMIN_PASSWORD, "csrf": "made-up"},
        timeout=60,
    )
    assert no_cookie.status_code == 403 and "hq_session" not in no_cookie.cookies


def test_same_site_forms_with_their_token_work(hq: Hq) -> None:
    device = hq.enroll("p-li")
    codes = enrolment_codes(hq)
    session, csrf = browser_login(hq)
    same_site = {"Origin": hq.url, "Referer": f"{hq.url}/devices"}
    made = session.post(
        f"{hq.url}/devices/codes",
        data={"person_id": "p-zhao", "csrf": csrf},
        headers=same_site,
        timeout=60,
    )
    assert made.status_code == 200 and "Valid 24 hours, once." in made.text
    assert "<svg" in made.text and enrolment_codes(hq) == codes + 1
    revoked = session.post(
        f"{hq.url}/devices/{device.id}/revoke",
        data={"csrf": csrf},
        headers={"Referer": f"{hq.url}/devices"},
        timeout=60,
    )
    assert revoked.status_code == 200 and revoked.url == f"{hq.url}/devices"
    assert "revoked" in revoked.text
    out = session.post(f"{hq.url}/logout", data={"csrf": csrf}, headers=same_site, timeout=60)
    assert out.url == f"{hq.url}/login"
    after = session.get(f"{hq.url}/devices", timeout=60).url
    assert after == f"{hq.url}/login?after=%2Fdevices"  # the session ended


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Referer": f"{EVIL}/attack.html"},
        {"Origin": EVIL, "Referer": "http://127.0.0.1/"},
        {"Origin": "http://[bad"},
    ],
)
def test_a_state_change_from_another_site_is_refused(hq: Hq, headers: dict[str, str]) -> None:
    session, csrf = browser_login(hq)
    page = session.post(
        f"{hq.url}/devices/codes",
        data={"person_id": "p-zhao", "csrf": csrf},
        headers=headers,
        timeout=60,
    )
    assert page.status_code == 403 and "a request from another site" in page.text
    api = session.post(
        f"{hq.url}/v1/admin/codes", json={"person_id": "p-zhao"}, headers=headers, timeout=60
    )
    assert api.status_code == 403 and "another site" in api.json()["detail"]
    login_form = english_session()
    token = csrf_of(login_form.get(f"{hq.url}/login", timeout=60).text)
    login = login_form.post(
        f"{hq.url}/login",
        data={"username": "admin", "password": ADMIN_PASSWORD, "csrf": token},
        headers=headers,
        timeout=60,
        allow_redirects=False,
    )
    assert login.status_code == 403 and "hq_session" not in login.cookies
    assert enrolment_codes(hq) == 0


def test_clients_that_are_not_browsers_and_device_tokens_pass_the_origin_check(hq: Hq) -> None:
    admin = hq.admin()  # logged in through /v1/admin/login, like the CLI: no Origin header
    assert admin.post(f"{hq.url}/v1/admin/codes", json={"person_id": "p-zhao"}, timeout=60).ok
    same = admin.post(
        f"{hq.url}/v1/admin/codes",
        json={"person_id": "p-zhao"},
        headers={"Origin": hq.url},
        timeout=60,
    )
    assert same.ok
    device = hq.enroll("p-li")
    pushed = requests.post(
        f"{hq.url}/v1/sync/push",
        json={"device_id": device.id, "commands": [], "inspections": []},
        headers={**device.headers, "Origin": EVIL},
        timeout=60,
    )
    assert pushed.status_code == 200


def test_failed_logins_from_one_address_are_limited_across_usernames(hq: Hq) -> None:
    session = english_session()
    token = csrf_of(session.get(f"{hq.url}/login", timeout=60).text)

    def log_in(username: str, password: str) -> requests.Response:
        return session.post(
            f"{hq.url}/login",
            data={"username": username, "password": password, "csrf": token},
            timeout=60,
        )

    codes = [log_in(f"guess-{i}", "wrong password").status_code for i in range(20)]
    assert codes == [401] * 20
    locked = log_in("admin", ADMIN_PASSWORD)
    assert locked.status_code == 429 and "too many failed logins" in locked.text
    api = requests.post(
        f"{hq.url}/v1/admin/login",
        json={"username": "someone-else", "password": "wrong"},
        timeout=60,
    )
    assert api.status_code == 429


def test_the_address_limit_ends_with_its_window(hq: Hq) -> None:
    now = [0.0]
    accounts = Accounts(hq.app.state.hq.engine, clock=lambda: now[0])
    for i in range(20):
        with pytest.raises(Unauthorized):
            accounts.login(f"guess-{i}", "wrong password", "10.0.0.7")
    with pytest.raises(TooManyAttempts):
        accounts.login("admin", ADMIN_PASSWORD, "10.0.0.7")
    assert accounts.login("admin", ADMIN_PASSWORD, "10.0.0.8")  # another address
    now[0] = 901.0
    assert accounts.login("admin", ADMIN_PASSWORD, "10.0.0.7")


@pytest.mark.parametrize(
    "body",
    [
        b"username=admin&password=\xff\xfe&csrf=x",
        b"username=%FF%FE&password=x&csrf=x",
        b"username=a\x00&password=x",
        b"&".join(b"f%d=1" % i for i in range(100)),
    ],
)
def test_a_login_body_that_is_not_utf8_form_data_answers_400(hq: Hq, body: bytes) -> None:
    session = english_session()
    session.get(f"{hq.url}/login", timeout=60)
    answer = session.post(
        f"{hq.url}/login",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=60,
    )
    assert answer.status_code == 400
    assert "the form could not be read" in answer.text


def post_login(hq: Hq, session: requests.Session, form: str, after: str) -> requests.Response:
    """Log in as the admin through ``form`` (the login page's HTML), asking to go to ``after``;
    the redirect is not followed."""
    return session.post(
        f"{hq.url}/login",
        data={
            "username": "admin",
            "password": ADMIN_PASSWORD,
            "csrf": csrf_of(form),
            "after": after,
        },
        headers={"Origin": hq.url},
        timeout=60,
        allow_redirects=False,
    )


def test_logging_in_opens_the_page_asked_for_and_only_one_on_this_site(hq: Hq) -> None:
    session = english_session()
    asked = session.get(f"{hq.url}/hazards?overdue=1", timeout=60)
    assert asked.url == f"{hq.url}/login?after=%2Fhazards%3Foverdue%3D1"
    after = re.search(r'name="after" value="([^"]+)"', asked.text)[1]  # type: ignore[index]
    answer = post_login(hq, session, asked.text, html.unescape(after))
    assert answer.status_code == 303 and answer.headers["location"] == "/hazards?overdue=1"
    # A link that would send the reader to another site after logging in goes home instead.
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"):
        other = english_session()
        form = other.get(f"{hq.url}/login", params={"after": hostile}, timeout=60)
        assert hostile not in form.text
        answer = post_login(hq, other, form.text, hostile)
        assert answer.status_code == 303 and answer.headers["location"] == "/", hostile
