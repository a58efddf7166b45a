"""Stored records that do not pass today's validation: hazards HQ stored before it checked every
command, listed field by field so an operator can void or repair them. Read-only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, select

from inspect_app.core.records import record_problems
from inspect_app.server import schema


@dataclass(frozen=True)
class DataProblem:
    hazard_id: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f" {self.field}" if self.field else ""
        return f"hazard {self.hazard_id}{where}: {self.reason}"


def stored_data_problems(engine: Engine, batch: int = 1000) -> Iterator[DataProblem]:
    """Every problem in the stored hazards, read a batch at a time in id order."""
    table = schema.hazards
    after = ""
    with engine.connect() as conn:
        while True:
            rows = conn.execute(
                select(table.c.id, table.c.data)
                .where(table.c.id > after)
                .order_by(table.c.id)
                .limit(batch)
            ).all()
            for row in rows:
                for field, reason in record_problems(row.data):
                    yield DataProblem(row.id, field, reason)
            if len(rows) < batch:
                return
            after = rows[-1].id
