"""The photo pipeline: any photo in, a stored JPEG out.

EXIF orientation applied, at most 1600 px on the long edge, JPEG quality 80, every piece of
metadata (GPS included) dropped from the JPEG, a 320 px thumbnail, named by the sha256 of the JPEG
bytes; the capture time (EXIF DateTimeOriginal) and the GPS position are read out as data before
the metadata goes (the app keeps the position only where the person allows it). JPEG draft mode
lets libjpeg decode a 12 MP photo at 1/2, 1/4 or 1/8 scale, so it is never fully decoded. Bad
input raises ``PhotoError`` with a message for the person and a stable ``code``.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, UnidentifiedImageError

#: Larger images are refused before decoding (a decompression bomb guard).
MAX_PIXELS = 60_000_000
ACCEPTED_UPLOADS = frozenset({"JPEG", "PNG", "WEBP"})
#: The long edge (px) and JPEG quality of a thumbnail, on the device and at HQ alike.
THUMB_EDGE = 320
THUMB_QUALITY = 75
_ORIENTATION = 0x0112
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATE_TIME_ORIGINAL = 0x9003
# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


class PhotoError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ProcessedPhoto:
    sha256: str
    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    #: When the camera took it (EXIF DateTimeOriginal, the camera's local time, no zone).
    taken: datetime | None = None
    #: Where (EXIF GPS latitude, longitude in degrees), read out before the metadata goes.
    place: tuple[float, float] | None = None


def _taken(exif: Image.Exif) -> datetime | None:
    raw = exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL)
    try:
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if raw else None
    except ValueError:  # a camera with its clock unset writes "0000:00:00 00:00:00"
        return None


def _degrees(dms: object, ref: object, negative: str, limit: float) -> float | None:
    """EXIF degrees, minutes, seconds (rationals) and a hemisphere letter as signed degrees."""
    try:
        d, m, sec = (float(part) for part in dms)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + sec / 3600
    if str(ref).strip("\x00 ").upper() == negative:
        value = -value
    return round(value, 6) if math.isfinite(value) and abs(value) <= limit else None


def _place(exif: Image.Exif) -> tuple[float, float] | None:
    gps = exif.get_ifd(_GPS_IFD)
    if not gps:
        return None
    latitude = _degrees(gps.get(2), gps.get(1), "S", 90)
    longitude = _degrees(gps.get(4), gps.get(3), "W", 180)
    if latitude is None or longitude is None or (latitude, longitude) == (0, 0):
        return None  # no fix: cameras write zeros
    return latitude, longitude


def _is_heif(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS


def _open(data: bytes, max_pixels: int) -> Image.Image:
    if not data:
        raise PhotoError("empty", "The file is empty.")
    if _is_heif(data):
        raise PhotoError(
            "unsupported_format",
            "This build cannot read HEIC/HEIF photos. Set the camera to 'Most compatible' (JPEG) "
            "or pick a JPEG or PNG.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
            raise PhotoError("too_large", "The image is too large to process.") from exc
        raise PhotoError("not_image", "This file is not a photo the app can read.") from exc
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoError("not_image", "The image has no pixels.")
    if width * height > max_pixels:
        raise PhotoError(
            "too_large",
            f"The image is {width}x{height} pixels, more than the {max_pixels // 1_000_000} "
            "megapixels the app accepts.",
        )
    if getattr(image, "is_animated", False) and getattr(image, "n_frames", 1) > 1:
        raise PhotoError("animated", "Animated images are not supported; pick a still photo.")
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB whatever came in: CMYK, 16-bit greyscale, palette or alpha (on white)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit samples: scale to 8 bit rather than clipping at 255.
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("RGBA", "LA", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _upright(image: Image.Image, max_edge: int) -> Image.Image:
    """The decoded picture as upright 8-bit RGB; a JPEG is decoded at the smallest DCT scale
    (draft) that still covers ``max_edge`` on the long side."""
    orientation = image.getexif().get(_ORIENTATION, 1)
    if image.format == "JPEG":
        scale = max(image.size) / max_edge
        if scale > 1:
            image.draft("RGB", (int(image.size[0] / scale), int(image.size[1] / scale)))
    image.load()
    image = _to_rgb(image)
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    return image


def _thumbnail(image: Image.Image, edge: int) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    return _encode(thumb, THUMB_QUALITY)


def _failed(exc: Exception) -> PhotoError:
    if "truncated" in str(exc).lower():
        return PhotoError("truncated", "The photo file is incomplete (cut off).")
    return PhotoError("not_image", "This file is not a photo the app can read.")


def process_photo(
    data: bytes, *, max_edge: int = 1600, quality: int = 80, thumb_edge: int = THUMB_EDGE
) -> ProcessedPhoto:
    image = _open(data, MAX_PIXELS)
    try:
        exif = image.getexif()
        taken, place = _taken(exif), _place(exif)
        image = _upright(image, max_edge)
        image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
        jpeg = _encode(image, quality)
        thumb = _thumbnail(image, thumb_edge)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _failed(exc) from exc
    return ProcessedPhoto(hashlib.sha256(jpeg).hexdigest(), jpeg, thumb, *image.size, taken, place)


def make_thumbnail(data: bytes, *, edge: int = THUMB_EDGE, max_pixels: int = MAX_PIXELS) -> bytes:
    """The thumbnail JPEG of a stored photo, as ``process_photo`` makes it on the device (HQ
    makes the thumbnails of the photos it holds with this)."""
    image = _open(data, max_pixels)
    try:
        return _thumbnail(_upright(image, edge), edge)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _failed(exc) from exc


def verify_image_bytes(data: bytes, max_pixels: int = MAX_PIXELS) -> str:
    """The format ("JPEG", "PNG", "WEBP") of a complete, still image within ``max_pixels``."""
    image = _open(data, max_pixels)
    if image.format not in ACCEPTED_UPLOADS:
        raise PhotoError("unsupported_format", f"{image.format} images are not accepted.")
    fmt = image.format
    try:
        image.verify()
        with Image.open(io.BytesIO(data)) as again:
            again.load()
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoError("truncated", "The image file is incomplete or damaged.") from exc
    return fmt
