"""Durable, all-or-nothing file writes, and the TinyDB storage built on them.

TinyDB's stock JSONStorage rewrites its file in place, so a crash mid-write leaves a torn file.
Here a file is replaced by writing a temp file in the same directory, fsyncing it, renaming it over
the target and fsyncing the directory: a crash leaves the old or the new file, and the new one is
on disk before the call returns.

``AtomicJSONStorage`` keeps its partition in memory: TinyDB's ``write`` only changes that copy and
``flush`` replaces the file. The store flushes once per commit, so a commit touching many
documents of one partition costs one file write rather than one per document.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from inspect_app.store.errors import StoreCorruptError

TEMP_SUFFIX = ".tmp"

Tables = dict[str, dict[str, dict[str, Any]]]


def _sync(fd: int) -> None:
    # On macOS/iOS fsync only reaches the drive's cache; F_FULLFSYNC reaches the medium.
    if hasattr(fcntl, "F_FULLFSYNC"):
        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    else:
        os.fsync(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename, creation or unlink in directory ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        _sync(fd)
    finally:
        os.close(fd)


def is_temp_file(name: str) -> bool:
    """Whether ``name`` is a temp file a crash may have left behind."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            _sync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def remove_durably(path: Path) -> None:
    path.unlink(missing_ok=True)
    fsync_dir(path.parent)


def encode_json(data: Any) -> bytes:
    """Compact UTF-8 JSON; NaN and infinities are refused, as standard JSON has none."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def copy_json(data: Any) -> Any:
    """A deep copy of ``data`` as it would read back from disk (tuples become lists, ...).

    Raises TypeError or ValueError for what JSON cannot hold.
    """
    return json.loads(encode_json(data))


def read_json(path: Path) -> Any:
    """The parsed file, or None when it does not exist."""
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreCorruptError(f"store file {path} is damaged: {exc}") from exc


def _check_tables(path: Path, data: Any) -> Tables | None:
    tables_ok = isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    )
    if data is not None and not tables_ok:
        raise StoreCorruptError(f"store file {path} is damaged: not a set of TinyDB tables")
    return data


class AtomicJSONStorage(Storage):
    """One partition file: read once, changed in memory, written back atomically by ``flush``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._data = _check_tables(self.path, read_json(self.path))
        self._dirty = False

    def read(self) -> Tables | None:
        return self._data

    def write(self, data: Tables) -> None:
        self._data = data
        self._dirty = True

    def flush(self) -> None:
        """Put the in-memory copy on disk; a file left without documents is removed."""
        if not self._dirty or self._data is None:
            return
        if any(self._data.values()):
            write_atomically(self.path, encode_json(self._data))
        else:
            remove_durably(self.path)
        self._dirty = False

    def reload(self) -> None:
        """Drop unflushed changes (after a failed commit) and read the file again."""
        self._data = _check_tables(self.path, read_json(self.path))
        self._dirty = False

    def close(self) -> None:
        """Nothing to release: the file is only open while it is read or replaced."""
