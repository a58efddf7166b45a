"""The store against a plain in-memory model: random transactions (committed or abandoned), acks
and reopenings; after each step every read agrees with the model."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from inspect_app.store import LocalStore

INSPECTIONS = ["i-1", "i-2", "i-3"]
HAZARDS = [f"h-{n}" for n in range(5)]

ops = st.one_of(
    st.tuples(st.just("inspection"), st.sampled_from(INSPECTIONS), st.integers(0, 9)),
    st.tuples(
        st.just("answer"), st.sampled_from(INSPECTIONS), st.sampled_from("abc"), st.integers(0, 9)
    ),
    st.tuples(st.just("hazard"), st.sampled_from(HAZARDS), st.integers(0, 9)),
    # An event's hazard follows from its id, as in the app.
    st.tuples(st.just("event"), st.integers(0, 11), st.integers(0, 9)),
    st.tuples(st.just("meta"), st.sampled_from(["cursor", "language"]), st.integers(0, 9)),
    st.tuples(st.just("enqueue"), st.integers(0, 9)),
)


class Abandon(Exception):
    pass


class StoreModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="store-model-"))
        self.store = LocalStore.open(self.dir)
        self.inspections: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, dict[str, dict[str, Any]]] = {}
        self.hazards: dict[str, dict[str, Any]] = {}
        self.events: dict[str, dict[str, Any]] = {}
        self.meta: dict[str, Any] = {}
        self.outbox: dict[int, dict[str, Any]] = {}
        self.next_seq = 1

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir)

    @rule(changes=st.lists(ops, max_size=8), abandon=st.booleans())
    def transaction(self, changes: list[tuple[Any, ...]], abandon: bool) -> None:
        staged: list[tuple[Any, ...]] = []
        try:
            with self.store.transaction() as tx:
                for change in changes:
                    staged.append(self._stage(tx, change))
                if abandon:
                    raise Abandon
        except Abandon:
            return
        for target, key, doc in staged:
            target[key] = doc
        self.next_seq += sum(1 for change in changes if change[0] == "enqueue")

    def _stage(self, tx: Any, change: tuple[Any, ...]) -> tuple[Any, ...]:
        kind, *args = change
        if kind == "inspection":
            doc = {"id": args[0], "v": args[1]}
            tx.put_inspection(doc)
            return self.inspections, args[0], doc
        if kind == "answer":
            tx.put_answer(args[0], args[1], {"v": args[2]})
            return self.answers.setdefault(args[0], {}), args[1], {"v": args[2]}
        if kind == "hazard":
            tx.put_hazard({"id": args[0], "v": args[1]})
            return self.hazards, args[0], {"id": args[0], "v": args[1]}
        if kind == "event":
            doc = {"id": f"e-{args[0]}", "hazard_id": HAZARDS[args[0] % 5], "v": args[1]}
            tx.add_event(doc)
            return self.events, doc["id"], doc
        if kind == "meta":
            tx.set_meta(args[0], args[1])
            return self.meta, args[0], args[1]
        seq = tx.enqueue({"kind": "command", "v": args[0]})
        return self.outbox, seq, {"kind": "command", "v": args[0], "seq": seq}

    @rule(data=st.data())
    def ack(self, data: st.DataObject) -> None:
        seqs = data.draw(st.lists(st.sampled_from(sorted(self.outbox) or [0]), max_size=3))
        self.store.ack_outbox(seqs)
        for seq in seqs:
            self.outbox.pop(seq, None)

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = LocalStore.open(self.dir)

    @invariant()
    def reads_agree_with_the_model(self) -> None:
        store = self.store
        assert store.list_inspections() == list(self.inspections.values())
        for inspection_id in INSPECTIONS:
            assert store.get_inspection(inspection_id) == self.inspections.get(inspection_id)
            assert store.answers(inspection_id) == self.answers.get(inspection_id, {})
        assert sorted(store.list_hazards(), key=str) == sorted(self.hazards.values(), key=str)
        for hazard_id in HAZARDS:
            assert store.get_hazard(hazard_id) == self.hazards.get(hazard_id)
            expected = [e for e in self.events.values() if e["hazard_id"] == hazard_id]
            assert store.events_for(hazard_id) == expected
        assert sorted(store.all_events(), key=str) == sorted(self.events.values(), key=str)
        for key in ("cursor", "language"):
            assert store.get_meta(key, "unset") == self.meta.get(key, "unset")
        assert store.pending_outbox() == [self.outbox[seq] for seq in sorted(self.outbox)]
        with store.transaction() as tx:  # peek at the next seq without committing anything
            assert tx.highest_seq + 1 == self.next_seq


StoreModel.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None, derandomize=True, database=None
)
test_store_model = StoreModel.TestCase
