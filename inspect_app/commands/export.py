"""``inspect-app export ledger|statistics|report``: the hazard ledger as XLSX or CSV, the
statistics form of a quarter or a year as XLSX, and an inspection report as PDF, from a device's
data directory. Problems are one line on stderr and exit 1."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from inspect_app.exports import LEDGER_FORMATS, ExportError, ExportErrorCode
from inspect_app.exports.fonts import FontNotFoundError, MissingGlyphsError
from inspect_app.exports.words import EXPORT_LANGUAGES
from inspect_app.services.bootstrap import default_data_dir, open_workspace
from inspect_app.services.catalog import CatalogError
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.store import StoreCorruptError, StoreLockedError


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "export", help="export the hazard ledger, the statistics form or an inspection report"
    )
    commands = group.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    ledger = commands.add_parser("ledger", help="the hazard ledger (台账) as XLSX or CSV")
    ledger.add_argument("--format", choices=LEDGER_FORMATS, required=True)
    _add_common(ledger)
    ledger.set_defaults(handler=lambda args: _run(args, _ledger))
    statistics = commands.add_parser(
        "statistics", help="the statistics form (统计表) of a quarter or a year as XLSX"
    )
    statistics.add_argument(
        "--period", required=True, metavar="PERIOD", help="a quarter (2026Q3) or a year (2026)"
    )
    statistics.add_argument("--format", choices=("xlsx",), default="xlsx")
    _add_common(statistics)
    statistics.set_defaults(handler=lambda args: _run(args, _statistics))
    report = commands.add_parser("report", help="an inspection report as PDF")
    report.add_argument("inspection_id", metavar="INSPECTION_ID")
    _add_common(report)
    report.set_defaults(handler=lambda args: _run(args, _report))


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, default=None, metavar="DIR", help="the device's data directory"
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    parser.add_argument(
        "--lang", choices=EXPORT_LANGUAGES, default=None, help="default: the device's language"
    )


@contextmanager
def _workspace(data: Path | None) -> Iterator[Workspace]:
    data_dir = data or default_data_dir()
    # Opening a workspace creates it; an export from a mistyped path must not.
    if not data_dir.is_dir():
        raise ExportError(ExportErrorCode.NO_DATA_DIR, path=data_dir)
    try:
        workspace = open_workspace(data_dir)
    except (StoreLockedError, StoreCorruptError, CatalogError) as exc:
        raise ExportError(ExportErrorCode.DATA_UNUSABLE, detail=str(exc)) from exc
    try:
        yield workspace
    finally:
        workspace.store.close()


Export = Callable[[Workspace, argparse.Namespace, str], str]


def _run(args: argparse.Namespace, export: Export) -> int:
    output: Path = args.output
    try:
        if output.is_dir() or not output.parent.is_dir():
            raise ExportError(ExportErrorCode.CANNOT_WRITE, path=output)
        with _workspace(args.data) as workspace:
            stored = workspace.store.get_meta("language")
            lang = args.lang or (stored if stored in EXPORT_LANGUAGES else "en")
            print(export(workspace, args, lang))
    except (ExportError, MissingGlyphsError, FontNotFoundError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"export failed: {exc.filename or output}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


def _ledger(workspace: Workspace, args: argparse.Namespace, lang: str) -> str:
    from inspect_app.exports import documents  # fpdf, openpyxl: only for an export

    data, count = documents.ledger(workspace, args.format, lang)
    args.output.write_bytes(data)
    return f"wrote {args.output}: {count} hazards"


def _statistics(workspace: Workspace, args: argparse.Namespace, lang: str) -> str:
    from inspect_app.exports import statistics  # openpyxl: only for an export

    period = statistics.parse_period(args.period)
    args.output.write_bytes(statistics.statistics(workspace, period, lang))
    return f"wrote {args.output}: statistics of {statistics.period_label(period, lang)}"


def _report(workspace: Workspace, args: argparse.Namespace, lang: str) -> str:
    from inspect_app.exports import documents  # fpdf, openpyxl: only for an export

    data = documents.inspection_report(workspace, args.inspection_id, lang)
    args.output.write_bytes(data)
    submitted = InspectionService(workspace).get(args.inspection_id).is_submitted
    draft = "" if submitted else " (not submitted: marked DRAFT)"
    return f"wrote {args.output}: report of inspection {args.inspection_id}{draft}"
