"""One device's working context: store, master data, clock, identity and the signed-in person."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from inspect_app.core.hazard import Hazard
from inspect_app.core.site import Person
from inspect_app.services.catalog import Catalog
from inspect_app.services.clock import Clock, system_clock, timestamp
from inspect_app.services.errors import ErrorCode, ServiceError
from inspect_app.services.settings import DeviceSettings
from inspect_app.store import LocalStore

DEVICE_ID = "device_id"
USER_ID = "user_id"
COMMAND_SEQ = "command_seq"
#: Who the device is signed in as when the person tries the demo plant.
DEMO_INSPECTOR = "p-li"


class NotSignedInError(ServiceError):
    """No person is chosen on this device yet."""


@dataclass
class Workspace:
    store: LocalStore
    catalog: Catalog
    clock: Clock = system_clock
    #: Serialises command creation so per-device command seqs stay contiguous across threads.
    command_lock: threading.Lock = field(default_factory=threading.Lock)
    #: Parsed hazards and the store's hazards revision they were read at (see HazardService).
    hazard_cache: tuple[int, list[Hazard]] | None = None

    def __post_init__(self) -> None:
        # Settled at once: commands read it inside their store transaction, where a first-time
        # write of the id would be a nested transaction.
        if self.store.get_meta(DEVICE_ID) is None:
            self.store.set_meta(DEVICE_ID, f"local-{uuid.uuid4()}")

    @property
    def device_id(self) -> str:
        """HQ's id for this device once enrolled; a local UUID until then."""
        return str(self.store.get_meta(DEVICE_ID))

    @property
    def settings(self) -> DeviceSettings:
        return DeviceSettings(self.store)

    @property
    def user(self) -> Person:
        user_id = self.store.get_meta(USER_ID)
        person = self.catalog.person(user_id) if user_id else None
        if person is None:
            raise NotSignedInError(ErrorCode.NOT_SIGNED_IN)
        return person

    @property
    def user_or_none(self) -> Person | None:
        try:
            return self.user
        except NotSignedInError:
            return None

    def sign_in(self, person_id: str) -> Person:
        person = self.catalog.person(person_id)
        if person is None:
            raise KeyError(f"no person {person_id!r} in the site data")
        self.store.set_meta(USER_ID, person_id)
        return person

    def try_demo(self) -> None:
        """The person chose the demo plant: say so in the settings, and sign in its inspector
        unless someone is signed in already."""
        self.settings.demo = True
        if self.user_or_none is None:
            self.sign_in(DEMO_INSPECTOR)

    def now(self) -> str:
        return timestamp(self.clock)

    def next_command_seq(self) -> int:
        """The seq the next command gets; call with ``command_lock`` held, commit it in the same
        transaction that queues the command."""
        return int(self.store.get_meta(COMMAND_SEQ, 0)) + 1
