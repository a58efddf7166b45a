"""Photos taken on another device come down: after a pull the head's device holds the thumbnail of
every photo its hazards show (never the full size, never fetched twice), a bounded number a run
and the rest on the next; a photo HQ does not give is skipped and tried last; no network never
fails the sync; a full-size photo comes on demand, checked against its hash, and the downloaded
ones are kept within a byte budget, the least recently opened deleted first (never a thumbnail,
never a photo this device took or still needs)."""

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
    DOWNLOADED,
    NOT_AT_HQ,
    fetch_full,
    fetch_thumbnails,
    opened,
    wanted_thumbnails,
)
from inspect_app.sync.transport import RetryPolicy, SyncError, Transport
from inspect_app.ui.viewmodels.hazards import HazardDetailModel
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
    assert head.store.get_meta(DOWNLOADED) == [[sha, len(data)]]
    with pytest.raises(SyncError):
        fetch_full(head.store, transport, "e" * 64)  # HQ does not have it


# -- the budget of downloaded full-size photos --------------------------------------------------


def shared_photos(device: Workspace, head: Workspace, count: int) -> list[str]:
    """``count`` (2 to 6) photos of one hazard another device sent: the head holds their
    thumbnails only."""
    walk_with_failure(device)
    shas = [device.store.list_hazards()[0]["photos"][0], *more_photos(device, count - 1)]
    sync(device)
    sync(head)
    assert not any(head.store.photos.has(sha) for sha in shas)
    return shas


def sizes_at_hq(ws: Workspace, shas: list[str]) -> dict[str, int]:
    transport = transport_of(ws)
    try:
        return {sha: len(transport.request("GET", f"/v1/blobs/{sha}").content) for sha in shas}
    finally:
        transport.close()


def held(ws: Workspace, shas: list[str]) -> list[str]:
    return [sha for sha in shas if ws.store.photos.has(sha)]


def three_held(head: Workspace, shas: list[str]) -> tuple[int, Transport]:
    """The first three of four photos fetched under a budget with room for three: a, b and c,
    or a, c and d."""
    a, b, c, d = shas
    size = sizes_at_hq(head, shas)
    budget = max(size[a] + size[b] + size[c], size[a] + size[c] + size[d])
    transport = transport_of(head)
    for sha in (a, b, c):
        fetch_full(head.store, transport, sha, budget)
    return budget, transport


def recorded(ws: Workspace) -> list[str]:
    return [sha for sha, _ in ws.store.get_meta(DOWNLOADED) or []]


def test_the_least_recently_opened_goes_first_and_its_thumbnail_stays(
    device: Workspace, head: Workspace
) -> None:
    a, b, c, d = shas = shared_photos(device, head, 4)
    budget, transport = three_held(head, shas)  # then d in, exactly one out
    assert held(head, shas) == [a, b, c] and recorded(head) == [a, b, c]
    hazard_id = head.store.list_hazards()[0]["id"]
    assert HazardDetailModel(head, hazard_id, "en").open_photo(a).full  # read here, now the newest
    assert recorded(head) == [b, c, a]
    fetch_full(head.store, transport, d, budget)
    assert held(head, shas) == [a, c, d] and recorded(head) == [c, a, d]
    assert all(head.store.photos.has_thumb(sha) for sha in shas)


def test_the_budget_is_respected_and_a_photo_larger_than_it_is_shown_not_kept(
    device: Workspace, head: Workspace
) -> None:
    shas = shared_photos(device, head, 6)
    size = sizes_at_hq(head, shas)
    budget = 2 * max(size.values())
    transport = transport_of(head)
    for sha in shas:
        data = fetch_full(head.store, transport, sha, budget)
        assert len(data) == size[sha] and head.store.photos.has(sha)
        assert sorted(held(head, shas)) == sorted(recorded(head))
        assert sum(size[s] for s in held(head, shas)) <= budget
    assert len(held(head, shas)) >= 2
    kept = held(head, shas)
    last = shas[0]
    assert last not in kept
    data = fetch_full(head.store, transport, last, size[last] - 1)
    assert len(data) == size[last]
    assert not head.store.photos.has(last) and held(head, shas) == kept
    with pytest.raises(SyncError):  # checked against its hash even when not kept
        fetch_full(head.store, transport, "e" * 64, 1)


def test_the_devices_own_photos_and_those_it_still_needs_are_never_evicted(
    device: Workspace, head: Workspace
) -> None:
    x, y, z = shas = shared_photos(device, head, 3)
    size = sizes_at_hq(head, shas)
    budget = size[x] + max(size[y], size[z])
    transport = transport_of(head)
    service = HazardService(head)
    hazard = service.all()[0]
    own = InspectionService(head).process_photo(jpeg_bytes("olive")).sha256
    fetch_full(head.store, transport, x, budget)
    # Not yet sent: a command with the head's own photo and one with the downloaded x.
    assert service.act(hazard, CommandType.ADD_PHOTO, {"photos": [own]}).applied
    assert service.act(service.get(hazard.id), CommandType.ADD_PHOTO, {"photos": [x]}).applied
    fetch_full(head.store, transport, y, budget)
    fetch_full(head.store, transport, z, budget)  # x, the oldest, is needed: y goes
    assert held(head, shas) == [x, z] and head.store.photos.has(own)
    assert own not in recorded(head)
    fetch_full(head.store, transport, y, 1)  # larger than the budget: nothing else moves
    assert held(head, shas) == [x, z] and head.store.photos.has(own)


def test_the_record_survives_a_reopen_of_the_store(
    tmp_path: Path, device: Workspace, head: Workspace
) -> None:
    a, b, c, d = shas = shared_photos(device, head, 4)
    budget, transport = three_held(head, shas)
    opened(head.store, a)
    transport.close()
    head.store.close()
    again = open_workspace(tmp_path / "head", clock=FakeClock())
    try:
        assert recorded(again) == [b, c, a]
        fetch_full(again.store, transport_of(again), d, budget)
        assert held(again, shas) == [a, c, d] and recorded(again) == [c, a, d]
    finally:
        again.store.close()


def test_a_recorded_file_gone_or_a_file_not_recorded_breaks_nothing(
    device: Workspace, head: Workspace
) -> None:
    a, b, c, d = shas = shared_photos(device, head, 4)
    size = sizes_at_hq(head, shas)
    transport = transport_of(head)
    for sha in (a, b):
        fetch_full(head.store, transport, sha)
    # A crash after an eviction deleted a, before the record said so.
    head.store.photos.path(a).unlink()
    opened(head.store, a)
    assert recorded(head) == [b, a]
    fetch_full(head.store, transport, c)
    assert recorded(head) == [b, c] and held(head, shas) == [b, c]
    # A crash after d was stored, before the record named it: d stays, never evicted.
    head.store.photos.put(d, fetch_full(head.store, transport, d, 0))
    opened(head.store, d)
    fetch_full(head.store, transport, a, size[a])  # room for a alone
    assert held(head, shas) == [a, d] and recorded(head) == [a]
