"""The audit log: each kind of act recorded once with who and from where (a forwarded address only
from a trusted proxy), listed on the admins' /audit page newest first and by kind; and login
throttling that two HQ processes on one database enforce together."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from inspect_app.resources import demo_site_path
from inspect_app.server import audit, schema
from inspect_app.server.app import Settings, create_app
from inspect_app.server.security import CSRF_COOKIE
from tests.server.conftest import ADMIN_PASSWORD, Hq


def logged(hq: Hq) -> list[audit.Entry]:
    entries, _ = audit.entries(hq.app.state.hq.engine, size=1000)
    return entries


def of_kind(hq: Hq, kind: str) -> list[audit.Entry]:
    return [e for e in logged(hq) if e.kind == kind]


def test_each_act_is_audited_once_with_who_and_where(hq: Hq) -> None:
    admin = hq.admin()
    admin.cookies.set("hq_lang", "en")  # the page's words are checked in English
    [created] = of_kind(hq, "user_changed")
    assert (created.actor, created.address) == ("cli", "local")
    assert created.details == {"change": "created", "user": "admin", "role": "admin", "person": ""}
    [login] = of_kind(hq, "login")
    assert (login.actor, login.address) == ("admin", "127.0.0.1")

    bad = requests.post(
        f"{hq.url}/v1/admin/login", json={"username": "admin", "password": "guess"}, timeout=10
    )
    assert bad.status_code == 401
    [failed] = of_kind(hq, "login_failed")
    assert (failed.actor, failed.address, failed.details) == (
        "admin",
        "127.0.0.1",
        {"reason": "wrong_password"},
    )

    code = admin.post(f"{hq.url}/v1/admin/codes", json={"person_id": "p-li"}, timeout=10)
    [made] = of_kind(hq, "enrol_code")
    assert (made.actor, made.address, made.details) == ("admin", "127.0.0.1", {"person": "p-li"})

    enrolled = requests.post(
        f"{hq.url}/v1/devices/enroll", json={"code": code.json()["code"], "label": "Pixel"}
    ).json()
    [enrolment] = of_kind(hq, "device_enrolled")
    assert (enrolment.actor, enrolment.address) == ("p-li", "127.0.0.1")
    assert enrolment.details == {"device": enrolled["device_id"], "label": "Pixel"}

    admin.post(f"{hq.url}/v1/admin/devices/{enrolled['device_id']}/revoke", timeout=10)
    [revoked] = of_kind(hq, "device_revoked")
    assert (revoked.actor, revoked.details) == ("admin", {"device": enrolled["device_id"]})

    site = admin.put(
        f"{hq.url}/v1/admin/site",
        data=demo_site_path().read_bytes(),
        headers={"Content-Type": "application/yaml"},
        timeout=30,
    )
    assert site.status_code == 200
    [published] = of_kind(hq, "site_published")
    assert (published.actor, published.details) == ("admin", {"plant": site.json()["plant_id"]})

    hq.app.state.accounts.create_user(
        "head-wang", "a long password 1", is_admin=False, person_id="p-wang"
    )
    reset = of_kind(hq, "user_changed")[0]
    assert reset.details == {
        "change": "created",
        "user": "head-wang",
        "role": "user",
        "person": "p-wang",
    }
    # Newest first; nothing recorded twice.
    assert [e.id for e in logged(hq)] == sorted((e.id for e in logged(hq)), reverse=True)
    assert [e.kind for e in logged(hq)].count("login") == 1


def test_a_checklist_published_from_the_page_is_audited(hq_sqlite: Hq) -> None:
    hq = hq_sqlite
    admin = hq.admin()
    admin.cookies.set("hq_lang", "en")  # the page's words are checked in English
    page = admin.get(f"{hq.url}/master", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    table = schema.checklists
    with hq.app.state.hq.engine.connect() as conn:
        yaml_text = conn.execute(
            select(table.c.yaml_text)
            .where(table.c.id == "fire-monthly")
            .order_by(table.c.version.desc())
        ).scalar()
    bumped = re.sub(r"(?m)^version: *\d+", "version: 99", yaml_text)
    answer = admin.post(
        f"{hq.url}/master/checklist", data={"csrf": csrf, "yaml": bumped}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    [published] = of_kind(hq, "checklist_published")
    assert (published.actor, published.details) == (
        "admin",
        {"checklist": "fire-monthly", "version": "99"},
    )


def test_the_page_lists_entries_by_kind_and_refuses_non_admins(hq_sqlite: Hq) -> None:
    hq = hq_sqlite
    admin = hq.admin()
    admin.cookies.set("hq_lang", "en")  # the page's words are checked in English
    requests.post(
        f"{hq.url}/v1/admin/login", json={"username": "mallory", "password": "x"}, timeout=10
    )
    page = admin.get(f"{hq.url}/audit", timeout=10)
    assert page.status_code == 200
    assert "mallory" in page.text and "login_failed" in page.text and "127.0.0.1" in page.text
    only_logins = admin.get(f"{hq.url}/audit", params={"kind": "login"}, timeout=10)
    assert "mallory" not in only_logins.text and "logged in" in only_logins.text
    odd = admin.get(f"{hq.url}/audit", params={"kind": "<b>", "page": "-3"}, timeout=10)
    assert odd.status_code == 200 and "&lt;b&gt;” is not a kind" in odd.text

    hq.app.state.accounts.create_user("wang", ADMIN_PASSWORD, is_admin=False, person_id="p-wang")
    user = requests.Session()
    user.post(
        f"{hq.url}/v1/admin/login",
        json={"username": "wang", "password": ADMIN_PASSWORD},
        timeout=10,
    ).raise_for_status()
    assert user.get(f"{hq.url}/audit", timeout=10).status_code == 403
    assert requests.get(f"{hq.url}/audit", timeout=10, allow_redirects=False).status_code == 303


def test_the_page_is_paged_newest_first(hq_sqlite: Hq) -> None:
    hq = hq_sqlite
    admin = hq.admin()
    admin.cookies.set("hq_lang", "en")  # the page's words are checked in English
    engine = hq.app.state.hq.engine
    for i in range(audit.PAGE_SIZE + 5):
        audit.record(
            engine, "restore", "cli", "local", how="restore", source=f"number {i:03d}", epoch="e"
        )
    first = admin.get(f"{hq.url}/audit", params={"kind": "restore"}, timeout=10).text
    second = admin.get(f"{hq.url}/audit", params={"kind": "restore", "page": 2}, timeout=10).text
    assert f"number {audit.PAGE_SIZE + 4:03d}" in first and "number 004" not in first
    assert "number 004" in second and "number 000" in second
    assert "Page 2 of 2" in second


def app_on(tmp_path: Path, **settings: object) -> FastAPI:
    app = create_app(Settings(data_dir=tmp_path / "hq", demo=True, **settings))  # type: ignore[arg-type]
    app.state.accounts.create_user("admin", ADMIN_PASSWORD, is_admin=True)
    return app


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    app = app_on(tmp_path, trusted_proxies=["10.0.0.1"])
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    body = {"username": "admin", "password": "wrong password"}
    via_proxy = TestClient(app, client=("10.0.0.1", 5000))
    assert via_proxy.post("/v1/admin/login", json=body, headers=forwarded).status_code == 401
    direct = TestClient(app, client=("198.51.100.7", 5000))
    assert direct.post("/v1/admin/login", json=body, headers=forwarded).status_code == 401
    entries, _ = audit.entries(app.state.hq.engine, "login_failed")
    assert [e.address for e in entries] == ["198.51.100.7", "203.0.113.9"]


def test_five_failures_through_the_proxy_lock_one_client_not_everyone(tmp_path: Path) -> None:
    app = app_on(tmp_path, trusted_proxies=["127.0.0.1"])
    proxy = TestClient(app, client=("127.0.0.1", 5000))

    def log_in(client_address: str, password: str) -> int:
        return proxy.post(
            "/v1/admin/login",
            json={"username": "admin", "password": password},
            headers={"X-Forwarded-For": client_address},
        ).status_code

    assert [log_in("203.0.113.66", "wrong password") for _ in range(6)] == [401] * 5 + [429]
    assert log_in("203.0.113.10", ADMIN_PASSWORD) == 200


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_two_hq_processes_share_the_login_limits(
    request: pytest.FixtureRequest, tmp_path: Path, database: str
) -> None:
    db_url = None
    if database == "postgres":
        db_url = request.getfixturevalue("postgres").create_database(f"a{uuid.uuid4().hex[:12]}")
    settings = Settings(data_dir=tmp_path / "hq", db_url=db_url, demo=True)
    first, second = create_app(settings), create_app(settings)
    first.state.accounts.create_user("admin", ADMIN_PASSWORD, is_admin=True)
    clients = [TestClient(app, client=("192.0.2.5", 5000)) for app in (first, second)]
    body = {"username": "admin", "password": "wrong password"}
    codes = [clients[i % 2].post("/v1/admin/login", json=body).status_code for i in range(5)]
    assert codes == [401] * 5
    right = {"username": "admin", "password": ADMIN_PASSWORD}
    assert [c.post("/v1/admin/login", json=right).status_code for c in clients] == [429, 429]
    other = TestClient(second, client=("192.0.2.6", 5000))
    assert other.post("/v1/admin/login", json=right).status_code == 200
    for app in (first, second):
        app.state.hq.engine.dispose()


def test_login_page_failures_are_audited_from_the_form(hq_sqlite: Hq) -> None:
    session = requests.Session()
    session.get(f"{hq_sqlite.url}/login", timeout=10)
    answer = session.post(
        f"{hq_sqlite.url}/login",
        data={"username": "ghost", "password": "nope", "csrf": session.cookies[CSRF_COOKIE]},
        timeout=10,
    )
    assert answer.status_code == 401
    [failed] = of_kind(hq_sqlite, "login_failed")
    assert (failed.actor, failed.address) == ("ghost", "127.0.0.1")


def test_details_are_shown_in_the_readers_language(hq_sqlite: Hq) -> None:
    """Details are stored as codes and values, so a Chinese reader reads them in Chinese whatever
    language the act was done in, and an English one in English."""
    hq = hq_sqlite
    admin = hq.admin()
    requests.post(
        f"{hq.url}/v1/admin/login", json={"username": "mallory", "password": "x"}, timeout=10
    )
    audit.record(hq.app.state.hq.engine, "restore", "cli:ops", "local", how="restored", epoch="e1")
    chinese = admin.get(f"{hq.url}/audit", timeout=10).text
    assert "用户名或密码错误" in chinese and "wrong username or password" not in chinese
    assert "登录成功" in chinese and "新建 admin" in chinese
    assert "标记为已恢复，新纪元 e1" in chinese
    admin.cookies.set("hq_lang", "en")
    english = admin.get(f"{hq.url}/audit", timeout=10).text
    assert "wrong username or password" in english and "logged in" in english
    assert "marked as restored; new epoch e1" in english
    assert "用户名或密码错误" not in english
