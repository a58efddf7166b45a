"""The device's settings, typed, in one place: language, the open inspection, the last sync,
whether the person chose the demo plant and whether photos keep where they were taken. Kept in
the store, so they survive a restart."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.store import LocalStore

LANGUAGE = "language"
OPEN_INSPECTION = "open_inspection"
DEMO = "demo_mode"
KEEP_PHOTO_PLACES = "keep_photo_places"
#: Written by the sync engine when a sync ends well (``sync.engine.LAST_SYNC_AT``).
LAST_SYNC_AT = "last_sync_at"


@dataclass
class DeviceSettings:
    store: LocalStore

    @property
    def language(self) -> str | None:
        return self.store.get_meta(LANGUAGE)

    @language.setter
    def language(self, lang: str) -> None:
        self.store.set_meta(LANGUAGE, lang)

    @property
    def open_inspection(self) -> str | None:
        """The inspection the device has open, resumed where it was left."""
        return self.store.get_meta(OPEN_INSPECTION)

    @open_inspection.setter
    def open_inspection(self, inspection_id: str | None) -> None:
        self.store.set_meta(OPEN_INSPECTION, inspection_id)

    @property
    def demo(self) -> bool:
        """The person chose to try the demo plant rather than enrol with HQ."""
        return bool(self.store.get_meta(DEMO))

    @demo.setter
    def demo(self, on: bool) -> None:
        self.store.set_meta(DEMO, on)

    @property
    def keep_photo_places(self) -> bool:
        """Keep where a photo was taken (its GPS position) with the finding; off unless the
        person turns it on."""
        return bool(self.store.get_meta(KEEP_PHOTO_PLACES))

    @keep_photo_places.setter
    def keep_photo_places(self, on: bool) -> None:
        self.store.set_meta(KEEP_PHOTO_PLACES, on)

    @property
    def last_sync(self) -> str | None:
        return self.store.get_meta(LAST_SYNC_AT)
