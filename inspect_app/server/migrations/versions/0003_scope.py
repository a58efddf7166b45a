"""Scope and fresh master data: events know their sending device and whether they are private to
it, blobs know which workshops' hazards and inspections refer to them, and a master-data version
counter tells every HQ process when the site or checklists changed.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

#: Results whose event is shared with the workshop; anything else stays with its sender.
SHARED_RESULTS = ("applied", "rejected_conflict")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("device_id", sa.String(64)))
        batch.add_column(
            sa.Column("private", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_index("ix_events_workshop_seq", "events", ["workshop_id", "server_seq"])
    op.create_table(
        "blob_refs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("workshop_id", sa.String(64), primary_key=True),
    )
    bind = op.get_bind()
    counters = sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger))
    bind.execute(sa.insert(counters).values(name="master_version", value=1))
    _backfill_events(bind)
    _backfill_blob_refs(bind)


def _backfill_events(bind: sa.Connection) -> None:
    events = sa.table(
        "events",
        sa.column("server_seq", sa.BigInteger),
        sa.column("kind", sa.String),
        sa.column("data", sa.JSON),
        sa.column("device_id", sa.String),
        sa.column("private", sa.Boolean),
    )
    rows = bind.execute(
        sa.select(events.c.server_seq, events.c.kind, events.c.data).where(
            events.c.kind.in_(("hazard", "inspection"))
        )
    ).all()
    for row in rows:
        data = row.data or {}
        private = row.kind == "hazard" and data.get("result") not in SHARED_RESULTS
        bind.execute(
            sa.update(events)
            .where(events.c.server_seq == row.server_seq)
            .values(device_id=data.get("device_id"), private=private)
        )


def _backfill_blob_refs(bind: sa.Connection) -> None:
    refs: set[tuple[str, str]] = set()
    hazards = sa.table("hazards", sa.column("workshop_id", sa.String), sa.column("data", sa.JSON))
    for row in bind.execute(sa.select(hazards.c.workshop_id, hazards.c.data)):
        data = row.data or {}
        for sha in [*(data.get("photos") or []), *(data.get("after_photos") or [])]:
            refs.add((sha, row.workshop_id))
    inspections = sa.table(
        "inspections", sa.column("workshop_id", sa.String), sa.column("data", sa.JSON)
    )
    for row in bind.execute(sa.select(inspections.c.workshop_id, inspections.c.data)):
        for answer in (row.data or {}).get("answers") or []:
            for sha in answer.get("photos") or []:
                refs.add((sha, row.workshop_id))
    if refs:
        blob_refs = sa.table("blob_refs", sa.column("sha256"), sa.column("workshop_id"))
        bind.execute(
            sa.insert(blob_refs), [{"sha256": s, "workshop_id": w} for s, w in sorted(refs)]
        )


def downgrade() -> None:
    op.execute("DELETE FROM counters WHERE name = 'master_version'")
    op.drop_table("blob_refs")
    op.drop_index("ix_events_workshop_seq", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("private")
        batch.drop_column("device_id")
