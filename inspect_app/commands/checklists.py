"""``inspect-app checklists validate|list``: check checklist files and show what is shipped."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inspect_app.loaders.checklist_loader import checklist_files, load_checklists
from inspect_app.resources import shipped_checklists_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("checklists", help="validate and list checklist YAML files")
    commands = group.add_subparsers(dest="checklists_command", metavar="ACTION", required=True)
    validate = commands.add_parser(
        "validate", help="check files or folders against the checklist format"
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the shipped checklists)"
    )
    validate.set_defaults(handler=_validate)
    listing = commands.add_parser("list", help="id, version, category, items and title of each")
    listing.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the shipped checklists)"
    )
    listing.set_defaults(handler=_list)


def _paths(args: argparse.Namespace) -> list[Path]:
    return args.paths or [shipped_checklists_dir()]


def _validate(args: argparse.Namespace) -> int:
    """Each problem as ``FILE:LINE:COL: message``, then a summary; 1 if any file is invalid."""
    files = checklist_files(_paths(args))
    if not files:
        print(f"no *.yaml or *.yml files in {', '.join(map(str, _paths(args)))}")
        return 1
    checklists, errors = load_checklists(files)
    for error in errors:
        print(error)
    invalid = len({error.file for error in errors})
    if invalid:
        print(f"{invalid} of {len(files)} files invalid")
        return 1
    print(f"{len(checklists)} checklists OK, 0 invalid")
    return 0


def _list(args: argparse.Namespace) -> int:
    checklists, errors = load_checklists(_paths(args))
    for c in checklists:
        print(
            f"{c.id:<28} v{c.version:<3} {c.category.value:<18} {c.item_count:>3} items  "
            f"{c.title.get('en')}"
        )
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0
