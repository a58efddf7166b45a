"""Photos taken on other devices, brought to this one: thumbnails after each pull, a full-size
photo when someone opens it.

After a pull, the thumbnail of every photo the hazards on this device show (before, after, a
control's) that the device does not hold is fetched from HQ (``GET /v1/blobs/{sha}/thumb``),
newest hazards first and at most ``PER_RUN`` a run. Each is stored as it arrives, and a held
thumbnail is never asked for again, so the next run goes on where this one stopped. A photo HQ
answers 404 for (no longer in the person's scope, say) is noted and tried again only after the
others, so it never takes their turn; a network failure ends the downloads of this run without
failing the sync.

A full-size photo fetched on demand is kept within a byte budget: the record ``DOWNLOADED`` lists
the photos fetched here with their sizes, least recently opened first, and each fetch deletes
the least recently opened full-size files (never their thumbnails) until the rest fit. Only
photos in the record are ever deleted, and none an outbox entry (waiting or kept) or a draft
inspection refers to. The record is written after the file is durable and after the evicted
files are gone, so a crash leaves at worst a name whose file is missing (dropped at the next
fetch) or one file the record does not name (kept, never evicted).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from inspect_app.services.hazards import HazardService
from inspect_app.services.workspace import Workspace
from inspect_app.store import LocalStore
from inspect_app.store.photo_files import check_sha, is_sha
from inspect_app.sync.errors import RequestRejected, SyncError, SyncErrorCode
from inspect_app.sync.photo_uploads import photos_still_needed
from inspect_app.sync.transport import Transport

#: The most thumbnails one sync run fetches (about 30 KB each).
PER_RUN = 200
#: Photos HQ answered 404 for, tried after the others.
NOT_AT_HQ = "thumbs_not_at_hq"
#: The bytes of downloaded full-size photos a device keeps by default (``budget`` overrides it).
BUDGET_BYTES = 200 * 1024 * 1024
#: The full-size photos fetched on demand, ``[sha, bytes]`` pairs, least recently opened first.
DOWNLOADED = "photos_downloaded"
# The record is read, changed and written by the screens' threads and the sync worker.
_RECORD_LOCK = threading.Lock()
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


def fetch_full(
    store: LocalStore, transport: Transport, sha: str, budget: int = BUDGET_BYTES
) -> bytes:
    """The full-size photo from HQ, checked against its hash and kept on the device within
    ``budget`` bytes of downloaded photos; raises SyncError when HQ cannot be reached or does
    not give it.

    A photo larger than the whole budget is returned but not kept: the budget stays a bound on
    the space taken, and emptying the cache for one photo that breaks it anyway gains nothing.
    """
    check_sha(sha)
    data = transport.request("GET", f"/v1/blobs/{sha}").content
    if hashlib.sha256(data).hexdigest() != sha:
        raise SyncError(SyncErrorCode.PHOTO_MISMATCH)
    if len(data) > budget:
        return data
    with _RECORD_LOCK:
        record = _read_record(store)
        if sha not in record and store.photos.has(sha):
            return data  # this device's own photo: photo_uploads decides when it goes
        store.photos.put(sha, data)
        record.pop(sha, None)
        record[sha] = len(data)
        _evict(store, record, budget)
        _write_record(store, record)
    return data


def opened(store: LocalStore, sha: str) -> None:
    """Someone opened this photo: a downloaded one becomes the most recently used."""
    with _RECORD_LOCK:
        record = _read_record(store)
        if sha not in record or next(reversed(record)) == sha:
            return
        record[sha] = record.pop(sha)
        _write_record(store, record)


def _read_record(store: LocalStore) -> dict[str, int]:
    """The downloaded photos and their sizes, in insertion order: least recently opened first."""
    return {sha: size for sha, size in store.get_meta(DOWNLOADED) or []}


def _write_record(store: LocalStore, record: dict[str, int]) -> None:
    store.set_meta(DOWNLOADED, [[sha, size] for sha, size in record.items()])


def _evict(store: LocalStore, record: dict[str, int], budget: int) -> None:
    """Forget the photos whose file is gone, then delete the least recently opened until the
    rest fit ``budget``, sparing those still needed; ``record`` is changed to match."""
    for sha in [sha for sha in record if not store.photos.has(sha)]:
        del record[sha]
    excess = sum(record.values()) - budget
    if excess <= 0:
        return
    needed = photos_still_needed(store)
    evicted: list[str] = []
    for sha, size in record.items():
        if excess <= 0:
            break
        if sha not in needed:
            evicted.append(sha)
            excess -= size
    if evicted:
        store.photos.delete(*evicted)
        for sha in evicted:
            del record[sha]
