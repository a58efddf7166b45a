"""A blob store that refuses HQ's S3 key, on a SeaweedFS gateway that checks keys as a
production one does: ``serve`` stops with one line naming the blob store (not a traceback, not
"CreateBucket SignatureDoesNotMatch"), the right key serves, and a running HQ whose key S3 no
longer takes answers /readyz with 503."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from inspect_app.server.app import Settings, create_app
from inspect_app.server.blob_store import S3BlobStore
from tests.ops.test_hq_cli import cli, one_line
from tests.support.services import LiveServer, SeaweedS3, free_port, wait_until

KEY, SECRET = "hq-photos", "the-right-secret"


@pytest.fixture(scope="module")
def keyed_seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    service = SeaweedS3(tmp_path_factory.mktemp("weed-keys"), identities={KEY: SECRET}).start()
    yield service
    service.stop()


def _bucket_url(seaweed: SeaweedS3) -> str:
    return f"s3://k{uuid.uuid4().hex[:12]}?endpoint={seaweed.endpoint}"


def _keys(secret: str) -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": secret}


def test_a_wrong_secret_stops_serve_with_one_line(keyed_seaweed: SeaweedS3, tmp_path: Path) -> None:
    url = _bucket_url(keyed_seaweed)
    done = cli("serve", "--data", tmp_path / "hq", "--blobs", url, "--port", free_port(),
               cwd=tmp_path, env=_keys("a-wrong-secret"))  # fmt: skip
    assert done.returncode == 1
    line = one_line(done)
    assert line.startswith(f"cannot start HQ: S3 refused the access key for {url}"), line
    assert "CreateBucket" not in line and "SignatureDoesNotMatch" not in line


def test_the_right_key_serves(keyed_seaweed: SeaweedS3, tmp_path: Path) -> None:
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "inspect_app", "serve", "--data", str(tmp_path / "hq"),
         "--blobs", _bucket_url(keyed_seaweed), "--port", str(port)],
        cwd=tmp_path, env={**os.environ, **_keys(SECRET)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:

        def ready() -> bool:
            assert serve.poll() is None, serve.stderr.read().decode() if serve.stderr else ""
            try:
                return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).ok
            except requests.RequestException:  # not listening yet, or busy starting
                return False

        wait_until(ready, 60, "HQ with the right S3 key")
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_readyz_says_503_when_s3_refuses_the_key(
    keyed_seaweed: SeaweedS3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _bucket_url(keyed_seaweed)
    for name, value in _keys(SECRET).items():
        monkeypatch.setenv(name, value)
    app = create_app(Settings(data_dir=tmp_path / "hq", blobs_url=url))
    server = LiveServer(app).start()
    try:
        assert requests.get(f"{server.url}/readyz", timeout=10).status_code == 200
        # The key is rotated at S3 while HQ runs: HQ's client now signs with a stale secret.
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "rotated-away")
        app.state.hq.blobs = S3BlobStore(url)
        answer = requests.get(f"{server.url}/readyz", timeout=10)
        assert answer.status_code == 503 and answer.headers["Retry-After"]
        assert answer.json()["database"] == "ok" and answer.json()["blobs"] != "ok"
    finally:
        server.stop()
        app.state.hq.engine.dispose()
