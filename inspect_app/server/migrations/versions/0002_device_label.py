"""Devices get a label (whose phone it is) and hazards an index by status for the HQ page.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("label", sa.String(100), nullable=False, server_default=""))
    op.create_index("ix_hazards_status", "hazards", ["status"])


def downgrade() -> None:
    op.drop_index("ix_hazards_status", "hazards")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("label")
