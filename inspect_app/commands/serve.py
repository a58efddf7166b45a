"""``inspect-app serve``: the HQ server on uvicorn (SQLite and a blob folder by default)."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import socket
import sys
from pathlib import Path

from inspect_app.server.errors import HQError


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the HQ sync server and HQ pages")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default="8700", help="1-65535 (default: 8700)")
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


def port_number(text: str) -> int:
    """The port a ``--port`` option names; ValueError with a one-line reason otherwise."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise ValueError(f"--port {text} is not a port number (1-65535)")
    return port


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening; OSError with a one-line reason otherwise."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise OSError(f"port {port} is already in use") from exc
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


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
        port = port_number(args.port)
    except ValueError as exc:
        print(f"cannot start HQ: {exc}", file=sys.stderr)
        return 2
    try:
        sock = listening_socket(args.host, port)
    except OSError as exc:
        print(f"cannot start HQ: {exc}", file=sys.stderr)
        return 1
    with sock:
        try:
            app = create_app(settings_from(args))
            if args.create_admin:
                app.state.accounts.create_user(args.create_admin, admin_password(), is_admin=True)
                print(f"HQ admin '{args.create_admin}' is ready")
        except (HQError, ValueError) as exc:
            print(f"cannot start HQ: {exc}", file=sys.stderr)
            return 1
        config = uvicorn.Config(
            app,
            host=args.host,
            port=port,
            log_level="info",
            ssl_certfile=args.ssl_certfile,
            ssl_keyfile=args.ssl_keyfile,
        )
        try:
            config.load()  # reads the TLS files, so a bad one fails here, not after "listening"
        except OSError as exc:  # ssl.SSLError is an OSError
            print(f"cannot start HQ: cannot use the TLS certificate or key: {exc}", file=sys.stderr)
            return 1
        scheme = "https" if args.ssl_certfile else "http"
        # The socket is bound and listening: a client connecting now waits for uvicorn.
        print(f"HQ listening on {scheme}://{args.host}:{port}/", flush=True)
        uvicorn.Server(config).run(sockets=[sock])
    return 0
