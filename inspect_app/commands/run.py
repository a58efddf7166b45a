"""``inspect-app run``: the inspector app (a desktop window, or ``--web`` in the browser)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspect_app.commands.serve import listening_socket, port_number


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="run the inspection app")
    run.add_argument("--web", action="store_true", help="serve it to a browser (works offline)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", default="8550", help="1-65535 (default: 8550)")
    run.add_argument("--data", type=Path, default=None, help="the device's data directory")
    run.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        port = port_number(args.port)
    except ValueError as exc:
        print(f"cannot start the app: {exc}", file=sys.stderr)
        return 2
    if args.web:
        # Flet binds the port itself and takes no socket: try it first, so a port in use is one
        # line rather than a traceback after the app's address.
        try:
            listening_socket(args.host, port).close()
        except OSError as exc:
            print(f"cannot start the app: {exc}", file=sys.stderr)
            return 1
    from inspect_app.ui.app import run

    run(args.data, args.web, args.host, port)
    return 0
