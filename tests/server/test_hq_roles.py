"""Each HQ role sees exactly its menu and opens exactly its pages: the others answer a 403 page
that says so (never the login page), in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.server.conftest import ADMIN_PASSWORD, Hq, start_hq
from tests.server.test_page_security import browser_login

PLANT = "/plants/plant-suzhou-01"
PAGES = [
    "/group",
    PLANT,
    f"{PLANT}/summary",
    "/workshops",
    "/workshops/ws-stamping",
    "/workshops/ws-welding",
    "/hazards",
    "/devices",
    "/master",
    "/audit",
]
#: username -> (person, admin, menu, the pages that open); "/" leads to the menu's first.
ROLES = {
    "admin": (
        None,
        True,
        ["/group", "/hazards", "/devices", "/master", "/audit"],
        {"/group", PLANT, f"{PLANT}/summary", "/workshops/ws-stamping", "/workshops/ws-welding"}
        | {"/hazards", "/devices", "/master", "/audit"},
    ),
    "wang": (  # workshop head of stamping
        "p-wang",
        False,
        ["/workshops", "/hazards"],
        {"/workshops", "/workshops/ws-stamping", "/hazards"},
    ),
    "lin": (  # safety officer
        "p-lin",
        False,
        [PLANT, "/hazards"],
        {PLANT, f"{PLANT}/summary", "/workshops/ws-stamping", "/workshops/ws-welding", "/hazards"},
    ),
    "zhang": (  # principal
        "p-zhang",
        False,
        [PLANT, "/hazards"],
        {PLANT, f"{PLANT}/summary", "/workshops/ws-stamping", "/workshops/ws-welding", "/hazards"},
    ),
    "nobody": (None, False, ["/hazards"], {"/hazards"}),  # an account that belongs to no person
}


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hq]:
    server, client = start_hq(tmp_path_factory.mktemp("roles") / "hq")
    for username, (person, admin, _, _) in ROLES.items():
        client.app.state.accounts.create_user(
            username, ADMIN_PASSWORD, is_admin=admin, person_id=person
        )
    yield client
    server.stop()


def menu_of(html: str) -> list[str]:
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)
    return re.findall(r'href="([^"]+)"', nav[1]) if nav else []


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_sees_its_menu_and_opens_only_its_pages(hq: Hq, username: str) -> None:
    _, _, menu, opens = ROLES[username]
    session, _ = browser_login(hq, username)
    for path in PAGES:
        answer = session.get(f"{hq.url}{path}", timeout=10)
        assert answer.url == f"{hq.url}{path}", f"{username} was sent away from {path}"
        if path in opens:
            assert answer.status_code == 200, (username, path, answer.text[:300])
            assert menu_of(answer.text) == menu, (username, path)
        else:
            assert answer.status_code == 403, (username, path)
            assert "Your account may not open this page" in answer.text
    for path in menu:
        assert path in opens
    # Signing in, and "/" after, lands on his own overview: the widest page his menu offers.
    landing = session.get(f"{hq.url}/", timeout=10)
    assert landing.status_code == 200 and landing.url == f"{hq.url}{menu[0]}", username
    session.cookies.set("hq_lang", "zh")
    refused = next(p for p in PAGES if p not in opens)
    answer = session.get(f"{hq.url}{refused}", timeout=10)
    assert answer.status_code == 403 and "您的账号无权打开此页面" in answer.text
    assert '<html lang="zh-CN">' in answer.text


def test_an_account_with_no_person_is_told_why_it_sees_nothing(hq: Hq) -> None:
    session, _ = browser_login(hq, "nobody")
    assert "belongs to no person" in session.get(f"{hq.url}/hazards", timeout=10).text


def test_the_demo_group_overview_shows_both_demo_plants(hq: Hq) -> None:
    session, _ = browser_login(hq, "admin")
    group = session.get(f"{hq.url}/group", timeout=30)
    assert group.status_code == 200
    assert f'href="{PLANT}"' in group.text
    assert 'href="/plants/plant-wuxi-02"' in group.text
