"""Hazards on the device: the list (filtered, sorted by urgency, paged), the detail with its
timeline, and actions, each decided locally by the state machine and queued as a command."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspect_app.core.checklist import Grade, Risk
from inspect_app.core.hazard import Hazard, HazardEvent, HazardStatus
from inspect_app.core.roles import Role
from inspect_app.core.workflow import Command, CommandType, Decision, allowed_actions, decide
from inspect_app.services.clock import today
from inspect_app.services.outbox import queue_command
from inspect_app.services.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HazardFilter:
    workshop_id: str | None = None
    statuses: frozenset[HazardStatus] = field(
        default_factory=lambda: frozenset(s for s in HazardStatus if s.is_open)
    )
    grade: Grade | None = None
    risk: Risk | None = None
    category: str | None = None
    overdue_only: bool = False
    #: Inspectors see the hazards they found or must fix; heads and HQ see their workshops.
    involving: str | None = None

    def accepts(self, hazard: Hazard, day: date) -> bool:
        return (
            hazard.status in self.statuses
            and (self.workshop_id is None or hazard.workshop_id == self.workshop_id)
            and (self.grade is None or hazard.grade is self.grade)
            and (self.risk is None or hazard.risk is self.risk)
            and (self.category is None or hazard.category == self.category)
            and (not self.overdue_only or hazard.is_overdue(day))
            and (self.involving is None or _involves(hazard, self.involving))
        )


def _involves(hazard: Hazard, person_id: str) -> bool:
    responsible = hazard.plan.responsible_id if hazard.plan else None
    return person_id in (hazard.found_by, responsible, hazard.rectified_by)


def _readable(doc: dict[str, Any]) -> Hazard | None:
    """The hazard, or None (logged) for a record HQ stored before it validated commands: one
    broken record must not take the list and the dashboard down with it."""
    try:
        hazard = Hazard.from_dict(doc)
        hazard.found_date()
        hazard.deadline_date()
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        log.warning("hazard %s left out: its record is not valid (%s)", doc.get("id"), exc)
        return None
    return hazard


def urgency_key(hazard: Hazard, day: date) -> tuple[Any, ...]:
    """Major and overdue first, then by red-to-blue risk, then the nearest deadline."""
    return (
        not hazard.status.is_open,
        not hazard.is_major,
        not hazard.is_overdue(day),
        hazard.risk.rank,
        hazard.deadline,
        hazard.found_at,
    )


@dataclass(frozen=True)
class HazardPage:
    hazards: list[Hazard]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class HazardService:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def all(self) -> list[Hazard]:
        """Every hazard on the device, parsed once per change of the store's hazards (lists and
        dashboards call this on every render; hazards are immutable, so sharing is safe)."""
        revision = self.ws.store.hazards_revision
        cached = self.ws.hazard_cache
        if cached is None or cached[0] != revision:
            hazards = [h for doc in self.ws.store.list_hazards() if (h := _readable(doc))]
            cached = self.ws.hazard_cache = (revision, hazards)
        return list(cached[1])

    def get(self, hazard_id: str) -> Hazard | None:
        doc = self.ws.store.get_hazard(hazard_id)
        return _readable(doc) if doc else None

    def timeline(self, hazard_id: str) -> list[HazardEvent]:
        events = [HazardEvent.from_dict(e) for e in self.ws.store.events_for(hazard_id)]
        return sorted(events, key=lambda e: (e.server_seq is None, e.server_seq or 0))

    def default_filter(self) -> HazardFilter:
        user = self.ws.user
        only_own = user.roles == {Role.INSPECTOR}
        return HazardFilter(involving=user.id if only_own else None)

    def page(self, hazard_filter: HazardFilter, page: int = 0, page_size: int = 25) -> HazardPage:
        day = today(self.ws.clock)
        user = self.ws.user
        matching = [
            h
            for h in self.all()
            if user.can_act_in(h.workshop_id) and hazard_filter.accepts(h, day)
        ]
        matching.sort(key=lambda h: urgency_key(h, day))
        start = page * page_size
        return HazardPage(matching[start : start + page_size], len(matching), page, page_size)

    def actions(self, hazard: Hazard) -> list[CommandType]:
        return allowed_actions(hazard, self.ws.user)

    def act(self, hazard: Hazard, command_type: CommandType, payload: dict[str, Any]) -> Decision:
        """Decide the action locally; if the state machine takes it, commit and queue it."""
        user = self.ws.user
        with self.ws.command_lock:
            command = Command(
                id=str(uuid.uuid4()),
                device_id=self.ws.device_id,
                seq=self.ws.next_command_seq(),
                hazard_id=hazard.id,
                type=command_type,
                actor=user.id,
                observed_at=self.ws.now(),
                expected_from=hazard.status,
                base_version=hazard.version,
                payload=payload,
            )
            decision = decide(hazard, command, user, command.observed_at)
            if decision.applied:
                with self.ws.store.transaction() as tx:
                    queue_command(tx, command, decision)
        return decision
