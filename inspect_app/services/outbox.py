"""What goes into the outbox, and how: a command together with the local state it changes."""

from __future__ import annotations

from typing import Any

from inspect_app.core.workflow import Command, Decision
from inspect_app.services.workspace import COMMAND_SEQ

INSPECTION = "inspection"
COMMAND = "command"


def queue_inspection(tx: Any, inspection_id: str) -> None:
    """Queue a submitted inspection; it is read whole from the store when pushed."""
    tx.enqueue({"kind": INSPECTION, "inspection_id": inspection_id})


def queue_command(tx: Any, command: Command, decision: Decision) -> None:
    """Apply a locally decided command and queue it for HQ in the caller's transaction.

    The event is marked pending until HQ's copy (with its server_seq) replaces it on pull.
    """
    assert decision.hazard is not None
    tx.put_hazard(decision.hazard.to_dict())
    tx.add_event({**decision.event.to_dict(), "pending": True})
    tx.enqueue({"kind": COMMAND, "command": command.to_dict()})
    tx.set_meta(COMMAND_SEQ, command.seq)
