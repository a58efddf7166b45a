"""Photos on the hazard screens without Flet: the list row's first thumbnail, the photo groups
(before always, after when there are any), and opening a photo: held here, fetched from HQ and
kept, or offline the thumbnail with the note said in both languages."""

from __future__ import annotations

from inspect_app.core.workflow import CommandType
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import SERVER_URL, TOKEN
from inspect_app.ui.i18n import Translator
from inspect_app.ui.viewmodels.hazards import HazardDetailModel, HazardListModel, PhotoGroup
from tests.server.conftest import Hq
from tests.services.conftest import jpeg_bytes
from tests.support.services import free_port
from tests.sync.fault_proxy import FaultProxy
from tests.sync.test_sync_client import device, hq, proxy, sync, walk_with_failure

__all__ = ["device", "hq", "proxy"]  # fixtures this module uses


def found_and_fixed(ws: Workspace) -> tuple[str, str, str]:
    """A hazard found with a photo and fixed on the spot with another: (hazard, before, after)."""
    walk_with_failure(ws)
    hazards = HazardService(ws)
    hazard = hazards.all()[0]
    after = InspectionService(ws).process_photo(jpeg_bytes("green")).sha256
    payload = {"photos": [after], "note": "RCD replaced"}
    assert hazards.act(hazard, CommandType.FIX_ON_THE_SPOT, payload).applied
    return hazard.id, hazard.photos[0], after


def test_groups_and_the_list_rows_thumbnail(workspace: Workspace) -> None:
    hazard_id, before, after = found_and_fixed(workspace)
    model = HazardDetailModel(workspace, hazard_id, "en")
    assert model.photo_groups() == [PhotoGroup("before", (before,)), PhotoGroup("after", (after,))]
    _, rows = HazardListModel(workspace, "en").load()
    assert rows[0].thumbnail == workspace.store.photos.read_thumb(before)


def test_a_photo_held_here_opens_at_full_size(workspace: Workspace) -> None:
    hazard_id, before, _ = found_and_fixed(workspace)
    opened = HazardDetailModel(workspace, hazard_id, "en").open_photo(before)
    assert opened.full and opened.data == workspace.store.photos.read(before)


def test_offline_the_thumbnail_with_the_note(workspace: Workspace) -> None:
    hazard_id, before, _ = found_and_fixed(workspace)
    workspace.store.photos.delete(before)  # freed after HQ took it
    model = HazardDetailModel(workspace, hazard_id, "en")
    thumb = workspace.store.photos.read_thumb(before)
    assert (model.open_photo(before).full, model.open_photo(before).data) == (False, thumb)
    # Enrolled, but HQ cannot be reached: the same, without waiting long.
    workspace.store.set_meta(SERVER_URL, f"http://127.0.0.1:{free_port()}")
    workspace.store.set_meta(TOKEN, "t")
    opened = model.open_photo(before)
    assert (opened.full, opened.data) == (False, thumb)
    assert Translator("en")("photo.offline").startswith("Full size when online")
    assert Translator("zh")("photo.offline").startswith("联网后可看原图")


def test_online_the_full_size_is_fetched_and_kept(
    device: Workspace, hq: Hq, proxy: FaultProxy
) -> None:
    hazard_id, before, _ = found_and_fixed(device)
    sync(device)
    assert not device.store.photos.has(before)  # freed once HQ held it
    opened = HazardDetailModel(device, hazard_id, "en").open_photo(before)
    assert opened.full and device.store.photos.read(before) == opened.data
    assert ("GET", f"/v1/blobs/{before}") in proxy.requests_seen
