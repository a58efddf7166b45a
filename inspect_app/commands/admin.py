"""``inspect-app admin``: HQ accounts, enrolment codes, devices and master data from the shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_app.server.errors import HQError

if TYPE_CHECKING:
    from sqlalchemy import Engine


def register(subparsers: argparse._SubParsersAction) -> None:
    from inspect_app.commands.serve import add_hq_options

    admin = subparsers.add_parser("admin", help="manage HQ users, devices and master data")
    add_hq_options(admin, seeding=False)
    actions = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    user = actions.add_parser("create-user", help="create or reset an HQ web login")
    user.add_argument("username")
    user.add_argument("--admin", action="store_true", help="may manage devices and codes")
    user.add_argument("--person", default=None, help="the site person this login is")
    code = actions.add_parser("make-code", help="one-time enrolment code for a person")
    code.add_argument("person_id")
    revoke = actions.add_parser("revoke-device", help="revoke a device's token")
    revoke.add_argument("device_id")
    actions.add_parser("list-devices", help="devices with their last sync time")
    site = actions.add_parser("publish-site", help="replace a plant's site file")
    site.add_argument("file", type=Path)
    checklist = actions.add_parser("publish-checklist", help="publish a checklist version")
    checklist.add_argument("file", type=Path)
    actions.add_parser(
        "restored",
        help="after restoring the database from a backup by hand: start a new epoch, so "
        "devices send again what HQ lost",
    )
    actions.add_parser(
        "check-data",
        help="list stored hazards that do not pass validation, and month tallies that differ "
        "from their hazards (exit 1 if any)",
    )
    actions.add_parser("rebuild-tallies", help="compute the month tallies again from the hazards")
    admin.set_defaults(handler=_admin)


def _admin(args: argparse.Namespace) -> int:
    from inspect_app.commands.serve import admin_password, settings_from
    from inspect_app.server.app import connect, open_hq

    try:
        settings = settings_from(args)
        hq, accounts = open_hq(settings, connect(settings))
        match args.admin_command:
            case "create-user":
                accounts.create_user(
                    args.username, admin_password(), is_admin=args.admin, person_id=args.person
                )
                print(f"user '{args.username}' saved")
            case "make-code":
                code, expires = hq.make_code(args.person_id, "cli")
                print(f"{code}  (for {args.person_id}, valid until {expires})")
            case "revoke-device":
                hq.revoke_device(args.device_id)
                print(f"revoked {args.device_id}")
            case "list-devices":
                for d in hq.list_devices():
                    state = (
                        "revoked" if d["revoked"] else f"last sync {d['last_sync_at'] or 'never'}"
                    )
                    kind = "  (HQ web account)" if d["web"] else ""
                    print(f"{d['id']}  {d['person_id']:<10} {state}{kind}")
            case "publish-site":
                print(f"published site of {hq.publish_site(args.file.read_text('utf-8'))}")
            case "publish-checklist":
                checklist_id, version = hq.publish_checklist(args.file.read_text("utf-8"))
                print(f"published {checklist_id} v{version}")
            case "restored":
                from inspect_app.commands.serve import cli_actor
                from inspect_app.server import audit
                from inspect_app.server.epoch import new_epoch

                epoch = new_epoch(hq.engine, "restored")
                audit.record(
                    hq.engine, "restore", cli_actor(), "local", how="restored", epoch=epoch
                )
                print(f"HQ's epoch is now {epoch}")
            case "check-data":
                return _check_data(hq.engine)
            case "rebuild-tallies":
                from inspect_app.server import tallies

                with hq.engine.begin() as conn:
                    print(f"{tallies.rebuild(conn)} month tallies written")
    except (HQError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _check_data(engine: Engine) -> int:
    from inspect_app.server.data_check import stored_data_problems

    problems = 0
    from inspect_app.server import tallies

    for problem in stored_data_problems(engine):
        print(problem)
        problems += 1
    with engine.connect() as conn:
        for line in tallies.drift(conn):
            print(f"{line} (inspect-app admin rebuild-tallies)")
            problems += 1
    print(f"{problems} problem(s) found" if problems else "every stored hazard is valid")
    return 1 if problems else 0
