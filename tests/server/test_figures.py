"""The SQL figures and lists (server/figures.py) equal core.rates on the same random hazards,
stored with the real schema (the Alembic revisions, backfill included) on SQLite and PostgreSQL;
the month tallies (server/tallies.py) kept by changes equal those rebuilt from the records."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, insert, text

from inspect_app.cli import main
from inspect_app.core.checklist import Grade
from inspect_app.core.hazard import Extension, ExtensionStatus, Hazard, HazardStatus
from inspect_app.core.rates import PLANT_TIME, Period, deadline_at, rectification_figures
from inspect_app.server import schema, tallies
from inspect_app.server.app import Settings, bootstrap
from inspect_app.server.database import make_engine, upgrade
from inspect_app.server.figures import figures, hazard_columns, open_counts
from inspect_app.server.hazard_reads import HazardReads, figures_by_month
from inspect_app.server.scope import EVERYWHERE, Scope
from tests.core.conftest import make_hazard
from tests.server.conftest import Hq, hazard_payload
from tests.support.services import PostgresCluster

WORKSHOPS = ("ws-a", "ws-b", "ws-c")
PLANT = {"ws-a": "p1", "ws-b": "p1", "ws-c": "p2"}
DAY0 = date(2026, 8, 1)
DAYS = 150
ZONES = (PLANT_TIME, UTC, timezone(timedelta(hours=-5)))


@st.composite
def instants(draw: st.DrawFn, after: datetime | None = None) -> datetime:
    start = after or datetime.combine(DAY0, time(), PLANT_TIME)
    minutes = draw(st.integers(0, DAYS * 24 * 60 // 2)) * draw(st.sampled_from((1, 2)))
    return (start + timedelta(minutes=minutes)).astimezone(draw(st.sampled_from(ZONES)))


def day_near(draw: st.DrawFn, moment: datetime) -> str:
    return (
        moment.astimezone(PLANT_TIME).date() + timedelta(days=draw(st.integers(-2, 30)))
    ).isoformat()


@st.composite
def hazards(draw: st.DrawFn, number: int) -> Hazard:
    found = draw(instants())
    deadline = day_near(draw, found)
    status = draw(st.sampled_from(list(HazardStatus)))
    on_the_spot = draw(st.booleans()) and status in (HazardStatus.SUBMITTED, HazardStatus.CLOSED)
    closed = draw(instants(found)) if status is HazardStatus.CLOSED else None
    rectified = (
        draw(instants(found))
        if on_the_spot or (status in (HazardStatus.SUBMITTED, HazardStatus.CLOSED))
        else None
    )
    extensions = []
    previous = deadline
    for _ in range(draw(st.integers(0, 2))):
        new = day_near(draw, found)
        decided = draw(instants(found))
        approved = draw(st.booleans())
        extensions.append(
            Extension(
                reason="r",
                new_deadline=new,
                previous_deadline=previous,
                requested_by="p-wang",
                requested_at=decided.isoformat(),
                status=ExtensionStatus.APPROVED if approved else ExtensionStatus.REFUSED,
                decided_by="p-lin",
                decided_at=decided.isoformat() if draw(st.booleans()) else None,
            )
        )
        previous = new if approved else previous
    return make_hazard(
        id=f"hz-{number:04d}",
        workshop_id=draw(st.sampled_from(WORKSHOPS)),
        grade=draw(st.sampled_from(list(Grade))),
        found_at=found.isoformat(),
        deadline=previous,
        status=status,
        on_the_spot=on_the_spot,
        closed_at=closed.isoformat() if closed else None,
        rectified_at=rectified.isoformat() if rectified else None,
        extensions=tuple(extensions),
    )


@st.composite
def hazard_sets(draw: st.DrawFn) -> list[Hazard]:
    return [draw(hazards(n)) for n in range(draw(st.integers(0, 25)))]


@st.composite
def looks(draw: st.DrawFn) -> tuple[Period, datetime | date | None]:
    """A month of the window and when one looks at it: its end, a day, or an instant."""
    month = draw(st.integers(0, DAYS // 30))
    year, index = divmod(DAY0.year * 12 + DAY0.month - 1 + month, 12)
    period = Period.month(year, index + 1)
    kind = draw(st.sampled_from(("end", "day", "instant")))
    if kind == "end":
        return period, None
    moment = draw(instants())
    return period, moment.date() if kind == "day" else moment


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('figures')) / 'hq.db'}"
    else:
        cluster: PostgresCluster = request.getfixturevalue("postgres")
        url = cluster.create_database(f"figures_{uuid.uuid4().hex[:8]}")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


def store(engine: Engine, stored: list[Hazard]) -> None:
    with engine.begin() as conn:
        conn.execute(delete(schema.hazards))
        if stored:
            conn.execute(
                insert(schema.hazards),
                [
                    {
                        "id": h.id,
                        **hazard_columns(h, PLANT[h.workshop_id]),
                        "data": h.to_dict(),
                        "updated_seq": 1,
                    }
                    for h in stored
                ],
            )
        tallies.rebuild(conn)


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(stored=hazard_sets(), look=looks())
def test_sql_figures_equal_core_rates(
    engine: Engine, stored: list[Hazard], look: tuple[Period, datetime | date | None]
) -> None:
    period, as_of = look
    store(engine, stored)
    with engine.connect() as conn:
        whole = figures(conn, period, as_of, scope=EVERYWHERE)
        by_workshop = figures(conn, period, as_of, scope=EVERYWHERE, by="workshop")
        by_plant = figures(conn, period, as_of, scope=EVERYWHERE, by="plant")
    scoped = HazardReads(engine).figures(period, as_of, Scope(frozenset({"ws-b"})))
    expected = rectification_figures(stored, period, as_of)
    empty = rectification_figures([], period, as_of).by_grade
    assert (whole[""].by_grade if "" in whole else empty) == expected.by_grade
    for ws in WORKSHOPS:
        mine = [h for h in stored if h.workshop_id == ws]
        got = by_workshop[ws].by_grade if ws in by_workshop else empty
        assert got == rectification_figures(mine, period, as_of).by_grade, ws
    for plant in ("p1", "p2"):
        mine = [h for h in stored if PLANT[h.workshop_id] == plant]
        got = by_plant[plant].by_grade if plant in by_plant else empty
        assert got == rectification_figures(mine, period, as_of).by_grade, plant
    mine = [h for h in stored if h.workshop_id == "ws-b"]
    got = scoped[""].by_grade if "" in scoped else empty
    assert got == rectification_figures(mine, period, as_of).by_grade
    assert HazardReads(engine).months(period.end, 3, EVERYWHERE) == figures_by_month(
        stored, period.end, 3
    )
    per_plant = HazardReads(engine).months_by(period.end, 3, EVERYWHERE, "plant")
    for plant in ("p1", "p2"):
        mine = [h for h in stored if PLANT[h.workshop_id] == plant]
        if plant in per_plant:
            assert per_plant[plant] == figures_by_month(mine, period.end, 3), plant
        else:
            assert all(
                not f.total.found and not f.total.backlog
                for f in figures_by_month(mine, period.end, 3)
            )


@SETTINGS
@given(stored=hazard_sets(), look=looks(), charted=st.booleans())
def test_an_overview_counted_once_equals_each_figure_apart(
    engine: Engine,
    stored: list[Hazard],
    look: tuple[Period, datetime | date | None],
    charted: bool,
) -> None:
    """The group page's one read: the months per plant, their sum for the group, and the
    period's figures taken from the months when it is one of them, counted apart when not."""
    period, _ = look
    store(engine, stored)
    today = period.end if charted else period.end + timedelta(days=200)
    now = datetime.combine(today, time(18), tzinfo=PLANT_TIME)
    found = HazardReads(engine).overview(period, now, 3, EVERYWHERE, "plant")
    assert found.months_together == figures_by_month(stored, today, 3)
    empty = rectification_figures([], period, min(period.end, today)).by_grade
    for plant in ("p1", "p2"):
        mine = [h for h in stored if PLANT[h.workshop_id] == plant]
        got = found.rates[plant].by_grade if plant in found.rates else empty
        assert got == rectification_figures(mine, period, min(period.end, today)).by_grade
        if plant in found.months:
            assert found.months[plant] == figures_by_month(mine, today, 3), plant
    with engine.connect() as conn:
        assert found.counts == open_counts(conn, now, scope=EVERYWHERE, by="plant")


@SETTINGS
@given(before=hazard_sets(), after=hazard_sets(), look=looks())
def test_tallies_kept_by_changes_equal_a_rebuild(
    engine: Engine,
    before: list[Hazard],
    after: list[Hazard],
    look: tuple[Period, datetime | date | None],
) -> None:
    """Each hazard changed as a push changes it (status, void, reopen, extensions that move
    its deadline, another workshop and plant), its share taken out and the new one put in: the
    tallies are a rebuild's and the figures core.rates'."""
    store(engine, before)
    old = {h.id: h for h in before}
    new = {h.id: h for h in after}
    with engine.begin() as conn:
        for hazard_id, hazard in new.items():
            previous = old.get(hazard_id)
            changes = [(hazard, PLANT[hazard.workshop_id], 1)]
            values = {**hazard_columns(hazard, PLANT[hazard.workshop_id]), "data": hazard.to_dict()}
            if previous is None:
                conn.execute(insert(schema.hazards).values(id=hazard_id, updated_seq=2, **values))
            else:
                changes.append((previous, PLANT[previous.workshop_id], -1))
                conn.execute(
                    schema.hazards.update().where(schema.hazards.c.id == hazard_id).values(values)
                )
            tallies.adjust(conn, changes)
        assert tallies.drift(conn) == []
        period, as_of = look
        stored = [new.get(h.id, h) for h in before] + [h for h in after if h.id not in old]
        whole = figures(conn, period, as_of, scope=EVERYWHERE)
    expected = rectification_figures(stored, period, as_of).by_grade
    assert (whole[""].by_grade if "" in whole else rectification_figures([], period).by_grade) == (
        expected
    )
    assert HazardReads(engine).months(period.end, 6, EVERYWHERE) == figures_by_month(
        stored, period.end, 6
    )


def test_pushes_keep_the_tallies(hq: Hq) -> None:
    """Created, assigned, voided through the real push: the tallies are a rebuild's."""
    device = hq.enroll("p-li")
    ids = [str(uuid.uuid4()) for _ in range(3)]
    answer = device.push(
        [
            device.command(i, "create", None, hazard_payload(grade=g))
            for i, g in zip(ids, ("general", "major", "general"), strict=True)
        ]
    )
    assert [c["status"] for c in answer.json()["commands"]] == ["applied"] * 3
    admin = hq.enroll("p-chen")
    answer = admin.push([admin.command(ids[0], "void", "open", {"reason": "a duplicate"})])
    assert answer.json()["commands"][0]["status"] == "applied", answer.json()
    engine = hq.app.state.hq.engine
    with engine.connect() as conn:
        assert tallies.drift(conn) == []
        found = conn.execute(
            text("SELECT SUM(found), SUM(open_delta) FROM hazard_tallies WHERE month <> ''")
        ).one()
    assert tuple(found) == (2, 2)


NOW = datetime(2027, 12, 31, 12, tzinfo=PLANT_TIME)  # after every instant drawn


@SETTINGS
@given(stored=hazard_sets(), size=st.integers(1, 4), overdue=st.booleans())
def test_open_lists_page_by_key_and_counts_agree(
    engine: Engine, stored: list[Hazard], size: int, overdue: bool
) -> None:
    store(engine, stored)

    def is_overdue(h: Hazard) -> bool:
        return deadline_at(h, NOW) < NOW.date()

    listed = [h for h in stored if h.status.is_open and (is_overdue(h) or not overdue)]
    expected = sorted((deadline_at(h, NOW).isoformat(), h.id) for h in listed)
    got: list[tuple[str, str]] = []
    after = None
    reads = HazardReads(engine)
    for _ in range(len(stored) + 1):
        page = reads.open_page(NOW, EVERYWHERE, overdue_only=overdue, after=after, limit=size)
        assert len(page.rows) <= size
        got += [(r.deadline, r.id) for r in page.rows]
        after = page.next_after
        if after is None:
            break
    with engine.connect() as conn:
        counts = open_counts(conn, NOW, scope=EVERYWHERE, by="workshop")
    assert got == expected
    for ws in WORKSHOPS:
        mine = [h for h in stored if h.workshop_id == ws and h.status.is_open]
        if not mine:
            assert ws not in counts
            continue
        assert counts[ws].open == len(mine)
        assert counts[ws].open_major == sum(h.grade is Grade.MAJOR for h in mine)
        assert counts[ws].overdue == sum(is_overdue(h) for h in mine)


def test_the_migration_backfills_the_columns(tmp_path: Path) -> None:
    """Hazards stored before revision 0006 get their columns from their JSON."""
    engine = make_engine(f"sqlite:///{tmp_path / 'hq.db'}")
    upgrade(engine, "0005")
    hazard = make_hazard(status=HazardStatus.CLOSED, closed_at="2026-10-05T23:30:00+00:00")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO hazards (id, workshop_id, status, grade, data, updated_seq) "
                "VALUES (:id, 'ws-a', 'closed', 'general', :data, 1), "
                "('bad', 'ws-a', 'open', 'general', '[1]', 2)"
            ),
            {"id": hazard.id, "data": json.dumps(hazard.to_dict())},
        )
    upgrade(engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(text("SELECT * FROM hazards"))}
    assert rows[hazard.id].done_at == "2026-10-06T07:30:00.000000"
    assert rows[hazard.id].found_at == "2026-10-03T09:00:00.000000"
    assert rows["bad"].found_at is None


def test_check_data_finds_drifted_tallies_and_rebuild_mends_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hq, _ = bootstrap(Settings(data_dir=tmp_path, demo=True))
    hazard = make_hazard(id="hz-1", workshop_id="ws-stamping", found_at="2026-10-03T09:00:00+08:00")
    with hq.engine.begin() as conn:
        conn.execute(
            insert(schema.hazards).values(
                id=hazard.id,
                **hazard_columns(hazard, "plant-1"),
                data=hazard.to_dict(),
                updated_seq=1,
            )
        )
        tallies.adjust(conn, [(hazard, "plant-1", 1), (hazard, "plant-1", 1)])
    hq.engine.dispose()
    assert main(["admin", "--data", str(tmp_path), "check-data"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("tallies plant-1/ws-stamping/general 2026-10: found 2 not 1")
        for line in lines
    )
    assert main(["admin", "--data", str(tmp_path), "rebuild-tallies"]) == 0
    assert main(["admin", "--data", str(tmp_path), "check-data"]) == 0


@SETTINGS
@given(
    stored=hazard_sets(),
    size=st.integers(1, 4),
    status=st.sampled_from([None, *HazardStatus]),
    grade=st.sampled_from([None, *Grade]),
)
def test_list_pages_hold_each_listed_hazard_once_with_its_record(
    engine: Engine,
    stored: list[Hazard],
    size: int,
    status: HazardStatus | None,
    grade: Grade | None,
) -> None:
    """The pages' lists: any status or the open ones, a grade, page by page by key, each row
    with the record the page shows (description, risk), the count the whole list's."""
    store(engine, stored)
    listed = [
        h
        for h in stored
        if (h.status is status if status else h.status.is_open) and grade in (None, h.grade)
    ]
    expected = sorted((deadline_at(h, NOW).isoformat(), h.id) for h in listed)
    reads = HazardReads(engine)
    got: list[Hazard] = []
    after = None
    for _ in range(len(stored) + 1):
        page = reads.list_page(
            NOW,
            EVERYWHERE,
            status=status.value if status else None,
            grade=grade,
            after=after,
            limit=size,
        )
        assert page.total == len(listed)
        got += [r.hazard for r in page.records if r.hazard is not None]
        after = page.next_after
        if after is None:
            break
    assert [h.id for h in got] == [i for _, i in expected]
    by_id = {h.id: h for h in stored}
    assert all(h.description == by_id[h.id].description and h.risk == by_id[h.id].risk for h in got)
