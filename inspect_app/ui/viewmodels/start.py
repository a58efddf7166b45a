"""The start-an-inspection screen's state: the checklist, workshop, area and equipment chosen so
far, what may be chosen next, why Begin did not start, and beginning the inspection."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.core.checklist import Checklist
from inspect_app.services.inspections import InspectionError, InspectionService
from inspect_app.services.workspace import Workspace


@dataclass(frozen=True)
class Choice:
    """One button of a choice row: a workshop, an area or a piece of equipment."""

    id: str
    label: str
    selected: bool


@dataclass(frozen=True)
class ChecklistChoice:
    id: str
    title: str
    version: int
    items: int
    category: str
    selected: bool


class StartModel:
    """Kept by the shell while the person uses the app, so a redraw (a resize, a sync report)
    keeps the choices; a due row or a certificate warning presets them."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.checklist: str | None = None
        self.workshop: str | None = None
        self.area: str | None = None
        self.asset: str | None = None
        #: Why the last Begin did not start an inspection.
        self.error: InspectionError | None = None

    def clear(self) -> None:
        self.preset(None, None, None)

    def preset(self, checklist: str | None, workshop: str | None, asset: str | None) -> None:
        self.checklist, self.workshop, self.area, self.asset = checklist, workshop, None, asset
        self.error = None

    def toggle_checklist(self, checklist_id: str) -> None:
        """Tapping the chosen checklist un-chooses it (the others show again); tapping another
        chooses it and starts the choices below afresh."""
        self.preset(None if self.checklist else checklist_id, None, None)

    def choose_workshop(self, workshop_id: str) -> None:
        self.workshop, self.area, self.asset, self.error = workshop_id, None, None, None

    def choose_area(self, area_id: str) -> None:
        self.area, self.error = area_id, None

    def choose_asset(self, asset_id: str) -> None:
        self.asset, self.error = asset_id, None

    @property
    def chosen(self) -> Checklist | None:
        return self.ws.catalog.latest(self.checklist) if self.checklist else None

    def checklists(self, lang: str) -> list[ChecklistChoice]:
        """Every checklist until one is chosen; then only it, so the next choices are in view."""
        chosen = self.chosen
        shown = [chosen] if chosen else self.ws.catalog.latest_checklists()
        return [
            ChecklistChoice(
                c.id,
                c.title.get(lang),
                c.version,
                c.item_count,
                c.category.value,
                c.id == self.checklist,
            )
            for c in shown
        ]

    def workshops(self, lang: str) -> list[Choice]:
        """The workshops the person may inspect (their own, or all for plant-wide roles)."""
        user = self.ws.user
        return [
            Choice(w.id, w.name.get(lang), w.id == self.workshop)
            for w in self.ws.catalog.site.workshops
            if user.can_act_in(w.id)
        ]

    def areas(self, lang: str) -> list[Choice]:
        workshop = self.ws.catalog.site.workshop(self.workshop or "")
        if workshop is None:
            return []
        return [Choice(a.id, a.name.get(lang), a.id == self.area) for a in workshop.areas]

    def assets(self, lang: str) -> list[Choice]:
        """The equipment of the checklist's kind, when it is a checklist for one asset."""
        chosen = self.chosen
        if chosen is None or not chosen.asset_type:
            return []
        return [
            Choice(e.asset_id, f"{e.asset_id} {e.name.get(lang)}", e.asset_id == self.asset)
            for e in self.ws.catalog.site.equipment_of_type(chosen.asset_type)
        ]

    @property
    def needs_asset(self) -> bool:
        chosen = self.chosen
        return bool(chosen and chosen.asset_type)

    @property
    def ready(self) -> bool:
        return bool(self.workshop) and (not self.needs_asset or bool(self.asset))

    def begin(self) -> str | None:
        """Start the inspection: its id, or None with ``error`` saying why not."""
        chosen = self.chosen
        if chosen is None:
            return None
        try:
            inspection = InspectionService(self.ws).start(
                chosen, self.workshop or "", self.area, self.asset
            )
        except InspectionError as exc:
            self.error = exc
            return None
        self.clear()
        return inspection.id
