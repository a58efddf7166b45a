"""A photo's thumbnail from HQ (``/v1/blobs/{sha256}/thumb``): the same scope as the photo, 404 for
a bad or unknown hash, HEAD and GET agree, made by the device's pipeline and kept in the blob store
under a derived key that is never served as a photo."""

from __future__ import annotations

import hashlib
import io

import requests
from PIL import Image

from inspect_app.photos import process_photo
from inspect_app.server.blobs import thumb_key
from tests.server.conftest import Device, Hq, jpeg
from tests.server.test_protocol import created


def thumb(hq: Hq, sha: str, method: str = "GET", device: Device | None = None) -> requests.Response:
    headers = device.headers if device else {}
    return requests.request(method, f"{hq.url}/v1/blobs/{sha}/thumb", headers=headers, timeout=10)


def test_thumbnail_within_the_photos_scope(hq_sqlite: Hq) -> None:
    hq = hq_sqlite
    inspector = hq.enroll("p-li")  # ws-stamping and ws-welding
    photo = process_photo(jpeg("maroon", (1600, 1200)))
    assert inspector.put_blob(photo.sha256, photo.jpeg).status_code == 201
    created(inspector, workshop="ws-stamping", photos=[photo.sha256])
    head, painting_head = hq.enroll("p-wang"), hq.enroll("p-zhou")

    answer = thumb(hq, photo.sha256, device=head)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(answer.content)).size == (320, 240)
    assert answer.content == photo.thumb  # the device's own thumbnail, from the same code
    assert thumb(hq, photo.sha256, "HEAD", head).status_code == 200
    # Kept under the derived key, which no reference names: it is never served as a photo.
    assert hq.app.state.hq.blobs.get(thumb_key(photo.sha256)) == photo.thumb
    key = thumb_key(photo.sha256)
    as_photo = requests.get(f"{hq.url}/v1/blobs/{key}", headers=head.headers, timeout=10)
    assert as_photo.status_code == 404
    assert thumb(hq, key, device=head).status_code == 404
    assert thumb(hq, photo.sha256, device=head).content == photo.thumb  # read back, same bytes

    for method in ("GET", "HEAD"):
        assert thumb(hq, photo.sha256, method, painting_head).status_code == 404  # out of scope
        assert thumb(hq, "f" * 64, method, head).status_code == 404  # HQ does not hold it
        assert thumb(hq, "not-a-sha", method, head).status_code == 404
        assert thumb(hq, photo.sha256, method).status_code == 401  # nobody


def test_a_held_photo_no_hazard_shows_has_no_thumbnail(hq_sqlite: Hq) -> None:
    inspector = hq_sqlite.enroll("p-li")
    data = jpeg("olive")
    sha = hashlib.sha256(data).hexdigest()
    assert inspector.put_blob(sha, data).status_code == 201
    assert thumb(hq_sqlite, sha, "HEAD", inspector).status_code == 404
    assert thumb(hq_sqlite, sha, device=inspector).status_code == 404
