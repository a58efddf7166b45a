"""Where HQ keeps photos: a directory (default) or an S3-compatible bucket, behind one interface.

Keys are always the validated sha256 hex of the content, never a name the client chose. The
upload is hashed and checked before it becomes visible: a file is renamed into place atomically;
an S3 object is written with ``If-None-Match: *`` so two devices uploading the same photo at
once leave one object.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlparse

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_key(value: object) -> bool:
    return isinstance(value, str) and _SHA256.match(value) is not None


def check_key(sha256: str) -> str:
    if not is_key(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


class BlobStore(Protocol):
    def put(self, sha256: str, data: bytes) -> bool:
        """Store the verified bytes; False when the blob was already there."""

    def get(self, sha256: str) -> bytes | None: ...

    def exists(self, sha256: str) -> bool: ...


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        key = check_key(sha256)
        return self.root / key[:2] / key

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def get(self, sha256: str) -> bytes | None:
        try:
            return self._path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, sha256: str, data: bytes) -> bool:
        target = self._path(sha256)
        if target.exists():
            return False
        target.parent.mkdir(exist_ok=True)
        temp = target.with_name(f".{uuid.uuid4().hex}.tmp")
        try:
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # link() fails if another upload of the same blob won the race: one file, no clobber.
            os.link(temp, target)
        except FileExistsError:
            return False
        finally:
            temp.unlink(missing_ok=True)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return True


class S3BlobStore:
    """``s3://bucket/prefix?endpoint=http://127.0.0.1:8333``; keys from the usual AWS_* env."""

    def __init__(self, url: str) -> None:
        import boto3
        from botocore.config import Config

        parsed = urlparse(url)
        query = parse_qs(parsed.query)
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        endpoint = query.get("endpoint", [None])[0]
        # A session of its own reads the AWS_* keys now; boto3's default session keeps the
        # keys it read first for the life of the process.
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=query.get("region", [os.environ.get("AWS_REGION", "us-east-1")])[0],
            config=Config(retries={"max_attempts": 3, "mode": "standard"}),
        )
        self._errors = self.client.exceptions

    def _key(self, sha256: str) -> str:
        key = check_key(sha256)
        return f"{self.prefix}/{key}" if self.prefix else key

    def ensure_bucket(self) -> None:
        """Create the bucket if S3 says it does not exist; any other refusal (a wrong key: 403)
        is raised as HeadBucket's, not hidden behind a CreateBucket that fails for it too."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors.ClientError as exc:
            if exc.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
                raise
            self.client.create_bucket(Bucket=self.bucket)

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except self._errors.ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def get(self, sha256: str) -> bytes | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))
        except self._errors.NoSuchKey:
            return None
        return response["Body"].read()

    def put(self, sha256: str, data: bytes) -> bool:
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(sha256),
                Body=data,
                IfNoneMatch="*",
                ContentType="image/jpeg",
            )
        except self._errors.ClientError as exc:
            if exc.response["Error"]["Code"] in (
                "PreconditionFailed",
                "412",
                "ConditionalRequestConflict",
            ):
                return False
            raise
        return True


def open_blob_store(url: str | None, data_dir: Path) -> BlobStore:
    if url and url.startswith("s3://"):
        store = S3BlobStore(url)
        store.ensure_bucket()
        return store
    return FileBlobStore(Path(url) if url else data_dir / "blobs")
