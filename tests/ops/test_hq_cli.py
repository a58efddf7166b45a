"""HQ's operations commands as an operator runs them: a password-protected PostgreSQL, settings
from INSPECT_* variables, admin that never creates a database, one-line start-up errors, two HQs
starting together, and a device whose CA file wins over the CA bundle variables."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select, text

from inspect_app.resources import demo_site_path
from inspect_app.server import schema
from inspect_app.server.app import Settings
from inspect_app.services.bootstrap import open_workspace
from inspect_app.sync.client import enroll
from tests.services.conftest import FakeClock
from tests.support.services import PlantCA, PostgresCluster, free_port, port_open, wait_until


def cli(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "inspect_app", *map(str, args)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_migrate_on_password_postgres_from_the_environment(
    scram_postgres: PostgresCluster, tmp_path: Path
) -> None:
    url = scram_postgres.create_database(f"p{uuid.uuid4().hex[:10]}")
    env = {"INSPECT_DB_URL": url, "INSPECT_BLOBS_URL": str(tmp_path / "blobs")}
    done = cli("migrate", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "s3cret" not in done.stdout  # the URL is shown without its password
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.sites)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(schema.checklists)).scalar_one() > 0
    engine.dispose()
    assert not (tmp_path / "hq-data").exists()


def test_a_wrong_password_or_missing_database_is_one_line(
    scram_postgres: PostgresCluster, tmp_path: Path
) -> None:
    wrong = scram_postgres.url_of("postgres").replace("s3cret", "wrong")
    for url in (wrong, scram_postgres.url_of("no_such_db")):
        done = cli("serve", "--db", url, "--blobs", tmp_path / "b", "--port", free_port(),
                   cwd=tmp_path)  # fmt: skip
        assert done.returncode == 1
        assert one_line(done).startswith("cannot start HQ: cannot connect to the database")


def test_db_without_data_or_blobs_is_refused_before_creating_anything(tmp_path: Path) -> None:
    done = cli("migrate", "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", cwd=tmp_path)
    assert done.returncode == 1 and "--blobs" in one_line(done)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_admin_never_creates_a_database(tmp_path: Path) -> None:
    done = cli("admin", "--data", tmp_path / "hq", "make-code", "p-li", cwd=tmp_path)
    assert done.returncode == 1 and "inspect-app migrate" in one_line(done)
    assert not (tmp_path / "hq").exists()
    assert cli("migrate", "--data", tmp_path / "hq", cwd=tmp_path).returncode == 0
    done = cli(
        "admin", "make-code", "p-li", cwd=tmp_path, env={"INSPECT_DATA": str(tmp_path / "hq")}
    )
    assert done.returncode == 1 and "no person p-li" in one_line(done)  # no demo plant


def test_settings_from_the_environment() -> None:
    settings = Settings.from_environment(
        {
            "INSPECT_DB_URL": "postgresql://hq:pw@db/hq",
            "INSPECT_CORS_ORIGINS": "https://a.example, https://b.example",
            "INSPECT_TRUSTED_PROXIES": "127.0.0.1",
            "INSPECT_WORKERS": "3",
            "INSPECT_LOG_FORMAT": "json",
        },
        workers=2,
    )
    assert settings.db_url == "postgresql://hq:pw@db/hq"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.trusted_proxies == ["127.0.0.1"]
    assert (settings.workers, settings.log_format) == (2, "json")
    assert Settings.from_environment(settings.environment()).db_url == settings.db_url
    with pytest.raises(ValueError, match="INSPECT_PORT"):
        Settings.from_environment({"INSPECT_PORT": "http"})


def _serve(tmp_path: Path, port: int, *args: object, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    log = open(tmp_path / f"serve-{port}.log", "w")  # noqa: SIM115 - closed by the caller
    process = subprocess.Popen(
        [sys.executable, "-m", "inspect_app", "serve", "--port", str(port), *map(str, args)],
        cwd=tmp_path,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def _answers(port: int) -> bool:
    """HQ answers /healthz (the socket listens before the app is ready)."""
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _stop(process: subprocess.Popen, log) -> None:  # type: ignore[no-untyped-def,type-arg]
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_two_hqs_started_together_on_an_empty_postgres(
    scram_postgres: PostgresCluster, tmp_path: Path
) -> None:
    url = scram_postgres.create_database(f"t{uuid.uuid4().hex[:10]}")
    env = {"INSPECT_DB_URL": url, "INSPECT_BLOBS_URL": str(tmp_path / "blobs")}
    ports = [free_port(), free_port()]
    started = [_serve(tmp_path, port, "--demo", env=env) for port in ports]
    try:
        for (process, _), port in zip(started, ports, strict=True):
            wait_until(lambda p=port, pr=process: _answers(p) or pr.poll() is not None, 90, "HQ")
            assert process.poll() is None, (tmp_path / f"serve-{port}.log").read_text()
    finally:
        for process, log in started:
            _stop(process, log)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(schema.epochs)).scalar_one() == 1
        # The demo's plants, published once though two HQs seeded at the same moment.
        demo_plants = len(list(demo_site_path().parent.glob("demo-site*.yaml")))
        assert (
            conn.execute(select(func.count()).select_from(schema.sites)).scalar_one()
            == demo_plants
            == 2
        )
    engine.dispose()


def test_the_device_ca_file_wins_over_the_bundle_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = PlantCA(tmp_path / "ca")
    other = PlantCA(tmp_path / "other")
    data = tmp_path / "hq"
    assert cli("migrate", "--data", data, "--demo", cwd=tmp_path).returncode == 0
    code = cli("admin", "--data", data, "make-code", "p-li", cwd=tmp_path).stdout.split()[0]
    port = free_port()
    process, log = _serve(
        tmp_path, port, "--data", data, "--ssl-certfile", ca.cert_file, "--ssl-keyfile", ca.key_file
    )
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other.ca_file))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(other.ca_file))
    ws = open_workspace(tmp_path / "device", clock=FakeClock())
    try:
        wait_until(lambda: port_open(port), 60, "HQ over TLS")
        enroll(ws, f"https://127.0.0.1:{port}", code, ca_file=str(ca.ca_file))
        assert ws.store.get_meta("token")
    finally:
        ws.store.close()
        _stop(process, log)


def test_restores_are_audited_as_the_shell_user(tmp_path: Path) -> None:
    import getpass

    from inspect_app.server import audit
    from inspect_app.server.app import connect

    data = ["--data", tmp_path / "hq"]
    assert cli("migrate", *data, cwd=tmp_path).returncode == 0
    assert cli("backup", *data, tmp_path / "backup", cwd=tmp_path).returncode == 0
    done = cli("restore", *data, tmp_path / "backup", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = cli("admin", *data, "restored", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    engine = connect(Settings(data_dir=tmp_path / "hq"))
    entries, _ = audit.entries(engine, "restore")
    engine.dispose()
    who = f"cli:{getpass.getuser()}"
    assert [(e.actor, e.address, e.details["how"]) for e in entries] == [
        (who, "local", "restored"),
        (who, "local", "restore"),
    ]
    assert entries[1].details["source"] == str(tmp_path / "backup")
