"""Time as the app sees it: an injectable clock giving timezone-aware local timestamps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now().astimezone()


def timestamp(clock: Clock) -> str:
    return clock().isoformat(timespec="seconds")


def today(clock: Clock) -> date:
    return clock().date()
