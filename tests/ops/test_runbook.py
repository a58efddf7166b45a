"""Every ``sh runbook`` block of docs/operations.md runs as written, in order, in one scratch
folder: on SQLite, and the ``sh runbook postgres`` blocks against a PostgreSQL that asks for a
password. A block fails the test if any of its commands does (``set -e``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

from inspect_app.resources import demo_site_path
from tests.support.services import PostgresCluster, free_port

DOC = Path(__file__).parents[2] / "docs" / "operations.md"
BLOCK = re.compile(r"^```sh runbook( postgres)?\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(postgres: bool) -> list[str]:
    return [body for tag, body in BLOCK.findall(DOC.read_text("utf-8")) if bool(tag) == postgres]


def run(block: str, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


def test_the_sqlite_runbook(tmp_path: Path) -> None:
    (tmp_path / "plant.yaml").write_text(demo_site_path().read_text("utf-8"), "utf-8")
    env = _env({"HQ_PORT": str(free_port())})
    found = blocks(postgres=False)
    assert len(found) >= 5
    for block in found:
        run(block, tmp_path, env)


def test_the_postgres_runbook(scram_postgres: PostgresCluster, tmp_path: Path) -> None:
    (tmp_path / "plant.yaml").write_text(demo_site_path().read_text("utf-8"), "utf-8")
    url = scram_postgres.create_database(f"rb{uuid.uuid4().hex[:10]}")
    env = _env({"INSPECT_DB_URL": url})
    found = blocks(postgres=True)
    assert len(found) >= 3
    for block in found:
        run(block, tmp_path, env)
