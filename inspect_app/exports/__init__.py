"""Exports for people outside the app: the hazard ledger (台账) as XLSX or CSV and an inspection
report as PDF. Plain functions over the domain models; no UI code."""

LEDGER_FORMATS = ("csv", "xlsx")


class ExportError(Exception):
    """An export that cannot be made; the message is for the person."""
