"""``inspect-app backup DEST`` and ``inspect-app restore SRC``: HQ's database and blobs into a
folder, and back (docs/operations.md, "Backup" and "Restore")."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspect_app.server.errors import HQError


def register(subparsers: argparse._SubParsersAction) -> None:
    from inspect_app.commands.serve import add_hq_options

    backup = subparsers.add_parser("backup", help="copy HQ's database and photos into DEST")
    backup.add_argument("dest", type=Path, help="a new folder")
    add_hq_options(backup, seeding=False)
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser(
        "restore", help="replace HQ's database with a backup's (HQ stopped); devices re-send"
    )
    restore.add_argument("source", type=Path, help="a folder 'inspect-app backup' wrote")
    add_hq_options(restore, seeding=False)
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from inspect_app.commands.serve import settings_from
    from inspect_app.server.backup import backup

    try:
        manifest = backup(settings_from(args), args.dest)
    except (HQError, ValueError, OSError) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"backed up {manifest['database']} (epoch {manifest['epoch']}) and "
        f"{manifest['blobs']} photo(s) into {args.dest}"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from inspect_app.commands.serve import cli_actor, settings_from
    from inspect_app.server.backup import restore

    try:
        epoch = restore(settings_from(args), args.source, cli_actor())
    except (HQError, ValueError, OSError) as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    print(f"restored {args.source}; HQ's epoch is now {epoch}")
    return 0
