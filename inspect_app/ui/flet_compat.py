"""Work-arounds for defects of the Flet release the app is built on (1.0.5), each naming the
defect; one goes when a Flet release fixes it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from flet.messaging.session import Session

log = logging.getLogger(__name__)


def keep_sessions_on_late_method_answers() -> None:
    """Flet 1.0.5 raises in its websocket receive loop, which ends the browser's session (the
    screen reloads under the person), when the answer to a control's method call (``scroll_to``)
    arrives after a redraw took that control off the page. The pending call is known by its
    id alone, so the answer is handed to it whether the control is still there or not."""
    calls = "_Session__method_calls"
    results = "_Session__method_call_results"
    original = Session.handle_invoke_method_results

    def handle(
        self: Session, control_id: int, call_id: str, result: Any, error: str | None
    ) -> None:
        pending: dict[str, asyncio.Event] | None = getattr(self, calls, None)
        answers: dict[asyncio.Event, Any] | None = getattr(self, results, None)
        if pending is None or answers is None:  # a Flet that keeps these elsewhere
            original(self, control_id, call_id, result, error)
            return
        event = pending.pop(call_id, None)
        if event is None:
            log.debug("an answer for call %s of control %s came too late", call_id, control_id)
            return
        answers[event] = (result, error)
        event.set()

    Session.handle_invoke_method_results = handle  # type: ignore[method-assign]
