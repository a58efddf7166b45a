"""HQ web accounts: scrypt password hashes, session tokens stored hashed, and limits on failed
logins per username and address and per address (one address guessing many usernames), kept in
the database so that every HQ process enforces the same ones."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update

from inspect_app.server import audit, schema
from inspect_app.server.common import digest
from inspect_app.server.errors import Forbidden, HQError, Unauthorized
from inspect_app.server.hazard_reads import fits

SESSION_TTL = timedelta(hours=12)
MAX_FAILURES = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_S = 900.0
#: The audit detail of an attempt refused unchecked because of earlier failures.
THROTTLED = "throttled"
#: Longer passwords are refused unhashed: scrypt over megabytes would be a cheap way to load HQ.
MAX_PASSWORD_CHARS = 200


class TooManyAttempts(HQError):
    status = 429


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${key.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, salt, key = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1)
    return hmac.compare_digest(candidate.hex(), key)


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self._clock = clock

    def create_user(
        self,
        username: str,
        password: str,
        *,
        is_admin: bool,
        person_id: str | None = None,
        actor: str = "cli",
        address: str = "local",
    ) -> None:
        if not 10 <= len(password) <= MAX_PASSWORD_CHARS:
            raise HQError(f"a password needs 10 to {MAX_PASSWORD_CHARS} characters")
        table = schema.users
        with self.engine.begin() as conn:
            values = {
                "password_hash": hash_password(password),
                "is_admin": is_admin,
                "person_id": person_id,
            }
            if conn.execute(select(table.c.username).where(table.c.username == username)).first():
                conn.execute(update(table).where(table.c.username == username).values(**values))
                change = "reset"
            else:
                conn.execute(insert(table).values(username=username, **values))
                change = "created"
            audit.record(
                conn,
                "user_changed",
                actor,
                address,
                change=change,
                user=username,
                role="admin" if is_admin else "user",
                person=person_id or "",
            )

    def _locked(self, username: str, address: str) -> bool:
        """Whether the failures within the window lock this (username, address) pair or the
        address; counted in the database, so every HQ process sees the same failures."""
        table = schema.login_failures
        since = self._clock() - FAILURE_WINDOW_S
        recent = (table.c.address == address) & (table.c.failed_at > since)
        with self.engine.connect() as conn:
            per_address = conn.execute(
                select(func.count()).select_from(table).where(recent)
            ).scalar_one()
            per_user = conn.execute(
                select(func.count()).select_from(table).where(recent, table.c.username == username)
            ).scalar_one()
        return per_user >= MAX_FAILURES or per_address >= MAX_FAILURES_PER_ADDRESS

    def _failed(self, username: str, address: str, reason: str) -> None:
        table = schema.login_failures
        now = self._clock()
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.failed_at <= now - FAILURE_WINDOW_S))
            if reason != THROTTLED:
                conn.execute(
                    insert(table).values(username=username, address=address, failed_at=now)
                )
            audit.record(conn, "login_failed", username, address, reason=reason)

    def login(self, username: str, password: str, address: str) -> str:
        """A new session token, or Unauthorized; too many failures lock the (username, address)
        pair, or the address for every username, for a while. Every attempt is audited."""
        # As stored (64 wide, no NUL, which PostgreSQL refuses); the whole name is looked up.
        who, address = audit.clean(username, 64), audit.clean(address, 64)
        if self._locked(who, address):
            self._failed(who, address, THROTTLED)
            raise TooManyAttempts("too many failed logins; try again in 15 minutes")
        row = None
        if fits(schema.users.c.username, username):
            with self.engine.connect() as conn:
                row = conn.execute(
                    select(schema.users).where(schema.users.c.username == username)
                ).first()
        if (
            row is None
            or len(password) > MAX_PASSWORD_CHARS
            or not check_password(password, row.password_hash)
        ):
            self._failed(who, address, "wrong_password")
            raise Unauthorized("wrong username or password")
        token = secrets.token_urlsafe(32)
        expires = (datetime.now(UTC) + SESSION_TTL).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(
                insert(schema.web_sessions).values(
                    token_hash=digest(token), username=username, expires_at=expires
                )
            )
            audit.record(conn, "login", username, address)
        return token

    def logout(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(schema.web_sessions).where(schema.web_sessions.c.token_hash == digest(token))
            )

    def session_user(self, token: str | None, *, admin: bool = True) -> str:
        if not token:
            raise Unauthorized("log in first")
        table = schema.web_sessions
        with self.engine.connect() as conn:
            row = conn.execute(
                select(table.c.username, table.c.expires_at, schema.users.c.is_admin)
                .join(schema.users, schema.users.c.username == table.c.username)
                .where(table.c.token_hash == digest(token))
            ).first()
        if row is None or row.expires_at < datetime.now(UTC).isoformat(timespec="seconds"):
            raise Unauthorized("your session has ended; log in again")
        if admin and not row.is_admin:
            raise Forbidden("HQ admins only")
        return row.username


SESSION_COOKIE = "hq_session"


def set_session_cookie(response, token: str, https: bool) -> None:  # type: ignore[no-untyped-def]
    """The session cookie: not readable by scripts, never sent cross-site, HTTPS-only on TLS."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=https)
