"""The device's crash-safe local store on TinyDB: partitions, redo journal, outbox, photo files."""

from inspect_app.store.atomic_storage import StoreCorruptError
from inspect_app.store.local_store import LocalStore, StoreLockedError, Transaction

__all__ = ["LocalStore", "StoreCorruptError", "StoreLockedError", "Transaction"]
