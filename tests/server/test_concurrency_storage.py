"""Pulls while four devices push never skip or repeat an event (SQLite and PostgreSQL); blobs in a
real S3 gateway; an existing database upgraded in place."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from pathlib import Path

import sqlalchemy as sa

from inspect_app.server.app import Settings, create_app
from inspect_app.server.database import head_revision, make_engine, upgrade
from tests.server.conftest import Hq, hazard_payload, jpeg, start_hq, upload_at_once
from tests.support.services import SeaweedS3

BATCHES = 15
PER_BATCH = 10


def test_pulls_during_concurrent_pushes_see_every_event_once(hq: Hq) -> None:
    pushers = [hq.enroll(p) for p in ("p-li", "p-zhao", "p-wang", "p-chen")]
    reader = hq.enroll("p-chen")
    start = reader.pull()["next_since"]
    errors: list[str] = []
    done = threading.Event()

    def push_all(device) -> None:  # type: ignore[no-untyped-def]
        for _ in range(BATCHES):
            batch = [
                device.command(str(uuid.uuid4()), "create", None, hazard_payload())
                for _ in range(PER_BATCH)
            ]
            answer = device.push(batch)
            if answer.status_code != 200:
                errors.append(answer.text)

    seen: list[int] = []

    def pull_all() -> None:
        since = start
        for _ in range(10_000):
            finished = done.is_set()
            page = reader.pull(since, limit=37)
            seen.extend(e["server_seq"] for e in page["events"])
            since = page["next_since"]
            if finished and not page["has_more"]:
                return

    threads = [threading.Thread(target=push_all, args=(d,)) for d in pushers]
    puller = threading.Thread(target=pull_all)
    puller.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    done.set()
    puller.join(timeout=300)
    assert errors == []
    total = len(pushers) * BATCHES * PER_BATCH
    assert len(seen) == total
    assert seen == list(range(start + 1, start + total + 1))


def test_blobs_in_s3(seaweed: SeaweedS3, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "any")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "any")
    bucket = f"hq-{uuid.uuid4().hex[:8]}"
    server, hq = start_hq(tmp_path / "hq", blobs_url=f"s3://{bucket}?endpoint={seaweed.endpoint}")
    try:
        one, two = hq.enroll("p-li"), hq.enroll("p-zhao")
        photo = jpeg("teal", (300, 200))
        sha = hashlib.sha256(photo).hexdigest()
        assert one.put_blob(sha, photo + b"x").status_code == 422
        codes = upload_at_once([one, two], sha, photo)
        assert sorted(codes) in ([200, 201], [201, 201])
        store = hq.app.state.hq.blobs
        listing = store.client.list_objects_v2(Bucket=bucket)
        assert [o["Key"] for o in listing.get("Contents", [])] == [sha]
        assert store.get(sha) == photo
        command = one.command(str(uuid.uuid4()), "create", None, hazard_payload(photos=[sha]))
        assert one.push([command]).json()["commands"][0]["status"] == "applied"
    finally:
        server.stop()


def test_existing_database_is_upgraded_in_place(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO devices (id, person_id, token_hash, created_at, last_seq)"
                " VALUES ('dev-old', 'p-li', 'h', '2026-01-01', 7)"
            )
        )
    upgrade(engine, "0002")
    photo, after = "a" * 64, "b" * 64
    hazard = {"id": "h-1", "workshop_id": "ws-welding", "photos": [photo], "after_photos": [after]}
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO counters (name, value) VALUES ('server_seq', 3)"))
        conn.execute(
            sa.text(
                "INSERT INTO hazards (id, workshop_id, status, grade, data, updated_seq)"
                " VALUES ('h-1', 'ws-welding', 'open', 'general', :data, 1)"
            ),
            {"data": json.dumps(hazard)},
        )
        for seq, result in ((1, "applied"), (2, "forbidden"), (3, "rejected_conflict")):
            conn.execute(
                sa.text(
                    "INSERT INTO events (server_seq, kind, hazard_id, workshop_id, data, recorded_at)"
                    " VALUES (:seq, 'hazard', 'h-1', 'ws-welding', :data, '2026-01-01')"
                ),
                {"seq": seq, "data": json.dumps({"result": result, "device_id": "dev-old"})},
            )
    engine.dispose()
    app = create_app(Settings(data_dir=tmp_path, db_url=url, demo=True))
    devices = app.state.hq.list_devices()
    assert [(d["id"], d["last_seq"], d["label"]) for d in devices] == [("dev-old", 7, "")]
    with app.state.hq.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        events = conn.execute(
            sa.text("SELECT server_seq, device_id, private FROM events WHERE server_seq <= 3")
        ).all()
        refs = conn.execute(sa.text("SELECT sha256, workshop_id FROM blob_refs")).all()
    assert [(e[0], e[1], bool(e[2])) for e in events] == [
        (1, "dev-old", False),
        (2, "dev-old", True),
        (3, "dev-old", False),
    ]
    assert sorted(tuple(r) for r in refs) == [(photo, "ws-welding"), (after, "ws-welding")]
