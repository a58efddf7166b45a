"""Photos: the Pillow pipeline from any picture to a stored, metadata-free JPEG named by hash;
a drawn signature as a PNG."""

from inspect_app.photos.pipeline import (
    PhotoError,
    ProcessedPhoto,
    process_photo,
    verify_image_bytes,
)
from inspect_app.photos.signature import signature_png

__all__ = ["PhotoError", "ProcessedPhoto", "process_photo", "signature_png", "verify_image_bytes"]
