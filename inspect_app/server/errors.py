"""HQ's errors, each with the HTTP status it answers with. Kept apart from ``hq.py`` so the CLI
can name them without importing the database layer."""

from __future__ import annotations

from typing import Any


class HQError(Exception):
    status = 400

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.extra = extra


class Unauthorized(HQError):
    status = 401


class Forbidden(HQError):
    status = 403


class NotFound(HQError):
    status = 404


class Conflict(HQError):
    status = 409


class Unprocessable(HQError):
    status = 422
