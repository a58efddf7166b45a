"""Site master data: the plant, its workshops and areas, people with roles and workshop scope, the
special-equipment register, and the certificate findings that register implies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from inspect_app.core.roles import Role
from inspect_app.core.text import LocalText

CERTIFICATE_WARN_DAYS = 30


@dataclass(frozen=True)
class Plant:
    id: str
    name: LocalText
    timezone: str = "Asia/Shanghai"


#: Named limits of an asset or area (``max_pressure``, ``lux``), as (name, value) pairs.
Limits = tuple[tuple[str, float], ...]


def limit_of(limits: Limits, name: str) -> float | None:
    return next((value for key, value in limits if key == name), None)


@dataclass(frozen=True)
class Area:
    id: str
    name: LocalText
    #: Thresholds that differ per area, named by checklists as ``{area: lux}``.
    limits: Limits = ()


@dataclass(frozen=True)
class Workshop:
    id: str
    name: LocalText
    head: str
    areas: tuple[Area, ...] = ()

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)


@dataclass(frozen=True)
class Person:
    id: str
    name: LocalText
    roles: frozenset[Role]
    #: Workshops the person may act in; an HQ admin with none acts everywhere. A safety officer
    #: or principal (``PLANT_WIDE``) is given every workshop of the plant when the site loads.
    workshops: frozenset[str] = field(default_factory=frozenset)

    @property
    def acts_everywhere(self) -> bool:
        """An HQ admin with no workshop list acts in every workshop of the group."""
        return Role.HQ_ADMIN in self.roles and not self.workshops

    def can_act_in(self, workshop_id: str) -> bool:
        return self.acts_everywhere or workshop_id in self.workshops


@dataclass(frozen=True)
class Equipment:
    asset_id: str
    type: str
    name: LocalText
    workshop: str
    location: LocalText
    certificate_expiry: date
    registration_no: str | None = None
    #: Thresholds of this unit (from its register entry), named by checklists as
    #: ``{asset: max_pressure}``.
    limits: Limits = ()


@dataclass(frozen=True)
class Site:
    plant: Plant
    workshops: tuple[Workshop, ...]
    people: tuple[Person, ...]
    equipment: tuple[Equipment, ...] = ()

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def workshop(self, workshop_id: str) -> Workshop | None:
        return next((w for w in self.workshops if w.id == workshop_id), None)

    def asset(self, asset_id: str) -> Equipment | None:
        return next((e for e in self.equipment if e.asset_id == asset_id), None)

    def equipment_of_type(self, asset_type: str) -> list[Equipment]:
        return [e for e in self.equipment if e.type == asset_type]

    def person_name(self, person_id: str | None, lang: str) -> str:
        """The person's name in ``lang``; an id the site does not know is shown as it is."""
        if person_id is None:
            return ""
        person = self.person(person_id)
        return person.name.get(lang) if person else person_id

    def place_name(
        self, workshop_id: str, area_id: str | None, asset_id: str | None, lang: str
    ) -> str:
        """The place as "workshop / area / equipment" in ``lang``; unknown ids shown as they are."""
        workshop = self.workshop(workshop_id)
        parts = [workshop.name.get(lang) if workshop else workshop_id]
        if area_id:
            area = workshop.area(area_id) if workshop else None
            parts.append(area.name.get(lang) if area else area_id)
        if asset_id:
            asset = self.asset(asset_id)
            parts.append(asset.name.get(lang) if asset else asset_id)
        return " / ".join(parts)


class CertificateStatus(StrEnum):
    EXPIRED = "expired"
    EXPIRING = "expiring"


@dataclass(frozen=True)
class CertificateFinding:
    """Equipment whose inspection certificate has run out or soon will: a hazard-to-be."""

    asset: Equipment
    status: CertificateStatus
    days_left: int


def certificate_findings(
    site: Site, today: date, warn_days: int = CERTIFICATE_WARN_DAYS
) -> list[CertificateFinding]:
    """Expired and soon-expiring certificates, most urgent first."""
    findings = []
    for asset in site.equipment:
        days_left = (asset.certificate_expiry - today).days
        if days_left < 0:
            findings.append(CertificateFinding(asset, CertificateStatus.EXPIRED, days_left))
        elif days_left <= warn_days:
            findings.append(CertificateFinding(asset, CertificateStatus.EXPIRING, days_left))
    return sorted(findings, key=lambda f: (f.days_left, f.asset.asset_id))
