"""The start-screen view-model in plain pytest: what may be chosen at each step, un-choosing a
checklist, presets from a due row, Begin refused with its reason kept, then an inspection."""

from __future__ import annotations

from inspect_app.services.errors import ErrorCode
from inspect_app.services.workspace import Workspace
from inspect_app.ui.viewmodels.start import StartModel


def test_choices_narrow_step_by_step(workspace: Workspace) -> None:
    model = StartModel(workspace)
    every = model.checklists("en")
    assert len(every) == len(workspace.catalog.latest_checklists()) > 1
    assert model.chosen is None and not model.ready
    model.toggle_checklist("fire-monthly")
    [only] = model.checklists("en")
    assert (only.id, only.selected) == ("fire-monthly", True)
    workshops = model.workshops("en")
    assert workshops and all(workspace.user.can_act_in(w.id) for w in workshops)
    assert model.areas("en") == [] and not model.ready
    model.choose_workshop(workshops[0].id)
    assert model.ready and not model.needs_asset and model.assets("en") == []
    areas = model.areas("en")
    model.choose_area(areas[0].id)
    assert [a.selected for a in model.areas("en")] == [True] + [False] * (len(areas) - 1)
    # Tapping the chosen checklist again shows them all and forgets the rest.
    model.toggle_checklist("fire-monthly")
    assert model.chosen is None and model.workshop is None and model.area is None
    assert len(model.checklists("zh")) == len(every)


def test_an_asset_checklist_needs_its_asset(workspace: Workspace) -> None:
    model = StartModel(workspace)
    asset_checklist = next(c for c in workspace.catalog.latest_checklists() if c.asset_type)
    model.toggle_checklist(asset_checklist.id)
    model.choose_workshop(model.workshops("en")[0].id)
    assert model.needs_asset and not model.ready
    assert model.begin() is None
    assert model.error is not None and model.error.code is ErrorCode.PICK_ASSET
    assets = model.assets("en")
    assert assets, "the demo site has equipment of every shipped kind"
    model.choose_asset(assets[0].id)
    assert model.error is None and model.ready


def test_preset_then_begin_starts_and_clears(workspace: Workspace) -> None:
    model = StartModel(workspace)
    model.preset("fire-monthly", None, None)
    workshop = model.workshops("en")[0].id
    model.preset("fire-monthly", workshop, None)
    model.choose_area(model.areas("en")[0].id)
    inspection_id = model.begin()
    assert inspection_id is not None
    assert workspace.store.get_inspection(inspection_id)["workshop_id"] == workshop
    assert (model.checklist, model.workshop, model.area, model.error) == (None, None, None, None)
