"""What every HQ page shares: the templates, who is looking (and their forms' CSRF token), reading
a posted form, and the refusals a page answers with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from inspect_app.core.roles import Role
from inspect_app.core.site import Person
from inspect_app.server.accounts import SESSION_COOKIE, Accounts
from inspect_app.server.errors import HQError
from inspect_app.server.hazard_reads import HazardReads
from inspect_app.server.hq import HQ
from inspect_app.server.i18n import LANG_COOKIE, html_lang, language, local_time, translator
from inspect_app.server.observability import note
from inspect_app.server.scope import Scope
from inspect_app.server.security import CSRF_FIELD, csrf_matches, session_csrf_token

TEMPLATES = Path(__file__).parents[1] / "templates"
#: HQ's forms have at most a handful of fields.
MAX_FORM_FIELDS = 20


class PageRefused(Exception):
    """Answered with the error page: the status and a message for the person at the browser,
    a catalogue key (with its values) or a text said by another module."""

    def __init__(self, status: int, message: str, **values: object) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.values = values


class LoginRequired(Exception):
    """Answered with a redirect to the login page."""


@dataclass(frozen=True)
class Viewer:
    username: str
    csrf: str
    #: What the user may see: every workshop for an HQ admin, else their person's workshops.
    scope: Scope
    is_admin: bool = False
    #: The site person the account acts as; None for an account that belongs to nobody.
    person: Person | None = None
    plant_id: str | None = None

    def may_open(self, page: str) -> bool:
        """Whether the menu offers ``page`` and the page opens for this user."""
        roles = self.person.roles if self.person else frozenset()
        if page in ("devices", "master", "audit", "group"):
            return self.is_admin
        if page == "plant":
            return self.plant_id is not None and bool(roles & {Role.SAFETY_OFFICER, Role.PRINCIPAL})
        if page == "workshops":
            return Role.WORKSHOP_HEAD in roles
        return page == "hazards"

    def home(self) -> str:
        """Where this user lands: the first page of his menu, the widest overview he may open
        (the group, his plant, his workshops), else the hazard list, which everyone may open."""
        return self.menu()[0][0]

    def menu(self) -> list[tuple[str, str]]:
        """(address, catalogue key) of each page this user may open, in menu order."""
        pages_ = [
            ("group", "/group"),
            ("plant", f"/plants/{self.plant_id}"),
            ("workshops", "/workshops"),
            ("hazards", "/hazards"),
            ("devices", "/devices"),
            ("master", "/master"),
            ("audit", "/audit"),
        ]
        return [(href, f"nav.{name}") for name, href in pages_ if self.may_open(name)]


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
        lang = lang_of(request)
        return self.templates.TemplateResponse(
            request,
            template,
            {
                "viewer": viewer,
                "lang": lang,
                "html_lang": html_lang(lang),
                "t": translator(lang),
                "here": request.url.path,
                **values,
            },
            status_code=status,
        )

    def labels(self, lang: str) -> dict[str, str]:
        """Display names of plants, workshops and people by id, in ``lang`` where the site file
        has it (people's names are written in Chinese)."""
        found: dict[str, str] = {}
        for plant_id, site in self.hq.directory().sites.items():
            found[plant_id] = site.plant.name.get(lang) or site.plant.name.get("zh") or plant_id
            found.update({w.id: w.name.get(lang) or w.id for w in site.workshops})
            found.update({p.id: p.name.get("zh") or p.id for p in site.people})
        return found


def lang_of(request: Request) -> str:
    return language(request.cookies.get(LANG_COOKIE))


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local"] = local_time
    return Jinja2Templates(env=env)


def pages(request: Request) -> Pages:
    return request.app.state.pages


def signed_in(request: Request) -> Viewer:
    """A FastAPI dependency: the logged-in user, or a redirect to the login page."""
    token = request.cookies.get(SESSION_COOKIE)
    ctx = pages(request)
    try:
        username = ctx.accounts.session_user(token, admin=False)
    except HQError as exc:
        raise LoginRequired from exc
    assert token is not None  # session_user refuses a missing token
    note(user=username)
    person_id, is_admin = ctx.hq.web_user(username)
    directory = ctx.hq.directory()
    person = directory.person(person_id) if person_id else None
    return Viewer(
        username,
        session_csrf_token(token),
        ctx.hq.web_scope(username),
        is_admin,
        person,
        directory.plant_of(person_id) if person else None,
    )


def may_open(page: str) -> Callable[[Request], Viewer]:
    """A FastAPI dependency: a logged-in user who may open ``page``, a 403 page saying so for
    other users (never a redirect to login)."""

    def dependency(request: Request) -> Viewer:
        viewer = signed_in(request)
        if not viewer.may_open(page):
            raise PageRefused(403, "error.not_allowed", page=f"nav.{page}")
        return viewer

    return dependency


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
        raise PageRefused(400, "error.form_unreadable") from exc
    form = {key: values[0] for key, values in fields.items()}
    if any("\x00" in key or "\x00" in value for key, value in form.items()):
        raise PageRefused(400, "error.form_nul")
    if not csrf_matches(csrf, form.get(CSRF_FIELD)):
        raise PageRefused(403, "error.csrf")
    return form
