"""What a reader may see: the workshops its person may act in (all of them for an HQ admin with
no workshop list) and, for a device, its own private events. The filters are SQL, so a pull or a
blob read never loads what it then throws away."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from inspect_app.core.site import Person
from inspect_app.server import schema

NOWHERE = frozenset[str]()


@dataclass(frozen=True)
class Scope:
    #: None: every workshop.
    workshops: frozenset[str] | None
    #: The reading device, which also sees the events it caused that nobody else may.
    device_id: str | None = None

    @classmethod
    def of(cls, person: Person | None, device_id: str | None = None) -> Scope:
        if person is None:
            return cls(NOWHERE, device_id)
        if person.acts_everywhere:
            return cls(None, device_id)
        return cls(frozenset(person.workshops), device_id)

    def workshop_filter(self, column: ColumnElement[str]) -> ColumnElement[bool]:
        if self.workshops is None:
            return true()
        return column.in_(sorted(self.workshops)) if self.workshops else false()

    def events_filter(self) -> ColumnElement[bool]:
        events = schema.events
        if self.workshops is None and self.device_id is None:
            return true()  # HQ's own pages: the audit trail, refused commands included
        if self.workshops is None:
            return or_(events.c.private == false(), events.c.device_id == self.device_id)
        shared = and_(
            events.c.private == false(),
            or_(events.c.workshop_id.is_(None), self.workshop_filter(events.c.workshop_id)),
        )
        if self.device_id is None:
            return shared
        return or_(events.c.device_id == self.device_id, shared)


EVERYWHERE = Scope(None)
