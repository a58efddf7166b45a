"""Photos cross the network once: a first upload goes straight to PUT, a resumed one asks HQ
(HEAD) only about uploads begun before and re-sends none HQ holds; full-size files are freed only
once HQ holds them and the entries that use them are acknowledged, never while a draft needs one."""

from __future__ import annotations

import pytest

from inspect_app.core.inspection import Answer
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.photo_uploads import AT_HQ, STARTED
from inspect_app.sync.transport import SyncError
from tests.server.conftest import Hq
from tests.services.conftest import jpeg_bytes
from tests.sync.fault_proxy import Fault, FaultProxy
from tests.sync.test_sync_client import device, hq, proxy, sync, walk_with_failure

__all__ = ["device", "hq", "proxy"]  # fixtures this module uses


def blob_requests(proxy: FaultProxy, method: str) -> int:
    return sum(1 for m, path in proxy.requests_seen if m == method and "/v1/blobs/" in path)


def test_first_upload_sends_without_asking_and_frees_the_full_size_after_ack(
    hq: Hq, device: Workspace, proxy: FaultProxy
) -> None:
    walk_with_failure(device)
    sha = device.store.list_hazards()[0]["photos"][0]
    assert device.store.photos.has(sha)
    report = sync(device)
    assert (report.photos_uploaded, blob_requests(proxy, "HEAD")) == (1, 0)
    assert not device.store.photos.has(sha)  # HQ holds it and both entries are acknowledged
    assert device.store.photos.has_thumb(sha)  # lists and reports still show it
    assert device.store.get_meta(AT_HQ) == [] and device.store.get_meta(STARTED) == []


def test_resume_after_a_cut_upload_resends_no_stored_photo(
    hq: Hq, device: Workspace, proxy: FaultProxy
) -> None:
    service = InspectionService(device)
    checklist = device.catalog.latest("electrical-monthly")
    walk_with_failure(device)
    # Three more photos on a draft, which keeps them on the device whatever happens.
    draft = service.start(checklist, "ws-stamping", "stamping-line-1")
    for colour in ("red", "green", "blue"):
        draft = service.attach_photo(draft, "panel-doors", None, jpeg_bytes(colour))
    # The first sync's push is refused outright after the photo went up: HQ holds the photo,
    # the entries are not acknowledged.
    proxy.inject(Fault("reset", method="POST", path_prefix="/v1/sync/push", times=100))
    with pytest.raises(SyncError, match="could not reach HQ"):
        sync(device)
    proxy.clear()
    puts_before = blob_requests(proxy, "PUT")
    assert puts_before == 1
    report = sync(device)
    assert blob_requests(proxy, "PUT") == puts_before  # not sent twice
    assert report.photos_uploaded == 0 and device.store.pending_outbox() == []
    assert all(device.store.photos.has(sha) for sha in draft.answers["panel-doors"].photos)


def test_a_photo_a_draft_still_uses_is_kept(hq: Hq, device: Workspace) -> None:
    service = InspectionService(device)
    walk_with_failure(device)
    sha = device.store.list_hazards()[0]["photos"][0]
    draft = service.start(
        device.catalog.latest("electrical-monthly"), "ws-stamping", "stamping-line-1"
    )
    service.answer(draft, Answer("panel-doors", "fail", photos=(sha,)))
    sync(device)
    assert device.store.photos.has(sha)
