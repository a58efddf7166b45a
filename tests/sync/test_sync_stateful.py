"""The sync guarantee as a Hypothesis state machine: three devices on one live HQ, each behind its
own fault proxy, walk inspections (failures become hazards) and act on hazards offline as three
different people, and sync at random while the network drops answers after HQ committed, holds
them past the client's read timeout, cuts requests partway or refuses connections.

Rules: ``make_inspection(device)``, ``act_on_hazard(device, which hazard, which offered action)``,
``sync(device, fault)``, plus ``everyone_acts`` (all three act offline on the same hazard: the raw
material of conflicts) and ``everyone_syncs(fault)``. Every example starts from a hazard or three
that all devices hold.

Checked along the way: a fault that lets a retry through never fails a sync, one that blocks every
attempt always does; after a good sync the outbox is empty and each command's result on HQ is the
result the sending device shows; nothing a device queued is ever lost, and HQ never holds a
command twice. At the end, after fault-free rounds of syncs until one moves nothing (at most
three): every device holds exactly HQ's hazards (document for document, so the same status and
version) and HQ's hazard timeline (``rejected_conflict`` included), every outbox is empty, and HQ
holds every command and every inspection exactly once.

HQ (uvicorn on 127.0.0.1) and the three proxies start once; each example gets a fresh HQ
database (a copy of a bootstrapped template) behind the running server, and fresh devices.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select
from starlette.types import ASGIApp, Receive, Scope, Send

from inspect_app.core.checklist import Item, ItemType
from inspect_app.core.commands import FieldKind
from inspect_app.core.evaluation import Outcome, evaluate, slots
from inspect_app.core.hazard import Hazard
from inspect_app.core.inspection import Answer
from inspect_app.core.workflow import CommandType, action_form
from inspect_app.resources import demo_site_path, shipped_checklists_dir
from inspect_app.server import schema
from inspect_app.server.app import Settings, create_app
from inspect_app.services import master_data
from inspect_app.services.catalog import Catalog
from inspect_app.services.clock import today
from inspect_app.services.hazards import HazardService
from inspect_app.services.inspections import InspectionService
from inspect_app.services.outbox import COMMAND, INSPECTION
from inspect_app.services.workspace import COMMAND_SEQ, Workspace
from inspect_app.store import LocalStore
from inspect_app.sync.client import connection, enroll
from inspect_app.sync.engine import LAST_SYNC_ERROR, SyncEngine, SyncReport
from inspect_app.sync.transport import RetryPolicy, SyncError
from tests.server.conftest import jpeg
from tests.services.conftest import FakeClock
from tests.support.services import LiveServer
from tests.sync.fault_proxy import Fault, FaultProxy

WORKSHOP = "ws-stamping"
#: Device 1 an inspector, device 2 the stamping workshop's head, device 3 the HQ safety admin
#: (plans, rectifies, verifies, voids anywhere). All three see every hazard of the workshop.
PEOPLE = ("p-li", "p-wang", "p-chen")
CHECKLISTS = ("electrical-monthly", "fire-monthly", "workplace-environment")
COLOURS = ("red", "orange", "navy", "teal")
ATTEMPTS = 4
#: Small, so a held response costs little; a held response is released only once the client has
#: given up, so nothing here waits on a timer for readiness.
READ_TIMEOUT = 0.5
FINAL_READ_TIMEOUT = 30.0
#: Round 1 pushes everything, round 2 pulls the others' changes, round 3 must find nothing to do.
FINAL_ROUNDS = 3
MAX_WALK_PASSES = 5

#: About a minute on two cores; derandomized, so CI runs the same 20 examples every time.
SETTINGS = settings(
    max_examples=20,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True)
class FaultSpec:
    """A fault to inject for one sync; ``times >= ATTEMPTS`` makes the whole sync fail."""

    name: str
    kind: str = ""
    method: str = ""
    path_prefix: str = ""
    times: int = 1
    cut_at: int = 0

    def fault(self) -> Fault:
        return Fault(
            kind=self.kind,
            method=self.method,
            path_prefix=self.path_prefix,
            cut_at=self.cut_at,
            times=self.times,
        )


PUSH = ("POST", "/v1/sync/push")
PULL = ("GET", "/v1/sync/pull")
FAULTS = (
    FaultSpec("none"),
    FaultSpec("push answer dropped after commit", "drop_response", *PUSH),
    FaultSpec("push answer always dropped", "drop_response", *PUSH, times=ATTEMPTS),
    FaultSpec("push answer held past timeout", "hold_response", *PUSH),
    FaultSpec("push body cut partway", "cut_request", *PUSH, cut_at=300),
    FaultSpec("push body always cut", "cut_request", *PUSH, times=ATTEMPTS, cut_at=300),
    FaultSpec("pull answer dropped", "drop_response", *PULL),
    FaultSpec("pull answer held past timeout", "hold_response", *PULL),
    FaultSpec("pull answer always dropped", "drop_response", *PULL, times=ATTEMPTS),
    # The test photos are 677 bytes.
    FaultSpec("photo upload cut halfway", "cut_request", "PUT", "/v1/blobs/", cut_at=300),
    FaultSpec("HQ unreachable", "reset", times=ATTEMPTS),
)


# -- the rig: one server whose app is swapped per example, and one proxy per device -------------


class AppSwitch:
    """An ASGI app forwarding to the current example's HQ app, so the server starts once."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no HQ app installed"
        await self.app(scope, receive, send)


@dataclass
class Rig:
    root: Path
    template: Path
    switch: AppSwitch
    server: LiveServer
    proxies: tuple[FaultProxy, ...]
    #: The shipped master data, parsed once; each device gets its own catalog built from it.
    catalog: Catalog


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    root = tmp_path_factory.mktemp("stateful")
    template = root / "hq-template"
    create_app(
        Settings(data_dir=template, demo=True)
    ).state.hq.engine.dispose()  # migrated and seeded
    catalog = Catalog.from_files(demo_site_path(), [shipped_checklists_dir()])
    switch = AppSwitch()
    server = LiveServer(switch).start()
    proxies = tuple(FaultProxy(server.port).start() for _ in PEOPLE)
    with pytest.MonkeyPatch.context() as patch:
        # Every device's first pull brings the same checklists and site: parse each text once
        # (YAML parsing would otherwise be most of the run time).
        for name in ("load_checklist_text", "load_site_text"):
            patch.setattr(master_data, name, functools.cache(getattr(master_data, name)))
        try:
            yield Rig(root, template, switch, server, proxies, catalog)
        finally:
            for proxy in proxies:
                proxy.stop()
            server.stop()


# -- what the devices do ----------------------------------------------------------------------


def new_device(data_dir: Path, catalog: Catalog) -> Workspace:
    """A device as ``open_workspace`` makes it on an empty data dir, with a copy of the catalog."""
    store = LocalStore.open(data_dir / "store")
    return Workspace(store, Catalog.build(catalog.site, catalog.latest_checklists()), FakeClock())


def run_sync(ws: Workspace, read_timeout: float) -> SyncReport:
    """``sync_once`` with the test's timeout and retries that do not sleep."""
    saved = connection(ws)
    assert saved is not None
    transport = saved.transport(
        read_timeout=read_timeout,
        retry=RetryPolicy(attempts=ATTEMPTS, base_delay=0.0, max_delay=0.0),
        sleep=lambda _: None,
    )
    try:
        return SyncEngine(ws, transport).run()
    finally:
        transport.close()


def answer_value(item: Item, day: date, *, fail: bool) -> str:
    """A passing answer for ``item``, or a failing one when asked and the item can fail."""
    match item.type:
        case ItemType.PASS_FAIL:
            return "fail" if fail else "pass"
        case ItemType.READING:
            assert item.pass_if is not None
            low, high = item.pass_if.min, item.pass_if.max
            if fail:
                return str(low - 1 if low is not None else (high or 0) + 1)
            return str(low if low is not None else high)
        case ItemType.CHOICE:
            passing = next(o.value for o in item.options if o.value not in item.fail_on)
            return item.fail_on[0] if fail and item.fail_on else passing
        case ItemType.DATE:
            if fail and item.within_days is not None:
                return (day - timedelta(days=item.within_days + 1)).isoformat()
            return day.isoformat()
        case _:
            return "noted"


def walk_inspection(ws: Workspace, checklist_id: str, failing: frozenset[int], colour: str) -> None:
    """Walk a whole checklist in the stamping workshop, failing the answers at the ``failing``
    positions (each failure with a photo), and submit it."""
    service = InspectionService(ws)
    inspection = service.start(ws.catalog.latest(checklist_id), WORKSHOP, "stamping-line-1")
    checklist = service.checklist_of(inspection)  # with the limits set for the area
    for section in checklist.sections:
        for n in range(section.repeat.min if section.repeat else 0):
            inspection = service.add_instance(inspection, section.id, f"{section.id}-{n + 1}")
    day = today(ws.clock)
    position = 0
    for _ in range(MAX_WALK_PASSES):  # answers can reveal show_if items; walk again for those
        todo = [s for s in slots(checklist, inspection) if not inspection.answer(s.item.id, s.tag)]
        if not todo:
            break
        for slot in todo:
            value = answer_value(slot.item, day, fail=position in failing)
            position += 1
            answer = Answer(slot.item.id, value, tag=slot.tag)
            inspection = service.answer(inspection, answer)
            if evaluate(slot.item, answer, day) is Outcome.FAIL:
                inspection = service.attach_photo(inspection, slot.item.id, slot.tag, jpeg(colour))
    service.submit(inspection, ws.user.id)


def payload_for(
    ws: Workspace, hazard: Hazard, command_type: CommandType, colour: str
) -> dict[str, Any]:
    """A valid payload for ``command_type``, filled in from its form as a person would (photos
    go into the device's photo store first)."""
    later = (date.fromisoformat(hazard.deadline) + timedelta(days=30)).isoformat()
    found = hazard.found_date().isoformat()  # records of what happened are not in the future
    values: dict[str, Any] = {}
    for field in action_form(command_type, hazard):
        match field.kind:
            case FieldKind.PERSON:
                values[field.name] = "p-wang"
            case FieldKind.DATE:
                values[field.name] = found if field.name.endswith("_on") else later
            case FieldKind.PHOTOS:
                values[field.name] = [InspectionService(ws).process_photo(jpeg(colour)).sha256]
            case FieldKind.CHOICE:
                values[field.name] = field.options[0]
            case _:
                values[field.name] = f"{field.name} by {ws.user.id}"
    return values


def hazards_in_order(ws: Workspace) -> list[Hazard]:
    """The device's hazards oldest first (hazard ids are random; this order is not)."""
    return sorted(
        HazardService(ws).all(),
        key=lambda h: (h.found_at, h.found_by, h.item_id or "", h.instance_tag or "", h.id),
    )


def outbox_ids(ws: Workspace) -> tuple[set[str], set[str]]:
    """(command ids, inspection ids) waiting in the device's outbox."""
    commands: set[str] = set()
    inspections: set[str] = set()
    for entry in ws.store.pending_outbox():
        if entry["kind"] == COMMAND:
            commands.add(entry["command"]["id"])
        elif entry["kind"] == INSPECTION:
            inspections.add(entry["inspection_id"])
    return commands, inspections


def command_seqs(ws: Workspace) -> set[int]:
    """Seqs of the commands waiting in the device's outbox."""
    return {e["command"]["seq"] for e in ws.store.pending_outbox() if e["kind"] == COMMAND}


# -- HQ as its database holds it --------------------------------------------------------------


@dataclass
class HqView:
    """What HQ holds, straight from its database."""

    hazards: dict[str, dict[str, Any]]
    #: (device id, command id) -> result status, one row per command.
    command_results: dict[tuple[str, str], str]
    command_ids: Counter[str]
    #: command id -> [result] for each hazard event HQ recorded for it.
    hazard_events: dict[str, list[str]]
    inspection_rows: Counter[str]
    inspection_events: Counter[str]
    last_seq: dict[str, int]


def hq_view(app: Any) -> HqView:
    """Read HQ's tables directly (not through the API under test)."""
    with app.state.hq.engine.connect() as conn:
        hazards = {r.id: r.data for r in conn.execute(select(schema.hazards))}
        commands = conn.execute(select(schema.commands)).all()
        events = conn.execute(select(schema.events).order_by(schema.events.c.server_seq)).all()
        inspections = conn.execute(select(schema.inspections.c.id)).all()
        devices = conn.execute(select(schema.devices.c.id, schema.devices.c.last_seq)).all()
    hazard_events: dict[str, list[str]] = {}
    for row in events:
        if row.kind == "hazard":
            hazard_events.setdefault(row.data["id"], []).append(row.data["result"])
    return HqView(
        hazards=hazards,
        command_results={(r.device_id, r.command_id): r.result["status"] for r in commands},
        command_ids=Counter(r.command_id for r in commands),
        hazard_events=hazard_events,
        inspection_rows=Counter(r.id for r in inspections),
        inspection_events=Counter(r.data["id"] for r in events if r.kind == "inspection"),
        last_seq={r.id: int(r.last_seq) for r in devices},
    )


# -- the state machine ------------------------------------------------------------------------

DEVICES = st.integers(0, len(PEOPLE) - 1)
#: Positions (in walk order) of the answers that fail; every checklist used has at least 12.
FAILURES = st.frozensets(st.integers(0, 11), max_size=3)
FIRST_FAILURES = st.frozensets(st.integers(0, 11), min_size=1, max_size=3)
WHICH_HAZARD = st.integers(0, 1)
WHICH_ACTION = st.integers(0, 3)
#: Offered actions are tried in this order, so hazards move along their life (and back) rather
#: than collecting comments; ``WHICH_ACTION`` picks among the first few offered.
ACTION_ORDER = (
    CommandType.START_RECTIFICATION,
    CommandType.SUBMIT_RECTIFIED,
    CommandType.VERIFY_PASS,
    CommandType.ASSIGN_FIVE_FIXES,
    CommandType.VERIFY_FAIL,
    CommandType.REOPEN,
    CommandType.REQUEST_EXTENSION,
    CommandType.FIX_ON_THE_SPOT,
    CommandType.APPROVE_EXTENSION,
    CommandType.REFUSE_EXTENSION,
    CommandType.SET_INTERIM_CONTROL,
    CommandType.SUBMIT_GOVERNANCE,
    CommandType.APPROVE_GOVERNANCE,
    CommandType.RECORD_REPORT,
    CommandType.RECORD_SUPERVISION,
    CommandType.RECORD_SUPERVISION_SIGNOFF,
    CommandType.COMMENT,
    CommandType.ADD_PHOTO,
    CommandType.VOID,
)
assert set(ACTION_ORDER) == set(CommandType) - {CommandType.CREATE}
ALWAYS_APPLY = frozenset({CommandType.COMMENT, CommandType.ADD_PHOTO})


class SyncMachine(RuleBasedStateMachine):
    rig: Rig  # set by the test on a subclass

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(dir=self.rig.root))
        shutil.copytree(self.rig.template, self.dir / "hq")
        self.app = create_app(Settings(data_dir=self.dir / "hq", demo=True))
        self.rig.switch.app = self.app
        self.devices: list[Workspace] = []
        #: command / inspection id -> index of the device that made it
        self.commands: dict[str, int] = {}
        self.inspections: dict[str, int] = {}
        for index, person in enumerate(PEOPLE):
            self.rig.proxies[index].clear()
            ws = new_device(self.dir / f"device-{index}", self.rig.catalog)
            self.devices.append(ws)
            code, _ = self.app.state.hq.make_code(person, "stateful test")
            enroll(ws, self.rig.proxies[index].url, code)
            ws.sign_in(person)

    def _record_new_work(self, index: int, before: tuple[set[str], set[str]]) -> None:
        commands, inspections = outbox_ids(self.devices[index])
        for command_id in commands - before[0]:
            self.commands[command_id] = index
        for inspection_id in inspections - before[1]:
            self.inspections[inspection_id] = index

    @initialize(checklist=st.sampled_from(CHECKLISTS), failing=FIRST_FAILURES)
    def hazards_everyone_knows(self, checklist: str, failing: frozenset[int]) -> None:
        """Start from a hazard or three that all devices hold, so they can disagree about it."""
        self.make_inspection(0, checklist, failing, COLOURS[0])
        for ws in self.devices:
            run_sync(ws, FINAL_READ_TIMEOUT)

    @rule(
        device=DEVICES,
        checklist=st.sampled_from(CHECKLISTS),
        failing=FAILURES,
        colour=st.sampled_from(COLOURS),
    )
    def make_inspection(
        self, device: int, checklist: str, failing: frozenset[int], colour: str
    ) -> None:
        ws = self.devices[device]
        before = outbox_ids(ws)
        walk_inspection(ws, checklist, failing, colour)
        self._record_new_work(device, before)
        event(f"inspection with {len(outbox_ids(ws)[0] - before[0])} hazard(s)")

    @precondition(lambda self: any(HazardService(ws).all() for ws in self.devices))
    @rule(device=DEVICES, which=WHICH_HAZARD, action=WHICH_ACTION, colour=st.sampled_from(COLOURS))
    def act_on_hazard(self, device: int, which: int, action: int, colour: str) -> None:
        """One person acts offline on the ``which``-th oldest hazard their device shows (of those
        they can move along, if any), with the ``action``-th action offered (in ACTION_ORDER)."""
        ws = self.devices[device]
        service = HazardService(ws)
        hazards = hazards_in_order(ws)
        # Prefer hazards this person can move along; comments alone rarely make a conflict.
        movable = [h for h in hazards if set(service.actions(h)) - ALWAYS_APPLY]
        hazards = movable or hazards
        if not hazards:
            event("act: device has no hazards yet")
            return
        hazard = hazards[which % len(hazards)]
        offered = sorted(service.actions(hazard), key=ACTION_ORDER.index)
        if not offered:
            event(f"act: nothing offered on a {hazard.status.value} hazard")
            return
        command_type = offered[action % len(offered)]
        before = outbox_ids(ws)
        decision = service.act(hazard, command_type, payload_for(ws, hazard, command_type, colour))
        assert decision.applied, (command_type, decision.message)
        self._record_new_work(device, before)
        event(f"act: {ws.user.id} {hazard.status.value} {command_type.value}")

    @precondition(lambda self: any(HazardService(ws).all() for ws in self.devices))
    @rule(which=WHICH_HAZARD, colour=st.sampled_from(COLOURS))
    def everyone_acts(self, which: int, colour: str) -> None:
        """All three move what each sees as the same hazard along, offline and at once: the raw
        material of conflicts."""
        for device in range(len(self.devices)):
            self.act_on_hazard(device, which, 0, colour)

    @rule(device=DEVICES, fault=st.sampled_from(FAULTS))
    def sync(self, device: int, fault: FaultSpec) -> None:
        ws = self.devices[device]
        proxy = self.rig.proxies[device]
        fired_before = len(proxy.faults_fired)
        if fault.kind:
            proxy.inject(fault.fault())
        try:
            run_sync(ws, READ_TIMEOUT)
            failed = False
        except SyncError:
            failed = True
        finally:
            proxy.clear()
        fired = len(proxy.faults_fired) - fired_before
        event(f"sync: {fault.name}{' (failed)' if failed else ''}")
        # Retries ride out a fault that lets a later attempt through; one that blocks every
        # attempt fails the sync, and says so.
        assert failed == (fired >= ATTEMPTS), (fault, fired, ws.store.get_meta(LAST_SYNC_ERROR))
        if not failed:
            assert ws.store.pending_outbox() == []
            self._check_results_visible(only=device)

    @rule(fault=st.sampled_from(FAULTS))
    def everyone_syncs(self, fault: FaultSpec) -> None:
        """End of the shift: each device syncs in turn, each through the same kind of fault."""
        for device in range(len(self.devices)):
            self.sync(device, fault)

    @invariant()
    def nothing_is_lost_or_invented(self) -> None:
        """HQ never holds a command no device made, nor a seq a device has not queued; every
        command seq HQ has not taken yet is still in its device's outbox."""
        view = hq_view(self.app)
        assert set(view.command_ids) <= set(self.commands)
        assert all(n == 1 for n in view.command_ids.values())
        for ws in self.devices:
            made = int(ws.store.get_meta(COMMAND_SEQ, 0))
            taken = view.last_seq[ws.device_id]
            assert taken <= made
            assert set(range(taken + 1, made + 1)) <= command_seqs(ws)

    def _check_results_visible(self, only: int | None = None) -> None:
        """Each answered command's result on HQ is the result in its sender's timeline."""
        view = hq_view(self.app)
        for command_id, index in self.commands.items():
            if only is not None and index != only:
                continue
            ws = self.devices[index]
            status = view.command_results[(ws.device_id, command_id)]
            assert view.hazard_events[command_id] == [status]
            local = [e for e in ws.store.all_events() if e["id"] == command_id]
            assert len(local) == 1, (command_id, local)
            assert local[0]["result"] == status and local[0]["pending"] is False, local[0]
            if status == "rejected_conflict":
                event("a command was rejected as a conflict")

    def teardown(self) -> None:
        try:
            self._converge_and_check()
        finally:
            for ws in self.devices:
                ws.store.close()
            self.rig.switch.app = None
            self.app.state.hq.engine.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _converge_and_check(self) -> None:
        """Fault-free rounds of syncs until one moves nothing (bounded), then compare."""
        quiet = False
        for _ in range(FINAL_ROUNDS):
            reports = [run_sync(ws, FINAL_READ_TIMEOUT) for ws in self.devices]
            quiet = all(not r.results and not r.events_pulled for r in reports)
            if quiet:
                break
        assert quiet, f"round {FINAL_ROUNDS} of fault-free syncs still moved data"
        view = hq_view(self.app)
        for ws in self.devices:
            assert ws.store.pending_outbox() == []
            assert ws.store.get_meta(LAST_SYNC_ERROR) is None
            held = {doc["id"]: doc for doc in ws.store.list_hazards()}
            assert held == view.hazards, f"{ws.user.id}'s hazards differ from HQ's"
            timeline = {e["id"]: (e["result"], e["pending"]) for e in ws.store.all_events()}
            assert timeline == {
                command_id: (results[0], False)
                for command_id, results in view.hazard_events.items()
            }
        assert view.command_ids == Counter(self.commands.keys())
        assert view.inspection_rows == Counter(self.inspections.keys())
        assert view.inspection_events == Counter(self.inspections.keys())
        self._check_results_visible()
        event(f"{len(view.hazards)} hazard(s), {len(self.commands)} command(s) at the end")


def test_three_devices_converge_through_faults(rig: Rig) -> None:
    class Machine(SyncMachine):
        pass

    Machine.rig = rig
    run_state_machine_as_test(Machine, settings=SETTINGS)
