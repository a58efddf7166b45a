"""``inspect-app serve``: the HQ server on uvicorn (SQLite and a blob folder by default)."""

from __future__ import annotations

import argparse
import errno
import getpass
import os
import socket
import ssl
import sys
from pathlib import Path

from inspect_app.server.errors import HQError

#: The app factory worker processes import (``uvicorn --factory`` or gunicorn take it too).
FACTORY = "inspect_app.server.app:app_from_environment"
#: Seconds a worker may take to start, or to answer, before uvicorn replaces it.
WORKER_HEALTHCHECK_S = 60


def add_hq_options(parser: argparse.ArgumentParser, *, seeding: bool = True) -> None:
    """The options every HQ command shares; each defaults to its INSPECT_* variable."""
    parser.add_argument(
        "--data", type=Path, default=None, help="data directory (INSPECT_DATA, default hq-data)"
    )
    parser.add_argument(
        "--db", default=None, help="database URL (INSPECT_DB_URL, default: SQLite in --data)"
    )
    parser.add_argument(
        "--blobs",
        default=None,
        help="s3://bucket?endpoint=URL or a folder (INSPECT_BLOBS_URL, default: --data/blobs)",
    )
    if seeding:
        parser.add_argument(
            "--site", type=Path, default=None, help="site file for a new database (INSPECT_SITE)"
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            default=None,
            help="seed a new database with the demo plant (INSPECT_DEMO=1)",
        )


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the HQ sync server and HQ pages")
    serve.add_argument("--host", default=None, help="INSPECT_HOST (default 127.0.0.1)")
    serve.add_argument("--port", default=None, help="1-65535 (INSPECT_PORT, default 8700)")
    serve.add_argument(
        "--workers", type=int, default=None, help="worker processes (INSPECT_WORKERS, default 1)"
    )
    add_hq_options(serve)
    serve.add_argument(
        "--create-admin",
        metavar="USER",
        default=None,
        help="create or reset an HQ admin (password from INSPECT_ADMIN_PASSWORD "
        "or a prompt), then serve",
    )
    serve.add_argument(
        "--log-format",
        choices=("text", "json"),
        default=None,
        help="stderr log lines as text or one JSON object each (INSPECT_LOG_FORMAT)",
    )
    serve.add_argument("--ssl-certfile", default=None)
    serve.add_argument("--ssl-keyfile", default=None)
    serve.set_defaults(handler=_serve)


def settings_from(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The settings of INSPECT_* variables with the options given on the command line on top."""
    from inspect_app.server.app import Settings

    given = {
        name: getattr(args, option, None)
        for name, option in (
            ("data_dir", "data"),
            ("db_url", "db"),
            ("blobs_url", "blobs"),
            ("site_file", "site"),
            ("demo", "demo"),
            ("host", "host"),
            ("workers", "workers"),
            ("log_format", "log_format"),
        )
    }
    port = getattr(args, "port", None)
    if port is not None:
        given["port"] = port_number(port)
    return Settings.from_environment(**given)


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


def cli_actor() -> str:
    """Who the audit log names for an act done from the shell: "cli" and the OS user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return f"cli:uid {os.getuid()}"


def admin_password() -> str:
    password = os.environ.get("INSPECT_ADMIN_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise HQError("set INSPECT_ADMIN_PASSWORD or run in a terminal to type the password")
    return getpass.getpass("New HQ admin password: ")


def _serve(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
        port = port_number(str(settings.port))
    except ValueError as exc:
        print(f"cannot start HQ: {exc}", file=sys.stderr)
        return 2
    try:
        sock = listening_socket(settings.host, port)
    except OSError as exc:
        print(f"cannot start HQ: {exc}", file=sys.stderr)
        return 1
    with sock:
        return _serve_on(sock, settings, args)


def _serve_on(sock: socket.socket, settings, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    import uvicorn

    from inspect_app.server.app import bootstrap, create_app
    from inspect_app.server.observability import uvicorn_log_config

    try:
        if settings.workers > 1:
            # Migrate once here; each worker then builds its app from the same settings.
            _, accounts = bootstrap(settings)
            os.environ.update(settings.environment())
            app = FACTORY
        else:
            app = create_app(settings)
            accounts = app.state.accounts
        if args.create_admin:
            accounts.create_user(args.create_admin, admin_password(), is_admin=True)
            print(f"HQ admin '{args.create_admin}' is ready")
    except (HQError, ValueError) as exc:
        print(f"cannot start HQ: {exc}", file=sys.stderr)
        return 1
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        log_config=uvicorn_log_config(settings.log_format),
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        factory=settings.workers > 1,
        workers=settings.workers,
        # A worker builds its app (imports, database, blob store) before it answers the
        # supervisor; uvicorn's 5 s made a loaded machine kill every worker while it started,
        # forever. A hung worker is still replaced, after this long.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        # The app logs each request itself and believes X-Forwarded-For only from
        # INSPECT_TRUSTED_PROXIES (uvicorn would believe any loopback peer's).
        access_log=False,
        proxy_headers=False,
    )
    try:
        # Reads the TLS files, so a bad one fails here, not after "listening". Workers load the
        # app themselves: a loaded one cannot be handed to a spawned process.
        if settings.workers > 1:
            if args.ssl_certfile:
                ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
                    args.ssl_certfile, args.ssl_keyfile
                )
        else:
            config.load()
    except OSError as exc:  # ssl.SSLError is an OSError
        print(f"cannot start HQ: cannot use the TLS certificate or key: {exc}", file=sys.stderr)
        return 1
    scheme = "https" if args.ssl_certfile else "http"
    # The socket is bound and listening: a client connecting now waits for uvicorn.
    print(f"HQ listening on {scheme}://{settings.host}:{settings.port}/", flush=True)
    if settings.workers > 1:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])
    return 0
