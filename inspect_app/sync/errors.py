"""The sync layer's errors: one root, ``SyncError``, carrying a stable ``code`` and the values
its sentence needs (``params``), said in the person's language from the vocabulary
(``sync_error.<code>``). ``str(exc)`` is the English for logs and the CLI, with the ``detail``
people are never shown (HQ's own words, a certificate problem, an exception's text)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from inspect_app.core.text import LocalText
from inspect_app.core.vocabulary import SYNC_ERROR


class SyncErrorCode(StrEnum):
    """Every code the sync layer raises; the comments name each one's params."""

    NOT_HQ = "not_hq"  # url, kind: the address answered, but not as HQ
    CERTIFICATE = "certificate"
    NO_CONNECTION = "no_connection"  # tries
    CONNECT_TIMEOUT = "connect_timeout"  # tries
    READ_TIMEOUT = "read_timeout"  # tries
    CUT_SHORT = "cut_short"  # tries
    HQ_TROUBLE = "hq_trouble"  # tries, status: HQ kept answering 429/5xx
    NETWORK = "network"  # tries
    DEVICE_REVOKED = "device_revoked"
    DEVICE_REFUSED = "device_refused"
    REQUEST_REJECTED = "request_rejected"  # status
    NOT_ENROLLED = "not_enrolled"
    BAD_ADDRESS = "bad_address"
    ENTER_ADDRESS = "enter_address"
    ENTER_CODE = "enter_code"
    CODE_NOT_ACCEPTED = "code_not_accepted"
    SYNC_FIRST = "sync_first"  # waiting
    REVOKED_WAITING = "revoked_waiting"  # waiting
    OTHER_PERSON = "other_person"  # person, before: the names of the code's person, the work's
    PHOTO_MISMATCH = "photo_mismatch"
    RESTORED_TWICE = "restored_twice"
    COMMAND_ORDER = "command_order"
    PHOTOS_GONE = "photos_gone"
    UNEXPECTED = "unexpected"


class SyncError(Exception):
    """Sync failed; ``code`` and ``params`` are what the person is told."""

    def __init__(self, code: SyncErrorCode, *, detail: str | None = None, **params: Any) -> None:
        said = SYNC_ERROR[code.value].en.format(**said_in(params, "en"))
        super().__init__(f"{said} ({detail})" if detail else said)
        self.code = code
        self.params = params
        self.detail = detail

    def to_dict(self) -> dict[str, Any]:
        """What the store keeps of the last sync's error: the code and its params."""
        return {"code": self.code.value, "params": self.params}


class AuthError(SyncError):
    """The token was refused: the device was revoked or belongs to someone else."""


class RequestRejected(SyncError):
    """HQ refused the request itself (4xx other than auth); retrying will not help."""

    def __init__(self, status: int, message: str, body: Any = None) -> None:
        super().__init__(SyncErrorCode.REQUEST_REJECTED, detail=message, status=status)
        self.status = status
        self.body = body


def said_in(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The params to fill a message in ``lang``: a name given in both languages (a
    ``LocalText``'s data, which the store can keep) in that one; codes and numbers as they are."""
    return {k: LocalText.of(v).get(lang) if isinstance(v, dict) else v for k, v in params.items()}
