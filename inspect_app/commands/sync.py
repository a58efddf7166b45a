"""``inspect-app sync`` and ``inspect-app enroll``: one sync of a device's data directory, with a
progress bar, for kiosk tablets and for testing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from inspect_app.services.bootstrap import default_data_dir, open_workspace
from inspect_app.store import StoreLockedError
from inspect_app.sync.client import enroll, sync_once
from inspect_app.sync.progress import Phase, SyncProgress
from inspect_app.sync.transport import SyncError

BAR_WIDTH = 30
STORE_IN_USE = "the app's data is in use by another inspect-app process (close the app or wait)"


def register(subparsers: argparse._SubParsersAction) -> None:
    sync = subparsers.add_parser("sync", help="sync a device's data directory with HQ once")
    sync.add_argument("--data", type=Path, default=None, help="the device's data directory")
    sync.set_defaults(handler=_sync)
    enrol = subparsers.add_parser("enroll", help="enrol a device's data directory with HQ")
    enrol.add_argument("server_url", help="HQ's address, e.g. https://hq.example.com")
    enrol.add_argument("code", help="the one-time enrolment code from the HQ page")
    enrol.add_argument("--data", type=Path, default=None, help="the device's data directory")
    enrol.add_argument("--ca-file", default=None, help="a plant CA certificate to trust")
    enrol.set_defaults(handler=_enroll)


def _store_free(handler: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """A store another process holds (the app, another sync) is one line and exit code 1."""

    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except StoreLockedError:
            print(STORE_IN_USE, file=sys.stderr)
            return 1

    return run


def render_bar(progress: SyncProgress) -> str:
    filled = round(progress.fraction * BAR_WIDTH)
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    return (
        f"[{bar}] {progress.fraction * 100:5.1f}%  {progress.phase.value:<6} "
        f"photos left {progress.photos_left}, commands left {progress.commands_left}, "
        f"{progress.bytes_sent / 1e6:.1f} MB sent"
    )


def _print_progress(progress: SyncProgress) -> None:
    end = "\n" if progress.phase in (Phase.DONE, Phase.FAILED) else "\r"
    print(render_bar(progress), end=end, file=sys.stderr, flush=True)


@_store_free
def _sync(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.data or default_data_dir())
    try:
        report = sync_once(workspace, _print_progress)
    except SyncError as exc:
        print(f"sync failed: {exc}", file=sys.stderr)
        return 1
    finally:
        workspace.store.close()
    print(
        f"synced: {report.photos_uploaded} photos uploaded "
        f"({report.photos_present} already at HQ), "
        f"{len(report.results)} items pushed, {report.events_pulled} events pulled, "
        f"{len(report.conflicts)} conflicts"
    )
    return 0


@_store_free
def _enroll(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.data or default_data_dir())
    try:
        enroll(workspace, args.server_url, args.code, args.ca_file)
        print(f"enrolled with {args.server_url} as device {workspace.device_id}")
    except SyncError as exc:
        print(f"enrolment failed: {exc}", file=sys.stderr)
        return 1
    finally:
        workspace.store.close()
    return 0
