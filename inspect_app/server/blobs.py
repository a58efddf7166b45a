"""Photos: verified on upload, recorded in the ``blobs`` table, and readable only through a
reference: the workshops whose hazards or inspections show a photo (``blob_refs``, filled by
push) decide who may read it, and its thumbnail. A thumbnail is made on its first request by the
devices' own pipeline and kept in the blob store under a key derived from the photo's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from inspect_app.photos import PhotoError, verify_image_bytes
from inspect_app.photos.pipeline import THUMB_EDGE, make_thumbnail
from inspect_app.server import schema
from inspect_app.server.blob_store import BlobStore, check_key
from inspect_app.server.common import digest
from inspect_app.server.errors import NotFound, Unprocessable
from inspect_app.server.scope import Scope

#: Pixel limit for uploaded photos; devices send at most 1600 px on the long edge.
BLOB_MAX_PIXELS = 40_000_000


class Blobs:
    def __init__(self, engine: Engine, store: BlobStore, clock: Callable[[], str]) -> None:
        self.engine = engine
        self.store = store
        self.clock = clock

    def exists(self, sha256: str) -> bool:
        check_key(sha256)
        with self.engine.connect() as conn:
            return not missing(conn, [sha256])

    def readable(self, sha256: str, scope: Scope) -> bool:
        """Whether a hazard or inspection ``scope`` may see shows the photo."""
        check_key(sha256)
        refs = schema.blob_refs
        with self.engine.connect() as conn:
            found = conn.execute(
                select(refs.c.sha256)
                .where(refs.c.sha256 == sha256, scope.workshop_filter(refs.c.workshop_id))
                .limit(1)
            ).first()
        return found is not None

    def read(self, sha256: str, scope: Scope) -> bytes:
        """The photo's bytes if ``scope`` may read it; else NotFound, the same answer as for a
        photo HQ does not have."""
        data = self.store.get(sha256) if self.readable(sha256, scope) else None
        if data is None:
            raise NotFound("no such blob")
        return data

    def read_thumb(self, sha256: str, scope: Scope) -> bytes:
        """The photo's thumbnail JPEG if ``scope`` may read the photo; else NotFound. Made once
        (about 12 ms of CPU and a read of the whole photo) and then read back from the store."""
        if not self.readable(sha256, scope):
            raise NotFound("no such blob")
        key = thumb_key(sha256)
        cached = self.store.get(key)
        if cached is not None:
            return cached
        data = self.store.get(sha256)
        if data is None:
            raise NotFound("no such blob")
        try:
            thumb = make_thumbnail(data, max_pixels=BLOB_MAX_PIXELS)
        except PhotoError as exc:  # verified on upload: only a damaged store gets here
            raise NotFound(f"no thumbnail: {exc}") from exc
        self.store.put(key, thumb)  # two first requests at once store identical bytes once
        return thumb

    def put(self, sha256: str, data: bytes) -> bool:
        """Verify and store; True if new. Raises Unprocessable for a bad hash or a non-image."""
        check_key(sha256)
        if digest(data) != sha256:
            raise Unprocessable("the body does not match its sha256")
        try:
            fmt = verify_image_bytes(data, BLOB_MAX_PIXELS)
        except PhotoError as exc:
            raise Unprocessable(f"not an accepted image: {exc}") from exc
        # A photo HQ already holds is answered from the table without touching the store, so a
        # device's retried upload succeeds while S3 is down. A row is written only after its
        # object, so a row means the object is there.
        if self.exists(sha256):
            return False
        created = self.store.put(sha256, data)
        try:
            with self.engine.begin() as conn:
                if missing(conn, [sha256]):
                    conn.execute(
                        insert(schema.blobs).values(
                            sha256=sha256, size=len(data), format=fmt, created_at=self.clock()
                        )
                    )
                    created = True
        except IntegrityError:
            created = False  # a simultaneous upload of the same photo recorded it first
        return created


def thumb_key(sha256: str) -> str:
    """The store key of a photo's thumbnail. Derived by hashing, so it is a valid key that no
    photo has (and no reference names, so it is never served as a photo)."""
    return hashlib.sha256(f"thumb-{THUMB_EDGE}:{check_key(sha256)}".encode()).hexdigest()


def missing(conn: Connection, shas: list[str]) -> list[str]:
    """The photos among ``shas`` HQ does not hold, in order, once each."""
    if not shas:
        return []
    have = {
        r.sha256
        for r in conn.execute(select(schema.blobs.c.sha256).where(schema.blobs.c.sha256.in_(shas)))
    }
    return [s for s in dict.fromkeys(shas) if s not in have]


def add_refs(conn: Connection, refs: Iterable[tuple[str, str]]) -> None:
    """Record that these (photo, workshop) pairs are shown; inside a push, which holds the
    sequence lock, so check-then-insert cannot race."""
    wanted = set(refs)
    if not wanted:
        return
    table = schema.blob_refs
    have = {
        (r.sha256, r.workshop_id)
        for r in conn.execute(
            select(table.c.sha256, table.c.workshop_id).where(
                table.c.sha256.in_(sorted({s for s, _ in wanted}))
            )
        )
    }
    rows = [{"sha256": s, "workshop_id": w} for s, w in sorted(wanted - have)]
    if rows:
        conn.execute(insert(table), rows)
