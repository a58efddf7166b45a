"""The month tallies (server/tallies.py), filled from the stored hazards, the index of the
hazards by deadline that a period's figures read beside them, and the index of a device's own
events that its pull reads.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

from inspect_app.server import tallies

revision = "0007"
down_revision = "0006"

DEADLINE_INDEX = [
    "deadline",
    "done_at",
    "found_at",
    "status",
    "plant_id",
    "workshop_id",
    "grade",
    "original_deadline",
    "deadline_set_at",
]


def upgrade() -> None:
    op.create_table(
        "hazard_tallies",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("plant_id", sa.String(64), primary_key=True),
        sa.Column("workshop_id", sa.String(64), primary_key=True),
        sa.Column("grade", sa.String(20), primary_key=True),
        *(
            sa.Column(name, sa.Integer, nullable=False, server_default="0")
            for name in tallies.MEASURES
        ),
    )
    op.create_index("ix_hazard_tallies_plant", "hazard_tallies", ["plant_id", "month"])
    op.create_index("ix_hazard_tallies_workshop", "hazard_tallies", ["workshop_id", "month"])
    op.create_index("ix_hazards_deadline_figures", "hazards", DEADLINE_INDEX)
    op.create_index("ix_events_device_seq", "events", ["device_id", "server_seq"])
    tallies.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_events_device_seq", "events")
    op.drop_index("ix_hazards_deadline_figures", "hazards")
    op.drop_table("hazard_tallies")
