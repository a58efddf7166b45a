"""HQ pages, rendered on the server (no Flutter needed to read them): open hazards across plants,
overdue list, rectification rates as charts, hazard detail with photos and timeline, devices and
enrolment codes. Plain HTML and CSS that work on a phone browser too."""

from __future__ import annotations

import io
from datetime import date
from html import escape
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from inspect_app.core.enrolment import enrolment_link
from inspect_app.core.hazard import Hazard, HazardStatus
from inspect_app.core.rates import Period, rectification_figures
from inspect_app.server import schema
from inspect_app.server.accounts import SESSION_COOKIE, Accounts, set_session_cookie
from inspect_app.server.hq import HQ, HQError

RISK_COLOURS = {"red": "#c62828", "orange": "#ef6c00", "yellow": "#f9a825", "blue": "#1565c0"}
CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Droid Sans Fallback",sans-serif;margin:0;
color:#111;background:#f4f5f7}header{background:#0d3b66;color:#fff;padding:12px 16px;
display:flex;gap:16px;flex-wrap:wrap;align-items:center}header a{color:#fff;font-weight:600}
main{padding:16px;max-width:1200px;margin:auto}table{border-collapse:collapse;width:100%;
background:#fff}th,td{padding:8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.card{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px;
box-shadow:0 1px 2px #0002}.badge{display:inline-block;padding:2px 8px;border-radius:10px;
color:#fff;font-size:.85em}.major{background:#b71c1c}.general{background:#546e7a}
.overdue{color:#b71c1c;font-weight:700}form.filters{display:flex;gap:8px;flex-wrap:wrap}
select,input,button{font-size:1em;padding:8px;min-height:44px}button{background:#0d3b66;
color:#fff;border:0;border-radius:6px;padding:8px 16px}.grid{display:grid;gap:16px;
grid-template-columns:repeat(auto-fit,minmax(320px,1fr))}img.photo{max-width:100%;
border-radius:6px}.error{color:#b71c1c}@media(max-width:640px){th.wide,td.wide{display:none}}
"""


def page(title: str, body: str, user: str | None = None) -> HTMLResponse:
    nav = (
        f'<a href="/">Hazards</a><a href="/devices">Devices</a><a href="/master">Master data</a>'
        f'<span style="margin-left:auto">{escape(user)} · <a href="/logout">Log out</a></span>'
        if user
        else ""
    )
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} · HQ</title><style>{CSS}</style></head><body>"
        f"<header><strong>inspect_app HQ</strong>{nav}</header><main>{body}</main></body></html>"
    )


def bar_chart(values: list[tuple[str, float | None, str]], max_value: float = 100.0) -> str:
    """Horizontal bars as inline SVG: (label, value or None, caption)."""
    row_h, width, label_w = 30, 500, 210
    rows = []
    for i, (label, value, caption) in enumerate(values):
        y = i * row_h
        bar = 0 if value is None else (width - label_w - 90) * value / max_value
        colour = "#2e7d32" if value is not None and value >= 100 else "#0d3b66"
        rows.append(
            f'<text x="0" y="{y + 20}" font-size="15">{escape(label[:22])}</text>'
            f'<rect x="{label_w}" y="{y + 7}" width="{bar:.1f}" height="18" fill="{colour}"/>'
            f'<text x="{label_w + bar + 6:.1f}" y="{y + 18}" font-size="15">'
            f"{escape(caption)}</text>"
        )
    height = max(row_h, row_h * len(values))
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="bar chart">{"".join(rows)}</svg>'
    )


def register_pages(app: FastAPI, hq: HQ, accounts: Accounts) -> None:
    def user_or_redirect(request: Request, admin: bool = False) -> str | RedirectResponse:
        try:
            return accounts.session_user(request.cookies.get(SESSION_COOKIE), admin=admin)
        except HQError:
            return RedirectResponse("/login", status_code=303)

    def all_hazards() -> list[Hazard]:
        with hq.engine.connect() as conn:
            return [Hazard.from_dict(r.data) for r in conn.execute(select(schema.hazards.c.data))]

    def names() -> dict[str, str]:
        directory = hq.directory()
        found: dict[str, str] = {}
        for site in directory.sites.values():
            found.update({w.id: w.name.get("en") for w in site.workshops})
            found.update({p.id: p.name.get("zh") for p in site.people})
        return found

    @app.get("/login", include_in_schema=False)
    def login_form(error: str = "") -> HTMLResponse:
        message = f'<p class="error">{escape(error)}</p>' if error else ""
        return page(
            "Log in",
            f"""<div class="card" style="max-width:420px;margin:auto">
            <h1>HQ log in</h1>{message}<form method="post" action="/login">
            <p><label>Username<br>
               <input name="username" autocomplete="username" required></label></p>
            <p><label>Password<br><input name="password" type="password"
               autocomplete="current-password" required></label></p>
            <button type="submit">Log in</button></form></div>""",
        )

    @app.post("/login", include_in_schema=False)
    async def login_submit(request: Request) -> Response:
        form = parse_qs((await request.body()).decode())
        address = request.client.host if request.client else "?"
        try:
            token = accounts.login(
                form.get("username", [""])[0], form.get("password", [""])[0], address
            )
        except HQError as exc:
            return RedirectResponse("/login?" + urlencode({"error": str(exc)}), status_code=303)
        response = RedirectResponse("/", status_code=303)
        set_session_cookie(response, token, https=request.url.scheme == "https")
        return response

    @app.get("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            accounts.logout(token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/", include_in_schema=False)
    def dashboard(
        request: Request,
        workshop: str = "",
        grade: str = "",
        status: str = "",
        overdue: str = "",
        month: str = "",
    ) -> Response:
        user = user_or_redirect(request)
        if isinstance(user, Response):
            return user
        today = date.today()
        label = names()
        hazards = all_hazards()
        shown = [
            h
            for h in hazards
            if (h.status.value == status if status else h.status.is_open)
            and (not workshop or h.workshop_id == workshop)
            and (not grade or h.grade.value == grade)
            and (not overdue or h.is_overdue(today))
        ]
        shown.sort(key=lambda h: (not h.is_major, not h.is_overdue(today), h.risk.rank, h.deadline))
        try:
            year, mon = (int(x) for x in month.split("-")) if month else (today.year, today.month)
            period = Period.month(year, mon)
        except ValueError:
            period = Period.month(today.year, today.month)
        as_of = min(period.end, today)
        workshop_ids = sorted(
            {h.workshop_id for h in hazards} | set(hq.directory().workshop_names())
        )
        per_workshop = []
        for ws in workshop_ids:
            figures = rectification_figures(
                [h for h in hazards if h.workshop_id == ws], period, as_of
            )
            value = figures.overall.value
            per_workshop.append(
                (
                    label.get(ws, ws),
                    None if value is None else value * 100,
                    f"{figures.overall.percent()} ({figures.closed}/{figures.found})",
                )
            )
        per_month = []
        for back in range(5, -1, -1):
            y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
            p = Period.month(y, m + 1)
            figures = rectification_figures(hazards, p, min(p.end, today))
            value = figures.overall.value
            per_month.append(
                (
                    f"{y}-{m + 1:02d}",
                    None if value is None else value * 100,
                    f"{figures.overall.percent()} · major {figures.major.percent()}",
                )
            )
        month_figures = rectification_figures(hazards, period, as_of)
        status_options = "".join(
            f"<option{' selected' if status == s.value else ''}>{s.value}</option>"
            for s in HazardStatus
        )
        options = "".join(
            f'<option value="{escape(w)}"{" selected" if w == workshop else ""}>'
            f"{escape(label.get(w, w))}</option>"
            for w in workshop_ids
        )
        rows = "".join(_hazard_row(h, label, today) for h in shown[:500])
        overdue_rows = "".join(_hazard_row(h, label, today) for h in hazards if h.is_overdue(today))
        body = f"""
        <div class="grid">
          <div class="card"><h2>{period.start:%Y-%m}: rectification rate</h2>
            <p style="font-size:2em;margin:0">{month_figures.overall.percent()}</p>
            <p>general {month_figures.general.percent()} · major {month_figures.major.percent()}
            · on time {month_figures.on_time.percent()} · overdue now {month_figures.overdue}
            ({month_figures.overdue_major} major)</p></div>
          <div class="card"><h2>Rate by workshop</h2>{bar_chart(per_workshop)}</div>
          <div class="card"><h2>Rate by month</h2>{bar_chart(per_month)}</div>
        </div>
        <div class="card"><h2>Open hazards ({len(shown)})</h2>
          <form class="filters" method="get">
            <select name="workshop" aria-label="workshop"><option value="">All workshops</option>
              {options}</select>
            <select name="grade" aria-label="grade"><option value="">All grades</option>
              <option value="major"{" selected" if grade == "major" else ""}>Major</option>
              <option value="general"{" selected" if grade == "general" else ""}>General</option>
            </select>
            <select name="status" aria-label="status"><option value="">All open</option>
                {status_options}</select>
            <label><input type="checkbox" name="overdue" value="1"
              {"checked" if overdue else ""}> overdue only</label>
            <input type="month" name="month" value="{period.start:%Y-%m}" aria-label="month">
            <button type="submit">Filter</button></form>
          {_hazard_table(rows)}</div>
        <div class="card"><h2>Overdue</h2>{_hazard_table(overdue_rows)}</div>"""
        return page("Hazards", body, user)

    @app.get("/hazards/{hazard_id}", include_in_schema=False)
    def hazard_detail(request: Request, hazard_id: str) -> Response:
        user = user_or_redirect(request)
        if isinstance(user, Response):
            return user
        with hq.engine.connect() as conn:
            row = conn.execute(
                select(schema.hazards.c.data).where(schema.hazards.c.id == hazard_id)
            ).first()
            events = conn.execute(
                select(schema.events.c.data)
                .where(schema.events.c.hazard_id == hazard_id)
                .order_by(schema.events.c.server_seq)
            ).all()
        if row is None:
            return page("Not found", "<p>No such hazard.</p>", user)
        h = Hazard.from_dict(row.data)
        label = names()
        plan = h.plan
        plan_html = (
            "<p>No five-fix plan yet.</p>"
            if plan is None
            else "<table><tr><th>Responsible</th>"
            f"<td>{escape(label.get(plan.responsible_id, plan.responsible_id))}</td></tr>"
            f"<tr><th>Measures</th><td>{escape(plan.measures)}</td></tr>"
            f"<tr><th>Funds</th><td>{escape(plan.funds)}</td></tr>"
            f"<tr><th>Deadline</th><td>{escape(plan.deadline)}</td></tr>"
            f"<tr><th>Contingency</th><td>{escape(plan.contingency)}</td></tr></table>"
        )
        photos = "".join(
            f'<figure><img class="photo" alt="photo before" src="/v1/blobs/{p}">'
            f"<figcaption>before</figcaption></figure>"
            for p in h.photos
        )
        photos += "".join(
            f'<figure><img class="photo" alt="photo after" src="/v1/blobs/{p}">'
            f"<figcaption>after</figcaption></figure>"
            for p in h.after_photos
        )
        timeline = "".join(
            f"<tr><td>{escape(str(e.data.get('recorded_at') or ''))}</td>"
            f"<td>{escape(label.get(e.data.get('actor', ''), e.data.get('actor', '')))}</td>"
            f"<td>{escape(e.data.get('type', ''))}</td><td>{escape(e.data.get('result', ''))}"
            f"{' — ' + escape(e.data['reason']) if e.data.get('reason') else ''}</td>"
            f"<td class='wide'>{escape(e.data.get('device_id', ''))}</td></tr>"
            for e in events
        )
        body = f"""<div class="card"><h1>{escape(h.description)}</h1>
          <p><span class="badge {h.grade.value}">{h.grade.value}</span>
          <span class="badge" style="background:{RISK_COLOURS[h.risk.value]}">{h.risk.value}</span>
          {escape(h.status.value)} · {escape(label.get(h.workshop_id, h.workshop_id))}
          · deadline {escape(h.deadline)}</p>
          <p>Found by {escape(label.get(h.found_by, h.found_by))} on {escape(h.found_at[:10])};
          item {escape(h.item_id or "—")} ({escape(h.reference or "—")})</p></div>
          <div class="grid"><div class="card"><h2>Five-fix plan</h2>{plan_html}</div>
          <div class="card"><h2>Photos</h2>{photos or "<p>No photos.</p>"}</div></div>
          <div class="card"><h2>Timeline</h2><table><tr><th>When</th><th>Who</th><th>What</th>
          <th>Result</th><th class="wide">Device</th></tr>{timeline}</table></div>"""
        return page(h.description, body, user)

    @app.get("/devices", include_in_schema=False)
    def devices_page(request: Request, code: str = "", person: str = "") -> Response:
        user = user_or_redirect(request, admin=True)
        if isinstance(user, Response):
            return user
        label = names()
        rows = "".join(
            f"<tr><td>{escape(d['id'])}</td><td>{escape(label.get(d['person_id'], d['person_id']))}"
            f"</td><td class='wide'>{escape(d['created_at'])}</td>"
            f"<td>{escape(d['last_sync_at'] or 'never')}</td><td>"
            + (
                "revoked"
                if d["revoked"]
                else f'<form method="post" action="/devices/{escape(d["id"])}/revoke">'
                f'<button type="submit">Revoke</button></form>'
            )
            + "</td></tr>"
            for d in hq.list_devices()
        )
        people = "".join(
            f'<option value="{escape(p.id)}">{escape(p.name.get("zh"))} ({p.id})</option>'
            for s in hq.directory().sites.values()
            for p in s.people
        )
        shown_code = ""
        if code:
            shown_code = (
                f'<div class="card"><h2>Enrolment code for {escape(label.get(person, person))}</h2>'
                f'<p style="font-size:2em;letter-spacing:.1em">{escape(code)}</p>'
                "<p>Valid 24 hours, once. Scan it on the device (it holds this server's address"
                " too), or type the code:</p>"
                f"{_qr_svg(enrolment_link(str(request.base_url), code))}</div>"
            )
        body = f"""{shown_code}<div class="card"><h2>Make an enrolment code</h2>
          <form class="filters" method="post" action="/devices/codes">
          <select name="person_id" aria-label="person">{people}</select>
          <button type="submit">Make code</button></form></div>
          <div class="card"><h2>Devices</h2><table><tr><th>Device</th><th>Person</th>
          <th class="wide">Enrolled</th><th>Last sync</th><th></th></tr>{rows}</table></div>"""
        return page("Devices", body, user)

    @app.get("/master", include_in_schema=False)
    def master_page(request: Request, message: str = "", error: str = "") -> Response:
        """Plants, workshops, people and roles, equipment (the site file) and checklists."""
        user = user_or_redirect(request, admin=True)
        if isinstance(user, Response):
            return user
        with hq.engine.connect() as conn:
            sites = conn.execute(select(schema.sites.c.plant_id, schema.sites.c.yaml_text)).all()
            versions = conn.execute(
                select(schema.checklists.c.id, schema.checklists.c.version).order_by(
                    schema.checklists.c.id, schema.checklists.c.version
                )
            ).all()
        notice = f'<p class="error"><pre>{escape(error)}</pre></p>' if error else ""
        notice += f"<p><strong>{escape(message)}</strong></p>" if message else ""
        site_forms = "".join(
            f'<div class="card"><h2>Site {escape(row.plant_id)}</h2>'
            f"<p>Workshops, people and their roles and scope, special equipment.</p>"
            f'<form method="post" action="/master/site"><textarea name="yaml" rows="18" '
            f'style="width:100%;font-family:monospace" aria-label="site file">'
            f"{escape(row.yaml_text)}</textarea><p><button>Publish site</button></p></form></div>"
            for row in sites
        )
        listing = ", ".join(f"{escape(r.id)} v{r.version}" for r in versions)
        body = f"""{notice}{site_forms}<div class="card"><h2>Checklists</h2><p>{listing}</p>
          <form method="post" action="/master/checklist">
          <textarea name="yaml" rows="10" style="width:100%;font-family:monospace"
            aria-label="checklist file" placeholder="Paste a checklist YAML with a higher version">
          </textarea><p><button>Publish checklist</button></p></form></div>"""
        return page("Master data", body, user)

    async def publish(request: Request, action) -> Response:  # type: ignore[no-untyped-def]
        user = user_or_redirect(request, admin=True)
        if isinstance(user, Response):
            return user
        text = parse_qs((await request.body()).decode()).get("yaml", [""])[0]
        try:
            message = action(text)
        except (HQError, ValueError) as exc:
            return RedirectResponse("/master?" + urlencode({"error": str(exc)}), status_code=303)
        return RedirectResponse("/master?" + urlencode({"message": message}), status_code=303)

    @app.post("/master/site", include_in_schema=False)
    async def publish_site(request: Request) -> Response:
        return await publish(request, lambda text: f"Published the site of {hq.publish_site(text)}")

    @app.post("/master/checklist", include_in_schema=False)
    async def publish_checklist(request: Request) -> Response:
        def action(text: str) -> str:
            checklist_id, version = hq.publish_checklist(text)
            return f"Published {checklist_id} v{version}"

        return await publish(request, action)

    @app.post("/devices/codes", include_in_schema=False)
    async def make_code(request: Request) -> Response:
        user = user_or_redirect(request, admin=True)
        if isinstance(user, Response):
            return user
        person = parse_qs((await request.body()).decode()).get("person_id", [""])[0]
        code, _ = hq.make_code(person, user)
        return RedirectResponse(
            "/devices?" + urlencode({"code": code, "person": person}), status_code=303
        )

    @app.post("/devices/{device_id}/revoke", include_in_schema=False)
    def revoke(request: Request, device_id: str) -> Response:
        user = user_or_redirect(request, admin=True)
        if isinstance(user, Response):
            return user
        hq.revoke_device(device_id)
        return RedirectResponse("/devices", status_code=303)


def _hazard_table(rows: str) -> str:
    if not rows:
        return "<p>None.</p>"
    return (
        "<table><tr><th>Grade</th><th>Hazard</th><th class='wide'>Workshop</th>"
        f"<th>Status</th><th>Deadline</th></tr>{rows}</table>"
    )


def _hazard_row(h: Hazard, label: dict[str, str], today: date) -> str:
    days = h.days_to_deadline(today)
    due = (
        f'<span class="overdue">{-days} days overdue</span>'
        if h.is_overdue(today)
        else f"{escape(h.deadline)} ({days} d)"
    )
    return (
        f'<tr><td><span class="badge {h.grade.value}">{h.grade.value}</span> '
        f'<span class="badge" style="background:{RISK_COLOURS[h.risk.value]}">'
        f"{h.risk.value}</span></td>"
        f'<td><a href="/hazards/{escape(h.id)}">{escape(h.description)}</a></td>'
        f"<td class='wide'>{escape(label.get(h.workshop_id, h.workshop_id))}</td>"
        f"<td>{escape(h.status.value)}</td><td>{due}</td></tr>"
    )


def _qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]
