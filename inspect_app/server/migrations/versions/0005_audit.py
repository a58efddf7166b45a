"""The audit log (who did what, when, from where), failed logins shared by every HQ process for
throttling, and each device's last pull cursor (for the sequence-lag metric).

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_kind_id", "audit_log", ["kind", "id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.Float, nullable=False),
    )
    op.create_index("ix_login_failures_address", "login_failures", ["address", "failed_at"])
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("pulled_seq", sa.BigInteger))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("pulled_seq")
    op.drop_table("login_failures")
    op.drop_table("audit_log")
