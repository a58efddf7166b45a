"""JSON Schema of the checklist format, built from the loader's own key tables and the core enums,
so ``checklists/schema.json`` cannot drift from what the loader accepts.

Regenerate with ``python -m inspect_app.loaders.schema > checklists/schema.json``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from inspect_app.core.checklist import (
    Category,
    Frequency,
    Grade,
    ItemType,
    PhotoRule,
    Risk,
    ShowIfOperator,
)
from inspect_app.loaders import checklist_loader as fmt

TEXT = {"$ref": "#/$defs/text"}


def _enum(enum: type[StrEnum], description: str) -> dict[str, Any]:
    return {"enum": [e.value for e in enum], "description": description}


def _object(
    keys: tuple[str, ...], required: tuple[str, ...], properties: dict[str, Any], description: str
) -> dict[str, Any]:
    assert set(properties) == set(keys), set(properties) ^ set(keys)
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def build_schema() -> dict[str, Any]:
    scalar = {"type": ["string", "number", "boolean"]}
    show_if = _object(
        fmt.SHOW_IF_KEYS,
        ("item",),
        {
            "item": {"type": "string", "description": "id of an item defined earlier"},
            ShowIfOperator.EQUALS.value: scalar,
            ShowIfOperator.NOT_EQUALS.value: scalar,
            ShowIfOperator.IN.value: {"type": "array", "items": scalar},
        },
        "show the item only when another item's answer matches",
    )
    show_if["oneOf"] = [{"required": [op.value]} for op in ShowIfOperator]
    on_fail = _object(
        fmt.ON_FAIL_KEYS,
        (),
        {
            "grade": _enum(Grade, "事故隐患 grade of the hazard a failure creates"),
            "risk": _enum(Risk, "risk colour"),
            "photo": _enum(PhotoRule, "evidence photo on fail"),
            "deadline_days": {
                "type": "integer",
                "minimum": 1,
                "description": "default rectification deadline",
            },
            "suggested_fix": TEXT,
            "major_rule": {"type": "string", "description": "rule that makes it a major hazard"},
        },
        "what a failing answer creates",
    )
    option = _object(
        fmt.OPTION_KEYS, fmt.OPTION_KEYS, {"value": {"type": "string"}, "label": TEXT}, "one choice"
    )
    item = _object(
        fmt.ITEM_KEYS,
        fmt.ITEM_REQUIRED,
        {
            "id": {"type": "string", "description": "unique in the checklist; answers key on it"},
            "type": _enum(ItemType, "how the item is answered"),
            "prompt": TEXT,
            "guidance": TEXT,
            "reference": {"type": "string", "description": "the standard the item comes from"},
            "required": {"type": "boolean", "default": True},
            "allow_na": {"type": "boolean", "default": False},
            "show_if": show_if,
            "unit": {"type": "string", "description": "reading: unit shown with the value"},
            "pass_if": _object(
                fmt.PASS_IF_KEYS,
                (),
                {"min": {"type": "number"}, "max": {"type": "number"}},
                "reading: inclusive limits; outside is a fail",
            ),
            "options": {"type": "array", "items": option, "minItems": 1},
            "fail_on": {
                "type": "array",
                "items": {"type": "string"},
                "description": "choice: option values that count as fail",
            },
            "within_days": {
                "type": "integer",
                "minimum": 1,
                "description": "date: fail if older than this many days",
            },
            "on_fail": on_fail,
        },
        "one check",
    )
    repeat = _object(
        fmt.REPEAT_KEYS,
        fmt.REPEAT_REQUIRED,
        {"unit": TEXT, "tag_prompt": TEXT, "min": {"type": "integer", "minimum": 1, "default": 1}},
        "answer the section once per unit found on the walk",
    )
    section = _object(
        fmt.SECTION_KEYS,
        fmt.SECTION_REQUIRED,
        {
            "id": {"type": "string"},
            "title": TEXT,
            "repeat": repeat,
            "items": {"type": "array", "items": item, "minItems": 1},
        },
        "a group of items",
    )
    month_day = {"type": "string", "pattern": r"^\d\d-\d\d$", "description": "MM-DD"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://inspect-app.local/checklist.schema.json",
        "title": "inspect_app checklist",
        "$defs": {
            "text": {
                "description": "a plain string or a map of language to string",
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {"type": "string", "minLength": 1},
                        "properties": {"en": {"type": "string"}, "zh": {"type": "string"}},
                    },
                ],
            }
        },
        **_object(
            fmt.CHECKLIST_KEYS,
            fmt.CHECKLIST_REQUIRED,
            {
                "id": {
                    "type": "string",
                    "pattern": fmt.CHECKLIST_ID.pattern,
                    "description": "stable forever",
                },
                "version": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "bump on any change to items",
                },
                "category": _enum(Category, "inspection kind"),
                "title": TEXT,
                "frequency": _enum(Frequency, "how often it is due"),
                "season": _object(
                    fmt.SEASON_KEYS,
                    fmt.SEASON_KEYS,
                    {"from": month_day, "to": month_day},
                    "when it is due",
                ),
                "asset_type": {
                    "type": "string",
                    "description": "run against one registered asset of this type",
                },
                "sections": {"type": "array", "items": section, "minItems": 1},
            },
            "one checklist per file",
        ),
    }


def schema_json() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_json(), end="")
