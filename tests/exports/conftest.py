"""Models built in code for the export tests: a small bilingual site, a checklist with every kind
of item and a repeated section, hazards driven through the state machine, and camera-like JPEGs."""

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
