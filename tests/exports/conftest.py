"""Models built in code for the export tests: a small bilingual site, a checklist with every kind
of item and a repeated section, hazards driven through the state machine, and camera-like JPEGs;
and the demo data the ledger and the statistics form are shown with: hazards of the third
quarter of 2026 on the demo site (scripts/export_screenshots.py pictures the same)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from PIL import Image, ImageDraw

from inspect_app.core.checklist import (
    Category,
    Checklist,
    Grade,
    Item,
    ItemType,
    OnFail,
    Option,
    PassIf,
    Repeat,
    Risk,
    Section,
)
from inspect_app.core.hazard import Hazard, HazardEvent
from inspect_app.core.roles import Role
from inspect_app.core.site import Area, Equipment, Person, Plant, Site, Workshop
from inspect_app.core.text import LocalText
from inspect_app.core.workflow import Command, CommandType, decide
from inspect_app.loaders.site_loader import load_site
from inspect_app.resources import demo_site_path


def text(en: str, zh: str) -> LocalText:
    return LocalText.of({"en": en, "zh": zh})


def person(person_id: str, name: str, *roles: Role) -> Person:
    return Person(person_id, LocalText.of(name), frozenset(roles), frozenset({"ws-stamping"}))


LI = person("p-li", "李明", Role.INSPECTOR)
ZHAO = person("p-zhao", "赵磊", Role.INSPECTOR)
WANG = person("p-wang", "王建国", Role.WORKSHOP_HEAD)

SITE = Site(
    plant=Plant("plant-1", text("Suzhou Precision Components Plant", "苏州精密零部件厂")),
    workshops=(
        Workshop(
            "ws-stamping",
            text("Stamping workshop", "冲压车间"),
            head="p-wang",
            areas=(Area("line-1", text("Press line 1", "1号冲压线")),),
        ),
    ),
    people=(LI, ZHAO, WANG),
    equipment=(
        Equipment(
            asset_id="AC-01",
            type="air_receiver",
            name=text("Air receiver AC-01", "储气罐AC-01"),
            workshop="ws-stamping",
            location=text("Press line 1", "1号冲压线"),
            certificate_expiry=date(2027, 5, 1),
        ),
    ),
)

CHECKLIST = Checklist(
    id="fire-test",
    version=3,
    category=Category.FIRE,
    title=text("Fire safety - monthly", "消防安全月度检查"),
    sections=(
        Section(
            "extinguishers",
            text("Fire extinguishers", "灭火器"),
            items=(
                Item(
                    "ext-gauge",
                    ItemType.PASS_FAIL,
                    text("Pressure gauge needle in the green zone", "压力表指针在绿区"),
                    allow_na=True,
                    on_fail=OnFail(Grade.GENERAL, Risk.ORANGE),
                ),
                Item(
                    "ext-pressure",
                    ItemType.READING,
                    text("Cylinder pressure", "筒体压力"),
                    unit="MPa",
                    pass_if=PassIf(min=1.0, max=1.4),
                    on_fail=OnFail(Grade.MAJOR, Risk.RED),
                ),
            ),
            repeat=Repeat(text("Extinguisher", "灭火器"), text("Tag number", "编号")),
        ),
        Section(
            "exits",
            text("Exits and housekeeping", "安全出口与现场管理"),
            items=(
                Item(
                    "exit-clear",
                    ItemType.PASS_FAIL,
                    text("Exit routes clear of goods", "疏散通道无堆物"),
                    allow_na=True,
                    on_fail=OnFail(Grade.MAJOR, Risk.RED),
                ),
                Item(
                    "exit-sign",
                    ItemType.CHOICE,
                    text("Exit sign lamp", "安全出口标志灯"),
                    options=(
                        Option("lit", text("Lit", "常亮")),
                        Option("dark", text("Not lit", "不亮")),
                    ),
                    fail_on=("dark",),
                ),
                Item("remarks", ItemType.TEXT, text("Other remarks", "其他情况"), required=False),
            ),
        ),
    ),
    content_hash="0" * 64,
)


def jpeg(colour: str, size: tuple[int, int], label: str) -> bytes:
    """A photo-like JPEG: a coloured frame with a label, so a squashed picture would show."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill="white")
    draw.text((20, 20), label, fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


Step = tuple[CommandType, Person, dict[str, Any], str]


def drive(hazard_id: str, steps: list[Step]) -> tuple[Hazard, list[HazardEvent]]:
    """Run commands through the state machine as HQ would; the first one must be ``create``."""
    hazard: Hazard | None = None
    events: list[HazardEvent] = []
    for seq, (command_type, actor, payload, at) in enumerate(steps, start=1):
        command = Command(
            id=f"{hazard_id}-{seq}",
            device_id="dev-1",
            seq=seq,
            hazard_id=hazard_id,
            type=command_type,
            actor=actor.id,
            observed_at=at,
            expected_from=hazard.status if hazard else None,
            base_version=hazard.version if hazard else 0,
            payload=payload,
        )
        decision = decide(hazard, command, actor, at)
        assert decision.applied, decision.message
        hazard = decision.hazard
        events.append(HazardEvent.from_dict({**decision.event.to_dict(), "server_seq": seq}))
    assert hazard is not None
    return hazard, events


DEMO_SITE = load_site(demo_site_path()).site
assert DEMO_SITE is not None
DEMO_PHOTO = "d" * 64


def _demo(person_id: str) -> Person:
    found = DEMO_SITE.person(person_id)
    assert found is not None, person_id
    return found


def _at(day: str, clock: str = "10:00") -> str:
    return f"2026-{day}T{clock}:00+08:00"


def _found(
    who: str, day: str, workshop: str, description: str, grade: str, deadline: str, **extra: Any
) -> Step:
    payload = {
        "workshop_id": workshop,
        "description": description,
        "grade": grade,
        "risk": "red" if grade == "major" else "orange",
        "deadline": f"2026-{deadline}",
        **extra,
    }
    return (CommandType.CREATE, _demo(who), payload, _at(day, "09:00"))


def _plan(who: str, day: str, responsible: str, measures: str, funds: str, deadline: str) -> Step:
    payload = {
        "responsible_id": responsible,
        "measures": measures,
        "funds": funds,
        "deadline": f"2026-{deadline}",
        "contingency": "现场设警示隔离，专人监护",
    }
    return (CommandType.ASSIGN_FIVE_FIXES, _demo(who), payload, _at(day))


def _do(command: CommandType, who: str, day: str, clock: str = "10:00", **payload: Any) -> Step:
    return (command, _demo(who), payload, _at(day, clock))


def _fixed(who: str, day: str, funds_spent: str | None = None) -> list[Step]:
    spent = {"funds_spent": funds_spent} if funds_spent else {}
    return [
        _do(CommandType.START_RECTIFICATION, who, day, "08:00"),
        _do(CommandType.SUBMIT_RECTIFIED, who, day, "16:00", photos=[DEMO_PHOTO], **spent),
    ]


C = CommandType


def demo_hazards() -> list[tuple[Hazard, list[HazardEvent]]]:
    """Third quarter of 2026 on the demo site, one of each kind the ledger and the form show.
    Every figure of the quarter is worked out by hand in tests/exports/test_statistics.py."""
    plans = {
        "S1": [
            _found(
                "p-li",
                "07-06",
                "ws-stamping",
                "灭火器F-12压力表指针在红区",
                "general",
                "07-13",
                area_id="stamping-line-1",
                checklist_id="fire-monthly",
                item_id="ext-gauge",
                instance_tag="F-12",
                category="fire",
            ),
            _plan("p-wang", "07-06", "p-zhao", "送检充装，更换压力表", "300元", "07-13"),
            *_fixed("p-zhao", "07-10", "280元"),
            _do(C.VERIFY_PASS, "p-li", "07-11", opinion="压力表指针在绿区，已复查合格"),
        ],
        "S2": [
            _found(
                "p-zhao",
                "07-20",
                "ws-stamping",
                "2号冲压线配电箱门锁损坏",
                "general",
                "07-27",
                area_id="stamping-line-2",
                category="electrical",
            ),
            _plan("p-wang", "07-20", "p-wang", "更换配电箱门锁并加挂警示牌", "CNY 1,200", "07-27"),
            _do(
                C.REQUEST_EXTENSION,
                "p-wang",
                "07-25",
                reason="门锁备件缺货",
                new_deadline="2026-08-10",
            ),
            _do(C.APPROVE_EXTENSION, "p-lin", "07-26"),
            *_fixed("p-zhao", "08-05", "1200元"),
            _do(C.VERIFY_PASS, "p-lin", "08-06", opinion="门锁已更换，箱门可锁闭"),
        ],
        "S3": [
            _found(
                "p-li",
                "08-03",
                "ws-stamping",
                "CR-101起重机起重量限制器失效仍在使用",
                "major",
                "09-05",
                asset_id="CR-101",
                category="special_equipment",
                major_rule="GB 45067-2024 5.7.4",
            ),
            _do(
                C.SET_INTERIM_CONTROL,
                "p-wang",
                "08-03",
                "11:00",
                kind="out_of_service",
                photos=[DEMO_PHOTO],
            ),
            _plan(
                "p-wang", "08-03", "p-zhao", "更换起重量限制器并经检验机构检验", "2.5万元", "09-05"
            ),
            _do(
                C.SUBMIT_GOVERNANCE,
                "p-lin",
                "08-04",
                targets="恢复超载保护",
                methods="更换限制器",
                funds_materials="2.5万元，设备部",
                organisation="设备部赵磊",
                deadline="2026-09-05",
                safety_measures="停用挂牌",
                emergency_plan="起重伤害专项预案",
            ),
            _do(C.APPROVE_GOVERNANCE, "p-zhang", "08-05"),
            _do(
                C.RECORD_REPORT,
                "p-lin",
                "08-05",
                authority="苏州市应急管理局",
                reported_on="2026-08-04",
            ),
            _do(
                C.RECORD_SUPERVISION,
                "p-lin",
                "08-07",
                body="苏州市应急管理局",
                deadline="2026-09-10",
            ),
            *_fixed("p-zhao", "08-28", "23800元"),
            _do(
                C.RECORD_SUPERVISION_SIGNOFF,
                "p-lin",
                "09-02",
                signed_off_by="应急管理局 张科长",
                signed_off_on="2026-09-02",
            ),
            _do(C.VERIFY_PASS, "p-lin", "09-02", "15:00", opinion="限制器检验合格，同意销号"),
        ],
        "W1": [
            _found(
                "p-he",
                "08-12",
                "ws-welding",
                "手工焊接区通道堆放焊材",
                "general",
                "08-12",
                area_id="welding-manual",
                category="fire",
            ),
            _do(
                C.FIX_ON_THE_SPOT,
                "p-he",
                "08-12",
                "09:15",
                photos=[DEMO_PHOTO],
                note="焊材已移入料架",
            ),
            _do(C.VERIFY_PASS, "p-lin", "08-13", opinion="通道畅通"),
        ],
        "W2": [
            _found(
                "p-li",
                "09-25",
                "ws-welding",
                "气瓶间缺少防倾倒链条",
                "general",
                "10-09",
                area_id="gas-store",
                category="other",
            ),
            _plan("p-liu", "09-25", "p-liu", "加装防倾倒链条", "无", "10-09"),
        ],
        "W3": [
            _found(
                "p-he",
                "09-02",
                "ws-welding",
                "焊接烟尘净化器滤筒堵塞",
                "general",
                "09-20",
                area_id="welding-robots",
                category="environment",
            ),
            _plan("p-liu", "09-02", "p-liu", "更换滤筒", "500元", "09-20"),
            _do(C.START_RECTIFICATION, "p-liu", "09-05"),
        ],
        "P1": [
            _found(
                "p-huang",
                "09-10",
                "ws-painting",
                "调漆间可燃气体报警装置失效",
                "major",
                "10-31",
                area_id="paint-mixing",
                category="fire",
                major_rule="MEM Order 10 (2023) 7(7)",
            ),
            _do(
                C.SET_INTERIM_CONTROL,
                "p-zhou",
                "09-10",
                "11:00",
                kind="isolated",
                photos=[DEMO_PHOTO],
            ),
            _plan("p-zhou", "09-10", "p-zhou", "更换报警探头并联动排风", "3万元", "10-31"),
            _do(
                C.RECORD_REPORT,
                "p-lin",
                "09-11",
                authority="苏州市应急管理局",
                reported_on="2026-09-11",
            ),
        ],
        "U1": [
            _found(
                "p-ma",
                "06-20",
                "ws-utilities",
                "空压站安全阀校验过期",
                "general",
                "07-05",
                area_id="compressor-room",
                category="special_equipment",
            ),
            _plan("p-sun", "06-20", "p-sun", "安全阀送检", "800元", "07-05"),
            *_fixed("p-sun", "07-02", "800元"),
            _do(C.VERIFY_PASS, "p-ma", "07-03", opinion="校验合格"),
        ],
        "U2": [
            _found(
                "p-ma",
                "10-08",
                "ws-utilities",
                "雨水泵房备用泵未试运行",
                "general",
                "10-15",
                area_id="pump-house",
                category="flood_season",
            ),
        ],
        "L1": [
            _found(
                "p-xu",
                "07-15",
                "ws-logistics",
                "重复登记",
                "general",
                "07-22",
                area_id="charging",
            ),
            _do(C.VOID, "p-chen", "07-16", reason="与L0重复"),
        ],
    }
    return [drive(f"demo-{key}", steps) for key, steps in plans.items()]
