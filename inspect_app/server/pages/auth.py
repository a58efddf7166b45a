"""Logging in and out of the HQ pages. The login form's CSRF token is a random value in a cookie
that the form sends back (there is no session yet to derive it from)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from inspect_app.server import audit
from inspect_app.server.accounts import SESSION_COOKIE, set_session_cookie
from inspect_app.server.errors import HQError
from inspect_app.server.i18n import LANG_COOKIE, language
from inspect_app.server.pages.common import Viewer, pages, read_form, signed_in
from inspect_app.server.security import CSRF_COOKIE, new_csrf_token

router = APIRouter(include_in_schema=False)


def local_path(value: str) -> str:
    """``value`` when it is a path on this site, else "/": a link that sends a reader on after
    logging in or switching language never leads to another site."""
    return value if value.startswith("/") and not value.startswith(("//", "/\\")) else "/"


def _login_page(
    request: Request, error: str = "", status: int = 200, after: str = "/"
) -> Response:
    token = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
    response = pages(request).render(
        request, "login.html", None, status, csrf=token, error=error, after=local_path(after)
    )
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return response


@router.get("/login")
def login_form(request: Request, after: str = "/") -> Response:
    """The login form; ``after`` is the page asked for, opened once logged in."""
    return _login_page(request, after=after)


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await read_form(request, request.cookies.get(CSRF_COOKIE))
    try:
        token = pages(request).accounts.login(
            form.get("username", ""), form.get("password", ""), audit.address_of(request)
        )
    except HQError as exc:
        return _login_page(request, str(exc), exc.status, form.get("after", "/"))
    response = RedirectResponse(local_path(form.get("after", "/")), status_code=303)
    set_session_cookie(response, token, https=request.url.scheme == "https")
    return response


@router.get("/lang/{lang}")
def switch_language(lang: str, back: str = "/") -> Response:
    """Chinese or English for the HQ pages, kept in a cookie; back to the page it was asked
    from (a path on this site only)."""
    response = RedirectResponse(
        local_path(back),
        status_code=303,
    )
    response.set_cookie(LANG_COOKIE, language(lang), samesite="lax", max_age=365 * 86400)
    return response


@router.post("/logout")
async def logout(request: Request, viewer: Annotated[Viewer, Depends(signed_in)]) -> Response:
    await read_form(request, viewer.csrf)
    pages(request).accounts.logout(request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
