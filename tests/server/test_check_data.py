"""``inspect-app admin check-data``: hazards stored before HQ validated commands are listed field
by field, and the command says whether the data is sound."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from inspect_app.cli import main
from inspect_app.server import schema
from inspect_app.server.app import Settings, bootstrap

SOUND = {
    "id": "hz-sound",
    "workshop_id": "ws-stamping",
    "description": "Extinguisher F-12 gauge in red",
    "grade": "general",
    "risk": "orange",
    "found_by": "p-li",
    "found_at": "2026-11-20T09:00:00+08:00",
    "deadline": "2026-11-30",
    "status": "open",
    "version": 1,
}


def _store(data_dir: Path, *docs: dict) -> None:
    hq, _ = bootstrap(Settings(data_dir=data_dir, demo=True))
    with hq.engine.begin() as conn:
        for doc in docs:
            conn.execute(
                insert(schema.hazards).values(
                    id=doc["id"],
                    workshop_id="ws-stamping",
                    status="open",
                    grade="general",
                    data=doc,
                    updated_seq=0,
                )
            )


def test_sound_data_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store(tmp_path, SOUND)
    assert main(["admin", "--data", str(tmp_path), "check-data"]) == 0
    assert "every stored hazard is valid" in capsys.readouterr().out


def test_broken_records_are_listed_by_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(
        tmp_path,
        SOUND,
        {**SOUND, "id": "hz-date", "found_at": "not-a-date"},
        {
            **SOUND,
            "id": "hz-xss",
            "after_photos": ['"><script>alert(3)</script>'],
            "comments": "many",
        },
    )
    assert main(["admin", "--data", str(tmp_path), "check-data"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "3 problem(s) found"
    assert any(line.startswith("hazard hz-date found_at: ") for line in lines)
    assert any(line.startswith("hazard hz-xss after_photos.0: ") for line in lines)
    assert any(line.startswith("hazard hz-xss comments: ") for line in lines)
    assert not any("hz-sound" in line for line in lines)
