"""JSON Schema of the checklist format, built from the format's key tables and the core enums, so
``checklists/schema.json`` cannot drift from what the loader accepts.

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
    LimitScope,
    OnFail,
    PhotoRule,
    Risk,
    ShowIfOperator,
)
from inspect_app.core.text import SUPPORTED_LANGUAGES
from inspect_app.loaders import checklist_format as fmt
from inspect_app.loaders.yaml_nodes import Keys

TEXT = {"$ref": "#/$defs/text"}
STRING = {"type": "string", "pattern": r"\S"}
POSITIVE = {"type": "integer", "minimum": 1}
NON_NEGATIVE = {"type": "integer", "minimum": 0}


def _enum(enum: type[StrEnum], description: str, **extra: Any) -> dict[str, Any]:
    return {"enum": [e.value for e in enum], "description": description, **extra}


def _described(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {**schema, "description": description, **extra}


def _object(keys: Keys, properties: dict[str, Any], description: str) -> dict[str, Any]:
    """An object of exactly ``keys``' keys, needing what the loader needs."""
    if set(properties) != set(keys.allowed):
        raise ValueError(f"schema of {keys.what} differs from the loader: {set(properties)}")
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if keys.required:
        schema["required"] = list(keys.required)
    if keys.one_of:
        schema["oneOf" if keys.only_one else "anyOf"] = [{"required": [k]} for k in keys.one_of]
    return schema


def _type_rules() -> list[dict[str, Any]]:
    """Keys that belong to one item type: required by it where it needs them, refused elsewhere."""
    rules = []
    for item_type, keys in fmt.TYPE_KEYS.items():
        rule: dict[str, Any] = {
            "if": {"properties": {"type": {"const": item_type.value}}, "required": ["type"]},
            "else": {"properties": dict.fromkeys(keys, False)},
        }
        if item_type in fmt.TYPE_REQUIRED:
            rule["then"] = {"required": list(fmt.TYPE_REQUIRED[item_type])}
        rules.append(rule)
    return rules


def _text_def() -> dict[str, Any]:
    return {
        "description": "a plain string, or a map of language code to string with at least one of "
        + ", ".join(SUPPORTED_LANGUAGES),
        "oneOf": [
            STRING,
            {
                "type": "object",
                "properties": {lang: STRING for lang in SUPPORTED_LANGUAGES},
                "additionalProperties": STRING,
                "anyOf": [{"required": [lang]} for lang in SUPPORTED_LANGUAGES],
            },
        ],
    }


def _item() -> dict[str, Any]:
    answer = _described(STRING, "an answer of the item show_if reads, e.g. pass, or a value")
    show_if = _object(
        fmt.SHOW_IF,
        {
            "item": _described(STRING, "id of an item defined earlier"),
            ShowIfOperator.EQUALS.value: answer,
            ShowIfOperator.NOT_EQUALS.value: answer,
            ShowIfOperator.IN.value: {"type": "array", "items": answer, "minItems": 1},
        },
        "show the item only when an earlier item's answer matches",
    )
    defaults = OnFail()
    on_fail = _object(
        fmt.ON_FAIL,
        {
            "grade": _enum(Grade, "事故隐患 grade of the hazard", default=defaults.grade.value),
            "risk": _enum(Risk, "risk colour", default=defaults.risk.value),
            "photo": _enum(PhotoRule, "evidence photo on fail", default=defaults.photo.value),
            "deadline_days": _described(
                NON_NEGATIVE,
                "default rectification deadline; 0 means fix now",
                default=defaults.deadline_days,
            ),
            "suggested_fix": TEXT,
            "major_rule": _object(
                fmt.MAJOR_RULE,
                {
                    "criterion": _described(STRING, "one of the criteria in criteria.yaml"),
                    "clause": _described(STRING, "a clause of it listed in criteria.yaml"),
                },
                "the clause that makes it a major hazard; required with grade major",
            ),
        },
        "what a failing answer creates",
    )
    option = _object(fmt.OPTION, {"value": STRING, "label": TEXT}, "one answer to choose")
    limit = _object(
        fmt.LIMIT,
        {
            scope.value: {"type": "string", "pattern": fmt.LIMIT_NAME.pattern}
            for scope in LimitScope
        },
        "a limit set per asset or area in the site file",
    )
    bound = {"oneOf": [{"type": "number"}, limit]}
    pass_if = _object(
        fmt.PASS_IF,
        {"min": bound, "max": bound},
        "reading: inclusive limits; outside them is a fail",
    )
    item = _object(
        fmt.ITEM,
        {
            "id": _described(STRING, "unique in the checklist; answers are keyed by it"),
            "type": _enum(ItemType, "how the item is answered"),
            "prompt": TEXT,
            "guidance": TEXT,
            "reference": _described(STRING, "the standard the item comes from"),
            "required": {"type": "boolean", "default": True},
            "allow_na": {"type": "boolean", "default": False},
            "show_if": show_if,
            "unit": _described(STRING, "reading: the unit of the value"),
            "pass_if": pass_if,
            "options": {"type": "array", "items": option, "minItems": 1},
            "fail_on": {
                "type": "array",
                "items": STRING,
                "description": "choice: option values that count as a fail",
            },
            "within_days": _described(POSITIVE, "date: fail if older than this many days"),
            "on_fail": on_fail,
            "finding": TEXT,
        },
        "one check",
    )
    item["allOf"] = _type_rules()
    return item


def build_schema() -> dict[str, Any]:
    repeat = _object(
        fmt.REPEAT,
        {"unit": TEXT, "tag_prompt": TEXT, "min": {**POSITIVE, "default": 1}},
        "answer the section once per unit found on the walk",
    )
    section = _object(
        fmt.SECTION,
        {
            "id": _described(STRING, "unique in the checklist"),
            "title": TEXT,
            "repeat": repeat,
            "items": {"type": "array", "items": _item(), "minItems": 1},
        },
        "a group of items",
    )
    month_day = {
        "type": "string",
        "pattern": r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
        "description": "MM-DD",
    }
    checklist = _object(
        fmt.CHECKLIST,
        {
            "id": {
                "type": "string",
                "pattern": fmt.CHECKLIST_ID.pattern,
                "description": "stable forever",
            },
            "version": _described(POSITIVE, "bump on any change to items"),
            "category": _enum(Category, "kind of inspection"),
            "title": TEXT,
            "frequency": _enum(Frequency, "how often it is due"),
            "season": _object(fmt.SEASON, {"from": month_day, "to": month_day}, "when it is due"),
            "asset_type": _described(STRING, "run against one registered asset of this type"),
            "sections": {"type": "array", "items": section, "minItems": 1},
        },
        "one checklist per file (docs/checklist-format.md)",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://inspect-app.local/checklist.schema.json",
        "title": "inspect_app checklist",
        "$defs": {"text": _text_def()},
        **checklist,
    }


def schema_json() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    print(schema_json(), end="")
