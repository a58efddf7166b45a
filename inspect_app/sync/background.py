"""Sync in the background: a worker thread that syncs on demand and every few minutes, one run at
a time, so the Flet event loop never waits on the network."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from inspect_app.services.workspace import Workspace
from inspect_app.sync.client import connection, sync_once
from inspect_app.sync.engine import LAST_SYNC_ERROR, SyncReport
from inspect_app.sync.errors import SyncError, SyncErrorCode
from inspect_app.sync.progress import Phase, ProgressCallback, SyncProgress, ignore_progress

DEFAULT_INTERVAL_S = 300.0
log = logging.getLogger(__name__)


class BackgroundSync:
    def __init__(
        self,
        workspace: Workspace,
        on_progress: ProgressCallback = ignore_progress,
        on_finished: Callable[[SyncReport | None, SyncError | None], None] | None = None,
        interval_s: float = DEFAULT_INTERVAL_S,
        run: Callable[[Workspace, ProgressCallback], SyncReport] = sync_once,
    ) -> None:
        self.workspace = workspace
        self.on_progress = on_progress
        self.on_finished = on_finished
        self.interval_s = interval_s
        self._run = run
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._runs_finished = 0
        self._running = False
        self._thread = threading.Thread(target=self._loop, name="inspect-sync", daemon=True)
        self.last_progress = SyncProgress()
        self._listeners: list[ProgressCallback] = []

    def start(self) -> BackgroundSync:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def trigger(self) -> int:
        """Ask for a sync now; returns the number of runs finished so far, for ``wait_for``."""
        with self._idle:
            count = self._runs_finished
        self._wake.set()
        return count

    def wait_for(self, runs_finished: int, timeout: float) -> bool:
        """Wait until more than ``runs_finished`` runs have finished (bounded by ``timeout``)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._runs_finished > runs_finished, timeout)

    @property
    def running(self) -> bool:
        return self._running

    def subscribe(self, listener: ProgressCallback) -> Callable[[], None]:
        """Also call ``listener`` (from the worker thread) on progress and when a run ends;
        returns the function that unsubscribes it. Each app session showing sync state adds one."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _progress(self, progress: SyncProgress) -> None:
        self.last_progress = progress
        self.on_progress(progress)
        for listener in list(self._listeners):
            listener(progress)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            report: SyncReport | None = None
            error: SyncError | None = None
            if connection(self.workspace) is not None:
                self._running = True
                try:
                    report = self._run(self.workspace, self._progress)
                except SyncError as exc:
                    error = exc
                except Exception as exc:  # a sync bug must not kill the worker for good
                    log.exception("sync failed unexpectedly")
                    error = SyncError(SyncErrorCode.UNEXPECTED, detail=repr(exc))
                    self.workspace.store.set_meta(LAST_SYNC_ERROR, error.to_dict())
                    self._progress(self.last_progress.but(phase=Phase.FAILED, error=error))
                finally:
                    self._running = False
            else:
                error = SyncError(SyncErrorCode.NOT_ENROLLED)
            with self._idle:
                self._runs_finished += 1
                self._idle.notify_all()
            if self.on_finished:
                self.on_finished(report, error)
            for listener in list(self._listeners):
                listener(self.last_progress)
