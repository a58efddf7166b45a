"""HQ's epoch: a random id set when the database is created and replaced whenever it is restored
from a backup, so devices can tell that HQ forgot what they sent since; and the epoch each
device last pushed in.

Revision ID: 0004
"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    epoch = secrets.token_hex(16)
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
                "id": epoch,
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "reason": "created",
            }
        ],
    )

    # The epoch each device last pushed in: one that pushed before a restore may restart its seqs.
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("epoch", sa.String(32)))
    op.execute(sa.text("UPDATE devices SET epoch = :epoch").bindparams(epoch=epoch))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("epoch")
    op.drop_table("epochs")
