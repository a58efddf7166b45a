"""``inspect-app checklists validate|list``: check checklist files and show what is shipped."""

from __future__ import annotations

import argparse
from pathlib import Path

from inspect_app.loaders.checklist_loader import checklist_files, load_checklist
from inspect_app.resources import shipped_checklists_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("checklists", help="validate and list checklist YAML files")
    commands = group.add_subparsers(dest="checklists_command", metavar="ACTION", required=True)
    validate = commands.add_parser("validate", help="check files or folders against the format")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: shipped)")
    validate.set_defaults(handler=_validate)
    listing = commands.add_parser("list", help="list checklists: id, version, category, items")
    listing.add_argument("paths", nargs="*", type=Path, help="files or folders (default: shipped)")
    listing.set_defaults(handler=_list)


def _validate(args: argparse.Namespace) -> int:
    files = checklist_files(args.paths or [shipped_checklists_dir()])
    invalid = 0
    ids: dict[str, Path] = {}
    for path in files:
        result = load_checklist(path)
        errors = [str(e) for e in result.errors]
        if result.checklist is not None:
            first = ids.setdefault(result.checklist.id, path)
            if first != path:
                errors.append(
                    f"{path}:1:1: checklist id '{result.checklist.id}' is also used by {first}"
                )
        for line in errors:
            print(line)
        invalid += bool(errors)
    if not files:
        print("no checklist files found")
        return 1
    if invalid:
        print(f"{invalid} of {len(files)} files invalid")
        return 1
    print(f"{len(files)} checklists OK, 0 invalid")
    return 0


def _list(args: argparse.Namespace) -> int:
    status = 0
    for path in checklist_files(args.paths or [shipped_checklists_dir()]):
        result = load_checklist(path)
        if result.checklist is None:
            print(f"{path}: invalid ({len(result.errors)} errors; run 'checklists validate')")
            status = 1
            continue
        c = result.checklist
        title = c.title.get("en")
        print(f"{c.id:<28} v{c.version:<3} {c.category.value:<18} {c.item_count:>3} items  {title}")
    return status
