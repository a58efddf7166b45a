"""Photos on disk, named by the sha256 of their bytes, written atomically; never a caller's path."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from inspect_app.store.atomic_storage import fsync_dir, write_atomically

_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha(value: str) -> bool:
    return _SHA256.fullmatch(value) is not None


def check_sha(sha256: str) -> str:
    if not is_sha(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return sha256


class PhotoFiles:
    """``<sha256>.jpg`` and its ``<sha256>.thumb.jpg`` in one directory.

    Safe to use from several threads: every write goes to its own temp file.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / f"{check_sha(sha256)}.jpg"

    def thumb_path(self, sha256: str) -> Path:
        return self.root / f"{check_sha(sha256)}.thumb.jpg"

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def has_thumb(self, sha256: str) -> bool:
        return self.thumb_path(sha256).exists()

    def thumbnails(self) -> set[str]:
        """The photos whose thumbnail is held, from one listing of the directory."""
        suffix = ".thumb.jpg"
        return {
            name[: -len(suffix)]
            for name in os.listdir(self.root)
            if name.endswith(suffix) and is_sha(name[: -len(suffix)])
        }

    def put(self, sha256: str, data: bytes, thumb: bytes | None = None) -> None:
        """Store a photo (and its thumbnail) durably; the bytes must hash to ``sha256``."""
        if hashlib.sha256(data).hexdigest() != check_sha(sha256):
            raise ValueError("photo bytes do not match their sha256")
        if thumb is not None:
            write_atomically(self.thumb_path(sha256), thumb)
        if not self.has(sha256):
            write_atomically(self.path(sha256), data)

    def put_thumb(self, sha256: str, thumb: bytes) -> None:
        """Store only the thumbnail of a photo held elsewhere (HQ), durably."""
        write_atomically(self.thumb_path(sha256), thumb)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def read_thumb(self, sha256: str) -> bytes:
        return self.thumb_path(sha256).read_bytes()

    def delete(self, *shas: str) -> None:
        """Remove full-size photos, keeping their thumbnails for lists, with one directory sync
        (a removal a crash undoes only leaves a file that is no longer needed)."""
        for sha in shas:
            self.path(sha).unlink(missing_ok=True)
        fsync_dir(self.root)
