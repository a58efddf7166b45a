"""Photos taken on other devices, brought to this one: thumbnails after each pull, a full-size
photo when someone opens it.

After a pull, the thumbnail of every photo the hazards on this device show (before, after, a
control's) that the device does not hold is fetched from HQ (``GET /v1/blobs/{sha}/thumb``),
newest hazards first and at most ``PER_RUN`` a run. Each is stored as it arrives, and a held
thumbnail is never asked for again, so the next run goes on where this one stopped. A photo HQ
answers 404 for (no longer in the person's scope, say) is noted and tried again only after the
others, so it never takes their turn; a network failure ends the downloads of this run without
failing the sync.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace
from inspect_app.store import LocalStore
from inspect_app.store.photo_files import check_sha, is_sha
from inspect_app.sync.errors import RequestRejected, SyncError, SyncErrorCode
from inspect_app.sync.transport import Transport

#: The most thumbnails one sync run fetches (about 30 KB each).
PER_RUN = 200
#: Photos HQ answered 404 for, tried after the others.
NOT_AT_HQ = "thumbs_not_at_hq"
_JPEG = b"\xff\xd8\xff"


@dataclass
class Downloads:
    fetched: int = 0
    not_at_hq: int = 0
    #: Why the run stopped early (the network), if it did.
    stopped: str | None = None


def wanted_thumbnails(ws: Workspace) -> list[str]:
    """The photos shown by the hazards on this device whose thumbnail it lacks, newest hazard
    first, those HQ did not have last time at the end."""
    hazards = sorted(HazardService(ws).all(), key=lambda h: h.found_at, reverse=True)
    held = ws.store.photos.thumbnails()
    shas = dict.fromkeys(
        sha for hazard in hazards for sha in hazard.all_photos if sha not in held and is_sha(sha)
    )
    absent = set(ws.store.get_meta(NOT_AT_HQ) or [])
    return sorted(shas, key=lambda sha: sha in absent)


def fetch_thumbnails(ws: Workspace, transport: Transport, per_run: int = PER_RUN) -> Downloads:
    """Fetch up to ``per_run`` missing thumbnails; never raises for HQ or the network."""
    store = ws.store
    done = Downloads()
    absent = set(store.get_meta(NOT_AT_HQ) or [])
    noted = set(absent)
    try:
        for sha in wanted_thumbnails(ws)[:per_run]:
            try:
                answer = transport.request("GET", f"/v1/blobs/{sha}/thumb")
            except RequestRejected:
                absent.add(sha)
                done.not_at_hq += 1
                continue
            if not answer.content.startswith(_JPEG):
                absent.add(sha)  # not a thumbnail: whatever answered, it was not HQ
                done.not_at_hq += 1
                continue
            store.photos.put_thumb(sha, answer.content)
            absent.discard(sha)
            done.fetched += 1
    except (SyncError, OSError) as exc:
        done.stopped = str(exc)
    if absent != noted:
        store.set_meta(NOT_AT_HQ, sorted(absent))
    return done


def fetch_full(store: LocalStore, transport: Transport, sha: str) -> bytes:
    """The full-size photo from HQ, checked against its hash and kept on the device; raises
    SyncError when HQ cannot be reached or does not give it."""
    check_sha(sha)
    data = transport.request("GET", f"/v1/blobs/{sha}").content
    try:
        store.photos.put(sha, data)
    except ValueError as exc:
        raise SyncError(SyncErrorCode.PHOTO_MISMATCH) from exc
    return data
