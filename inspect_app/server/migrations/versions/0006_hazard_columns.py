"""Hazard columns for the figures and lists computed in SQL (server/figures.py), backfilled
from each hazard's JSON; a record that does not parse keeps them empty and is not counted.

Revision ID: 0006
"""

import json

import sqlalchemy as sa
from alembic import op

from inspect_app.core.hazard import Hazard
from inspect_app.server.figures import hazard_columns
from inspect_app.server.master_data import load_directory

revision = "0006"
down_revision = "0005"

COLUMNS = {
    "plant_id": sa.String(64),
    "found_at": sa.String(26),
    "deadline": sa.String(10),
    "deadline_set_at": sa.String(26),
    "original_deadline": sa.String(10),
    "closed_at": sa.String(26),
    "rectified_at": sa.String(26),
    "on_the_spot": sa.Boolean,
    "done_at": sa.String(26),
}
INDEXES = {
    "ix_hazards_status_deadline": ["status", "deadline", "id"],
    "ix_hazards_plant_status": ["plant_id", "status", "deadline"],
    "ix_hazards_workshop_status": ["workshop_id", "status", "deadline"],
    "ix_hazards_figures": [
        "done_at",
        "status",
        "plant_id",
        "workshop_id",
        "grade",
        "found_at",
        "original_deadline",
        "deadline",
        "deadline_set_at",
    ],
    "ix_hazards_found_figures": [
        "found_at",
        "done_at",
        "status",
        "plant_id",
        "workshop_id",
        "grade",
        "original_deadline",
        "deadline",
        "deadline_set_at",
    ],
    "ix_hazards_due_figures": [
        "original_deadline",
        "done_at",
        "found_at",
        "status",
        "plant_id",
        "workshop_id",
        "grade",
        "deadline",
        "deadline_set_at",
    ],
    "ix_hazards_deadline_set": ["deadline_set_at"],
}
BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("hazards") as batch:
        for name, type_ in COLUMNS.items():
            batch.add_column(sa.Column(name, type_))
    conn = op.get_bind()
    plants = {w: s.plant.id for w, s in load_directory(conn).workshop_names().items()}
    hazards = sa.table("hazards", sa.column("id"), *(sa.column(name) for name in COLUMNS))
    rows = conn.execute(sa.text("SELECT id, CAST(data AS TEXT) FROM hazards")).all()
    updates = []
    for hazard_id, raw in rows:
        try:
            hazard = Hazard.from_dict(json.loads(raw))
            values = hazard_columns(hazard, plants.get(hazard.workshop_id))
        except (KeyError, ValueError, TypeError, AttributeError, RecursionError):
            continue  # not a valid record: HQ's pages show it as such, the figures skip it
        updates.append({"b_id": hazard_id, **{f"b_{name}": values[name] for name in COLUMNS}})
    statement = (
        hazards.update()
        .where(hazards.c.id == sa.bindparam("b_id"))
        .values({name: sa.bindparam(f"b_{name}") for name in COLUMNS})
    )
    for start in range(0, len(updates), BATCH):
        conn.execute(statement, updates[start : start + BATCH])
    for name, columns in INDEXES.items():
        op.create_index(name, "hazards", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "hazards")
    with op.batch_alter_table("hazards") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
