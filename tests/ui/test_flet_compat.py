"""The Flet work-arounds: an answer to a control's method call that comes after the control
left the page reaches its caller instead of ending the browser's session."""

from __future__ import annotations

import asyncio
from typing import Any

from flet.messaging.session import Session

from inspect_app.ui.flet_compat import keep_sessions_on_late_method_answers


class _Pending:
    """The two tables a Flet 1.0.5 session keeps its method calls in, and nothing else: no
    control is registered, as after a redraw took the control away."""

    def __init__(self) -> None:
        self._Session__method_calls: dict[str, asyncio.Event] = {}
        self._Session__method_call_results: dict[asyncio.Event, Any] = {}
        self._Session__index: dict[int, object] = {}


def test_a_late_answer_reaches_its_caller_and_a_stray_one_is_dropped() -> None:
    keep_sessions_on_late_method_answers()
    session = _Pending()
    event = asyncio.Event()
    session._Session__method_calls["call-1"] = event
    Session.handle_invoke_method_results(session, 415, "call-1", "scrolled", None)  # type: ignore[arg-type]
    assert event.is_set()
    assert session._Session__method_call_results[event] == ("scrolled", None)
    assert session._Session__method_calls == {}
    # An answer nobody waits for any more (timed out, or sent twice) changes nothing.
    Session.handle_invoke_method_results(session, 415, "call-1", "again", None)  # type: ignore[arg-type]
    assert session._Session__method_call_results[event] == ("scrolled", None)
