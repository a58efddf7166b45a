"""The local store: reads and writes, transactions, journal replay, outbox seqs, lock, damage."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspect_app.store import (
    LocalStore,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    atomic_storage,
    partition,
)
from inspect_app.store.atomic_storage import encode_json
from inspect_app.store.local_store import ACKED_SEQ, hazard_shard


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore.open(tmp_path / "store")
    yield opened
    opened.close()


def reopen(store: LocalStore) -> LocalStore:
    store.close()
    return LocalStore.open(store.root)


def hazard_command(store: LocalStore, hazard_id: str) -> int:
    with store.transaction() as tx:
        tx.put_hazard({"id": hazard_id, "status": "open"})
        tx.add_event({"id": f"e-{hazard_id}", "hazard_id": hazard_id, "type": "create"})
        return tx.enqueue({"kind": "command", "hazard_id": hazard_id})


def journals(store: LocalStore) -> list[Path]:
    return list((store.root / "journal").iterdir())


# -- documents --------------------------------------------------------------------------------


def test_answers_are_upserted_and_survive_reopening(store: LocalStore) -> None:
    store.save_inspection({"id": "i-1", "status": "draft"})
    store.save_inspection({"id": "i-2", "status": "draft"})
    store.save_inspection({"id": "i-1", "status": "submitted"})
    store.save_answer("i-1", "gauge@F-12", {"value": "fail"})
    store.save_answer("i-1", "gauge@F-12", {"value": "pass", "note": "refilled"})
    store.save_answer("i-1", "earth", {"value": "3.2"})
    store = reopen(store)
    assert store.answers("i-1") == {
        "gauge@F-12": {"value": "pass", "note": "refilled"},
        "earth": {"value": "3.2"},
    }
    assert store.get_inspection("i-1") == {"id": "i-1", "status": "submitted"}
    assert store.get_inspection("i-9") is None
    assert store.list_inspections() == [
        {"id": "i-1", "status": "submitted"},
        {"id": "i-2", "status": "draft"},
    ]
    assert store.answers("unknown") == {}
    store.close()


def test_replacing_a_document_drops_fields_it_no_longer_has(store: LocalStore) -> None:
    store.save_answer("i-1", "a", {"value": "fail", "finding": {"grade": "major"}})
    store.save_answer("i-1", "a", {"value": "pass"})
    assert store.answers("i-1") == {"a": {"value": "pass"}}


def test_hazards_events_and_meta(store: LocalStore) -> None:
    with store.transaction() as tx:
        for n in range(200):
            tx.put_hazard({"id": f"h-{n}", "status": "open"})
            tx.add_event({"id": f"e-{n}", "hazard_id": f"h-{n}", "type": "create"})
        tx.add_event({"id": "e-x", "hazard_id": "h-7", "type": "comment"})
        tx.set_meta("pull_cursor", 41)
        tx.set_meta("language", "中文")
    store = reopen(store)
    assert len(store.list_hazards()) == 200
    assert store.get_hazard("h-7") == {"id": "h-7", "status": "open"}
    assert store.get_hazard("h-missing") is None
    assert [e["id"] for e in store.events_for("h-7")] == ["e-7", "e-x"]
    assert store.events_for("h-missing") == []
    assert len(store.all_events()) == 201
    assert store.get_meta("pull_cursor") == 41
    assert store.get_meta("language") == "中文"
    assert store.get_meta("missing", "default") == "default"
    assert len({hazard_shard(f"h-{n}") for n in range(200)}) > 32
    store.close()


def test_an_event_with_the_same_id_is_replaced_in_place(store: LocalStore) -> None:
    with store.transaction() as tx:
        tx.add_event({"id": "c-1", "hazard_id": "h", "pending": True})
        tx.add_event({"id": "c-2", "hazard_id": "h", "pending": True})
    with store.transaction() as tx:
        tx.add_event({"id": "c-1", "hazard_id": "h", "pending": False, "server_seq": 9})
    assert store.events_for("h") == [
        {"id": "c-1", "hazard_id": "h", "pending": False, "server_seq": 9},
        {"id": "c-2", "hazard_id": "h", "pending": True},
    ]


def test_documents_are_copied_in_and_out(store: LocalStore) -> None:
    doc = {"value": "fail", "photos": ["a"], "pair": (1, 2)}
    store.save_answer("i-1", "a", doc)
    doc["photos"].append("b")
    store.answers("i-1")["a"]["photos"].append("c")
    assert store.answers("i-1") == {"a": {"value": "fail", "photos": ["a"], "pair": [1, 2]}}
    store = reopen(store)
    assert store.answers("i-1") == {"a": {"value": "fail", "photos": ["a"], "pair": [1, 2]}}
    store.close()


def test_what_json_cannot_hold_is_refused_inside_the_block(store: LocalStore) -> None:
    with pytest.raises(TypeError), store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        tx.put_answer("i-1", "a", {"at": object()})
    with pytest.raises(ValueError), store.transaction() as tx:
        tx.set_meta("ratio", float("nan"))
    with pytest.raises(TypeError):
        store.save_answer("i-1", 7, {})  # type: ignore[arg-type]
    assert store.get_hazard("h-1") is None
    store.save_answer("i-1", "a", {"value": "pass"})
    assert store.answers("i-1") == {"a": {"value": "pass"}}


# -- transactions -----------------------------------------------------------------------------


def test_transaction_is_discarded_on_exception(store: LocalStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        tx.put_answer("i-1", "a", {})
        tx.enqueue({"kind": "command"})
        raise RuntimeError("boom")
    assert store.get_hazard("h-1") is None
    assert store.answers("i-1") == {}
    assert store.pending_outbox() == []
    assert journals(store) == []
    with store.transaction() as tx:
        assert tx.enqueue({"kind": "command"}) == 1  # the discarded seq left no gap


def test_reads_inside_a_transaction_see_committed_state(store: LocalStore) -> None:
    with store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        tx.set_meta("k", 1)
        assert store.get_hazard("h-1") is None
        assert store.get_meta("k") is None
    assert store.get_hazard("h-1") == {"id": "h-1"}
    assert store.get_meta("k") == 1


def test_transactions_do_not_nest(store: LocalStore) -> None:
    with pytest.raises(StoreError, match="do not nest"), store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        store.save_answer("i-1", "a", {})
    assert store.get_hazard("h-1") is None and store.answers("i-1") == {}
    store.save_answer("i-1", "a", {})  # the store is still usable


def test_a_transaction_cannot_be_used_after_its_block(store: LocalStore) -> None:
    with store.transaction() as tx:
        tx.set_meta("k", 1)
    with pytest.raises(StoreError, match="has ended"):
        tx.set_meta("k", 2)
    assert store.get_meta("k") == 1


def test_only_multi_partition_commits_write_a_journal(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    real = atomic_storage.write_atomically

    def spy(path: Path, data: bytes) -> None:
        written.append(path.relative_to(store.root).as_posix())
        real(path, data)

    monkeypatch.setattr(atomic_storage, "write_atomically", spy)
    monkeypatch.setattr("inspect_app.store.local_store.write_atomically", spy)
    with store.transaction() as tx:
        tx.put_answer("i-1", "a", {})
        tx.put_answer("i-1", "b", {})
    assert written == ["inspections/i-1.json"]
    written.clear()
    hazard_command(store, "h-1")
    assert written[0].startswith("journal/")
    assert sorted(written[1:]) == sorted(
        [
            f"hazards/{hazard_shard('h-1')}.json",
            f"events/{hazard_shard('h-1')}.json",
            "outbox/0.json",
        ]
    )
    assert journals(store) == []


def test_a_failed_single_partition_commit_changes_nothing(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_answer("i-1", "a", {"value": "fail"})

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_storage, "write_atomically", disk_full)
    with pytest.raises(OSError, match="No space"):
        store.save_answer("i-1", "a", {"value": "pass"})
    assert store.answers("i-1") == {"a": {"value": "fail"}}
    monkeypatch.undo()
    store.save_answer("i-1", "b", {"value": "pass"})
    assert store.answers("i-1") == {"a": {"value": "fail"}, "b": {"value": "pass"}}


def test_a_commit_failing_after_its_journal_is_finished_on_reopen(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[Path] = []
    real_flush = partition.Partition.flush

    def flush_once(self: partition.Partition) -> None:
        if flushed:
            raise OSError(5, "I/O error")
        flushed.append(self.path)
        real_flush(self)

    monkeypatch.setattr(partition.Partition, "flush", flush_once)
    with pytest.raises(OSError, match="I/O error"):
        hazard_command(store, "h-1")
    monkeypatch.undo()
    assert len(flushed) == 1 and len(journals(store)) == 1
    with pytest.raises(StoreError, match="reopen the store"):
        store.get_hazard("h-1")
    store = reopen(store)
    assert store.get_hazard("h-1") == {"id": "h-1", "status": "open"}
    assert [e["id"] for e in store.events_for("h-1")] == ["e-h-1"]
    assert [e["seq"] for e in store.pending_outbox()] == [1]
    assert journals(store) == []
    store.close()


def test_a_journal_left_by_a_crash_is_replayed_on_open(store: LocalStore) -> None:
    shard = hazard_shard("h-9")
    hazard_command(store, "h-1")
    with store.transaction() as tx:  # the crash came after this partition was already written
        tx.put_hazard({"id": "h-9", "status": "assigned"})
    root = store.root
    store.close()
    ops = [
        [f"hazards/{shard}", "hazards", "put", "h-9", {"id": "h-9", "status": "assigned"}],
        [f"events/{shard}", "events", "put", "e-9", {"id": "e-9", "hazard_id": "h-9"}],
        ["outbox/0", "outbox", "remove", "1", None],
        ["outbox/0", "outbox", "put", "2", {"kind": "command", "seq": 2}],
        ["meta", "meta", "put", ACKED_SEQ, {"value": 1}],
    ]
    (root / "journal" / "0001.json").write_bytes(encode_json(ops))
    store = LocalStore.open(root)
    assert store.get_hazard("h-9") == {"id": "h-9", "status": "assigned"}
    assert store.events_for("h-9") == [{"id": "e-9", "hazard_id": "h-9"}]
    assert [e["seq"] for e in store.pending_outbox()] == [2]
    assert journals(store) == []
    with store.transaction() as tx:
        assert tx.enqueue({}) == 3
    store.close()


def test_a_damaged_journal_stops_the_open(store: LocalStore) -> None:
    root = store.root
    store.close()
    (root / "journal" / "0001.json").write_bytes(b'[["meta","meta","put"')
    with pytest.raises(StoreCorruptError, match=r"0001\.json"):
        LocalStore.open(root)
    (root / "journal" / "0001.json").write_bytes(b'{"not": "a journal"}')
    with pytest.raises(StoreCorruptError, match=r"0001\.json"):
        LocalStore.open(root)


# -- outbox -----------------------------------------------------------------------------------


def test_outbox_seqs_are_contiguous_across_acks_and_reopen(store: LocalStore) -> None:
    seqs = [hazard_command(store, f"h-{n}") for n in range(3)]
    entry = store.pending_outbox()[0]
    assert entry == {"kind": "command", "hazard_id": "h-0", "seq": 1}
    store.ack_outbox([1, 2, 3])
    assert store.pending_outbox() == []
    assert store.get_meta(ACKED_SEQ) == 3
    store = reopen(store)
    with store.transaction() as tx:
        seqs.append(tx.enqueue({"kind": "command"}))
        seqs.append(tx.enqueue({"kind": "inspection", "inspection_id": "i-1"}))
    assert seqs == [1, 2, 3, 4, 5]
    assert [e["seq"] for e in store.pending_outbox()] == [4, 5]
    assert [e["seq"] for e in store.pending_outbox(limit=1)] == [4]
    store.close()


def test_acks_out_of_order_and_unknown_seqs(store: LocalStore) -> None:
    for n in range(4):
        hazard_command(store, f"h-{n}")
    store.ack_outbox([3, 99])
    assert store.get_meta(ACKED_SEQ) == 3
    store.ack_outbox([1])
    assert store.get_meta(ACKED_SEQ) == 3
    assert [e["seq"] for e in store.pending_outbox()] == [2, 4]
    store.ack_outbox([2, 4])
    store.ack_outbox([])
    store = reopen(store)
    assert store.get_meta(ACKED_SEQ) == 4
    assert hazard_command(store, "h-9") == 5
    store.close()


def test_remove_outbox_in_a_transaction(store: LocalStore) -> None:
    with store.transaction() as tx:
        tx.enqueue({"kind": "a"})
        tx.enqueue({"kind": "b"})
    with store.transaction() as tx:
        tx.remove_outbox([1])
        tx.set_meta("note", "dropped 1")
    assert [e["kind"] for e in store.pending_outbox()] == ["b"]


def test_outbox_spans_blocks_and_drops_empty_ones(store: LocalStore) -> None:
    with store.transaction() as tx:
        for _ in range(600):
            tx.enqueue({"kind": "command"})
    assert sorted(p.name for p in (store.root / "outbox").iterdir()) == [
        "0.json",
        "1.json",
        "2.json",
    ]
    store.ack_outbox(list(range(1, 300)))
    assert sorted(p.name for p in (store.root / "outbox").iterdir()) == ["1.json", "2.json"]
    store = reopen(store)
    assert [e["seq"] for e in store.pending_outbox()] == list(range(300, 601))
    store.close()


def test_threads_sharing_the_store_get_distinct_gapless_seqs(store: LocalStore) -> None:
    barrier = threading.Barrier(4)
    got: list[int] = []

    def worker(name: str) -> None:
        barrier.wait()
        for n in range(50):
            with store.transaction() as tx:
                got.append(tx.enqueue({"kind": "command", "by": name}))
            store.save_answer(f"i-{name}", f"item-{n}", {"value": n})

    threads = [threading.Thread(target=worker, args=(str(t),)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(got) == list(range(1, 201))
    assert [e["seq"] for e in store.pending_outbox()] == list(range(1, 201))
    assert all(len(store.answers(f"i-{t}")) == 50 for t in range(4))


# -- opening, locking, damage -----------------------------------------------------------------


def test_a_second_opener_gets_a_clear_error(store: LocalStore) -> None:
    with pytest.raises(StoreLockedError, match="in use by another process"):
        LocalStore.open(store.root)
    store.close()
    with LocalStore.open(store.root) as again:
        again.set_meta("k", 1)
    with pytest.raises(StoreError, match="closed"):
        again.get_meta("k")
    with pytest.raises(StoreError, match="closed"):
        again.save_answer("i-1", "a", {})


def test_a_damaged_file_is_reported_not_emptied(store: LocalStore) -> None:
    store.save_answer("i-1", "a", {"value": "pass"})
    root = store.root
    store.close()
    damaged = b'{"answers": {"1": {"val'
    (root / "inspections" / "i-1.json").write_bytes(damaged)
    store = LocalStore.open(root)
    with pytest.raises(StoreCorruptError, match=r"i-1\.json"):
        store.answers("i-1")
    with pytest.raises(StoreCorruptError, match=r"i-1\.json"):
        store.save_answer("i-1", "b", {})
    assert (root / "inspections" / "i-1.json").read_bytes() == damaged
    store.close()


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe", b"[1, 2]", b'{"hazards": []}', b'{"hazards": {"1": {"id": "h"}}}'],
)
def test_damage_that_is_not_a_partition_is_reported(store: LocalStore, content: bytes) -> None:
    path = store.root / "hazards" / f"{hazard_shard('h')}.json"
    path.write_bytes(content)
    with pytest.raises(StoreCorruptError, match=path.name):
        store.get_hazard("h")


def test_open_is_lazy_and_damaged_meta_stops_it(store: LocalStore) -> None:
    hazard_command(store, "h-1")
    root = store.root
    store.close()
    (root / "hazards" / f"{hazard_shard('h-1')}.json").write_bytes(b"garbage")
    with LocalStore.open(root) as lazy:  # the hazards were not read
        assert [e["seq"] for e in lazy.pending_outbox()] == [1]
    (root / "meta.json").write_bytes(b"garbage")
    for _ in range(2):  # the second is not StoreLockedError: the failed open released the lock
        with pytest.raises(StoreCorruptError, match=r"meta\.json"):
            LocalStore.open(root)


def test_temp_files_left_by_a_crash_are_cleared_on_open(store: LocalStore) -> None:
    store.save_answer("i-1", "a", {})
    root = store.root
    store.close()
    leftovers = [root / "inspections" / ".i-1.json.x1.tmp", root / "photos" / ".a.jpg.x2.tmp"]
    for path in leftovers:
        path.write_bytes(b"half")
    with LocalStore.open(root) as reopened:
        assert reopened.answers("i-1") == {"a": {}}
    assert not any(path.exists() for path in leftovers)


def test_ids_cannot_escape_the_store(store: LocalStore) -> None:
    for bad in ("../../etc/passwd", "a/b", "", ".", "..", "index", "INDEX"):
        with pytest.raises(ValueError):
            store.save_answer(bad, "a", {})
    with pytest.raises(ValueError):
        store.save_inspection({"id": "../x"})
    assert store.list_inspections() == []


def test_files_on_disk_are_plain_json(store: LocalStore) -> None:
    store.set_meta("language", "zh")
    data = json.loads((store.root / "meta.json").read_text("utf-8"))
    assert list(data) == ["meta"]
