"""Photos: the Pillow pipeline from any picture to a stored, metadata-free JPEG named by hash."""

from inspect_app.photos.pipeline import (
    PhotoError,
    ProcessedPhoto,
    process_photo,
    verify_image_bytes,
)

__all__ = ["PhotoError", "ProcessedPhoto", "process_photo", "verify_image_bytes"]
