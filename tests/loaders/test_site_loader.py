"""Site file errors, each as FILE:LINE:COL at the offending node: unknown keys, wrong types,
dangling references, duplicate ids, unknown roles, dates."""

from __future__ import annotations

from datetime import date

import pytest

from inspect_app.core.roles import Role
from inspect_app.loaders.site_loader import load_site_text

SITE = """\
plant: {id: plant-1, name: {en: Plant, zh: 工厂}}
workshops:
  - id: ws-a
    name: Workshop A
    head: p-head
    areas:
      - {id: line-1, name: Line 1}
people:
  - {id: p-head, name: 王, roles: [workshop_head], workshops: [ws-a]}
  - {id: p-admin, name: 陈, roles: [hq_admin]}
equipment:
  - {asset_id: CR-1, type: crane, name: Crane, workshop: ws-a, location: Line 1, certificate_expiry: 2027-01-31}
"""


def errors(text: str) -> list[str]:
    result = load_site_text(text, "site.yaml")
    assert (result.site is None) == bool(result.errors)
    return [str(e) for e in result.errors]


def test_a_valid_site_loads() -> None:
    result = load_site_text(SITE, "site.yaml")
    assert result.errors == [] and result.site is not None
    site = result.site
    assert site.plant.timezone == "Asia/Shanghai" and site.plant.name.get("zh") == "工厂"
    assert site.workshop("ws-a").areas[0].id == "line-1"
    assert site.person("p-head").roles == {Role.WORKSHOP_HEAD}
    assert site.person("p-admin").workshops == frozenset()
    crane = site.equipment[0]
    assert crane.certificate_expiry == date(2027, 1, 31) and crane.registration_no is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "equipment:",
            "plants: []\nequipment:",
            "11:1: unknown key 'plants' in site file (did you mean 'plant'?)",
        ),
        (
            "plant: {id: plant-1, name: {en: Plant, zh: 工厂}}\n",
            "",
            "1:1: site file is missing the required key 'plant'",
        ),
        (
            "{id: plant-1, name: {en: Plant, zh: 工厂}}",
            "{id: plant-1, name: {fr: Usine}}",
            "1:28: plant name has no language the app can show (needs one of en, zh)",
        ),
        (
            "{id: plant-1, name",
            "{id: plant-1, timezone: 8, name",
            '1:32: plant timezone must be a string, not 8 (write "8" in quotes to keep it as text)',
        ),
        (
            "    head: p-head",
            "    head: p-nobody",
            "5:11: workshop 'ws-a' has head 'p-nobody', who is not in people",
        ),
        ("    head: p-head\n", "", "3:5: workshop is missing the required key 'head'"),
        (
            "      - {id: line-1, name: Line 1}\n",
            "      - {id: line-1, name: Line 1}\n      - {id: line-1, name: Again}\n",
            "8:9: duplicate area id 'line-1'",
        ),
        (
            "  - id: ws-a\n",
            "  - id: ws-a\n    manager: x\n",
            "4:5: unknown key 'manager' in workshop",
        ),
        (
            "roles: [workshop_head]",
            "roles: [workshop_haed]",
            "9:35: person roles entry must be one of inspector, workshop_head, hq_admin, safety_officer, principal, not 'workshop_haed' (did you mean 'workshop_head'?)",
        ),
        ("roles: [hq_admin]", "roles: []", "10:35: person roles must list at least one role"),
        (
            "roles: [hq_admin]",
            "roles: hq_admin",
            "10:35: person roles must be a list, not 'hq_admin'",
        ),
        (
            "{id: p-admin, name: 陈, roles: [hq_admin]}",
            "{id: p-admin, name: 陈, roles: [hq_admin], workshops: [ws-z]}",
            "10:59: person 'p-admin' works in unknown workshop 'ws-z'",
        ),
        ("  - {id: p-admin,", "  - {id: p-head,", "10:5: duplicate person id 'p-head'"),
        (
            "  - {id: p-admin, name: 陈, roles: [hq_admin]}\n",
            "  - just a name\n",
            "10:5: person must be a mapping of keys to values, not 'just a name'",
        ),
        (
            "workshop: ws-a, location",
            "workshop: ws-z, location",
            "12:58: equipment 'CR-1' is in unknown workshop 'ws-z'",
        ),
        (
            "certificate_expiry: 2027-01-31",
            "certificate_expiry: soon",
            "12:102: certificate_expiry must be a date as YYYY-MM-DD, not 'soon'",
        ),
        (
            "certificate_expiry: 2027-01-31",
            "certificate_expiry: 2027-02-30",
            "12:102: '2027-02-30' is not a valid date",
        ),
        (
            "certificate_expiry: 2027-01-31",
            "certificate_expiry: 2027-01-31 10:00:00",
            "12:102: certificate_expiry must be a date as YYYY-MM-DD, not 2027-01-31 10:00:00",
        ),
        (
            "certificate_expiry: 2027-01-31",
            "certificate_expiry: 2027-01-31, registration_no: 42",
            '12:131: registration_no must be a string, not 42 (write "42" in quotes to keep it as text)',
        ),
        (
            ", certificate_expiry: 2027-01-31}",
            "}",
            "12:5: equipment is missing the required key 'certificate_expiry'",
        ),
        (
            "equipment:\n  - {",
            "equipment:\n  - {asset_id: CR-1, type: crane, name: C, workshop: ws-a, location: L, certificate_expiry: 2027-01-31}\n  - {",
            "13:5: duplicate equipment asset_id 'CR-1'",
        ),
    ],
)
def test_site_rules(old: str, new: str, expected: str) -> None:
    assert old in SITE
    assert errors(SITE.replace(old, new, 1)) == ([f"site.yaml:{expected}"] if expected else [])


def test_a_site_file_that_is_not_yaml_text() -> None:
    assert errors("") == ["site.yaml:1:1: the file is empty"]
    assert [str(e) for e in load_site_text(b"\xff\xfe", "site.yaml").errors] == [
        "site.yaml:1:1: not a UTF-8 text file"
    ]
