"""The exceptions the local store raises."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot do what was asked; the message says why."""


class StoreCorruptError(StoreError):
    """A store file cannot be read; it is never silently replaced by an empty one."""


class StoreLockedError(StoreError):
    """Another process has this store open."""
