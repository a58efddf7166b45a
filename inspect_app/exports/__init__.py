"""Exports for people outside the app: the hazard ledger (台账) as XLSX or CSV and an inspection
report as PDF. Plain functions over the domain models; no UI code."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from inspect_app.core.vocabulary import EXPORT_ERROR

LEDGER_FORMATS = ("csv", "xlsx")


class ExportErrorCode(StrEnum):
    """Every code an export raises; the comments name each one's params."""

    NO_INSPECTION = "no_inspection"  # id
    CHECKLIST_MISSING = "checklist_missing"  # checklist, version
    NOT_A_PERIOD = "not_a_period"  # text
    NO_DATA_DIR = "no_data_dir"  # path (the CLI's)
    CANNOT_WRITE = "cannot_write"  # path (the CLI's)
    DATA_UNUSABLE = "data_unusable"


class ExportError(Exception):
    """An export that cannot be made: ``code`` and ``params`` are what the person is told;
    ``str()`` is the English for the CLI and logs, with the ``detail`` the app never shows."""

    def __init__(self, code: ExportErrorCode, *, detail: str | None = None, **params: Any) -> None:
        said = EXPORT_ERROR[code.value].en.format(**params)
        super().__init__(f"{said}: {detail}" if detail else said)
        self.code = code
        self.params = params
