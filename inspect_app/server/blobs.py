"""Photos: verified on upload, recorded in the ``blobs`` table, and readable only through a
reference: the workshops whose hazards or inspections show a photo (``blob_refs``, filled by
push) decide who may read it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from inspect_app.photos import PhotoError, verify_image_bytes
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

    def read(self, sha256: str, scope: Scope) -> bytes:
        """The photo's bytes if a hazard or inspection ``scope`` may see refers to it; else
        NotFound, the same answer as for a photo HQ does not have."""
        check_key(sha256)
        refs = schema.blob_refs
        with self.engine.connect() as conn:
            readable = conn.execute(
                select(refs.c.sha256)
                .where(refs.c.sha256 == sha256, scope.workshop_filter(refs.c.workshop_id))
                .limit(1)
            ).first()
        data = self.store.get(sha256) if readable else None
        if data is None:
            raise NotFound("no such blob")
        return data

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
