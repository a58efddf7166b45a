"""HQ's epoch: a random id set when the database is created and replaced whenever it is restored
from a backup, so devices can tell that HQ forgot what they sent since.

Revision ID: 0004
"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    epochs = op.create_table(
        "epochs",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
    )
    op.bulk_insert(
        epochs,
        [
            {
                "number": 1,
                "id": secrets.token_hex(16),
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "reason": "created",
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("epochs")
