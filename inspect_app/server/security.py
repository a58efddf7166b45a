"""Browser defences on every HQ answer: security headers, a refusal of state-changing requests a
browser sends from another site (Origin, else Referer), and the CSRF tokens of HQ's forms.

"This site" is the request's ``Host``: a reverse proxy in front of HQ must pass it on unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The login form's token lives in this cookie (there is no session yet); forms send it back.
CSRF_COOKIE = "hq_csrf"
CSRF_FIELD = "csrf"


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def session_csrf_token(session_token: str) -> str:
    """The forms' token for a session: derived from the session token, which no script and no
    other site can read, so it changes with every login and needs no storage."""
    return hmac.new(session_token.encode(), b"hq-csrf", hashlib.sha256).hexdigest()


def csrf_matches(expected: str | None, sent: str | None) -> bool:
    return bool(expected and sent) and hmac.compare_digest(expected.encode(), sent.encode())


def foreign_origin(headers: Headers) -> str | None:
    """The origin a browser declares for a request when it is not this site, else None. Clients
    that send neither Origin nor Referer (the CLI, devices) are not browsers acting for a user."""
    declared = headers.get("origin") or headers.get("referer")
    if declared is None:
        return None
    try:
        netloc = urlsplit(declared).netloc.lower()
    except ValueError:
        return declared
    return None if netloc and netloc == headers.get("host", "").lower() else declared


class BrowserGuard:
    """Adds the security headers to every answer and refuses state-changing requests from
    another site. Requests carrying a device's Bearer token are exempt: a browser cannot attach
    one cross-site, and they are not authenticated by cookies."""

    def __init__(self, app: ASGIApp, refusal: Callable[[Request, str], Response]) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        headers = Headers(scope=scope)
        if scope["method"] in STATE_CHANGING and not headers.get("authorization", "").startswith(
            "Bearer "
        ):
            origin = foreign_origin(headers)
            if origin is not None:
                message = f"a request from another site ({origin[:100]}) may not change HQ"
                response = self.refusal(Request(scope), message)
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)
