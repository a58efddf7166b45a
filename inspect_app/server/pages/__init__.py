"""HQ pages, rendered on the server from Jinja2 templates (no Flutter needed to read them), in
Chinese or English: the group, a plant and a workshop (open and overdue hazards, rates and the
month trend as SVG charts), a hazard (photos, fix note, timeline, the forms of the steps its reader
may take), devices and enrolment codes, master data, the audit log. Each person's menu holds only
what he may open. HTML and one stylesheet, no script; on a phone, tables become cards."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from inspect_app.server.accounts import Accounts
from inspect_app.server.hazard_reads import HazardReads
from inspect_app.server.hq import HQ
from inspect_app.server.i18n import translator
from inspect_app.server.pages import audit, auth, devices, hazard, hazards, master
from inspect_app.server.pages.common import (
    LoginRequired,
    PageRefused,
    Pages,
    lang_of,
    make_templates,
)
from inspect_app.server.security import BrowserGuard

STATIC = Path(__file__).parents[1] / "static"


def register_pages(app: FastAPI, hq: HQ, accounts: Accounts) -> None:
    """The pages, their stylesheet under /static, and the browser defences (security headers
    and the Origin check) for every answer of ``app``, the API's included."""
    ctx = Pages(hq, accounts, HazardReads(hq.engine), make_templates())
    app.state.pages = ctx

    def refused(
        request: Request, status: int, message: str, values: dict[str, object] | None = None
    ) -> Response:
        """The error page: ``message`` is a catalogue key, or a text said by another module;
        values that are catalogue keys (a page's menu name) are said in the reader's words."""
        if request.url.path.startswith("/v1/"):
            return JSONResponse({"detail": message}, status_code=status)
        t = translator(lang_of(request))
        said = {k: t(v) if isinstance(v, str) else v for k, v in (values or {}).items()}
        return ctx.render(request, "error.html", None, status, message=t(message, **said))

    async def on_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageRefused)
        return refused(request, exc.status, exc.message, exc.values)

    async def on_login_required(request: Request, __: Exception) -> Response:
        # Back to the page asked for once logged in (a page read, not a form's post).
        asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET" or asked == "/":
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse(f"/login?{urlencode({'after': asked})}", status_code=303)

    app.add_exception_handler(PageRefused, on_refused)
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_middleware(BrowserGuard, refusal=lambda request, msg: refused(request, 403, msg))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, hazards, hazard, devices, master, audit):
        app.include_router(module.router)
