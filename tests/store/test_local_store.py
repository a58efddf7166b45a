"""The local store: reads and writes, transactions, journal replay, outbox seqs, lock, damage."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from inspect_app.store import LocalStore, StoreCorruptError, StoreLockedError
from inspect_app.store.atomic_storage import encode_json
from inspect_app.store.local_store import hazard_shard


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    opened = LocalStore.open(tmp_path / "store")
    yield opened
    opened.close()


def reopen(store: LocalStore) -> LocalStore:
    store.close()
    return LocalStore.open(store.root)


def test_answers_are_upserted_and_survive_reopening(store: LocalStore) -> None:
    store.save_inspection({"id": "i-1", "status": "draft"})
    store.save_answer("i-1", "gauge@F-12", {"value": "fail"})
    store.save_answer("i-1", "gauge@F-12", {"value": "pass", "note": "refilled"})
    store.save_answer("i-1", "earth", {"value": "3.2"})
    store = reopen(store)
    assert store.answers("i-1") == {
        "gauge@F-12": {"value": "pass", "note": "refilled"},
        "earth": {"value": "3.2"},
    }
    assert store.get_inspection("i-1") == {"id": "i-1", "status": "draft"}
    assert store.list_inspections() == [{"id": "i-1", "status": "draft"}]
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
    store = reopen(store)
    assert len(store.list_hazards()) == 200
    assert store.get_hazard("h-7") == {"id": "h-7", "status": "open"}
    assert [e["id"] for e in store.events_for("h-7")] == ["e-7", "e-x"]
    assert len(store.all_events()) == 201
    assert store.get_meta("pull_cursor") == 41
    assert store.get_meta("missing", "default") == "default"
    assert len({hazard_shard(f"h-{n}") for n in range(200)}) > 32
    store.close()


def test_an_event_with_the_same_id_replaces_the_pending_copy(store: LocalStore) -> None:
    store.set_meta("x", 1)
    with store.transaction() as tx:
        tx.add_event({"id": "c-1", "hazard_id": "h", "pending": True})
    with store.transaction() as tx:
        tx.add_event({"id": "c-1", "hazard_id": "h", "pending": False, "server_seq": 9})
    assert store.events_for("h") == [
        {"id": "c-1", "hazard_id": "h", "pending": False, "server_seq": 9}
    ]


def test_transaction_is_discarded_on_exception(store: LocalStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        tx.enqueue({"kind": "command"})
        raise RuntimeError("boom")
    assert store.get_hazard("h-1") is None
    assert store.pending_outbox() == []
    with store.transaction() as tx:
        assert tx.enqueue({"kind": "command"}) == 1  # the discarded seq left no gap


def test_reads_inside_a_transaction_see_committed_state(store: LocalStore) -> None:
    with store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        assert store.get_hazard("h-1") is None
    assert store.get_hazard("h-1") == {"id": "h-1"}


def test_outbox_seqs_are_contiguous_across_acks_and_reopen(store: LocalStore) -> None:
    seqs = []
    for _ in range(3):
        with store.transaction() as tx:
            seqs.append(tx.enqueue({"kind": "command"}))
    store.ack_outbox([1, 2, 3])
    assert store.pending_outbox() == []
    store = reopen(store)
    with store.transaction() as tx:
        seqs.append(tx.enqueue({"kind": "command"}))
        seqs.append(tx.enqueue({"kind": "inspection"}))
    assert seqs == [1, 2, 3, 4, 5]
    assert [e["seq"] for e in store.pending_outbox()] == [4, 5]
    assert [e["seq"] for e in store.pending_outbox(limit=1)] == [4]
    store.close()


def test_outbox_spans_blocks(store: LocalStore) -> None:
    with store.transaction() as tx:
        for _ in range(600):
            tx.enqueue({"kind": "command"})
    store.ack_outbox(list(range(1, 300)))
    store = reopen(store)
    assert [e["seq"] for e in store.pending_outbox()] == list(range(300, 601))
    store.close()


def test_a_journal_left_by_a_crash_is_replayed_on_open(store: LocalStore) -> None:
    root = store.root
    store.close()
    ops = [
        ["hazards/" + hazard_shard("h-9"), "hazards", "put", "h-9", {"id": "h-9"}],
        [
            "events/" + hazard_shard("h-9"),
            "events",
            "put",
            "e-9",
            {"id": "e-9", "hazard_id": "h-9"},
        ],
        ["outbox/0", "outbox", "put", "1", {"kind": "command", "seq": 1}],
    ]
    (root / "journal").mkdir()
    (root / "journal" / "0001.json").write_bytes(encode_json(ops))
    store = LocalStore.open(root)
    assert store.get_hazard("h-9") == {"id": "h-9"}
    assert store.events_for("h-9") == [{"id": "e-9", "hazard_id": "h-9"}]
    assert [e["seq"] for e in store.pending_outbox()] == [1]
    assert list((root / "journal").iterdir()) == []
    with store.transaction() as tx:
        assert tx.enqueue({}) == 2
    store.close()


def test_multi_partition_commit_leaves_no_journal(store: LocalStore) -> None:
    with store.transaction() as tx:
        tx.put_hazard({"id": "h-1"})
        tx.enqueue({"kind": "command"})
    assert not list((store.root / "journal").glob("*.json"))


def test_a_second_process_gets_a_clear_error(store: LocalStore) -> None:
    with pytest.raises(StoreLockedError, match="in use by another process"):
        LocalStore.open(store.root)


def test_a_damaged_file_is_reported_not_emptied(store: LocalStore) -> None:
    store.save_answer("i-1", "a", {"value": "pass"})
    root = store.root
    store.close()
    (root / "inspections" / "i-1.json").write_bytes(b'{"answers": {"1": {"val')
    store = LocalStore.open(root)
    with pytest.raises(StoreCorruptError, match=r"i-1\.json"):
        store.answers("i-1")
    assert (root / "inspections" / "i-1.json").read_bytes().startswith(b'{"answers"')
    store.close()


def test_ids_cannot_escape_the_store(store: LocalStore) -> None:
    with pytest.raises(ValueError):
        store.save_answer("../../etc/passwd", "a", {})
    with pytest.raises(ValueError):
        store.photos.path("../x")


def test_photos_are_content_addressed(store: LocalStore) -> None:
    data = b"\xff\xd8 not really a jpeg"
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(ValueError, match="do not match"):
        store.photos.put(sha, data + b"x")
    assert not store.photos.has(sha)
    store.photos.put(sha, data, thumb=b"thumb")
    assert store.photos.read(sha) == data
    assert store.photos.thumb_path(sha).read_bytes() == b"thumb"
    store.photos.delete(sha)
    assert not store.photos.has(sha) and store.photos.thumb_path(sha).exists()


def test_files_on_disk_are_plain_json(store: LocalStore) -> None:
    store.set_meta("language", "zh")
    data = json.loads((store.root / "meta.json").read_text("utf-8"))
    assert list(data) == ["meta"]
