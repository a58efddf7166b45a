"""checklists/schema.json stays in step with the loader: it is generated from the loader's key
tables, its keys and enums equal the loader's and the model's, and the two accept and refuse the
same files."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import jsonschema
import pytest
import yaml

from inspect_app.core.checklist import (
    Category,
    Frequency,
    Grade,
    ItemType,
    PhotoRule,
    Risk,
    ShowIfOperator,
)
from inspect_app.loaders import checklist_format as fmt
from inspect_app.loaders.checklist_loader import checklist_files, load_checklist_text
from inspect_app.loaders.schema import schema_json
from inspect_app.loaders.yaml_nodes import Keys
from inspect_app.resources import shipped_checklists_dir
from tests.loaders.samples import FULL_CHECKLIST

SCHEMA_PATH = shipped_checklists_dir() / "schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def schema_accepts(text: str) -> bool:
    return VALIDATOR.is_valid(yaml.safe_load(text))


def loader_accepts(text: str) -> bool:
    return not load_checklist_text(text, "x.yaml").errors


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text("utf-8") == schema_json(), (
        "regenerate: python -m inspect_app.loaders.schema > checklists/schema.json"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def _objects() -> list[tuple[Keys, dict[str, Any]]]:
    """Each mapping of the format with its schema object, found by walking the committed file."""
    section = SCHEMA["properties"]["sections"]["items"]
    item = section["properties"]["items"]["items"]
    return [
        (fmt.CHECKLIST, SCHEMA),
        (fmt.SEASON, SCHEMA["properties"]["season"]),
        (fmt.SECTION, section),
        (fmt.REPEAT, section["properties"]["repeat"]),
        (fmt.ITEM, item),
        (fmt.SHOW_IF, item["properties"]["show_if"]),
        (fmt.PASS_IF, item["properties"]["pass_if"]),
        (fmt.OPTION, item["properties"]["options"]["items"]),
        (fmt.ON_FAIL, item["properties"]["on_fail"]),
    ]


@pytest.mark.parametrize(("keys", "schema"), _objects(), ids=lambda v: getattr(v, "what", ""))
def test_keys_are_the_loaders(keys: Keys, schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == set(keys.allowed)
    assert set(schema.get("required", [])) == set(keys.required)
    assert schema["additionalProperties"] is False
    assert "description" in schema


def test_enums_are_the_models() -> None:
    props = SCHEMA["properties"]
    item = props["sections"]["items"]["properties"]["items"]["items"]["properties"]
    enums: list[tuple[list[str], type[StrEnum]]] = [
        (props["category"]["enum"], Category),
        (props["frequency"]["enum"], Frequency),
        (item["type"]["enum"], ItemType),
        (item["on_fail"]["properties"]["grade"]["enum"], Grade),
        (item["on_fail"]["properties"]["risk"]["enum"], Risk),
        (item["on_fail"]["properties"]["photo"]["enum"], PhotoRule),
        (sorted(set(item["show_if"]["properties"]) - {"item"}), ShowIfOperator),
    ]
    for values, enum in enums:
        assert sorted(values) == sorted(e.value for e in enum), enum.__name__


@pytest.mark.parametrize("path", checklist_files([shipped_checklists_dir()]), ids=lambda p: p.name)
def test_shipped_checklists_satisfy_the_schema(path) -> None:  # type: ignore[no-untyped-def]
    VALIDATOR.validate(yaml.safe_load(path.read_text("utf-8")))


def test_the_full_sample_is_accepted_by_both() -> None:
    assert loader_accepts(FULL_CHECKLIST) and schema_accepts(FULL_CHECKLIST)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("frequency: seasonal", "frequncy: seasonal"),
        ("    title: Checks", "    titel: Checks"),
        ("prompt: Has sprinklers", "prompts: Has sprinklers"),
        ("min: 2}", "min: 2, max: 3}"),
        ("in: [pass, na]", "is: [pass, na]"),
        ("pass_if: {min: 0, max: {asset", "pass_if: {min: 0, maximum: {asset"),
        ("max: {asset: max_earth}", "max: {asset: max_earth, area: lux}"),
        ("max: {asset: max_earth}", "max: {site: max_earth}"),
        ("max: {asset: max_earth}", "max: {asset: Max-Earth}"),
        ("{value: ok, label: OK}", "{value: ok, label: OK, colour: green}"),
        ("major_rule:", "major_rules:"),
        ("category: special_equipment", "category: chemistry"),
        ("frequency: seasonal", "frequency: sometimes"),
        ("type: pass_fail", "type: tick"),
        ("grade: major", "grade: severe"),
        ("risk: red", "risk: crimson"),
        ("photo: required", "photo: maybe"),
        ("deadline_days: 0", "deadline_days: -1"),
        ('clause: "5.7.4"}', "clause: []}"),
        ("{criterion: GB 45067-2024, ", "{"),
        ("version: 2", "version: two"),
        ("version: 2", "version: 0"),
        ("id: demo-full", "id: Demo_Full"),
        ("required: true", "required: maybe"),
        ("title: {en: Demo, zh: 演示}", "title: {fr: Démo}"),
        ('from: "12-01"', 'from: "13-01"'),
        ("        unit: Ω\n", ""),
        ("        fail_on: [hot]\n", "        fail_on: [hot]\n        unit: °C\n"),
        ("within_days: 365", "within_days: 365, unit: d"),
        ("{value: ok, label: OK}", "{value: ok}"),
        ("reference: NFPA 13", "reference: ''"),
    ],
)
def test_mutations_are_refused_by_both(old: str, new: str) -> None:
    assert old in FULL_CHECKLIST
    mutated = FULL_CHECKLIST.replace(old, new, 1)
    assert not loader_accepts(mutated)
    assert not schema_accepts(mutated)
