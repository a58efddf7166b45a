"""What this device knows about its photos at HQ, so each photo's bytes cross the network once
and the full-size file is freed only when nothing still needs it.

* ``at_hq``: photos HQ confirmed holding (PUT answered, or HEAD found it). Not asked about again.
* ``started``: photos whose upload began in some run, recorded durably before the first byte
  goes out. Only these are asked about with HEAD first: a run cut off mid-upload, or whose PUT
  answer was lost, may have left them stored at HQ. A photo never started is PUT straight away
  (HQ stores identical bytes once, so a photo another device sent too is still one object).

After HQ acknowledges the commands and inspections that reference a photo held at HQ, and no
entry still waiting or draft inspection refers to it, the full-size file is deleted; the
thumbnail stays for lists and reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from inspect_app.core.inspection import Inspection, InspectionStatus
from inspect_app.core.workflow import Command, referenced_photos
from inspect_app.services.outbox import COMMAND
from inspect_app.store import LocalStore

AT_HQ = "photos_at_hq"
STARTED = "photo_uploads_started"


class PhotoUploads:
    def __init__(self, store: LocalStore) -> None:
        self.store = store
        self.at_hq: set[str] = set(store.get_meta(AT_HQ) or [])
        self.started: set[str] = set(store.get_meta(STARTED) or [])

    def to_check(self, sha: str) -> bool:
        """Whether to ask HQ (HEAD) before sending: only for uploads begun before."""
        return sha in self.started

    def pending(self, shas: Iterable[str]) -> list[str]:
        return [sha for sha in shas if sha not in self.at_hq]

    def begin(self, shas: list[str]) -> None:
        """Durably note that these uploads start, before any of their bytes are sent."""
        new = set(shas) - self.started
        if new:
            self.started |= new
            self.store.set_meta(STARTED, sorted(self.started))

    def confirmed(self, sha: str) -> None:
        self.at_hq.add(sha)
        self.started.discard(sha)

    def forget(self, shas: Iterable[str]) -> None:
        """HQ asked for these: send them again, whatever was noted before."""
        self.at_hq -= set(shas)
        self.started -= set(shas)

    def save(self) -> None:
        with self.store.transaction() as tx:
            tx.set_meta(AT_HQ, sorted(self.at_hq))
            tx.set_meta(STARTED, sorted(self.started))

    def release(self, shas: Iterable[str], still_needed: set[str]) -> int:
        """Free the full-size files of these photos HQ holds and nothing waiting needs; returns
        how many were deleted."""
        freed = [s for s in set(shas) if s in self.at_hq and s not in still_needed]
        if freed:
            self.store.photos.delete(*freed)
            self.at_hq.difference_update(freed)
            self.store.set_meta(AT_HQ, sorted(self.at_hq))
        return len(freed)


def photos_still_needed(store: LocalStore) -> set[str]:
    """The photos an outbox entry, waiting or kept, or a draft inspection refers to."""
    needed: set[str] = set()
    inspections = {
        h["id"] for h in store.list_inspections() if h["status"] == InspectionStatus.DRAFT
    }
    for entry in store.pending_outbox() + store.sent_outbox():
        if entry["kind"] == COMMAND:
            needed.update(referenced_photos(Command.from_dict(entry["command"])))
        else:
            inspections.add(entry["inspection_id"])
    for inspection_id in inspections:
        header = store.get_inspection(inspection_id)
        if header is not None:
            answers = list(store.answers(inspection_id).values())
            needed.update(Inspection.from_dict({**header, "answers": answers}).all_photos)
    return needed
