"""Site data: the demo site's people and scope, certificate findings, and site-file errors."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_app.core.roles import Role
from inspect_app.core.site import CertificateStatus, certificate_findings
from inspect_app.loaders.site_loader import load_site, load_site_text
from inspect_app.resources import demo_site_path


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    result = load_site(demo_site_path())
    assert result.errors == []
    return result.site


def test_people_and_scope(site) -> None:  # type: ignore[no-untyped-def]
    li, wang, chen = site.person("p-li"), site.person("p-wang"), site.person("p-chen")
    assert li.roles == {Role.INSPECTOR} and li.can_act_in("ws-welding")
    assert not li.can_act_in("ws-painting")
    assert site.workshop("ws-stamping").head == "p-wang" and wang.can_act_in("ws-stamping")
    assert chen.can_act_in("ws-painting") and chen.can_act_in("anything")
    assert not site.person("p-gao").can_act_in("ws-stamping")  # HQ admin with a scope keeps it


def test_certificate_findings_most_urgent_first(site) -> None:  # type: ignore[no-untyped-def]
    findings = certificate_findings(site, date(2026, 11, 22))
    assert [(f.asset.asset_id, f.status, f.days_left) for f in findings] == [
        ("CR-101", CertificateStatus.EXPIRED, -22),
        ("FL-002", CertificateStatus.EXPIRING, 13),
        ("PV-201", CertificateStatus.EXPIRING, 23),
    ]
    assert certificate_findings(site, date(2026, 1, 1)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "plant: {id: p, name: P}\nworkshops: []\npeople: []\nextra: 1\n",
            "site.yaml:4:1: unknown key 'extra' in the site file",
        ),
        (
            "plant: {id: p, name: P}\nworkshops:\n  - {id: w, name: W, head: nobody}\npeople: []\n",
            "site.yaml:3:5: workshop 'w' has head 'nobody', who is not in people",
        ),
        (
            "plant: {id: p, name: P}\nworkshops: []\npeople:\n  - {id: a, name: A, roles: [boss]}\n",
            "site.yaml:4:30: role must be one of inspector, workshop_head, hq_admin, not 'boss'",
        ),
        (
            "plant: {id: p, name: P}\nworkshops: []\npeople:\n  - {id: a, name: A, roles: [inspector], workshops: [w9]}\n",
            "site.yaml:4:5: person 'a' works in unknown workshop 'w9'",
        ),
        (
            "plant: {id: p, name: P}\nworkshops: []\npeople: []\nequipment:\n"
            "  - {asset_id: X, type: crane, name: C, workshop: w, location: L, certificate_expiry: soon}\n",
            "site.yaml:5:87: certificate_expiry must be a date YYYY-MM-DD",
        ),
    ],
)
def test_site_file_errors(text: str, expected: str) -> None:
    result = load_site_text(text, "site.yaml")
    assert result.site is None
    assert expected in [str(e) for e in result.errors]
