"""The device's crash-safe local store on TinyDB: partitions, redo journal, outbox, photo files."""

from inspect_app.store.errors import StoreCorruptError, StoreError, StoreLockedError
from inspect_app.store.local_store import LocalStore, Transaction
from inspect_app.store.photo_files import PhotoFiles

__all__ = [
    "LocalStore",
    "PhotoFiles",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "Transaction",
]
