"""``inspect-app serve``: the HQ server on uvicorn (SQLite and a blob folder by default)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from inspect_app.server.errors import HQError


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the HQ sync server and HQ pages")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--data", type=Path, default=Path("hq-data"), help="data directory")
    serve.add_argument("--db", default=None, help="database URL (default: SQLite in --data)")
    serve.add_argument("--blobs", default=None, help="s3://bucket?endpoint=URL (default: disk)")
    serve.add_argument("--site", type=Path, default=None, help="site file for a new database")
    serve.add_argument(
        "--create-admin",
        metavar="USER",
        default=None,
        help="create or reset an HQ admin (password from INSPECT_ADMIN_PASSWORD "
        "or a prompt), then serve",
    )
    serve.add_argument("--ssl-certfile", default=None)
    serve.add_argument("--ssl-keyfile", default=None)
    serve.set_defaults(handler=_serve)


def settings_from(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from inspect_app.server.app import Settings

    return Settings(
        data_dir=args.data,
        db_url=args.db,
        blobs_url=args.blobs,
        site_file=getattr(args, "site", None),
    )


def admin_password() -> str:
    password = os.environ.get("INSPECT_ADMIN_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise HQError("set INSPECT_ADMIN_PASSWORD or run in a terminal to type the password")
    return getpass.getpass("New HQ admin password: ")


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from inspect_app.server.app import create_app

    try:
        app = create_app(settings_from(args))
        if args.create_admin:
            app.state.accounts.create_user(args.create_admin, admin_password(), is_admin=True)
            print(f"HQ admin '{args.create_admin}' is ready")
    except (HQError, ValueError) as exc:
        print(f"cannot start HQ: {exc}", file=sys.stderr)
        return 1
    scheme = "https" if args.ssl_certfile else "http"
    print(f"HQ listening on {scheme}://{args.host}:{args.port}/", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    )
    return 0
