"""Photo files: content-addressed names, the sha256 check, atomic writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from inspect_app.store import PhotoFiles

DATA = b"\xff\xd8 not really a jpeg"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def photos(tmp_path: Path) -> PhotoFiles:
    return PhotoFiles(tmp_path)


def test_put_read_and_delete(photos: PhotoFiles) -> None:
    assert not photos.has(SHA)
    photos.put(SHA, DATA, thumb=b"thumb")
    photos.put(SHA, DATA)  # again: harmless
    assert photos.has(SHA)
    assert photos.read(SHA) == DATA
    assert photos.path(SHA).name == f"{SHA}.jpg"
    assert photos.thumb_path(SHA).read_bytes() == b"thumb"
    photos.delete(SHA)
    assert not photos.has(SHA) and photos.thumb_path(SHA).exists()
    photos.delete(SHA)  # already gone: harmless


def test_bytes_must_match_their_sha(photos: PhotoFiles) -> None:
    with pytest.raises(ValueError, match="do not match"):
        photos.put(SHA, DATA + b"x", thumb=b"thumb")
    assert list(photos.root.iterdir()) == []


@pytest.mark.parametrize("name", ["../x", SHA.upper(), SHA[:-1], SHA + "0", f"{SHA}\n", ""])
def test_names_are_sha256_hex_only(photos: PhotoFiles, name: str) -> None:
    for method in (photos.path, photos.thumb_path, photos.has, photos.read, photos.delete):
        with pytest.raises(ValueError, match="sha256"):
            method(name)
    with pytest.raises(ValueError):
        photos.put(name, DATA)
