"""Photos taken on another device come down: after a pull the head's device holds the thumbnail of
every photo its hazards show (never the full size, never fetched twice), a bounded number a run
and the rest on the next; a photo HQ does not give is skipped and tried last; no network never
fails the sync; a full-size photo comes on demand, checked against its hash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app.core.workflow import CommandType
from inspect_app.services.bootstrap import open_workspace
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import enroll
from inspect_app.sync.engine import KEEP_SENT_SECONDS
from inspect_app.sync.photo_downloads import (
    NOT_AT_HQ,
    fetch_full,
    fetch_thumbnails,
    wanted_thumbnails,
)
from inspect_app.sync.transport import RetryPolicy, SyncError, Transport
from tests.server.conftest import Hq
from tests.services.conftest import FakeClock, jpeg_bytes
from tests.support.services import free_port
from tests.sync.fault_proxy import FaultProxy
from tests.sync.test_sync_client import device, hq, proxy, sync, walk_with_failure

__all__ = ["device", "hq", "proxy"]  # fixtures this module uses


@pytest.fixture
def head(tmp_path: Path, hq: Hq, proxy: FaultProxy) -> Iterator[Workspace]:
    """王建国's device: the stamping workshop's head."""
    ws = open_workspace(tmp_path / "head", clock=FakeClock())
    enroll(ws, proxy.url, hq.app.state.hq.make_code("p-wang", "test")[0])
    ws.store.set_meta(KEEP_SENT_SECONDS, 0)
    yield ws
    ws.store.close()


def transport_of(ws: Workspace, attempts: int = 1) -> Transport:
    return Transport(
        ws.store.get_meta("server_url"),
        ws.store.get_meta("token"),
        retry=RetryPolicy(attempts=attempts),
        sleep=lambda _: None,
    )


def thumb_requests(proxy: FaultProxy) -> int:
    return sum(1 for m, path in proxy.requests_seen if m == "GET" and path.endswith("/thumb"))


def more_photos(ws: Workspace, count: int) -> list[str]:
    """``count`` more photos on the device's first hazard (the add-photo action), shas returned."""
    service = HazardService(ws)
    hazard = service.all()[0]
    shas = []
    for colour in ("navy", "teal", "purple", "yellow", "white")[:count]:
        sha = InspectionService(ws).process_photo(jpeg_bytes(colour)).sha256
        assert service.act(hazard, CommandType.ADD_PHOTO, {"photos": [sha]}).applied
        hazard = service.get(hazard.id)
        shas.append(sha)
    return shas


def test_the_heads_device_gets_the_thumbnails_once_and_not_the_full_size(
    device: Workspace, head: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    sync(device)
    sha = device.store.list_hazards()[0]["photos"][0]
    assert not head.store.photos.has_thumb(sha)
    sync(head)
    assert head.store.photos.has_thumb(sha) and not head.store.photos.has(sha)
    assert head.store.photos.read_thumb(sha) == device.store.photos.read_thumb(sha)
    fetched = thumb_requests(proxy)
    assert fetched == 1
    sync(head)
    assert thumb_requests(proxy) == fetched  # held: not asked for again
    assert wanted_thumbnails(head) == []


def test_bounded_per_run_and_resumed_by_the_next(
    device: Workspace, head: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    shas = [device.store.list_hazards()[0]["photos"][0], *more_photos(device, 4)]
    sync(device)
    sync(head)  # brings the hazard and fetches its five thumbnails
    for sha in shas:
        head.store.photos.thumb_path(sha).unlink()
    transport = transport_of(head)
    counts = [fetch_thumbnails(head, transport, per_run=2).fetched for _ in range(4)]
    assert counts == [2, 2, 1, 0]
    assert all(head.store.photos.has_thumb(sha) for sha in shas)


def test_a_photo_hq_does_not_give_is_skipped_and_tried_last(
    device: Workspace, head: Workspace
) -> None:
    walk_with_failure(device)
    sync(device)
    sync(head)
    doc = head.store.list_hazards()[0]
    real = doc["photos"][0]
    unknown = "e" * 64
    with head.store.transaction() as tx:
        tx.put_hazard({**doc, "photos": [unknown, real]})
    head.store.photos.thumb_path(real).unlink()
    assert wanted_thumbnails(head) == [unknown, real]
    done = fetch_thumbnails(head, transport_of(head))
    assert (done.fetched, done.not_at_hq, done.stopped) == (1, 1, None)
    assert head.store.get_meta(NOT_AT_HQ) == [unknown]
    # The other photos of a later hazard go before the one HQ did not have.
    head.store.photos.thumb_path(real).unlink()
    assert wanted_thumbnails(head) == [real, unknown]


def test_no_network_ends_the_downloads_without_failing(device: Workspace, head: Workspace) -> None:
    walk_with_failure(device)
    sync(device)
    sync(head)
    sha = head.store.list_hazards()[0]["photos"][0]
    head.store.photos.thumb_path(sha).unlink()
    nowhere = Transport(f"http://127.0.0.1:{free_port()}", "t", retry=RetryPolicy(attempts=1))
    done = fetch_thumbnails(head, nowhere)
    assert done.fetched == 0 and "no connection to HQ" in (done.stopped or "")
    assert head.store.get_meta(NOT_AT_HQ) is None  # not taken for a photo HQ lacks


def test_the_full_size_on_demand_checked_and_kept(device: Workspace, head: Workspace) -> None:
    walk_with_failure(device)
    sync(device)
    sync(head)
    sha = head.store.list_hazards()[0]["photos"][0]
    transport = transport_of(head)
    data = fetch_full(head.store, transport, sha)
    assert head.store.photos.has(sha) and head.store.photos.read(sha) == data
    with pytest.raises(SyncError):
        fetch_full(head.store, transport, "e" * 64)  # HQ does not have it
