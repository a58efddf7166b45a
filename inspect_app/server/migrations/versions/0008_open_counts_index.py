"""The covering index of the open hazards' counts (open, majors, overdue per plant or
workshop), so the overview pages count them from the index alone, never the wide records.

Revision ID: 0008
"""

from alembic import op

revision = "0008"
down_revision = "0007"

OPEN_COUNTS_INDEX = ["status", "grade", "deadline", "plant_id", "workshop_id"]


def upgrade() -> None:
    op.create_index("ix_hazards_open_counts", "hazards", OPEN_COUNTS_INDEX)


def downgrade() -> None:
    op.drop_index("ix_hazards_open_counts", "hazards")
