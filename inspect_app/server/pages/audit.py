"""The audit log, for HQ admins: who logged in (or failed to), made enrolment codes, enrolled or
revoked devices, published master data, changed users or restored HQ; newest first, a page at a
time, filtered by kind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from inspect_app.server import audit
from inspect_app.server.i18n import translator
from inspect_app.server.pages.common import Viewer, lang_of, may_open, pages

router = APIRouter(include_in_schema=False)
allowed = may_open("audit")


@router.get("/audit")
def audit_page(
    request: Request,
    viewer: Annotated[Viewer, Depends(allowed)],
    kind: str = "",
    page: int = 1,
) -> Response:
    notices = []
    if kind and kind not in audit.KINDS:
        notices.append(translator(lang_of(request))("notice.bad_kind", value=kind[:40]))
        kind = ""
    page = min(max(page, 1), 1_000_000)
    entries, total = audit.entries(pages(request).hq.engine, kind or None, page)
    t = translator(lang_of(request))
    last_page = max(1, -(-total // audit.PAGE_SIZE))
    return pages(request).render(
        request,
        "audit.html",
        viewer,
        entries=[(entry, entry.describe(t)) for entry in entries],
        total=total,
        kinds=audit.KINDS,
        kind=kind,
        page=page,
        last_page=last_page,
        notices=notices,
    )
