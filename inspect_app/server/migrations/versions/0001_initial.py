"""Initial schema: master data, accounts and devices, hazards, events, commands, blobs.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    text, short, big = sa.Text, sa.String(64), sa.BigInteger
    stamp = sa.String(40)
    op.create_table(
        "counters",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", big, nullable=False),
    )
    op.create_table(
        "sites",
        sa.Column("plant_id", short, primary_key=True),
        sa.Column("yaml_text", text, nullable=False),
        sa.Column("updated_at", stamp, nullable=False),
    )
    op.create_table(
        "checklists",
        sa.Column("id", short, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("yaml_text", text, nullable=False),
        sa.Column("content_hash", short, nullable=False),
        sa.Column("published_at", stamp, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("username", short, primary_key=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("person_id", short),
        sa.Column("is_admin", sa.Boolean, nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", short, primary_key=True),
        sa.Column("username", short, nullable=False),
        sa.Column("expires_at", stamp, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("id", short, primary_key=True),
        sa.Column("person_id", short, nullable=False),
        sa.Column("token_hash", short, nullable=False, unique=True),
        sa.Column("created_at", stamp, nullable=False),
        sa.Column("revoked_at", stamp),
        sa.Column("last_sync_at", stamp),
        sa.Column("last_seq", big, nullable=False),
    )
    op.create_table(
        "enroll_codes",
        sa.Column("code_hash", short, primary_key=True),
        sa.Column("person_id", short, nullable=False),
        sa.Column("created_by", short, nullable=False),
        sa.Column("expires_at", stamp, nullable=False),
        sa.Column("used_at", stamp),
    )
    op.create_table(
        "hazards",
        sa.Column("id", short, primary_key=True),
        sa.Column("workshop_id", short, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_seq", big, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("server_seq", big, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("hazard_id", short),
        sa.Column("workshop_id", short),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("recorded_at", stamp, nullable=False),
    )
    op.create_index("ix_events_hazard", "events", ["hazard_id"])
    op.create_table(
        "commands",
        sa.Column("device_id", short, primary_key=True),
        sa.Column("command_id", short, primary_key=True),
        sa.Column("seq", big, nullable=False),
        sa.Column("payload_hash", short, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.UniqueConstraint("device_id", "seq", name="uq_commands_device_seq"),
    )
    op.create_table(
        "inspections",
        sa.Column("id", short, primary_key=True),
        sa.Column("device_id", short, nullable=False),
        sa.Column("workshop_id", short, nullable=False),
        sa.Column("payload_hash", short, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("server_seq", big, nullable=False),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", short, primary_key=True),
        sa.Column("size", big, nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("created_at", stamp, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "blobs",
        "inspections",
        "commands",
        "events",
        "hazards",
        "enroll_codes",
        "devices",
        "web_sessions",
        "users",
        "checklists",
        "sites",
        "counters",
    ):
        op.drop_table(table)
