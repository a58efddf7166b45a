"""The device's use-case errors: one root, ``ServiceError``, carrying a stable ``code`` and the
values its sentence needs (``params``). The app says it in the person's language from its
catalogue (``error.<code>``), never from ``str(exc)``, which is the English for logs and the CLI."""

from __future__ import annotations

from enum import StrEnum

from inspect_app.core.vocabulary import ERROR


class ErrorCode(StrEnum):
    """Every code a service raises; each has its words in zh and en in ``core.vocabulary``."""

    NO_INSPECTION = "no_inspection"  # id
    PICK_AREA = "pick_area"  # limits: the limits the checklist reads per area
    LIMIT_NOT_SET = "limit_not_set"  # limits, where: the asset or area without them
    PICK_ASSET = "pick_asset"
    ANSWER_FIRST = "answer_first"
    TAG_MISSING = "tag_missing"
    TAG_TAKEN = "tag_taken"  # tag
    READ_ONLY = "read_only"
    DISCARD_SUBMITTED = "discard_submitted"
    SIGN_TO_SUBMIT = "sign_to_submit"
    INCOMPLETE = "incomplete"
    FINDING_REFUSED = "finding_refused"  # reason: what the state machine said
    FINDING_INVALID = "finding_invalid"  # item, field, reason
    NOT_SIGNED_IN = "not_signed_in"
    MASTER_DATA_INVALID = "master_data_invalid"  # detail: FILE:LINE:COL lines


class ServiceError(Exception):
    """A request a use case cannot take; ``code`` and ``params`` are what the person is told."""

    def __init__(self, code: ErrorCode, **params: object) -> None:
        super().__init__(ERROR[code.value].en.format(**params))
        self.code = code
        self.params = params
