"""checklists/schema.json stays in step with the loader: generated from its key tables, and the
two agree on shipped and mutated files."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from inspect_app.loaders.checklist_loader import load_checklist_text
from inspect_app.loaders.schema import schema_json
from inspect_app.resources import shipped_checklists_dir

SCHEMA_PATH = shipped_checklists_dir() / "schema.json"


def test_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA_PATH.read_text("utf-8") == schema_json(), (
        "regenerate: python -m inspect_app.loaders.schema > checklists/schema.json"
    )


@pytest.mark.parametrize(
    "path", sorted(shipped_checklists_dir().glob("*.yaml")), ids=lambda p: p.name
)
def test_shipped_checklists_satisfy_the_schema(path) -> None:  # type: ignore[no-untyped-def]
    jsonschema.validate(yaml.safe_load(path.read_text("utf-8")), json.loads(schema_json()))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("frequency: monthly", "frequncy: monthly"),
        ("grade: general", "grade: severe"),
        ("type: pass_fail", "type: tick"),
        ("photo: required", "photo: maybe"),
        ("deadline_days: 3", "deadline_days: 0"),
    ],
)
def test_mutations_are_rejected_by_both(old: str, new: str) -> None:
    text = (shipped_checklists_dir() / "fire-monthly.yaml").read_text("utf-8").replace(old, new, 1)
    assert load_checklist_text(text, "x.yaml").errors
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(text), json.loads(schema_json()))
