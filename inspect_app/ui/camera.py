"""Photo capture with the device camera on Android and iOS builds (the flet-camera extension),
in a full-screen dialog with a big shutter button. Flet's prebuilt web client and desktop have no
such control, so there ``capture_photo`` answers None and the app uses the file picker."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import flet as ft

from inspect_app.ui.widgets import big_button

if TYPE_CHECKING:
    from inspect_app.ui.app import Shell

log = logging.getLogger(__name__)

#: How long the camera may take to start before the app falls back to the picker (seconds).
CAMERA_START_TIMEOUT = 10.0


def camera_available(page: ft.Page) -> bool:
    if page.web or not page.platform or not page.platform.is_mobile():
        return False
    try:
        import flet_camera  # noqa: F401 - only present in mobile builds that bundle it
    except ImportError:
        return False
    return True


async def capture_photo(shell: Shell) -> bytes | None:
    """A photo taken with the back camera, or None when the person cancels, chooses the gallery
    or the camera cannot start (the caller then offers the picker)."""
    if not camera_available(shell.page):
        return None
    import flet_camera as fc

    t = shell.t
    answer: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
    camera = fc.Camera(expand=True, preview_enabled=True)

    async def shoot(_: ft.Event) -> None:
        try:
            data = await camera.take_picture()
        except Exception:  # the plugin reports device errors as exceptions, in English
            log.exception("the camera did not take the picture")
            shell.toast(t("photo.error", reason=t("camera.failed")), error=True)
            return
        if not answer.done():
            answer.set_result(data)

    def give_up(_: object = None) -> None:
        if not answer.done():
            answer.set_result(None)

    dialog = ft.AlertDialog(
        modal=True,
        content=ft.Container(
            camera, width=shell.page.width, height=(shell.page.height or 800) * 0.7
        ),
        actions=[
            big_button(t("camera.shoot"), shoot, icon=ft.Icons.CAMERA),
            big_button(t("camera.gallery"), give_up, selected=False),
        ],
        on_dismiss=give_up,
    )
    shell.page.show_dialog(dialog)
    try:
        cameras = await asyncio.wait_for(camera.get_available_cameras(), CAMERA_START_TIMEOUT)
        back = [c for c in cameras if c.lens_direction is fc.CameraLensDirection.BACK]
        if not (back or cameras):
            return None
        lens = (back or cameras)[0]
        await asyncio.wait_for(
            camera.initialize(lens, fc.ResolutionPreset.VERY_HIGH, enable_audio=False),
            CAMERA_START_TIMEOUT,
        )
        return await answer
    except Exception:  # no permission, no camera, a timeout: the picker is offered instead
        return None
    finally:
        shell.page.pop_dialog()
