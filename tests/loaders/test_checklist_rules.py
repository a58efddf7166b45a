"""Every rule of the checklist format, each with a failing input and its exact FILE:LINE:COL."""

from __future__ import annotations

import textwrap

import pytest

from inspect_app.core.checklist import ItemType, ShowIfOperator
from inspect_app.loaders.checklist_loader import load_checklist_text

HEAD = """\
id: demo-list
version: 1
category: fire
title: {en: Demo, zh: 演示}
sections:
  - id: s1
    title: Section
    items:
"""


def errors(text: str) -> list[str]:
    result = load_checklist_text(textwrap.dedent(text), "demo.yaml")
    assert (result.checklist is None) == bool(result.errors)
    return [str(e) for e in result.errors]


def items(body: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(body), "      ")


def test_a_valid_checklist_loads() -> None:
    result = load_checklist_text(
        items("""\
        - id: has-sprinkler
          type: pass_fail
          prompt: Has sprinklers
          allow_na: true
        - id: valve
          type: pass_fail
          prompt: {en: Valve open}
          show_if: {item: has-sprinkler, equals: pass}
        - id: earth
          type: reading
          prompt: Earth
          unit: Ω
          pass_if: {max: 4}
        - id: heat
          type: choice
          prompt: Heat
          options: [{value: ok, label: OK}, {value: hot, label: Hot}]
          fail_on: [hot]
        """),
        "demo.yaml",
    )
    assert result.errors == []
    checklist = result.checklist
    assert checklist is not None and checklist.item_count == 4
    assert checklist.item("valve").show_if.operator is ShowIfOperator.EQUALS
    assert checklist.item("earth").type is ItemType.READING
    assert checklist.item("earth").pass_if.max == 4
    assert len(checklist.content_hash) == 64


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: x\nversion: [1\n",
            "demo.yaml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'",
        ),
        ("id: abc\nid: abd\n", "demo.yaml:2:1: duplicate key 'id' in the checklist"),
        (
            HEAD.replace("title: Section", "titel: Section")
            + "      - {id: a, type: text, prompt: P}\n",
            "demo.yaml:7:5: unknown key 'titel' in a section (did you mean 'title'?)",
        ),
        (
            HEAD.replace("version: 1", "version: three")
            + "      - {id: a, type: text, prompt: P}\n",
            "demo.yaml:2:10: version must be a whole number, not 'three'",
        ),
        (
            HEAD.replace("version: 1\n", "") + "      - {id: a, type: text, prompt: P}\n",
            "demo.yaml:1:1: the checklist is missing the required key 'version'",
        ),
        (
            HEAD.replace("id: demo-list", "id: Demo_List")
            + "      - {id: a, type: text, prompt: P}\n",
            "demo.yaml:1:5: id 'Demo_List' must be 3 to 64 of a-z, 0-9 and '-'",
        ),
        (
            HEAD.replace("category: fire", "category: chemistry")
            + "      - {id: a, type: text, prompt: P}\n",
            "demo.yaml:3:11: category must be one of fire, electrical, special_equipment, flood_season, "
            "environment, other, not 'chemistry'",
        ),
        (
            HEAD.replace("title: {en: Demo, zh: 演示}", "title: {fr: Démo}")
            + "      - {id: a, type: text, prompt: P}\n",
            "demo.yaml:4:8: title has no language the app can show (needs one of en, zh)",
        ),
        (
            HEAD + "      []\n",
            "demo.yaml:9:7: the section is empty: items must have at least one item",
        ),
        (
            HEAD.split("sections:")[0] + "sections: []\n",
            "demo.yaml:5:11: sections must have at least one section",
        ),
        ("", "demo.yaml:1:1: the file is empty"),
        ("- just\n- a list\n", "demo.yaml:1:1: the checklist must be a mapping of keys to values"),
    ],
)
def test_file_level_rules(text: str, expected: str) -> None:
    assert expected in errors(text)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            """\
         - {id: a, type: text, prompt: P}
         - {id: a, type: text, prompt: Q}
         """,
            "demo.yaml:10:14: duplicate item id 'a'",
        ),
        (
            """\
         - {id: a, type: text, prompt: P, show_if: {item: nope, equals: pass}}
         """,
            "demo.yaml:9:56: show_if points at unknown item 'nope'",
        ),
        (
            """\
         - {id: a, type: text, prompt: P, show_if: {item: b, equals: pass}}
         - {id: b, type: pass_fail, prompt: Q}
         """,
            "demo.yaml:9:56: show_if must point at an item defined earlier, not 'b'",
        ),
        (
            """\
         - {id: a, type: reading, prompt: P, pass_if: {max: 4}}
         """,
            "demo.yaml:9:9: a reading item needs a 'unit'",
        ),
        (
            """\
         - {id: a, type: reading, prompt: P, unit: V}
         """,
            "demo.yaml:9:9: a reading item needs 'pass_if' with min and/or max",
        ),
        (
            """\
         - {id: a, type: reading, prompt: P, unit: V, pass_if: {min: 5, max: 4}}
         """,
            "demo.yaml:9:61: pass_if.min (5) is greater than pass_if.max (4)",
        ),
        (
            """\
         - {id: a, type: reading, prompt: P, unit: V, pass_if: {max: four}}
         """,
            "demo.yaml:9:67: pass_if.max must be a number, not 'four'",
        ),
        (
            """\
         - id: a
           type: choice
           prompt: P
           options: [{value: ok, label: OK}]
           fail_on: [hot]
         """,
            "demo.yaml:13:19: fail_on value 'hot' is not one of the options (ok)",
        ),
        (
            """\
         - {id: a, type: pass_fail, prompt: P, unit: V}
         """,
            "demo.yaml:9:51: 'unit' only applies to reading items",
        ),
        (
            """\
         - {id: a, type: pass_fail, prompt: P, required: maybe}
         """,
            "demo.yaml:9:55: required must be true or false, not 'maybe'",
        ),
        (
            """\
         - {id: a, type: picture, prompt: P}
         """,
            "demo.yaml:9:23: type must be one of pass_fail, reading, choice, text, date, photo, not 'picture'",
        ),
        (
            """\
         - {id: a, type: text, prompts: P}
         """,
            "demo.yaml:9:29: unknown key 'prompts' in an item (did you mean 'prompt'?)",
        ),
        (
            """\
         - {id: a, type: text}
         """,
            "demo.yaml:9:9: an item is missing the required key 'prompt'",
        ),
        (
            """\
         - {id: a, type: pass_fail, prompt: P, on_fail: {grade: severe}}
         """,
            "demo.yaml:9:62: grade must be one of general, major, not 'severe'",
        ),
        (
            """\
         - {id: a, type: date, prompt: P, within_days: 0}
         """,
            "demo.yaml:9:53: within_days must be 1 or more, not 0",
        ),
        (
            """\
         - {id: a, type: text, prompt: {en: ""}}
         """,
            "demo.yaml:9:42: prompt [en] must not be empty",
        ),
    ],
)
def test_item_rules(body: str, expected: str) -> None:
    assert expected in errors(items(body))


def test_one_file_reports_all_its_problems() -> None:
    found = errors(
        items("""\
        - {id: a, type: picture, prompt: P}
        - {id: a, type: text, prompt: P, colour: red}
        """)
    )
    assert len(found) == 3


def test_duplicate_section_ids_and_season() -> None:
    text = HEAD.replace("frequency", "x") + "      - {id: a, type: text, prompt: P}\n"
    text += "  - id: s1\n    title: Again\n    items:\n      - {id: b, type: text, prompt: P}\n"
    assert "demo.yaml:10:9: duplicate section id 's1'" in errors(text)
    seasonal = HEAD.replace("sections:", 'season: {from: "13-01", to: "10-15"}\nsections:')
    seasonal += "      - {id: a, type: text, prompt: P}\n"
    assert "demo.yaml:5:16: season.from must be a date as MM-DD, not '13-01'" in errors(seasonal)
