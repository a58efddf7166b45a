"""``inspect-app site validate``: check a site file (plant, workshops, people, equipment)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from inspect_app.core.site import certificate_findings
from inspect_app.loaders.site_loader import load_site
from inspect_app.resources import demo_site_path


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("site", help="validate a site file")
    commands = group.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    validate = commands.add_parser("validate", help="check a site file (default: the demo site)")
    validate.add_argument("path", nargs="?", type=Path, default=None)
    validate.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    path = args.path or demo_site_path()
    result = load_site(path)
    for error in result.errors:
        print(error)
    if result.site is None:
        return 1
    site = result.site
    print(
        f"{path}: OK: {len(site.workshops)} workshops, {len(site.people)} people, "
        f"{len(site.equipment)} pieces of special equipment"
    )
    for finding in certificate_findings(site, date.today()):
        print(
            f"  certificate {finding.status.value}: {finding.asset.asset_id} "
            f"({finding.asset.name.get('en')}), {finding.days_left} days"
        )
    return 0
