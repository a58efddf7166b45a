"""The ``inspect-app`` command line: one sub-command group per module of ``commands``."""

from __future__ import annotations

import argparse
import importlib
import sys

from inspect_app import __version__

COMMAND_MODULES = (
    "checklists",
    "site",
    "run",
    "serve",
    "migrate",
    "backup",
    "admin",
    "sync",
    "export",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspect-app",
        description="Offline-first plant safety inspections, hazards driven to closure, HQ sync.",
    )
    parser.add_argument("--version", action="version", version=f"inspect-app {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"inspect_app.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors: argparse has printed why
        return int(exit_.code or 0)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
