"""The photos the screens show, as bytes from the device's photo store, so no view reads a file:
a photo's thumbnail (taken here, or fetched from HQ after a pull) and its full size when held
(taken here, or fetched on demand by ``sync.photo_downloads``)."""

from __future__ import annotations

from inspect_app.services.workspace import Workspace


class PhotoService:
    def __init__(self, workspace: Workspace) -> None:
        self.files = workspace.store.photos

    def thumbnail(self, sha256: str) -> bytes | None:
        """The 320 px thumbnail; None when this device holds none yet."""
        try:
            return self.files.read_thumb(sha256)
        except FileNotFoundError:
            return None

    def full_size(self, sha256: str) -> bytes | None:
        """The full-size JPEG; None when only HQ holds it (a sync may free it any time)."""
        try:
            return self.files.read(sha256)
        except FileNotFoundError:
            return None
