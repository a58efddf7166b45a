"""Who is asking: a device by its bearer token, an HQ admin or user by the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from inspect_app.server.accounts import SESSION_COOKIE, Accounts
from inspect_app.server.devices import Device
from inspect_app.server.errors import Unauthorized
from inspect_app.server.hq import HQ
from inspect_app.server.observability import note
from inspect_app.server.scope import Scope


def get_hq(request: Request) -> HQ:
    return request.app.state.hq


def get_accounts(request: Request) -> Accounts:
    return request.app.state.accounts


HQDep = Annotated[HQ, Depends(get_hq)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ").strip()
    return None


def current_device(hq: HQDep, authorization: Annotated[str | None, Header()] = None) -> Device:
    token = _bearer(authorization)
    if token is None:
        raise Unauthorized("a device token is required (Authorization: Bearer ...)")
    device = hq.authenticate(token)
    note(device=device.id, person=device.person.id)
    return device


def current_admin(request: Request, accounts: AccountsDep) -> str:
    username = accounts.session_user(request.cookies.get(SESSION_COOKIE))
    note(user=username)
    return username


def reader_scope(
    request: Request,
    hq: HQDep,
    accounts: AccountsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Scope:
    """Photos may be read by a device or a logged-in HQ user, each within their scope."""
    if _bearer(authorization) is not None:
        return current_device(hq, authorization).scope
    username = accounts.session_user(request.cookies.get(SESSION_COOKIE), admin=False)
    note(user=username)
    return hq.web_scope(username)


DeviceDep = Annotated[Device, Depends(current_device)]
AdminDep = Annotated[str, Depends(current_admin)]
ReaderDep = Annotated[Scope, Depends(reader_scope)]
