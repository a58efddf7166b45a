"""HQ's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL. Alembic revisions under
``server/migrations`` create and upgrade them; this module is what the code queries."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("plant_id", String(64), primary_key=True),
    Column("yaml_text", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
)

checklists = Table(
    "checklists",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("yaml_text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("published_at", String(40), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("person_id", String(64)),
    Column("is_admin", Boolean, nullable=False, default=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("expires_at", String(40), nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("person_id", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
    Column("last_sync_at", String(40)),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("label", String(100), nullable=False, default=""),
    Column("pulled_seq", BigInteger),  # the cursor of its last pull, for the lag metric
    Column("epoch", String(32)),  # HQ's epoch at the device's last push (server/epoch.py)
)

enroll_codes = Table(
    "enroll_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("person_id", String(64), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("used_at", String(40)),
)

hazards = Table(
    "hazards",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("workshop_id", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("grade", String(20), nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_seq", BigInteger, nullable=False),
    # Denormalised from ``data`` for the figures and lists (server/figures.py); instants are
    # plant-local timestamps of one width, so their text sorts as they do.
    Column("plant_id", String(64)),
    Column("found_at", String(26)),
    Column("deadline", String(10)),  # in effect, every approved extension counted
    Column("deadline_set_at", String(26)),  # when the last approved extension moved it
    Column("original_deadline", String(10)),
    Column("closed_at", String(26)),
    Column("rectified_at", String(26)),
    Column("on_the_spot", Boolean),
    Column("done_at", String(26)),  # rectified as docs/rates.md counts it
)
Index("ix_hazards_status", hazards.c.status)
Index("ix_hazards_status_deadline", hazards.c.status, hazards.c.deadline, hazards.c.id)
Index("ix_hazards_plant_status", hazards.c.plant_id, hazards.c.status, hazards.c.deadline)
Index("ix_hazards_workshop_status", hazards.c.workshop_id, hazards.c.status, hazards.c.deadline)
#: Covers the open hazards' counts (open, majors, overdue per plant or workshop).
Index(
    "ix_hazards_open_counts",
    hazards.c.status,
    hazards.c.grade,
    hazards.c.deadline,
    hazards.c.plant_id,
    hazards.c.workshop_id,
)
#: Covers every column a figure reads, so the never-rectified hazards are counted from it alone.
Index(
    "ix_hazards_figures",
    hazards.c.done_at,
    hazards.c.status,
    hazards.c.plant_id,
    hazards.c.workshop_id,
    hazards.c.grade,
    hazards.c.found_at,
    hazards.c.original_deadline,
    hazards.c.deadline,
    hazards.c.deadline_set_at,
)
Index(
    "ix_hazards_found_figures",
    hazards.c.found_at,
    hazards.c.done_at,
    hazards.c.status,
    hazards.c.plant_id,
    hazards.c.workshop_id,
    hazards.c.grade,
    hazards.c.original_deadline,
    hazards.c.deadline,
    hazards.c.deadline_set_at,
)
Index(
    "ix_hazards_due_figures",
    hazards.c.original_deadline,
    hazards.c.done_at,
    hazards.c.found_at,
    hazards.c.status,
    hazards.c.plant_id,
    hazards.c.workshop_id,
    hazards.c.grade,
    hazards.c.deadline,
    hazards.c.deadline_set_at,
)
Index("ix_hazards_deadline_set", hazards.c.deadline_set_at)
#: The hazards whose deadline is still to come, for a period's figures beside its tallies.
Index(
    "ix_hazards_deadline_figures",
    hazards.c.deadline,
    hazards.c.done_at,
    hazards.c.found_at,
    hazards.c.status,
    hazards.c.plant_id,
    hazards.c.workshop_id,
    hazards.c.grade,
    hazards.c.original_deadline,
    hazards.c.deadline_set_at,
)

#: Each plant-local month's figures per plant, workshop and grade, summed from the hazards
#: (server/tallies.py); plant_id is "" for a workshop of no known plant.
hazard_tallies = Table(
    "hazard_tallies",
    metadata,
    Column("month", String(7), primary_key=True),  # "" for the deltas' totals
    Column("plant_id", String(64), primary_key=True),
    Column("workshop_id", String(64), primary_key=True),
    Column("grade", String(20), primary_key=True),
    *(
        Column(name, Integer, nullable=False, server_default="0")
        for name in (
            "found",
            "found_rectified",
            "rectified_on_time",
            "rectified_late",
            "fell_due",
            "due_rectified",
            "due_rectified_on_time",
            "open_delta",
            "overdue_delta",
            "settled_delta",
        )
    ),
)
Index("ix_hazard_tallies_plant", hazard_tallies.c.plant_id, hazard_tallies.c.month)
Index("ix_hazard_tallies_workshop", hazard_tallies.c.workshop_id, hazard_tallies.c.month)

events = Table(
    "events",
    metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(20), nullable=False),  # hazard | inspection | checklist | site
    Column("hazard_id", String(64)),
    Column("workshop_id", String(64)),
    Column("data", JSON, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Column("device_id", String(64)),  # the sender, for hazard and inspection events
    Column("private", Boolean, nullable=False, default=False),  # seen by its sender only
)
Index("ix_events_hazard", events.c.hazard_id)
Index("ix_events_workshop_seq", events.c.workshop_id, events.c.server_seq)
#: A device's own events, which its pull reads beside its workshops' (server/pull.py).
Index("ix_events_device_seq", events.c.device_id, events.c.server_seq)

commands = Table(
    "commands",
    metadata,
    Column("device_id", String(64), primary_key=True),
    Column("command_id", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("result", JSON, nullable=False),
    UniqueConstraint("device_id", "seq", name="uq_commands_device_seq"),
)

inspections = Table(
    "inspections",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("device_id", String(64), nullable=False),
    Column("workshop_id", String(64), nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("server_seq", BigInteger, nullable=False),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("format", String(10), nullable=False),
    Column("created_at", String(40), nullable=False),
)

#: Which workshops' hazards and inspections refer to a blob: who may read it.
blob_refs = Table(
    "blob_refs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("workshop_id", String(64), primary_key=True),
)

#: HQ's epochs, newest last: a new one each time the database is restored from a backup.
epochs = Table(
    "epochs",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("id", String(32), nullable=False, unique=True),
    Column("started_at", String(40), nullable=False),
    Column("reason", String(20), nullable=False),
)

#: Who did what to HQ, when and from where (server/audit.py).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("detail", Text, nullable=False),
)
Index("ix_audit_log_kind_id", audit_log.c.kind, audit_log.c.id)

#: Failed logins within the throttling window, shared by every HQ process (server/accounts.py).
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("failed_at", Float, nullable=False),
)
Index("ix_login_failures_address", login_failures.c.address, login_failures.c.failed_at)
