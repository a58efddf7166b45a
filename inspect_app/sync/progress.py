"""What a running sync reports: phase, photos and commands left, bytes sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from inspect_app.sync.errors import SyncError


class Phase(StrEnum):
    PHOTOS = "photos"
    PUSH = "push"
    PULL = "pull"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class SyncProgress:
    phase: Phase = Phase.PHOTOS
    photos_total: int = 0
    photos_done: int = 0
    bytes_sent: int = 0
    bytes_total: int = 0
    commands_total: int = 0
    commands_done: int = 0
    events_received: int = 0
    error: SyncError | None = None

    @property
    def photos_left(self) -> int:
        return self.photos_total - self.photos_done

    @property
    def commands_left(self) -> int:
        return self.commands_total - self.commands_done

    @property
    def fraction(self) -> float:
        """Overall progress 0..1, photos weighted by bytes, then commands."""
        work = self.bytes_total + self.commands_total
        if not work:
            return 1.0 if self.phase in (Phase.PULL, Phase.DONE) else 0.0
        return min(1.0, (self.bytes_sent + self.commands_done) / work)

    def but(self, **changes: object) -> SyncProgress:
        return replace(self, **changes)  # type: ignore[arg-type]


ProgressCallback = Callable[[SyncProgress], None]


def ignore_progress(_: SyncProgress) -> None:
    pass
