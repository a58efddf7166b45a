"""The UI harness tells a session Flet dropped under a connected browser from a browser that
left (reload, close): only the first fails a test."""

from __future__ import annotations

from tests.ui.harness import sessions_dropped

SITE = "/venv/lib/python3.11/site-packages"

#: Logged when a reload closed the socket while Flet was still sending to it (seen in CI).
BROWSER_LEFT = f"""INFO:     127.0.0.1:50000 - "GET / HTTP/1.1" 200 OK
Receive loop error: WebSocket is not connected. Need to call "accept" first.
Traceback (most recent call last):
  File "{SITE}/flet_web/fastapi/flet_app.py", line 234, in __receive_loop
    data = await self.__websocket.receive_bytes()
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "{SITE}/starlette/websockets.py", line 131, in receive_bytes
    raise WebSocketDisconnected('WebSocket is not connected. Need to call "accept" first.')
starlette.websockets.WebSocketDisconnected: WebSocket is not connected.
ERROR:    Exception in ASGI application
Traceback (most recent call last):
  File "{SITE}/flet_web/fastapi/flet_app.py", line 137, in handle
    await send_loop_task
starlette.websockets.WebSocketDisconnect
"""

#: Logged when an answer came for a control a redraw had taken away: the browser is still there.
ANSWER_FOR_A_GONE_CONTROL = f"""Receive loop error: 415
Traceback (most recent call last):
  File "{SITE}/flet/messaging/session.py", line 210, in handle_invoke_method_results
    control = self.__index[control_id]
KeyError: 415

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "{SITE}/flet_web/fastapi/flet_app.py", line 236, in __receive_loop
    await self.__on_message(
  File "{SITE}/flet_web/fastapi/flet_app.py", line 330, in __on_message
    self.__session.handle_invoke_method_results(
RuntimeError: no control 415
INFO:     connection closed
"""


def test_a_browser_that_left_is_not_a_dropped_session() -> None:
    assert sessions_dropped(BROWSER_LEFT) == []
    assert sessions_dropped("") == []


def test_a_failure_on_a_message_is_a_dropped_session_chained_or_not() -> None:
    [dropped] = sessions_dropped(BROWSER_LEFT + ANSWER_FOR_A_GONE_CONTROL + BROWSER_LEFT)
    assert "in __on_message" in dropped and "RuntimeError: no control 415" in dropped
    assert "INFO:     connection closed" not in dropped
    unchained = ANSWER_FOR_A_GONE_CONTROL.split("During handling")[1].split("\n", 2)[2]
    assert len(sessions_dropped("Receive loop error: 415\n" + unchained)) == 1
