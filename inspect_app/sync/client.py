"""The device's link to HQ: enrolment, the saved connection settings, and one sync on demand."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_app.services.workspace import COMMAND_SEQ, DEVICE_ID, USER_ID, Workspace
from inspect_app.sync.engine import PULL_CURSOR, SyncEngine, SyncReport
from inspect_app.sync.errors import AuthError, RequestRejected, SyncError, SyncErrorCode
from inspect_app.sync.progress import ProgressCallback, ignore_progress
from inspect_app.sync.reenrolment import carries_over, carry_over, check_same_person
from inspect_app.sync.transport import Transport

SERVER_URL = "server_url"
TOKEN = "token"
CA_FILE = "ca_file"


@dataclass(frozen=True)
class Connection:
    server_url: str
    token: str
    ca_file: str | None = None

    def transport(self, **kwargs: object) -> Transport:
        return Transport(self.server_url, self.token, ca_file=self.ca_file, **kwargs)  # type: ignore[arg-type]


def connection(workspace: Workspace) -> Connection | None:
    """The saved connection, or None when the device is not enrolled."""
    url = workspace.store.get_meta(SERVER_URL)
    token = workspace.store.get_meta(TOKEN)
    if not url or not token:
        return None
    return Connection(url, token, workspace.store.get_meta(CA_FILE))


def enroll(
    workspace: Workspace, server_url: str, code: str, ca_file: str | None = None
) -> Connection:
    """Trade a one-time enrolment code for this device's id and token, and save them."""
    server_url = server_url.strip().rstrip("/")
    saved = connection(workspace)
    again = saved is not None
    carry = saved is not None and carries_over(workspace, saved)
    if not server_url.startswith(("http://", "https://")):
        raise SyncError(SyncErrorCode.BAD_ADDRESS)
    transport = Transport(server_url, ca_file=ca_file)
    try:
        answer = transport.request_json("POST", "/v1/devices/enroll", json={"code": code.strip()})
    except AuthError as exc:
        raise SyncError(SyncErrorCode.CODE_NOT_ACCEPTED) from exc
    except RequestRejected as exc:
        raise SyncError(SyncErrorCode.CODE_NOT_ACCEPTED, detail=exc.detail) from exc
    finally:
        transport.close()
    if carry:
        check_same_person(workspace, answer.get("person_id"))
    with workspace.store.transaction() as tx:
        tx.set_meta(SERVER_URL, server_url)
        tx.set_meta(TOKEN, answer["token"])
        tx.set_meta(DEVICE_ID, answer["device_id"])
        tx.set_meta(CA_FILE, ca_file)
        if answer.get("person_id"):
            tx.set_meta(USER_ID, answer["person_id"])
        if again:
            # A new device id at HQ: its command seqs start again, and the new person's
            # hazards come down from the start of the feed.
            tx.set_meta(COMMAND_SEQ, 0)
            tx.set_meta(PULL_CURSOR, 0)
            carry_over(workspace, tx, carry)
    return Connection(server_url, answer["token"], ca_file)


def sync_once(workspace: Workspace, on_progress: ProgressCallback = ignore_progress) -> SyncReport:
    saved = connection(workspace)
    if saved is None:
        raise SyncError(SyncErrorCode.NOT_ENROLLED)
    transport = saved.transport()
    try:
        return SyncEngine(workspace, transport, on_progress).run()
    finally:
        transport.close()
