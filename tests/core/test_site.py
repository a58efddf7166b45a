"""Site master data: who may act where, lookups, and certificate findings, on a hand-built site
and on the demo site."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_app.core.roles import Role
from inspect_app.core.site import (
    Area,
    CertificateFinding,
    CertificateStatus,
    Equipment,
    Person,
    Plant,
    Site,
    Workshop,
    certificate_findings,
)
from inspect_app.core.text import LocalText
from inspect_app.loaders.site_loader import load_site
from inspect_app.resources import demo_site_path

TODAY = date(2026, 6, 1)


def person(person_id: str, *roles: Role, workshops: tuple[str, ...] = ()) -> Person:
    return Person(person_id, LocalText.of(person_id), frozenset(roles), frozenset(workshops))


def asset(asset_id: str, expiry: date, asset_type: str = "crane") -> Equipment:
    return Equipment(
        asset_id=asset_id,
        type=asset_type,
        name=LocalText.of(asset_id),
        workshop="ws-a",
        location=LocalText.of("Bay 1"),
        certificate_expiry=expiry,
    )


SITE = Site(
    plant=Plant("plant-1", LocalText.of({"en": "Plant", "zh": "工厂"})),
    workshops=(
        Workshop("ws-a", LocalText.of("A"), "p-head", (Area("line-1", LocalText.of("Line 1")),)),
        Workshop("ws-b", LocalText.of("B"), "p-head"),
    ),
    people=(
        person("p-li", Role.INSPECTOR, workshops=("ws-a",)),
        person("p-head", Role.WORKSHOP_HEAD, Role.INSPECTOR, workshops=("ws-a", "ws-b")),
        person("p-admin", Role.HQ_ADMIN),
        person("p-scoped-admin", Role.HQ_ADMIN, workshops=("ws-b",)),
        person("p-nobody", Role.INSPECTOR),
    ),
    equipment=(
        asset("CR-1", date(2026, 5, 31)),  # expired yesterday
        asset("CR-2", date(2026, 6, 1)),  # expires today: 0 days left
        asset("FL-1", date(2026, 7, 1), "forklift"),  # 30 days: the edge of the warning
        asset("FL-2", date(2026, 7, 2), "forklift"),  # 31 days: fine
        asset("PV-1", date(2025, 1, 1), "pressure_vessel"),
        asset("CR-0", date(2026, 5, 31)),  # same day as CR-1: ordered by asset id
    ),
)


def test_who_may_act_where() -> None:
    assert SITE.person("p-li").can_act_in("ws-a")
    assert not SITE.person("p-li").can_act_in("ws-b")
    assert SITE.person("p-head").can_act_in("ws-b")
    assert SITE.person("p-admin").can_act_in("ws-a") and SITE.person("p-admin").can_act_in("x")
    # An HQ admin given a scope keeps to it; anyone else without workshops acts nowhere.
    assert not SITE.person("p-scoped-admin").can_act_in("ws-a")
    assert not SITE.person("p-nobody").can_act_in("ws-a")


def test_lookups() -> None:
    assert SITE.person("p-missing") is None and SITE.workshop("ws-z") is None
    workshop = SITE.workshop("ws-a")
    assert workshop is not None and workshop.head == "p-head"
    assert workshop.area("line-1") == Area("line-1", LocalText.of("Line 1"))
    assert workshop.area("line-9") is None
    assert [e.asset_id for e in SITE.equipment_of_type("forklift")] == ["FL-1", "FL-2"]
    assert SITE.equipment_of_type("boiler") == []
    assert SITE.asset("PV-1") is not None and SITE.asset("PV-9") is None


def test_certificate_findings_most_urgent_first() -> None:
    findings = certificate_findings(SITE, TODAY)
    assert [(f.asset.asset_id, f.status, f.days_left) for f in findings] == [
        ("PV-1", CertificateStatus.EXPIRED, -516),
        ("CR-0", CertificateStatus.EXPIRED, -1),
        ("CR-1", CertificateStatus.EXPIRED, -1),
        ("CR-2", CertificateStatus.EXPIRING, 0),
        ("FL-1", CertificateStatus.EXPIRING, 30),
    ]
    assert isinstance(findings[0], CertificateFinding)
    assert [f.asset.asset_id for f in certificate_findings(SITE, TODAY, warn_days=0)] == [
        "PV-1",
        "CR-0",
        "CR-1",
        "CR-2",
    ]


@pytest.fixture(scope="module")
def demo() -> Site:
    result = load_site(demo_site_path())
    assert [str(e) for e in result.errors] == []
    assert result.site is not None
    return result.site


def test_the_demo_site(demo: Site) -> None:
    assert demo.plant.timezone == "Asia/Shanghai"
    for workshop in demo.workshops:
        head = demo.person(workshop.head)
        assert head is not None and head.can_act_in(workshop.id), workshop.id
    for person in demo.people:
        assert person.roles and all(demo.workshop(w) for w in person.workshops)
    assert all(demo.workshop(e.workshop) for e in demo.equipment)
    admins = [p for p in demo.people if Role.HQ_ADMIN in p.roles]
    assert any(all(p.can_act_in(w.id) for w in demo.workshops) for p in admins)
    assert len({e.asset_id for e in demo.equipment}) == len(demo.equipment)
