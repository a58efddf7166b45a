"""``inspect-app migrate``: create or upgrade HQ's database under the migration lock (what
``serve`` does before it listens), seeding master data on a new one."""

from __future__ import annotations

import argparse
import sys

from inspect_app.server.errors import HQError


def register(subparsers: argparse._SubParsersAction) -> None:
    from inspect_app.commands.serve import add_hq_options

    migrate = subparsers.add_parser("migrate", help="create or upgrade HQ's database")
    add_hq_options(migrate)
    migrate.set_defaults(handler=_migrate)


def _migrate(args: argparse.Namespace) -> int:
    from inspect_app.commands.serve import settings_from
    from inspect_app.server.app import prepare
    from inspect_app.server.database import current_revision, describe

    try:
        engine = prepare(settings_from(args))
    except (HQError, ValueError, OSError) as exc:
        print(f"cannot migrate: {exc}", file=sys.stderr)
        return 1
    print(f"{describe(engine)} is at schema {current_revision(engine)}")
    engine.dispose()
    return 0
