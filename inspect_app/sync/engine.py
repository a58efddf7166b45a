"""One sync run: upload missing photos, push the outbox in seq order, pull from the saved cursor,
then fetch the thumbnails of photos taken on other devices.

Order matters: photos first so commands never wait on ``missing_blobs`` in the common case;
push before pull so HQ's answer to our own commands comes back in the same run. Every step is
safe to interrupt: the outbox entry leaves the store only when HQ's result for it has been read,
and the cursor moves in the same transaction that applies the pulled events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.workflow import (
    Command,
    CommandResult,
    CommandType,
    decide,
    referenced_photos,
)
from inspect_app.services.inspections import InspectionService
from inspect_app.services.master_data import (
    SYNCED_CHECKLISTS,
    SYNCED_SITE,
    apply_master_data,
    merge_master_data,
)
from inspect_app.services.outbox import COMMAND, INSPECTION
from inspect_app.services.workspace import Workspace
from inspect_app.sync.errors import RequestRejected, SyncError, SyncErrorCode
from inspect_app.sync.photo_downloads import fetch_thumbnails
from inspect_app.sync.photo_uploads import PhotoUploads, photos_still_needed
from inspect_app.sync.progress import Phase, ProgressCallback, SyncProgress, ignore_progress
from inspect_app.sync.transport import Transport

PULL_CURSOR = "pull_cursor"
#: HQ's epoch as last seen; a new one means HQ was restored from a backup.
HQ_EPOCH = "hq_epoch"
#: How long (seconds) an acknowledged entry, and the photos it uses, stay on the device while
#: HQ's epoch does not change: the age of the oldest backup HQ may be restored from.
KEEP_SENT_SECONDS = "keep_sent_seconds"
KEEP_SENT_DEFAULT = 14 * 24 * 3600
LAST_SYNC_AT = "last_sync_at"
#: Why the last sync failed: ``SyncError.to_dict()`` (versions before 2026-11 kept English text).
LAST_SYNC_ERROR = "last_sync_error"
#: [hazard id, command id] of this device's commands HQ refused (see ``NOT_APPLIED``), oldest
#: first, so the Sync tab lists them without reading every event on the device.
REFUSED_HERE = "refused_here"
BATCH_SIZE = 100
#: What HQs before ``rejected_invalid`` answered instead, still found in events pulled from them.
LEGACY_INVALID = "invalid"
#: Push results that mean HQ did not take the command at all.
REFUSED = frozenset({CommandResult.FORBIDDEN.value, CommandResult.INVALID.value, LEGACY_INVALID})
#: Results of a command HQ did not apply: refused, or decided first by someone else.
NOT_APPLIED = REFUSED | {CommandResult.REJECTED_CONFLICT.value}
#: What a kept entry carries besides the outbox entry itself.
KEPT_FIELDS = ("acked_at", "epoch")
#: Answered entries leave the outbox in one commit per this many (see ``_commit_acks``).
ACK_EVERY = 500
PULL_LIMIT = 1000  # the most HQ gives in one page: fewer local commits per pull
#: How many times one batch may come back with missing_blobs before the run gives up.
MAX_BLOB_ROUNDS = 3


@dataclass
class SyncReport:
    photos_uploaded: int = 0
    photos_present: int = 0
    bytes_sent: int = 0
    results: dict[str, str] = field(default_factory=dict)  # command/inspection id -> status
    events_pulled: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)


class _EpochChanged(Exception):
    def __init__(self, epoch: str) -> None:
        super().__init__(epoch)
        self.epoch = epoch


class SyncEngine:
    def __init__(
        self,
        workspace: Workspace,
        transport: Transport,
        on_progress: ProgressCallback = ignore_progress,
    ) -> None:
        self.ws = workspace
        self.transport = transport
        self.on_progress = on_progress
        self.progress = SyncProgress()
        self.inspections = InspectionService(workspace)
        self._acked: set[int] = set()
        self._answered: list[int] = []  # acknowledged by HQ, not yet dropped from the outbox
        self.uploads = PhotoUploads(workspace.store)
        self._photo_refs: list[str] = []  # local photos this run's entries use
        self._restart_seq: int | None = None  # set once HQ's epoch changed during this run

    def _report(self, **changes: object) -> None:
        self.progress = self.progress.but(**changes)
        self.on_progress(self.progress)

    def run(self) -> SyncReport:
        report = SyncReport()
        try:
            try:
                self._exchange(report)
            except _EpochChanged as changed:
                self._restored(changed.epoch)
                self._exchange(report)
            self._drop_kept()
            fetch_thumbnails(self.ws, self.transport)  # photos taken on other devices
        except _EpochChanged as exc:
            failed = SyncError(SyncErrorCode.RESTORED_TWICE)
            self._failed(failed)
            raise failed from exc
        except SyncError as exc:
            self._failed(exc)
            raise
        with self.ws.store.transaction() as tx:
            tx.set_meta(LAST_SYNC_AT, self.ws.now())
            tx.set_meta(LAST_SYNC_ERROR, None)
        self._report(phase=Phase.DONE)
        return report

    def _failed(self, error: SyncError) -> None:
        self.ws.store.set_meta(LAST_SYNC_ERROR, error.to_dict())
        self._report(phase=Phase.FAILED, error=error)

    def _exchange(self, report: SyncReport) -> None:
        entries = self.ws.store.pending_outbox()
        self._note_photo_references(entries)
        self._upload_photos(self._photo_refs, report)
        self._push(entries, report)
        self._pull(report)

    # -- HQ's epoch ----------------------------------------------------------------------------

    def _check_epoch(self, answer: dict[str, Any]) -> None:
        """Raise _EpochChanged when HQ answers from another epoch than the one last seen."""
        epoch = answer.get("epoch")
        if not epoch:
            return
        known = self.ws.store.get_meta(HQ_EPOCH)
        if known is None:
            self.ws.store.set_meta(HQ_EPOCH, epoch)
        elif epoch != known:
            raise _EpochChanged(epoch)

    def _restored(self, epoch: str) -> None:
        """HQ was restored from a backup: everything kept goes back in the outbox (HQ answers
        what it still holds as a replay), and HQ's feed is read again from the start."""
        self._commit_acks()
        kept = self.ws.store.sent_outbox()
        with self.ws.store.transaction() as tx:
            for entry in kept:
                tx.requeue({k: v for k, v in entry.items() if k not in KEPT_FIELDS})
            tx.set_meta(PULL_CURSOR, 0)
            tx.set_meta(HQ_EPOCH, epoch)
        self.uploads.forget(self._photos_of(kept))
        seqs = [e["command"]["seq"] for e in self.ws.store.pending_outbox() if e["kind"] == COMMAND]
        self._restart_seq = min(seqs, default=None)

    def _drop_kept(self) -> None:
        """Forget acknowledged entries kept long enough under the current epoch, and free the
        full-size photos HQ holds that nothing waiting, kept or drafted needs any more."""
        epoch = self.ws.store.get_meta(HQ_EPOCH)
        seconds = self.ws.store.get_meta(KEEP_SENT_SECONDS, KEEP_SENT_DEFAULT)
        keep_for = timedelta(seconds=int(seconds))
        now = datetime.fromisoformat(self.ws.now())
        kept = self.ws.store.sent_outbox()
        old = [
            e
            for e in kept
            if e.get("epoch") == epoch and now - datetime.fromisoformat(e["acked_at"]) >= keep_for
        ]
        if not old:
            return
        with self.ws.store.transaction() as tx:
            tx.drop_sent([e["seq"] for e in old])
        self.uploads.release(self._photos_of(old), photos_still_needed(self.ws.store))

    # -- photos --------------------------------------------------------------------------------

    def _photos_of(self, entries: Iterable[dict[str, Any]]) -> list[str]:
        shas: dict[str, None] = {}
        for entry in entries:
            if entry["kind"] == COMMAND:
                shas.update(dict.fromkeys(referenced_photos(Command.from_dict(entry["command"]))))
            elif entry["kind"] == INSPECTION:
                inspection = self.inspections.get(entry["inspection_id"])
                shas.update(dict.fromkeys(inspection.all_photos))
        return [sha for sha in shas if self.ws.store.photos.has(sha)]

    def _upload_photos(self, shas: list[str], report: SyncReport) -> None:
        photos = self.ws.store.photos
        shas = [sha for sha in self.uploads.pending(shas) if photos.has(sha)]
        sizes = {sha: self.ws.store.photos.path(sha).stat().st_size for sha in shas}
        self._report(
            phase=Phase.PHOTOS,
            photos_total=self.progress.photos_total + len(shas),
            bytes_total=self.progress.bytes_total + sum(sizes.values()),
        )
        check = {sha for sha in shas if self.uploads.to_check(sha)}
        self.uploads.begin(shas)
        try:
            for sha in shas:
                self._upload_photo(sha, sha in check, report)
                self._report(
                    photos_done=self.progress.photos_done + 1,
                    bytes_sent=self.progress.bytes_sent + sizes[sha],
                )
        finally:
            self.uploads.save()

    def _upload_photo(self, sha: str, check_first: bool, report: SyncReport) -> None:
        if check_first:
            head = self.transport.request("HEAD", f"/v1/blobs/{sha}", ok=frozenset({200, 404}))
            if head.status_code == 200:
                report.photos_present += 1
                self.uploads.confirmed(sha)
                return
        data = self.ws.store.photos.read(sha)
        self.transport.request(
            "PUT",
            f"/v1/blobs/{sha}",
            ok=frozenset({200, 201}),
            data=data,
            headers={"Content-Type": "image/jpeg"},
        )
        report.photos_uploaded += 1
        report.bytes_sent += len(data)
        self.uploads.confirmed(sha)

    def _note_photo_references(self, entries: list[dict[str, Any]]) -> None:
        self._photo_refs = self._photos_of(entries)

    # -- push ----------------------------------------------------------------------------------

    def _wire_item(self, entry: dict[str, Any], device_id: str) -> tuple[str, dict[str, Any]]:
        if entry["kind"] == COMMAND:
            command = {**entry["command"], "device_id": device_id}
            return "commands", command
        return "inspections", self.inspections.get(entry["inspection_id"]).to_dict()

    def _push(self, entries: list[dict[str, Any]], report: SyncReport) -> None:
        self._report(phase=Phase.PUSH, commands_total=len(entries), commands_done=0)
        try:
            for start in range(0, len(entries), BATCH_SIZE):
                batch = entries[start : start + BATCH_SIZE]
                for _ in range(MAX_BLOB_ROUNDS):
                    missing = self._push_batch(batch, report)
                    if not missing:
                        break
                    self.uploads.forget(missing)  # HQ says it lacks them, whatever we noted
                    self._upload_photos(missing, report)
                    batch = [e for e in batch if e["seq"] not in self._acked]
                else:
                    raise SyncError(SyncErrorCode.PHOTOS_GONE)
                if len(self._answered) >= ACK_EVERY:
                    self._commit_acks()
        finally:
            self._commit_acks()

    def _commit_acks(self) -> None:
        """Drop the answered entries from the outbox in one commit. Acknowledging several
        batches at once is safe: an acknowledgement a crash loses only makes the next sync send
        those entries again, and HQ answers a replay with the result it stored."""
        if not self._answered:
            return
        done, self._answered = self._answered, []
        keep = {"acked_at": self.ws.now(), "epoch": self.ws.store.get_meta(HQ_EPOCH)}
        self.ws.store.ack_outbox(done, keep=keep)

    def _push_batch(self, batch: list[dict[str, Any]], report: SyncReport) -> list[str]:
        """Push one batch; ack what HQ answered; return blobs HQ asked for (empty when done)."""
        device_id = self.ws.device_id
        body: dict[str, Any] = {"device_id": device_id, "commands": [], "inspections": []}
        if self._restart_seq is not None:
            body["restart_seq"] = self._restart_seq
        seq_of: dict[str, int] = {}
        entry_of: dict[str, dict[str, Any]] = {}
        for entry in batch:
            key, item = self._wire_item(entry, device_id)
            body[key].append(item)
            seq_of[item["id"]] = entry["seq"]
            entry_of[item["id"]] = entry
        try:
            results = self.transport.request_json("POST", "/v1/sync/push", json=body)
        except RequestRejected as exc:
            if exc.status == 409:
                if isinstance(exc.body, dict):
                    self._check_epoch(exc.body)
                raise SyncError(SyncErrorCode.COMMAND_ORDER, detail=exc.detail) from exc
            raise
        done: list[int] = []
        missing: list[str] = []
        refused_creates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for result in [*results.get("inspections", []), *results.get("commands", [])]:
            seq = seq_of.get(result["id"])
            if seq is None:
                continue
            if result["status"] == "missing_blobs":
                missing.extend(result.get("missing_blobs") or [])
                continue
            report.results[result["id"]] = result["status"]
            done.append(seq)
            if result["status"] in REFUSED and _is_create(entry_of[result["id"]]):
                why = {"result": result["status"], "why": result.get("why")}
                refused_creates.append((entry_of[result["id"]], why))
        self._keep_refused_creates(refused_creates)
        if done:
            self._answered.extend(done)
            self._acked.update(done)
            self._report(commands_done=self.progress.commands_done + len(done))
        self._check_epoch(results)
        return missing

    def _keep_refused_creates(self, refused: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """A hazard HQ would not register (e.g. its workshop left the person's scope at HQ)
        stays on the device, voided with HQ's result and reason as codes (said in the reader's
        language), out of the open list: nothing is lost and nobody works on a hazard HQ does
        not know."""
        if not refused:
            return
        with self.ws.store.transaction() as tx:
            for entry, why in refused:
                doc = self.ws.store.get_hazard(entry["command"]["hazard_id"])
                if doc is not None:
                    voided = HazardStatus.VOIDED.value
                    tx.put_hazard({**doc, "status": voided, "not_registered": why})

    # -- pull ----------------------------------------------------------------------------------

    def _pull(self, report: SyncReport) -> None:
        self._report(phase=Phase.PULL)
        while True:
            since = int(self.ws.store.get_meta(PULL_CURSOR, 0))
            page = self.transport.request_json(
                "GET", "/v1/sync/pull", params={"since": since, "limit": PULL_LIMIT}
            )
            self._check_epoch(page)
            self._apply_pull(page, report)
            if not page.get("has_more"):
                return

    def _apply_pull(self, page: dict[str, Any], report: SyncReport) -> None:
        pending = self._pending_commands_by_hazard()
        device_id = self.ws.device_id
        refused = list(self.ws.store.get_meta(REFUSED_HERE) or [])
        known = len(refused)
        listed = {event_id for _, event_id in refused}
        with self.ws.store.transaction() as tx:
            for doc in page.get("hazards", []):
                tx.put_hazard(self._rebased(doc, pending))
            for event in page.get("events", []):
                if event.get("hazard_id"):
                    tx.add_event({**event, "pending": False})
                if event.get("result") == CommandResult.REJECTED_CONFLICT.value:
                    report.conflicts.append(event)
                mine = event.get("device_id") == device_id and event.get("hazard_id")
                if mine and event.get("result") in NOT_APPLIED and event["id"] not in listed:
                    refused.append([event["hazard_id"], event["id"]])
                    listed.add(event["id"])
            if len(refused) > known:
                tx.set_meta(REFUSED_HERE, refused)
            master = merge_master_data(self.ws, page)
            if master is not None:
                tx.set_meta(SYNCED_CHECKLISTS, master[0])
                tx.set_meta(SYNCED_SITE, master[1])
            tx.set_meta(PULL_CURSOR, page["next_since"])
        if master is not None:
            apply_master_data(self.ws.catalog, *master)
        report.events_pulled += len(page.get("events", []))
        self._report(events_received=report.events_pulled)

    def _pending_commands_by_hazard(self) -> dict[str, list[Command]]:
        pending: dict[str, list[Command]] = {}
        for entry in self.ws.store.pending_outbox():
            if entry["kind"] == COMMAND:
                command = Command.from_dict(entry["command"])
                pending.setdefault(command.hazard_id, []).append(command)
        return pending

    def _rebased(self, doc: dict[str, Any], pending: dict[str, list[Command]]) -> dict[str, Any]:
        """HQ's record with this device's unsent commands on top; a record HQ stored before it
        validated commands is kept as HQ sent it (the lists leave it out) rather than stopping
        every later sync."""
        try:
            hazard = Hazard.from_dict(doc)
        except (KeyError, ValueError, TypeError, AttributeError):
            return doc
        return self._rebase(hazard, pending.get(hazard.id, [])).to_dict()

    def _rebase(self, hazard: Hazard, pending: list[Command]) -> Hazard:
        """HQ's state with this device's not-yet-pushed commands replayed on top, so the person
        keeps seeing their own unsent actions."""
        for command in pending:
            actor = self.ws.catalog.person(command.actor)
            decision = decide(hazard, command, actor, command.observed_at)
            if decision.applied and decision.hazard is not None:
                hazard = decision.hazard
        return hazard


def _is_create(entry: dict[str, Any]) -> bool:
    return entry["kind"] == COMMAND and entry["command"]["type"] == CommandType.CREATE.value
