"""The rectification dashboard for a chosen month: rates (general and major apart), on-time rate,
overdue count, open hazards by workshop and by category, and equipment whose certificate has run
out or soon will (hazards-to-be), all over the hazards the person may see."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.core.hazard import Hazard
from inspect_app.core.rates import Period, RectificationFigures, open_counts, rectification_figures
from inspect_app.core.site import CertificateFinding, certificate_findings
from inspect_app.services.clock import today
from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


@dataclass(frozen=True)
class Dashboard:
    month: tuple[int, int]
    #: As it stands now: for a past month, its balance at the month's end with the hazards
    #: found or due in it that were rectified since.
    figures: RectificationFigures
    #: As reported at the month's end; None for the month still running.
    at_month_end: RectificationFigures | None
    by_workshop: list[Bar]
    by_category: list[Bar]
    hazards_to_be: list[CertificateFinding]


def shift_month(month: tuple[int, int], delta: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 + delta
    return index // 12, index % 12 + 1


class DashboardModel:
    def __init__(self, ws: Workspace, lang: str) -> None:
        self.ws = ws
        self.lang = lang
        day = today(ws.clock)
        self.month = (day.year, day.month)

    def previous_month(self) -> None:
        self.month = shift_month(self.month, -1)

    def next_month(self) -> None:
        """Months after the current one have nothing to show yet."""
        day = today(self.ws.clock)
        self.month = min(shift_month(self.month, 1), (day.year, day.month))

    def visible_hazards(self) -> list[Hazard]:
        user = self.ws.user
        return [h for h in HazardService(self.ws).all() if user.can_act_in(h.workshop_id)]

    def load(self) -> Dashboard:
        now = self.ws.clock()
        day = now.date()
        period = Period.month(*self.month)
        hazards = self.visible_hazards()
        site = self.ws.catalog.site
        workshops = {w.id: w.name.get(self.lang) for w in site.workshops}
        user = self.ws.user
        findings = [f for f in certificate_findings(site, day) if user.can_act_in(f.asset.workshop)]
        return Dashboard(
            month=self.month,
            figures=rectification_figures(hazards, period, now),
            at_month_end=rectification_figures(hazards, period) if period.end < day else None,
            by_workshop=[
                Bar(workshops.get(key, key), count)
                for key, count in open_counts(hazards, "workshop_id").items()
            ],
            by_category=[
                Bar(key, count) for key, count in open_counts(hazards, "category").items()
            ],
            hazards_to_be=findings,
        )
