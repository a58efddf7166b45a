"""The exports of one device's data, as bytes ready to save: the hazard ledger (XLSX or CSV) and
an inspection's PDF report. The CLI and the app both make their files here."""

from __future__ import annotations

import tempfile
from pathlib import Path

from inspect_app.exports import LEDGER_FORMATS, ExportError, ExportErrorCode
from inspect_app.exports.ledger import ledger_rows, write_ledger_csv, write_ledger_xlsx
from inspect_app.exports.report import PhotoLoader, inspection_report_pdf
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionError, InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.store import LocalStore

LEDGER_WRITERS = dict(zip(LEDGER_FORMATS, (write_ledger_csv, write_ledger_xlsx), strict=True))


def ledger(workspace: Workspace, fmt: str, lang: str) -> tuple[bytes, int]:
    """The ledger of every hazard on the device in ``fmt``, and how many hazards it lists."""
    hazards = HazardService(workspace)
    rows = ledger_rows(hazards.all(), hazards.timeline, workspace.catalog.site, lang)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ledger.{fmt}"
        LEDGER_WRITERS[fmt](rows, path, lang)
        return path.read_bytes(), len(rows)


def inspection_report(workspace: Workspace, inspection_id: str, lang: str) -> bytes:
    """The PDF report of one inspection; a draft is marked as such in the PDF."""
    inspections = InspectionService(workspace)
    try:
        inspection = inspections.get(inspection_id)
    except InspectionError as exc:
        raise ExportError(ExportErrorCode.NO_INSPECTION, id=inspection_id) from exc
    try:
        checklist = inspections.checklist_of(inspection)
    except KeyError as exc:
        raise ExportError(
            ExportErrorCode.CHECKLIST_MISSING,
            checklist=inspection.checklist_id,
            version=inspection.checklist_version,
        ) from exc
    return inspection_report_pdf(
        inspection, checklist, workspace.catalog.site, lang, stored_photos(workspace.store)
    )


def stored_photos(store: LocalStore) -> PhotoLoader:
    """Full-size photos, else the thumbnail kept once the full size was freed after upload."""

    def load(sha256: str) -> bytes | None:
        for path in (store.photos.path(sha256), store.photos.thumb_path(sha256)):
            if path.is_file():
                return path.read_bytes()
        return None

    return load
