"""What every HQ page shares: the templates, who is looking (and their forms' CSRF token), reading
a posted form, and the refusals a page answers with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from inspect_app.server.accounts import SESSION_COOKIE, Accounts
from inspect_app.server.errors import Forbidden, HQError
from inspect_app.server.hazard_reads import HazardReads
from inspect_app.server.hq import HQ
from inspect_app.server.observability import note
from inspect_app.server.scope import Scope
from inspect_app.server.security import CSRF_FIELD, csrf_matches, session_csrf_token

TEMPLATES = Path(__file__).parents[1] / "templates"
#: HQ's forms have at most a handful of fields.
MAX_FORM_FIELDS = 20


class PageRefused(Exception):
    """Answered with the error page: the status and a message for the person at the browser."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class LoginRequired(Exception):
    """Answered with a redirect to the login page."""


@dataclass(frozen=True)
class Viewer:
    username: str
    csrf: str
    #: What the user may see: every workshop for an HQ admin, else their person's workshops.
    scope: Scope


@dataclass(frozen=True)
class Pages:
    hq: HQ
    accounts: Accounts
    reads: HazardReads
    templates: Jinja2Templates

    def render(
        self,
        request: Request,
        template: str,
        viewer: Viewer | None,
        status: int = 200,
        **values: Any,
    ) -> Response:
        return self.templates.TemplateResponse(
            request, template, {"viewer": viewer, **values}, status_code=status
        )

    def labels(self) -> dict[str, str]:
        """Display names of workshops (English) and people (Chinese) by id."""
        found: dict[str, str] = {}
        for site in self.hq.directory().sites.values():
            found.update({w.id: w.name.get("en") or w.id for w in site.workshops})
            found.update({p.id: p.name.get("zh") or p.id for p in site.people})
        return found


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def pages(request: Request) -> Pages:
    return request.app.state.pages


def _viewer(request: Request, admin: bool) -> Viewer:
    token = request.cookies.get(SESSION_COOKIE)
    try:
        username = pages(request).accounts.session_user(token, admin=admin)
    except Forbidden as exc:
        raise PageRefused(403, str(exc)) from exc
    except HQError as exc:
        raise LoginRequired from exc
    assert token is not None  # session_user refuses a missing token
    note(user=username)
    return Viewer(username, session_csrf_token(token), pages(request).hq.web_scope(username))


def signed_in(request: Request) -> Viewer:
    """A FastAPI dependency: the logged-in user, or a redirect to the login page."""
    return _viewer(request, admin=False)


def admin(request: Request) -> Viewer:
    """A FastAPI dependency: a logged-in HQ admin, a 403 page for other users."""
    return _viewer(request, admin=True)


async def read_form(request: Request, csrf: str | None) -> dict[str, str]:
    """The posted form's fields (the first value of each); 400 for a body that is not UTF-8
    form data, 403 when the form's CSRF token is not ``csrf``."""
    try:
        fields = parse_qs(
            (await request.body()).decode("utf-8"),
            keep_blank_values=True,
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except ValueError as exc:  # UnicodeDecodeError is one
        raise PageRefused(400, "the form could not be read: it is not UTF-8 form data") from exc
    form = {key: values[0] for key, values in fields.items()}
    if any("\x00" in key or "\x00" in value for key, value in form.items()):
        raise PageRefused(400, "the form could not be read: it holds NUL characters")
    if not csrf_matches(csrf, form.get(CSRF_FIELD)):
        raise PageRefused(
            403,
            "HQ refused this form: its security token is missing or out of date (or it was "
            "sent from another site). Reload the page and try again.",
        )
    return form
