"""The frame around the screens keeps its controls across renders (a tap on the bottom bar made
while the screen redraws reaches a control that still exists) and follows the route and the
language in place."""

from __future__ import annotations

import flet as ft

from inspect_app.ui.app import Shell
from inspect_app.ui.frame import Frame
from inspect_app.ui.i18n import Translator


def test_the_frame_changes_in_place_and_reports_taps() -> None:
    tabs: list[int] = []
    backs: list[None] = []
    frame = Frame(Shell.DESTINATIONS, tabs.append, lambda: backs.append(None))
    controls = (frame.app_bar, frame.bar, frame.rail, frame.back, *frame.bar.destinations)

    frame.show(Translator("en"), "/inspect", can_go_back=True, badge="Demo")
    assert frame.bar.selected_index == frame.rail.selected_index == 1
    assert [d.label for d in frame.bar.destinations][:2] == ["Home", "Inspect"]
    assert frame.app_bar.leading is frame.back and frame.back.tooltip == "Previous screen"
    assert frame.app_bar.actions == [frame.badge]

    frame.show(Translator("zh"), "/", can_go_back=False, badge=None)
    assert (frame.app_bar, frame.bar, frame.rail, frame.back, *frame.bar.destinations) == controls
    assert frame.bar.selected_index == 0
    assert frame.bar.destinations[0].label == "首页"
    assert frame.rail.destinations[0].label == "首页"
    assert frame.app_bar.leading is None and frame.app_bar.actions == []

    body = ft.Text("screen")
    assert frame.around(body) is frame.around(body)
    assert frame.around(body).controls[0] is frame.rail

    frame.bar.on_change(ft.Event("change", frame.bar))  # type: ignore[arg-type]
    assert tabs == [0]
    frame.back.on_click(ft.Event("click", frame.back))  # type: ignore[arg-type]
    assert backs == [None]
