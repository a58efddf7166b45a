"""The photo pipeline: orientation, size, metadata stripped (GPS never in the JPEG), the capture
time kept as data, odd modes converted, bad files refused."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime

import pytest
from PIL import Image

from inspect_app.photos import PhotoError, process_photo, verify_image_bytes


def encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def camera_jpeg(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    # A smooth scene with sensor-like noise compresses like a real photo; pure noise would not.
    scene = Image.merge(
        "RGB",
        [
            Image.radial_gradient("L"),
            Image.linear_gradient("L"),
            Image.linear_gradient("L").rotate(90),
        ],
    ).resize((width, height))
    image = Image.blend(scene, Image.effect_noise((width, height), 40).convert("RGB"), 0.12)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (31.0, 18.0, 0.0)}  # GPS IFD
    return encode(image, "JPEG", quality=92, exif=exif.tobytes())


def test_camera_photo_is_rotated_downscaled_stripped_and_hashed() -> None:
    photo = process_photo(camera_jpeg())
    assert (photo.width, photo.height) == (1200, 1600)  # orientation 6: portrait
    out = Image.open(io.BytesIO(photo.jpeg))
    assert out.size == (1200, 1600) and out.format == "JPEG"
    assert not out.getexif() and "exif" not in out.info and "icc_profile" not in out.info
    assert photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()
    assert len(photo.jpeg) <= 500_000
    assert max(Image.open(io.BytesIO(photo.thumb)).size) == 320


def test_the_capture_time_is_kept_as_data_and_gps_never_reaches_the_jpeg() -> None:
    image = Image.new("RGB", (800, 600), "grey")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 18.0, 0.0), 3: "E", 4: (120.0, 37.0, 0.0)}  # GPS IFD
    exif[0x8769] = {0x9003: "2026:11:20 14:03:09"}  # Exif IFD: DateTimeOriginal
    photo = process_photo(encode(image, "JPEG", exif=exif.tobytes()))
    assert photo.taken == datetime(2026, 11, 20, 14, 3, 9)
    assert photo.place == (31.3, 120.616667)  # read out as data, signed degrees
    for jpeg in (photo.jpeg, photo.thumb):
        out = Image.open(io.BytesIO(jpeg))
        assert not out.getexif() and "exif" not in out.info
        assert b"GPS" not in jpeg and b"Exif" not in jpeg and b"2026:11:20" not in jpeg
    # No capture time, or a camera whose clock was never set: none.
    assert process_photo(encode(image, "JPEG")).taken is None
    exif[0x8769] = {0x9003: "0000:00:00 00:00:00"}
    assert process_photo(encode(image, "JPEG", exif=exif.tobytes())).taken is None


@pytest.mark.parametrize(
    ("gps", "place"),
    [
        ({1: "S", 2: (33.0, 52.0, 4.0), 3: "W", 4: (151.0, 12.0, 36.0)}, (-33.867778, -151.21)),
        ({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}, None),  # no fix
        ({1: "N", 2: (95.0, 0.0, 0.0), 3: "E", 4: (10.0, 0.0, 0.0)}, None),  # off the globe
        ({1: "N", 2: (31.0, 18.0, 0.0)}, None),  # no longitude
        ({}, None),
    ],
)
def test_a_gps_position_is_read_only_when_it_is_whole_and_on_earth(
    gps: dict[int, object], place: tuple[float, float] | None
) -> None:
    exif = Image.Exif()
    if gps:
        exif[0x8825] = gps
    data = encode(Image.new("RGB", (64, 48), "grey"), "JPEG", exif=exif.tobytes())
    assert process_photo(data).place == place


def test_small_images_are_not_upscaled() -> None:
    photo = process_photo(encode(Image.new("RGB", (640, 480), "red"), "PNG"))
    assert (photo.width, photo.height) == (640, 480)


@pytest.mark.parametrize(
    "make",
    [
        lambda: encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG"),
        lambda: encode(Image.new("RGBA", (300, 200), (0, 0, 255, 128)), "PNG"),
        lambda: encode(Image.new("P", (300, 200), 3), "GIF"),
        lambda: encode(Image.new("L", (300, 200), 128), "WEBP"),
    ],
    ids=["cmyk-jpeg", "rgba-png", "still-gif", "grey-webp"],
)
def test_odd_modes_become_rgb_jpegs(make) -> None:  # type: ignore[no-untyped-def]
    out = Image.open(io.BytesIO(process_photo(make()).jpeg))
    assert out.mode == "RGB"


def test_sixteen_bit_png_keeps_its_mid_grey() -> None:
    data = encode(Image.new("I;16", (200, 100), 32768), "PNG")
    pixel = Image.open(io.BytesIO(process_photo(data).jpeg)).getpixel((100, 50))
    assert 110 <= pixel[0] <= 145


def bomb() -> bytes:
    return encode(Image.new("1", (20000, 20000)), "PNG")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (os.urandom(2000), "not_image"),
        (camera_jpeg(800, 600)[:5000], "truncated"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100, "unsupported_format"),
    ],
    ids=["empty", "junk", "truncated", "heic"],
)
def test_bad_files_are_refused_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(PhotoError) as caught:
        process_photo(data)
    assert caught.value.code == code
    assert str(caught.value)


def test_decompression_bomb_and_animation_are_refused() -> None:
    with pytest.raises(PhotoError) as caught:
        process_photo(bomb())
    assert caught.value.code == "too_large"
    frames = [Image.new("RGB", (50, 50), c) for c in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(PhotoError) as caught:
        process_photo(out.getvalue())
    assert caught.value.code == "animated"


def test_verify_accepts_only_complete_jpeg_png_webp() -> None:
    image = Image.new("RGB", (64, 64), "green")
    assert verify_image_bytes(encode(image, "JPEG")) == "JPEG"
    assert verify_image_bytes(encode(image, "PNG")) == "PNG"
    assert verify_image_bytes(encode(image, "WEBP")) == "WEBP"
    for bad in (encode(image, "GIF"), b"junk", encode(image, "PNG")[:60]):
        with pytest.raises(PhotoError):
            verify_image_bytes(bad)
    with pytest.raises(PhotoError):
        verify_image_bytes(bomb(), max_pixels=10_000_000)
